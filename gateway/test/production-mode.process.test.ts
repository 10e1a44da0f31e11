import { internalsIn, spawnService, type ServiceProcess } from '@storefront/testing';
import { deadUrl } from './helpers';

/**
 * The gateway as production runs it: its own process (index.ts) with NODE_ENV=production and the
 * secrets production requires, nothing else. It must not describe its schema to strangers: no
 * introspection, no "Did you mean ...?" in any error, and HTTP failures without internals.
 */
let gateway: ServiceProcess;
let url: string;

beforeAll(async () => {
  const port = new URL(await deadUrl()).port;
  url = `http://127.0.0.1:${port}/`;
  gateway = await spawnService({
    name: 'gateway',
    entry: 'gateway/src/index.ts',
    env: {
      NODE_ENV: 'production',
      GATEWAY_PORT: port,
      JWT_SECRET: 'a-production-secret-for-this-test-0123456789',
      CATALOG_URL: await deadUrl(),
      CART_URL: await deadUrl(),
      ORDER_URL: await deadUrl(),
      CATALOG_SUBGRAPH_SECRET: 'catalog-secret-for-this-test',
      CART_SUBGRAPH_SECRET: 'cart-secret-for-this-test-0',
      ORDER_SUBGRAPH_SECRET: 'order-secret-for-this-test-0',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    },
    readyUrl: `http://127.0.0.1:${port}/ready`,
  });
});
afterAll(async () => {
  await gateway?.stop();
});

async function graphql(query: string, variables?: Record<string, unknown>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions: { code: string } }[] } };
}

test('introspection is refused', async () => {
  for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Product") { fields { name } } }']) {
    const { status, body } = await graphql(query);
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.data).toBeUndefined();
  }
});

test.each([
  ['a misspelt field', '{ prodcts(first: 1) { totalCount } }', undefined],
  ['a misspelt argument', '{ products(frist: 1) { totalCount } }', undefined],
  ['a misspelt enum literal', '{ products(first: 1, filter: { kind: TSHIRTS }) { totalCount } }', undefined],
  ['a misspelt input field', '{ products(first: 1, filter: { serch: "x" }) { totalCount } }', undefined],
  ['a misspelt type condition', '{ products(first: 1) { edges { node { ... on Prodct { id } } } } }', undefined],
  ['a misspelt enum value in a variable', 'query($k: ProductKind) { products(first: 1, filter: { kind: $k }) { totalCount } }', { k: 'TSHIRTS' }],
  ['a misspelt input field in a variable', 'query($f: ProductFilter) { products(first: 1, filter: $f) { totalCount } }', { f: { serch: 'x' } }],
])('no suggestion in the error for %s', async (_name, query, variables) => {
  const { status, text, body } = await graphql(query, variables);
  expect(status).toBe(400);
  expect(body.errors?.length).toBeGreaterThan(0);
  expect(text).not.toMatch(/did you mean/i);
  // The names it would have suggested appear nowhere.
  expect(text).not.toMatch(/"(products|product|first|TSHIRT|search|Product)\\"/);
});

test('HTTP failures keep the GraphQL shape and show no internals in production either', async () => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":' });
  const text = await response.text();
  expect(response.status).toBe(400);
  expect(JSON.parse(text)).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'BAD_REQUEST' } }] });
  expect(internalsIn(text)).toEqual([]);
  // No explorer page either: a browser gets JSON.
  const page = await fetch(url, { headers: { accept: 'text/html' } });
  expect(page.headers.get('content-type')).not.toMatch(/html/);
});
