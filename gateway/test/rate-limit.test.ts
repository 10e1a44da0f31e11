import { startCart, startCatalog, startGateway, tokenFor, type RunningCart, type RunningCatalog, type RunningGateway } from '@storefront/testing';
import { startRecordingProxy, type RecordingProxy } from './helpers';

/**
 * Per-client rate limits through the real gateway, with the real cart subgraph behind a recording proxy:
 * a refused request is a 429 RATE_LIMITED with Retry-After, and no subgraph receives it.
 */
let catalog: RunningCatalog;
let cart: RunningCart;
let proxy: RecordingProxy;
const gateways: RunningGateway[] = [];

beforeAll(async () => {
  catalog = await startCatalog();
  cart = await startCart({ url: catalog.url, secret: catalog.config.secret });
  proxy = await startRecordingProxy(cart.url);
});
afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  await proxy?.stop();
  await cart?.stop();
  await catalog?.stop();
});

async function gatewayWith(env: Record<string, string>): Promise<RunningGateway> {
  const gateway = await startGateway({ cart: { url: proxy.url, secret: cart.config.secret } }, env);
  gateways.push(gateway);
  return gateway;
}

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { data?: unknown; errors?: { message: string; extensions: Record<string, unknown> }[] };
}

async function send(gateway: RunningGateway, query: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Answer['body'] };
}

const CART_QUERY = '{ guestCart(token: "not-a-real-token-0000000000000000") { id } }';

function expectRateLimited(answer: Answer, limit: string, maximum: number) {
  expect(answer.status).toBe(429);
  expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(answer.retryAfter)).toBeLessThanOrEqual(60);
  expect(answer.body.errors).toEqual([
    {
      message: expect.stringContaining('Rate limit exceeded'),
      extensions: { code: 'RATE_LIMITED', limit, maximum, windowSeconds: 60, retryAfterSeconds: Number(answer.retryAfter) },
    },
  ]);
}

test('development and tests: clients on loopback are not limited unless a test turns it on', async () => {
  const gateway = await gatewayWith({ GATEWAY_RATE_LIMIT_REQUESTS: '3', GATEWAY_RATE_LIMIT_SENSITIVE: '2' });
  for (let i = 0; i < 8; i++) expect((await send(gateway, CART_QUERY)).status).toBe(200);
});

test('requests: the client over its budget gets 429 with Retry-After, and no subgraph sees the request', async () => {
  const gateway = await gatewayWith({ GATEWAY_RATE_LIMIT_LOOPBACK: 'true', GATEWAY_RATE_LIMIT_REQUESTS: '3', GATEWAY_RATE_LIMIT_SENSITIVE: '0' });
  for (let i = 0; i < 3; i++) expect((await send(gateway, CART_QUERY)).status).toBe(200);
  const seen = proxy.requests.length;
  const refused = await send(gateway, CART_QUERY);
  expectRateLimited(refused, 'requests', 3);
  expect(proxy.requests.length).toBe(seen);
  // Even a malformed operation or a bad token costs a request: no free guessing.
  expect((await send(gateway, '{ nope')).status).toBe(429);
  expect((await send(gateway, '{ __typename }', { authorization: 'Bearer not.a.token' })).status).toBe(429);
});

test('signed-in users are counted by user id, each on their own budget, apart from anonymous clients', async () => {
  const gateway = await gatewayWith({ GATEWAY_RATE_LIMIT_LOOPBACK: 'true', GATEWAY_RATE_LIMIT_REQUESTS: '2', GATEWAY_RATE_LIMIT_SENSITIVE: '0' });
  const alice = { authorization: `Bearer ${await tokenFor('alice-rl')}` };
  const bob = { authorization: `Bearer ${await tokenFor('bob-rl')}` };
  expect((await send(gateway, '{ __typename }', alice)).status).toBe(200);
  expect((await send(gateway, '{ __typename }', alice)).status).toBe(200);
  expectRateLimited(await send(gateway, '{ __typename }', alice), 'requests', 2);
  // Same address, other user; and the anonymous budget of that address: both untouched.
  expect((await send(gateway, '{ __typename }', bob)).status).toBe(200);
  expect((await send(gateway, '{ __typename }')).status).toBe(200);
  // A fresh token of alice's is still alice.
  expect((await send(gateway, '{ __typename }', { authorization: `Bearer ${await tokenFor('alice-rl')}` })).status).toBe(429);
});

test('sensitive: guest-cart lookups are counted per field, aliases and fragments included, before any subgraph call', async () => {
  const gateway = await gatewayWith({ GATEWAY_RATE_LIMIT_LOOPBACK: 'true', GATEWAY_RATE_LIMIT_REQUESTS: '100', GATEWAY_RATE_LIMIT_SENSITIVE: '5' });
  const guesses = (n: number) =>
    `query { ${Array.from({ length: n }, (_, i) => `g${i}: guestCart(token: "guess-${i}-000000000000000000") { id }`).join(' ')} }`;
  expect((await send(gateway, guesses(3))).status).toBe(200);
  const seen = proxy.requests.length;
  // 3 + 3 > 5: the whole request is refused, not the last two fields.
  expectRateLimited(await send(gateway, guesses(3)), 'sensitive', 5);
  expect(proxy.requests.length).toBe(seen);
  // Many guesses in one request never get through (as many as the alias limit lets one request hold).
  expect((await send(gateway, guesses(12))).status).toBe(429);
  // The same field behind a fragment counts the same.
  expect((await send(gateway, 'query { ...F } fragment F on Query { guestCart(token: "x-000000000000000000000000") { id } }')).status).toBe(429);
  // Catalog reads are not sensitive: the request budget still lets them through.
  expect((await send(gateway, '{ __typename }')).status).toBe(200);
});

test('sensitive: creating guest carts and cart mutations with a guest token are counted too', async () => {
  const gateway = await gatewayWith({ GATEWAY_RATE_LIMIT_LOOPBACK: 'true', GATEWAY_RATE_LIMIT_REQUESTS: '100', GATEWAY_RATE_LIMIT_SENSITIVE: '2' });
  const created = await send(gateway, 'mutation { createGuestCart { guestCartToken } }');
  expect(created.status).toBe(200);
  const token = (created.body.data as { createGuestCart: { guestCartToken: string } }).createGuestCart.guestCartToken;
  expect((await send(gateway, `mutation { clearCart(guestCartToken: "${token}") { cart { id } } }`)).status).toBe(200);
  expectRateLimited(await send(gateway, 'mutation { createGuestCart { guestCartToken } }'), 'sensitive', 2);
});

describe('the client address', () => {
  const forwardedFor = (address: string) => ({ 'x-forwarded-for': address });

  test('X-Forwarded-For is ignored unless the peer is a trusted proxy: a client cannot pick a fresh address', async () => {
    const gateway = await gatewayWith({ GATEWAY_RATE_LIMIT_LOOPBACK: 'true', GATEWAY_RATE_LIMIT_REQUESTS: '2' });
    expect((await send(gateway, '{ __typename }', forwardedFor('203.0.113.1'))).status).toBe(200);
    expect((await send(gateway, '{ __typename }', forwardedFor('203.0.113.2'))).status).toBe(200);
    expect((await send(gateway, '{ __typename }', forwardedFor('203.0.113.3'))).status).toBe(429);
  });

  test('behind a trusted proxy, each forwarded client has its own budget, and is limited even in development', async () => {
    // The test talks to the gateway from 127.0.0.1, which plays the trusted proxy. Loopback exemption is
    // left at its development default (off): it applies to the client's address, not the proxy's.
    const gateway = await gatewayWith({ GATEWAY_TRUSTED_PROXIES: 'loopback', GATEWAY_RATE_LIMIT_REQUESTS: '2' });
    for (let i = 0; i < 2; i++) expect((await send(gateway, '{ __typename }', forwardedFor('203.0.113.7'))).status).toBe(200);
    expectRateLimited(await send(gateway, '{ __typename }', forwardedFor('203.0.113.7')), 'requests', 2);
    expect((await send(gateway, '{ __typename }', forwardedFor('203.0.113.8'))).status).toBe(200);
    // A client that prepends its own forged entry is still counted by the address the proxy saw.
    expect((await send(gateway, '{ __typename }', forwardedFor('198.51.100.1, 203.0.113.7'))).status).toBe(429);
    // IPv6 clients count by /64: a host owns the whole prefix, so rotating addresses inside it gains nothing.
    expect((await send(gateway, '{ __typename }', forwardedFor('2001:db8:1:2::1'))).status).toBe(200);
    expect((await send(gateway, '{ __typename }', forwardedFor('2001:db8:1:2:ffff:ffff:ffff:fffe'))).status).toBe(200);
    expect((await send(gateway, '{ __typename }', forwardedFor('2001:0db8:0001:0002::3'))).status).toBe(429);
    expect((await send(gateway, '{ __typename }', forwardedFor('2001:db8:1:3::1'))).status).toBe(200);
    // Requests straight from the proxy's own loopback address stay exempt in development.
    for (let i = 0; i < 4; i++) expect((await send(gateway, '{ __typename }')).status).toBe(200);
  });
});
