import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HEADERS, InternalCallError } from '@storefront/service-kit';
import { CartClient, CatalogClient, LOOKUP_LIMIT } from '../src';

/**
 * The clients parse every answer with the contract's response schema. The peer here is a stand-in
 * that answers whatever a test sets, as a service on another release (or a broken one) might.
 */
let server: Server;
let url: string;
let answer: unknown;
const received: { path: string; body: unknown; requestId: unknown; retrySafe: unknown }[] = [];
const TEST_CALLER = { requestId: 'contract-test-1' };

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(text), requestId: req.headers[HEADERS.requestId], retrySafe: req.headers[HEADERS.retrySafe] });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => (received.length = 0));

const variant = {
  id: 'v1',
  productId: 'p1',
  productName: 'Tee',
  sku: 'TEE-1',
  kind: 'TSHIRT',
  attributes: { size: 'M', color: 'red' },
  price: { amount: 1999, currencyCode: 'USD' },
  stock: 3,
  available: true,
};

test('an answer the contract allows is returned as parsed', async () => {
  answer = { variants: [variant] };
  expect(await new CatalogClient(url, 'secret').lookupVariants(TEST_CALLER, ['v1'])).toEqual([variant]);
  answer = { state: 'claimed', cartId: 'c1', version: 3, lines: [{ variantId: 'v1', quantity: 2 }] };
  expect(await new CartClient(url, 'secret').claimForCheckout(TEST_CALLER, 'u1', 'co-1')).toEqual(answer);
  expect(received.map((r) => r.path)).toEqual(['/internal/variants/lookup', '/internal/checkout/claim']);
  // the caller's request id goes with every call, so the peer's log lines join the same request
  expect(received.map((r) => r.requestId)).toEqual([TEST_CALLER.requestId, TEST_CALLER.requestId]);
  // both are declared safe to send again (a read; a claim applied once per checkoutId)
  expect(received.map((r) => r.retrySafe)).toEqual(['1', '1']);
});


test.each([
  ['a price that is not integer minor units', { variants: [{ ...variant, price: { amount: 19.99, currencyCode: 'USD' } }] }, /variants\.0\.price\.amount/],
  ['a missing field', { variants: [{ ...variant, available: undefined }] }, /variants\.0\.available/],
  ['not the expected shape at all', { products: [] }, /variants/],
])('a lookup answered with %s fails at the call, naming the field', async (_, body, field) => {
  answer = body;
  const failure = await new CatalogClient(url, 'secret').lookupVariants(TEST_CALLER, ['v1']).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(InternalCallError);
  expect((failure as Error).message).toMatch(/^POST \/variants\/lookup answered outside its contract: /);
  expect((failure as Error).message).toMatch(field);
});

test('a claim answered with a state the contract does not know fails at the call', async () => {
  answer = { state: 'stolen' };
  await expect(new CartClient(url, 'secret').claimForCheckout(TEST_CALLER, 'u1', 'co-1')).rejects.toThrow(/\/checkout\/claim answered outside its contract/);
  answer = { state: 'claimed', cartId: 'c1', version: 1, lines: [{ variantId: 'v1', quantity: 0 }] };
  await expect(new CartClient(url, 'secret').claimForCheckout(TEST_CALLER, 'u1', 'co-1')).rejects.toThrow(/lines\.0\.quantity/);
});

test(`a lookup of more than ${LOOKUP_LIMIT} ids goes out in requests the contract allows`, async () => {
  answer = { variants: [] };
  const ids = Array.from({ length: LOOKUP_LIMIT * 2 + 1 }, (_, i) => `v${i}`);
  await new CatalogClient(url, 'secret').lookupVariants(TEST_CALLER, ids);
  expect(received.map((r) => (r.body as { ids: string[] }).ids.length)).toEqual([LOOKUP_LIMIT, LOOKUP_LIMIT, 1]);
});
