import { CreateProductDocument, execute, ProductsDocument, type CreateProductMutationVariables } from '@storefront/client';
import { seedCatalog } from '@storefront/catalog';
import { startCatalog, startGateway, tokenFor, type RunningCatalog, type RunningGateway } from '@storefront/testing';
import { PRODUCT_KINDS } from '@storefront/product-kinds';
import { buildSchema, isUnionType, parse, validate, visit } from 'graphql';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SignJWT } from 'jose';
import { DEV_JWT_SECRET } from '../src/config';
import { post, startRecordingProxy, type RecordingProxy } from './helpers';

let catalog: RunningCatalog;
let proxy: RecordingProxy;
let gateway: RunningGateway;

beforeAll(async () => {
  catalog = await startCatalog();
  await seedCatalog(catalog.server.database, 22);
  // The gateway reaches the catalog through a recording proxy, so tests see what the subgraph receives.
  proxy = await startRecordingProxy(catalog.url);
  gateway = await startGateway({ catalog: { url: proxy.url, secret: catalog.config.secret } });
});
afterAll(async () => {
  await gateway?.stop();
  await proxy?.stop();
  await catalog?.stop();
});

const NEW_PRODUCT: CreateProductMutationVariables = {
  input: {
    name: 'Gateway Tee',
    kind: 'TSHIRT',
    price: { amount: 1999, currencyCode: 'USD' },
    variants: [{ sku: `gw-tee-${Date.now()}`, stock: 3, attributes: { tshirt: { size: 'M', color: 'black' } } }],
  },
};

async function productCount(): Promise<number> {
  const result = await execute(gateway.url, ProductsDocument, { first: 1 });
  expect(result.errors).toBeUndefined();
  return result.data!.products.totalCount;
}

/** Headers the proxy saw on the subgraph request carrying this request id. */
function forwardedFor(requestId: string) {
  const seen = proxy.requests.filter((headers) => headers['x-request-id'] === requestId);
  expect(seen.length).toBeGreaterThan(0);
  return seen;
}

test('a products query through the gateway returns typed union attributes, every kind its own member', async () => {
  const result = await execute(gateway.url, ProductsDocument, { first: 22 });
  expect(result.errors).toBeUndefined();
  expect(result.data!.products.totalCount).toBe(22);
  const attributes = result.data!.products.edges.flatMap((edge) => edge.node.variants.map((variant) => variant.attributes));
  const typenames = new Set(attributes.map((a) => a.__typename));
  expect(typenames).toEqual(new Set(PRODUCT_KINDS.map((k) => k.typeName)));
  for (const a of attributes) {
    // The union narrows on __typename, so each branch reads its own fields with their types.
    if (a.__typename === 'TShirtAttributes') expect(['XS', 'S', 'M', 'L', 'XL', 'XXL']).toContain(a.size);
    if (a.__typename === 'HatAttributes') expect(typeof a.style).toBe('string');
    if (a.__typename === 'CandyAttributes') expect(a.weightGrams).toBeGreaterThan(0);
  }
});

describe('catalog writes', () => {
  test('an admin token creates a product through the gateway', async () => {
    const before = await productCount();
    const result = await execute(gateway.url, CreateProductDocument, NEW_PRODUCT, { token: await tokenFor('admin-1', { admin: true }) });
    expect(result.errors).toBeUndefined();
    expect(result.data!.createProduct.userErrors).toEqual([]);
    const variant = result.data!.createProduct.product!.variants[0];
    expect(variant.attributes).toEqual({ __typename: 'TShirtAttributes', size: 'M', color: 'black' });
    expect(await productCount()).toBe(before + 1);
  });

  test('a signed-in user without the admin role gets FORBIDDEN and nothing is written', async () => {
    const before = await productCount();
    const result = await execute(gateway.url, CreateProductDocument, NEW_PRODUCT, { token: await tokenFor('shopper-1', { roles: ['support'] }) });
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(result.data?.createProduct ?? null).toBeNull();
    expect(await productCount()).toBe(before);
  });

  test('a role holding a comma or space never becomes another role: "support,admin" cannot write the catalog', async () => {
    const before = await productCount();
    for (const roles of [['support,admin'], ['admin support'], [' admin'], ['admin\n']]) {
      const result = await execute(gateway.url, CreateProductDocument, NEW_PRODUCT, { token: await tokenFor('shopper-1', { roles }) });
      expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect(await productCount()).toBe(before);
    // What the catalog was told: no role at all, never "admin".
    expect(proxy.requests.at(-1)?.['x-user-roles'] ?? '').toBe('');
  });

  test('an anonymous visitor gets UNAUTHENTICATED and nothing is written', async () => {
    const before = await productCount();
    const result = await execute(gateway.url, CreateProductDocument, NEW_PRODUCT);
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(await productCount()).toBe(before);
  });
});

describe('tokens that do not verify fail with 401, never fall back to anonymous', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const sign = (claims: Record<string, unknown>, secret = DEV_JWT_SECRET) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));

  const cases: [string, () => Promise<string>][] = [
    ['garbage', async () => 'Bearer not-a-jwt'],
    ['expired', async () => `Bearer ${await sign({ sub: 'admin-1', roles: ['admin'], iat: now() - 7200, exp: now() - 3600 })}`],
    ['signed with another secret', async () => `Bearer ${await sign({ sub: 'admin-1', roles: ['admin'], exp: now() + 3600 }, 'x'.repeat(40))}`],
    ['unsigned (alg none)', async () => `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'admin-1', roles: ['admin'], exp: now() + 3600 })).toString('base64url')}.`],
    ['without a subject', async () => `Bearer ${await sign({ roles: ['admin'], exp: now() + 3600 })}`],
    ['without an expiry', async () => `Bearer ${await sign({ sub: 'admin-1', roles: ['admin'] })}`],
    ['with roles that are not a list', async () => `Bearer ${await sign({ sub: 'admin-1', roles: 'admin', exp: now() + 3600 })}`],
    ['in another scheme', async () => `Basic ${Buffer.from('admin:admin').toString('base64')}`],
  ];

  test.each(cases)('%s', async (_name, authorization) => {
    const before = await productCount();
    const response = await post(gateway.url, CreateProductDocument, NEW_PRODUCT, { authorization: await authorization() });
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(response.body.errors?.[0].extensions?.stacktrace).toBeUndefined();
    expect(await productCount()).toBe(before);
  });

  test('an expired token says so, so a client knows to refresh it', async () => {
    const token = await sign({ sub: 'admin-1', iat: now() - 7200, exp: now() - 3600 });
    const response = await post(gateway.url, ProductsDocument, { first: 1 }, { authorization: `Bearer ${token}` });
    expect(response.body.errors?.[0].message).toBe('The token has expired.');
  });

  test('even a read is refused rather than answered anonymously', async () => {
    const response = await post(gateway.url, ProductsDocument, { first: 1 }, { authorization: 'Bearer not-a-jwt' });
    expect(response.status).toBe(401);
    expect(response.body.data ?? null).toBeNull();
  });
});

test('identity headers sent by a client are stripped: without a token the caller stays anonymous', async () => {
  const before = await productCount();
  const requestId = `spoof-${Date.now()}`;
  const response = await post(gateway.url, CreateProductDocument, NEW_PRODUCT, {
    'x-user-id': 'someone',
    'x-user-roles': 'admin',
    'x-subgraph-secret': 'a-secret-the-client-made-up',
    'x-request-id': requestId,
  });
  expect(response.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  expect(await productCount()).toBe(before);
  for (const headers of forwardedFor(requestId)) {
    expect(headers['x-user-id']).toBeUndefined();
    expect(headers['x-user-roles']).toBeUndefined();
    expect(headers['x-subgraph-secret']).toBe(catalog.config.secret);
  }
});

test('a token with spoofed headers next to it acts as the token says, not as the headers say', async () => {
  const requestId = `spoof-token-${Date.now()}`;
  const response = await post(gateway.url, CreateProductDocument, NEW_PRODUCT, {
    authorization: `Bearer ${await tokenFor('shopper-2')}`,
    'x-user-id': 'admin-1',
    'x-user-roles': 'admin',
    'x-request-id': requestId,
  });
  expect(response.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  for (const headers of forwardedFor(requestId)) {
    expect(headers['x-user-id']).toBe('shopper-2');
    expect(headers['x-user-roles']).toBe('');
  }
});

describe('request ids', () => {
  test('a well-formed incoming x-request-id is echoed and forwarded to the subgraph', async () => {
    const requestId = `trace-${Date.now()}`;
    const response = await post(gateway.url, ProductsDocument, { first: 1 }, { 'x-request-id': requestId });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    forwardedFor(requestId);
  });

  test('a missing or malformed one is replaced by a generated id, which is forwarded too', async () => {
    for (const headers of [{}, { 'x-request-id': 'has spaces and\ttabs' }] as Record<string, string>[]) {
      const response = await post(gateway.url, ProductsDocument, { first: 1 }, headers);
      const generated = response.headers.get('x-request-id');
      expect(generated).toMatch(/^[0-9a-f-]{36}$/);
      forwardedFor(generated!);
    }
  });
});

describe('operations endpoints', () => {
  test('/health answers', async () => {
    const response = await fetch(new URL('/health', gateway.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', service: 'gateway' });
  });

  test('/ready answers and reports each subgraph', async () => {
    const response = await fetch(new URL('/ready', gateway.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready', service: 'gateway', subgraphs: { catalog: 'ready' } });
  });
});

describe('explorer', () => {
  test('GET / from a browser serves GraphiQL from local assets only', async () => {
    const response = await fetch(gateway.url, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('GraphiQL');
    // Works offline: nothing is loaded from another host.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBe(4);
    for (const asset of assets) {
      const file = await fetch(new URL(asset, gateway.url));
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toMatch(asset.endsWith('.css') ? /text\/css/ : /javascript/);
      expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
  });

  test('only the listed assets are served', async () => {
    for (const name of ['package.json', '..%2Fpackage.json', '__proto__']) {
      const response = await fetch(new URL(`/explorer/assets/${name}`, gateway.url));
      expect(response.status).toBe(404);
    }
  });

  test("the page's default query is valid, selects every kind's attributes and runs without errors", async () => {
    const html = await (await fetch(gateway.url, { headers: { accept: 'text/html' } })).text();
    const query = JSON.parse(/defaultQuery: ("(?:[^"\\]|\\.)*")/.exec(html)![1]) as string;
    const schema = buildSchema(readFileSync(path.resolve(__dirname, '../../clients/schema.graphql'), 'utf8'));
    const document = parse(query);
    expect(validate(schema, document)).toEqual([]);
    const union = schema.getType('VariantAttributes');
    if (!isUnionType(union)) throw new Error('VariantAttributes is not a union');
    const selected: string[] = [];
    visit(document, { InlineFragment: (node) => void selected.push(node.typeCondition!.name.value) });
    expect(selected.sort()).toEqual(union.getTypes().map((t) => t.name).sort());
    const result = await post(gateway.url, document, {});
    expect(result.status).toBe(200);
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data).toMatchObject({ products: { totalCount: await productCount() } });
  });

  test('GET / from a program is GraphQL over GET, not the page', async () => {
    const url = new URL(gateway.url);
    url.searchParams.set('query', '{ __typename }');
    const response = await fetch(url, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
