import {
  httpFailureCases,
  internalsIn,
  rawHttp,
  startCart,
  startCatalog,
  startOrder,
  type RunningCart,
  type RunningCatalog,
  type RunningOrder,
} from '@storefront/testing';

/**
 * Every subgraph's HTTP surface (the kit's subgraph server, here the catalog's over its real database)
 * answers HTTP-level failures in the GraphQL error shape with the right status and nothing internal,
 * on `/graphql` and on the internal routes alike.
 */
let catalog: RunningCatalog;
let base: string;
beforeAll(async () => {
  catalog = await startCatalog();
  base = catalog.url.replace(/graphql$/, '');
});
afterAll(async () => {
  await catalog?.stop();
});

const secret = () => ({ 'x-subgraph-secret': catalog.config.secret });

describe.each(['graphql', 'internal/stock/reserve'])('/%s', (route) => {
  test.each(httpFailureCases(route).filter((c) => c.path === route))('$name: $status $code', async ({ init, status, code }) => {
    const response = await fetch(base + route, { ...init, headers: { ...(init.headers as Record<string, string>), ...secret() } });
    const text = await response.text();
    expect(response.status).toBe(status);
    expect(JSON.parse(text)).toEqual({ errors: [{ message: expect.any(String), extensions: { code } }] });
    expect(internalsIn(text)).toEqual([]);
  });
});

// The explorer's asset route is the gateway's only path parameter, so an undecodable path is its case alone.
test.each(httpFailureCases('graphql').filter((c) => c.path !== 'graphql' && c.name !== 'undecodable path'))('$name: $status $code', async ({ path, init, status, code }) => {
  const response = await fetch(base + path, init);
  const text = await response.text();
  expect(response.status).toBe(status);
  expect(JSON.parse(text)).toEqual({ errors: [{ message: expect.any(String), extensions: { code } }] });
  expect(internalsIn(text)).toEqual([]);
});

test('an unknown internal route is a 404 in the same shape', async () => {
  const response = await fetch(`${base}internal/no-such-call`, { method: 'POST', headers: { 'content-type': 'application/json', ...secret() }, body: '{}' });
  expect(response.status).toBe(404);
  expect(await response.json()).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'NOT_FOUND' } }] });
});

test('without the secret, a body is never read: 401 before any parse error', async () => {
  const response = await fetch(`${base}graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"broken' });
  expect(response.status).toBe(401);
  expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('UNAUTHENTICATED');
});

test('a request Node itself refuses gets a JSON 400', async () => {
  const answer = await rawHttp(base, 'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n');
  expect(answer).toMatch(/^HTTP\/1\.1 400 /);
  expect(answer).toContain('"code":"BAD_REQUEST"');
});

test('the service still answers after all of it', async () => {
  const response = await fetch(`${base}graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...secret() },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
});

describe('in production', () => {
  let production: RunningCatalog;
  const SECRET = 'a-production-catalog-secret-for-this-test';
  beforeAll(async () => {
    production = await startCatalog({ NODE_ENV: 'production', CATALOG_SUBGRAPH_SECRET: SECRET });
  });
  afterAll(async () => {
    await production?.stop();
  });

  async function ask(query: string) {
    const response = await fetch(production.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-subgraph-secret': SECRET },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, text: await response.text() };
  }

  test('no introspection and no "Did you mean" even for a caller with the secret', async () => {
    const introspection = await ask('{ __schema { types { name } } }');
    expect(introspection.status).toBe(400);
    expect(introspection.text).toContain('GRAPHQL_VALIDATION_FAILED');
    const misspelt = await ask('{ prodcts(first: 1) { totalCount } }');
    expect(misspelt.status).toBe(400);
    expect(misspelt.text).not.toMatch(/did you mean/i);
  });

  test('HTTP failures are the same JSON shape', async () => {
    const response = await fetch(production.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-subgraph-secret': SECRET }, body: '{' });
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(JSON.parse(text)).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'BAD_REQUEST' } }] });
    expect(internalsIn(text)).toEqual([]);
  });
});

describe('the cart and the order subgraphs answer the same way (one kit, checked on each)', () => {
  let cart: RunningCart;
  let order: RunningOrder;
  beforeAll(async () => {
    const catalogEndpoint = { url: catalog.url, secret: catalog.config.secret };
    cart = await startCart(catalogEndpoint);
    order = await startOrder({ catalog: catalogEndpoint, cart: { url: cart.url, secret: cart.config.secret } });
  });
  afterAll(async () => {
    await order?.stop();
    await cart?.stop();
  });

  const services = () => [
    { name: 'cart', url: cart.url, secret: cart.config.secret, internal: 'internal/checkout/release' },
    { name: 'order', url: order.url, secret: order.config.secret, internal: null },
  ];

  test('every failure case on /graphql, an internal route where there is one, and the other paths', async () => {
    const seen: string[] = [];
    for (const service of services()) {
      const base = service.url.replace(/graphql$/, '');
      const routes = ['graphql', ...(service.internal ? [service.internal] : [])];
      const cases = [
        ...routes.flatMap((route) => httpFailureCases(route).filter((c) => c.path === route)),
        ...httpFailureCases('graphql').filter((c) => c.path !== 'graphql' && c.name !== 'undecodable path'),
      ];
      for (const { name, path, init, status, code } of cases) {
        const response = await fetch(base + path, {
          ...init,
          headers: { ...(init.headers as Record<string, string>), 'x-subgraph-secret': service.secret },
        });
        const text = await response.text();
        const got = { service: service.name, path, name, status: response.status, body: JSON.parse(text) as unknown, internals: internalsIn(text) };
        expect(got).toEqual({ ...got, status, body: { errors: [{ message: expect.any(String), extensions: { code } }] }, internals: [] });
        seen.push(`${service.name} ${path} ${name}`);
      }
    }
    expect(seen.length).toBeGreaterThanOrEqual(30);
  }, 60_000);
});
