import { randomUUID } from 'node:crypto';
import { AddToCartDocument, CheckoutDocument, MyCartDocument, ProductsDocument, SetStockDocument } from '@storefront/client';
import { CART_API } from '@storefront/contracts';
import { ADMIN, checkoutIdOf, startRouteGate, startShopStack, type Caller, type RouteGate, type ShopStack } from '@storefront/testing';
import { seedCatalog } from '@storefront/catalog';
import { IsNull } from 'typeorm';
import { OutboxSchema, type OutboxEntity } from '../src/entities';

/**
 * The outbox that tells the cart what a checkout did (empty the ordered lines, or release the cart).
 * The order service reaches the cart through a gate the test controls: the cart's complete or release
 * route answers 503 while the rest of the cart works, so checkout itself (the claim) goes through and
 * only the delivery fails. Redelivery is triggered explicitly, after moving the row's next attempt to
 * now: no waiting on backoff. The service's own 1 s relay timer may also retry meanwhile, which changes
 * how many attempts a row records, not what the test requires.
 */

const COMPLETE = `/internal${CART_API.completeCheckout.path}`;
const RELEASE = `/internal${CART_API.releaseCheckout.path}`;

let gate: RouteGate;
let stack: ShopStack;
let variantId: string;

beforeAll(async () => {
  gate = await startRouteGate();
  stack = await startShopStack({ order: { CART_URL: gate.url } });
  gate.target = stack.cart.url;
  await seedCatalog(stack.catalog.server.database, 2);
  const page = await stack.run(ProductsDocument, { first: 1 });
  variantId = page.data!.products.edges[0].node.variants[0].id;
  await stack.run(SetStockDocument, { variantId, stock: 100 }, ADMIN);
});
afterAll(async () => {
  await stack?.stop();
  await gate?.stop();
});
afterEach(() => {
  gate.pass(COMPLETE);
  gate.pass(RELEASE);
});

async function add(caller: Caller, quantity: number) {
  const added = await stack.run(AddToCartDocument, { variantId, quantity }, caller);
  expect(added.data?.addToCart.userErrors).toEqual([]);
}

const cartLines = async (caller: Caller) =>
  (await stack.run(MyCartDocument, {}, caller)).data!.me!.cart.lines.map((l) => [l.variant.id, l.quantity]);


const outboxRow = (checkoutId: string): Promise<OutboxEntity> =>
  stack.order.server.database.manager.findOneByOrFail(OutboxSchema, { checkoutId });

/** The cart's record of the checkout ('claimed', 'completed', 'released') and whether the cart is still held by it. */
async function cartSide(checkoutId: string): Promise<{ status: string | undefined; held: boolean }> {
  const { dataSource } = stack.cart.server.database;
  const [record] = (await dataSource.query('SELECT status FROM cart_checkout WHERE checkout_id = ?', [checkoutId])) as { status: string }[];
  const holding = (await dataSource.query('SELECT id FROM cart WHERE checkout_id = ?', [checkoutId])) as unknown[];
  return { status: record?.status, held: holding.length > 0 };
}

/** Redelivers what is pending now, as the relay's timer would once the backoff is over. */
async function redeliverNow(): Promise<void> {
  await stack.order.server.database.manager.update(OutboxSchema, { doneAt: IsNull() }, { nextAttemptAt: new Date(0) });
  await stack.order.server.relay.run();
}

test('the cart unreachable when an order is placed: the outbox row records the failure, and is delivered once the cart is back', async () => {
  const shopper: Caller = { userId: 'outbox-complete' };
  await add(shopper, 2);
  gate.fail(COMPLETE);

  const key = randomUUID();
  const placed = await stack.run(CheckoutDocument, { input: { idempotencyKey: key } }, shopper);
  // The order stands: emptying the cart is the outbox's job, not a condition of the order.
  expect(placed.data?.checkout.userErrors).toEqual([]);
  expect(placed.data!.checkout.order!.totalQuantity).toBe(2);
  const checkoutId = await checkoutIdOf(stack.order.server, shopper.userId, key);

  const failed = await outboxRow(checkoutId);
  expect(failed).toMatchObject({ topic: 'cart.complete', doneAt: null });
  expect(failed.attempts).toBeGreaterThanOrEqual(1);
  expect(failed.lastError).toMatch(/503/);
  expect(failed.nextAttemptAt.getTime()).toBeGreaterThan(failed.createdAt.getTime());
  expect(await cartSide(checkoutId)).toEqual({ status: 'claimed', held: true });
  expect(await cartLines(shopper)).toEqual([[variantId, 2]]);

  // Still down: another attempt fails and is counted, nothing is lost.
  await redeliverNow();
  expect((await outboxRow(checkoutId)).attempts).toBeGreaterThan(failed.attempts);

  gate.pass(COMPLETE);
  await redeliverNow();
  const delivered = await outboxRow(checkoutId);
  expect(delivered.doneAt).toBeInstanceOf(Date);
  expect(await cartSide(checkoutId)).toEqual({ status: 'completed', held: false });
  expect(await cartLines(shopper)).toEqual([]);
});

test('a refused checkout releases the cart through the outbox, also when the release first fails', async () => {
  const shopper: Caller = { userId: 'outbox-release' };
  await add(shopper, 2);
  // Sold down meanwhile: the checkout is refused at reservation, after it claimed the cart.
  await stack.run(SetStockDocument, { variantId, stock: 1 }, ADMIN);
  gate.fail(RELEASE);

  const key = randomUUID();
  const refused = await stack.run(CheckoutDocument, { input: { idempotencyKey: key } }, shopper);
  expect(refused.data?.checkout.userErrors.map((e) => e.code)).toEqual(['INSUFFICIENT_STOCK']);
  const checkoutId = await checkoutIdOf(stack.order.server, shopper.userId, key);
  const failed = await outboxRow(checkoutId);
  expect(failed).toMatchObject({ topic: 'cart.release', doneAt: null });
  expect(failed.attempts).toBeGreaterThanOrEqual(1);
  expect(failed.lastError).toMatch(/503/);
  expect(await cartSide(checkoutId)).toEqual({ status: 'claimed', held: true });

  gate.pass(RELEASE);
  await redeliverNow();
  expect((await outboxRow(checkoutId)).doneAt).toBeInstanceOf(Date);
  expect(await cartSide(checkoutId)).toEqual({ status: 'released', held: false });
  // Released, not emptied: the shopper's lines stay.
  expect(await cartLines(shopper)).toEqual([[variantId, 2]]);
  await stack.run(SetStockDocument, { variantId, stock: 100 }, ADMIN);
});

test('a delivered row is delivered once: later relay runs do not call the cart for it again', async () => {
  const shopper: Caller = { userId: 'outbox-once' };
  await add(shopper, 1);
  const before = gate.forwarded(COMPLETE);
  const placed = await stack.run(CheckoutDocument, { input: { idempotencyKey: randomUUID() } }, shopper);
  expect(placed.data?.checkout.userErrors).toEqual([]);
  expect(gate.forwarded(COMPLETE)).toBe(before + 1);

  await redeliverNow();
  await redeliverNow();
  expect(gate.forwarded(COMPLETE)).toBe(before + 1);
});
