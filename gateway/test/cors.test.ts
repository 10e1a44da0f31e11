import { startGateway, type RunningGateway } from '@storefront/testing';

/**
 * Real CORS preflights (OPTIONS with Origin and Access-Control-Request-*), as a browser sends them, and
 * the actual requests that follow, against gateways in development and production configuration.
 */
const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_SECRET: 'a-production-secret-for-this-test-0123456789',
  CATALOG_SUBGRAPH_SECRET: 'catalog-secret-for-this-test',
  CART_SUBGRAPH_SECRET: 'cart-secret-for-this-test-0',
  ORDER_SUBGRAPH_SECRET: 'order-secret-for-this-test-0',
};

let development: RunningGateway;
let production: RunningGateway;
let listed: RunningGateway;
beforeAll(async () => {
  development = await startGateway({});
  production = await startGateway({}, PRODUCTION);
  listed = await startGateway({}, { ...PRODUCTION, GATEWAY_CORS_ORIGINS: 'https://shop.example, https://admin.shop.example:8443' });
});
afterAll(async () => {
  await Promise.all([development, production, listed].map((g) => g?.stop()));
});

function preflight(gateway: RunningGateway, origin: string, requestHeaders = 'authorization,content-type,apollo-require-preflight') {
  return fetch(gateway.url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders },
  });
}

function post(gateway: RunningGateway, origin: string, contentType = 'application/json') {
  return fetch(gateway.url, { method: 'POST', headers: { origin, 'content-type': contentType }, body: JSON.stringify({ query: '{ __typename }' }) });
}

describe('development allows any port on localhost, 127.0.0.1 and [::1]', () => {
  test.each(['http://localhost:3000', 'http://localhost:5173', 'http://127.0.0.1:8080', 'http://[::1]:4321', 'http://localhost'])(
    'preflight from %s: 204 with the origin echoed, the needed headers allowed, no credentials',
    async (origin) => {
      const response = await preflight(development, origin);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      const allowed = response.headers.get('access-control-allow-headers')!.split(',');
      expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'apollo-require-preflight']));
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      expect(response.headers.get('vary')).toMatch(/origin/i);
    },
  );

  test.each(['https://localhost:3000', 'http://localhost.evil.example', 'http://evil.example', 'http://localhost:3000.evil.example', 'null'])(
    'preflight from %s: refused with 403 CORS_ORIGIN_NOT_ALLOWED and no CORS headers',
    async (origin) => {
      const response = await preflight(development, origin);
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(await response.json()).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'CORS_ORIGIN_NOT_ALLOWED' } }] });
    },
  );

  test('the actual request from an allowed origin is answered with the origin and the readable headers', async () => {
    const response = await post(development, 'http://localhost:3000');
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(response.headers.get('access-control-expose-headers')).toContain('retry-after');
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  test('from another origin it gets no CORS headers, so a browser keeps the answer from the page', async () => {
    const response = await post(development, 'http://evil.example');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    // Still marked as depending on Origin, so no shared cache serves it to an allowed page (or the reverse).
    expect(response.headers.get('vary')).toMatch(/origin/i);
  });

  test("Apollo's CSRF prevention stays on: a simple (no-preflight) POST from an allowed origin is refused", async () => {
    const response = await post(development, 'http://localhost:3000', 'text/plain');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { message: string }[] }).errors[0].message).toContain('Cross-Site Request Forgery');
  });
});

test('production allows no origin by default', async () => {
  for (const origin of ['http://localhost:3000', 'https://shop.example']) {
    const response = await preflight(production, origin);
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  }
});

test('GATEWAY_CORS_ORIGINS lists origins exactly: same scheme, host and port only', async () => {
  for (const origin of ['https://shop.example', 'https://admin.shop.example:8443']) {
    const response = await preflight(listed, origin);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
  }
  for (const origin of ['http://shop.example', 'https://shop.example:8443', 'https://admin.shop.example', 'https://evil.shop.example', 'http://localhost:3000']) {
    expect((await preflight(listed, origin)).status).toBe(403);
  }
});
