import { randomUUID } from 'node:crypto';
import { AddToCartDocument, CheckoutDocument, MyCartDocument, ProductsDocument, SetStockDocument, VariantDocument } from '@storefront/client';
import { CATALOG_API } from '@storefront/contracts';
import { ADMIN, checkoutIdOf, startRouteGate, startShopStack, testContext, type Caller, type RouteGate, type ShopStack } from '@storefront/testing';
import { seedCatalog } from '@storefront/catalog';
import { CheckoutSchema } from '../src/entities';
import { createOrderServer, type OrderServer } from '../src/server';

/**
 * An order service that starts finds the checkouts a crash left unfinished and finishes them at once,
 * not only when its periodic recovery (every 30 s, for checkouts idle that long) comes round. The crash
 * tests (real processes) wait longer than that period, so they cannot tell the two apart; this one can.
 *
 * The unfinished checkout is made for real: the catalog's reserve route fails (a gate in front of the
 * catalog), so the checkout stops after claiming the cart, in `claimed`, holding it. The order server is
 * then stopped (its timers with it) and a new one started on the same database with the route back.
 */

/** Far below the 30 s period, far above what finishing one checkout takes on a loaded machine. */
const FINISHED_WITHIN_MS = 10_000;
const RESERVE = `/internal${CATALOG_API.reserveStock.path}`;

let gate: RouteGate;
let stack: ShopStack;
let restarted: OrderServer | undefined;
let variantId: string;

beforeAll(async () => {
  gate = await startRouteGate();
  stack = await startShopStack({ order: { CATALOG_URL: gate.url } });
  gate.target = stack.catalog.url;
  await seedCatalog(stack.catalog.server.database, 1);
  variantId = (await stack.run(ProductsDocument, { first: 1 })).data!.products.edges[0].node.variants[0].id;
});
afterAll(async () => {
  await restarted?.stop();
  await stack?.stop();
  await gate?.stop();
});

async function statusOf(server: OrderServer, checkoutId: string): Promise<string> {
  const rows = (await server.database.dataSource.query('SELECT status FROM checkout WHERE id = ?', [checkoutId])) as { status: string }[];
  return rows[0].status;
}

/**
 * A checkout stopped after claiming the cart: the catalog's reserve route fails while it runs, so it
 * stays `claimed`, holding the cart.
 */
async function claimedCheckout(server: OrderServer, shopper: Caller, quantity: number): Promise<string> {
  expect((await stack.run(AddToCartDocument, { variantId, quantity }, shopper)).data?.addToCart.userErrors).toEqual([]);
  gate.fail(RESERVE);
  const key = randomUUID();
  await expect(server.checkouts.checkout(testContext(server.database, shopper.userId), shopper.userId, key)).rejects.toThrow(/answered 503/);
  gate.pass(RESERVE);
  const checkoutId = await checkoutIdOf(server, shopper.userId, key);
  expect(await statusOf(server, checkoutId)).toBe('claimed');
  return checkoutId;
}

test('a checkout left unfinished is finished by the next order server as it starts, well before the periodic recovery', async () => {
  await stack.run(SetStockDocument, { variantId, stock: 10 }, ADMIN);
  const shopper: Caller = { userId: 'recovered-at-start' };
  expect((await stack.run(AddToCartDocument, { variantId, quantity: 3 }, shopper)).data?.addToCart.userErrors).toEqual([]);

  gate.fail(RESERVE);
  const key = randomUUID();
  const failed = await stack.run(CheckoutDocument, { input: { idempotencyKey: key } }, shopper);
  expect(failed.data?.checkout.order ?? null).toBeNull();
  const first = stack.order.server;
  const [{ id: checkoutId }] = (await first.database.dataSource.query('SELECT id FROM checkout WHERE idempotency_key = ?', [key])) as { id: string }[];
  expect(await statusOf(first, checkoutId)).toBe('claimed');
  await first.stop();
  gate.pass(RESERVE);

  const startedAt = Date.now();
  restarted = await createOrderServer(stack.order.config);
  while ((await statusOf(restarted, checkoutId)) !== 'completed' && Date.now() - startedAt < FINISHED_WITHIN_MS) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(await statusOf(restarted, checkoutId)).toBe('completed');

  // Finished as the shopper's own request would have: the stock taken, the cart emptied, one order.
  expect((await stack.run(VariantDocument, { id: variantId })).data!.variant!.stock).toBe(7);
  expect((await stack.run(MyCartDocument, {}, shopper)).data!.me!.cart.lines).toEqual([]);
  const orders = (await restarted.database.dataSource.query('SELECT total_quantity FROM orders WHERE user_id = ?', [shopper.userId])) as {
    total_quantity: number;
  }[];
  expect(orders.map((o) => Number(o.total_quantity))).toEqual([3]);
});

test('periodic recovery leaves a checkout active within its idle time to whoever drives it, and finishes it once idle that long', async () => {
  // After the test above the stack's own order server is stopped; alone, this test uses it.
  const server = restarted ?? stack.order.server;
  await stack.run(SetStockDocument, { variantId, stock: 10 }, ADMIN);
  const checkoutId = await claimedCheckout(server, { userId: 'recovered-when-idle' }, 2);

  // Moved a moment ago: a request or another replica may be driving it, so a run for checkouts idle a
  // minute leaves it alone.
  await server.checkouts.recover(60_000);
  expect(await statusOf(server, checkoutId)).toBe('claimed');
  expect((await stack.run(VariantDocument, { id: variantId })).data!.variant!.stock).toBe(10);

  // Idle two minutes (as if they had passed): the same run finishes it.
  await server.database.manager.update(CheckoutSchema, { id: checkoutId }, { updatedAt: new Date(Date.now() - 120_000) });
  await server.checkouts.recover(60_000);
  expect(await statusOf(server, checkoutId)).toBe('completed');
  expect((await stack.run(VariantDocument, { id: variantId })).data!.variant!.stock).toBe(8);
});

test('recovery finishes a claimed checkout even behind more than a batch of older started ones', async () => {
  const server = restarted ?? stack.order.server;
  await stack.run(SetStockDocument, { variantId, stock: 10 }, ADMIN);
  // 120 attempts recorded a moment ago that claimed nothing (a cart outage leaves such): more than one
  // batch of 100, all older than the claimed checkout below, and none of them idle long enough to abandon.
  const earlier = new Date(Date.now() - 1_000);
  await server.database.manager.insert(
    CheckoutSchema,
    Array.from({ length: 120 }, (_, i) => ({
      id: randomUUID(),
      userId: `crowd-${i}`,
      idempotencyKey: 'crowd',
      status: 'started' as const,
      items: null,
      reserved: null,
      orderId: null,
      failure: null,
      createdAt: earlier,
      updatedAt: earlier,
    })),
  );
  const checkoutId = await claimedCheckout(server, { userId: 'behind-the-crowd' }, 1);

  await server.checkouts.recover();
  expect(await statusOf(server, checkoutId)).toBe('completed');
  const started = (await server.database.dataSource.query("SELECT COUNT(*) AS n FROM checkout WHERE user_id LIKE 'crowd-%' AND status = 'started'")) as { n: unknown }[];
  expect(Number(started[0].n)).toBe(120);
});
