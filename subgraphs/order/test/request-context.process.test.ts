import { randomUUID } from 'node:crypto';
import { AddToCartDocument, CheckoutDocument, CreateProductDocument, execute, MyCartDocument } from '@storefront/client';
import { eventually, logRecords, startShopProcesses, tailOf, type ServiceProcess, type ShopProcesses } from '@storefront/testing';
import type { CheckoutStep } from '../src/services/fault-injection';

/**
 * The service context survives a crash: a checkout's side effects stay traceable to the request that
 * caused them. The order service is killed mid-checkout (after the reservation is saved: recovery must
 * place the order; after the order and its outbox row commit: only the relay is left), then restarted
 * without the fault. Nobody retries. The restarted process's recovery and relay log under the request
 * id the client sent, and the cart sees the cart-clearing call under that id too — ids a new process
 * can only have read from the checkout and outbox rows.
 */

let shop: ShopProcesses;
let variantId: string;

beforeAll(async () => {
  shop = await startShopProcesses();
  const admin = await shop.token('context-admin', { admin: true });
  const created = await shop.run(
    CreateProductDocument,
    {
      input: {
        name: 'Context Tee',
        kind: 'TSHIRT',
        price: { amount: 1500, currencyCode: 'USD' },
        variants: [{ sku: 'CONTEXT-TEE-M', stock: 50, attributes: { tshirt: { size: 'M', color: 'grey' } } }],
      },
    },
    admin,
  );
  expect(created.data?.createProduct.userErrors).toEqual([]);
  variantId = created.data!.createProduct.product!.variants[0].id;
}, 300_000);

afterAll(() => shop?.stop(), 120_000);

/** What `service` logged about `checkoutId`, and under which request ids. */
function aboutCheckout(service: ServiceProcess, checkoutId: string) {
  return logRecords(service).filter((r) => r.checkoutId === checkoutId);
}

test.each<[CheckoutStep, string[]]>([
  ['reservation-saved', ['recovered checkout', 'outbox row delivered']],
  ['order-placed', ['outbox row delivered']],
])('killed at %s: after the restart, recovery and the relay work under the original request id', async (step, expectedMessages) => {
  const token = await shop.token(`context-shopper-${step}`);
  const added = await shop.run(AddToCartDocument, { variantId, quantity: 2 }, token);
  expect(added.data?.addToCart.userErrors).toEqual([]);

  const armed = await shop.restart('order', { ORDER_FAULT_AT: step });
  const requestId = `checkout-${step}-${randomUUID()}`;
  const answer = await execute(shop.url, CheckoutDocument, { input: { idempotencyKey: randomUUID() } }, { token, headers: { 'x-request-id': requestId } });
  expect(answer.data?.checkout ?? null).toBeNull(); // the process died under the request
  expect(await armed.exited).toBe('SIGKILL');

  const cart = shop.process('cart');
  const cartLogLength = cart.output().length;
  const recovered = await shop.restart('order');
  const delivered = await eventually(
    async () => logRecords(recovered).find((r) => r.msg === 'outbox row delivered' && r.topic === 'cart.complete'),
    { timeoutMs: 60_000, what: 'the relay to empty the cart', describe: () => tailOf(recovered) },
  );
  const checkoutId = String(delivered.checkoutId);
  const cartAfter = await shop.run(MyCartDocument, {}, token);
  expect(cartAfter.data?.me?.cart.lines).toEqual([]);

  // Every line the restarted process wrote about this checkout carries the client's request id.
  const lines = await eventually(
    async () => {
      const found = aboutCheckout(recovered, checkoutId);
      return found.length >= expectedMessages.length ? found : undefined;
    },
    { what: 'the recovery log lines', describe: () => tailOf(recovered) },
  );
  expect(lines.map((r) => r.msg).sort()).toEqual([...expectedMessages].sort());
  expect(new Set(lines.map((r) => r.requestId))).toEqual(new Set([requestId]));

  // The cart received the cart-clearing call (after the restart) under the same id.
  const cartCalls = cart
    .output()
    .slice(cartLogLength)
    .split('\n')
    .filter((line) => line.includes('/checkout/complete'))
    .map((line) => JSON.parse(line) as { req: { id: string } });
  expect(cartCalls.map((call) => call.req.id)).toEqual([requestId]);
}, 240_000);
