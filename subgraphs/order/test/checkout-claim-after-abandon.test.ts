import { randomUUID } from 'node:crypto';
import { AddToCartDocument, MyCartDocument, MyOrdersDocument, ProductsDocument, SetStockDocument } from '@storefront/client';
import { CART_API, CartClient } from '@storefront/contracts';
import { ADMIN, checkoutIdOf, startRouteGate, startShopStack, testContext, type Caller, type RouteGate, type ShopStack, TEST_CALLER } from '@storefront/testing';
import { seedCatalog } from '@storefront/catalog';
import { CheckoutSchema } from '../src/entities';

/**
 * A shopper's claim still on its way to the cart while recovery gives the attempt up (it claimed
 * nothing and was idle past the abandon time): the cart, told by the release, answers the late claim
 * `released`, and the shopper's request ends CHECKOUT_ABANDONED with nothing ordered or held. The
 * order service reaches the cart through a gate that holds exactly that claim while the test acts.
 */
const CLAIM = `/internal${CART_API.claimForCheckout.path}`;

let gate: RouteGate;
let stack: ShopStack;

beforeAll(async () => {
  gate = await startRouteGate();
  stack = await startShopStack({ order: { CART_URL: gate.url } });
  gate.target = stack.cart.url;
});
afterAll(async () => {
  await stack?.stop();
  await gate?.stop();
});

test('a claim that reaches the cart after recovery abandoned its checkout is told released: the shopper gets CHECKOUT_ABANDONED, nothing ordered or held', async () => {
  await seedCatalog(stack.catalog.server.database, 1);
  const variantId = (await stack.run(ProductsDocument, { first: 1 })).data!.products.edges[0].node.variants[0].id;
  await stack.run(SetStockDocument, { variantId, stock: 5 }, ADMIN);
  const shopper: Caller = { userId: 'claim-after-abandon' };
  expect((await stack.run(AddToCartDocument, { variantId, quantity: 1 }, shopper)).data?.addToCart.userErrors).toEqual([]);
  const server = stack.order.server;

  gate.holdNext(CLAIM);
  const key = randomUUID();
  const request = server.checkouts.checkout(testContext(server.database, shopper.userId), shopper.userId, key);
  await gate.holding(CLAIM);
  // Meanwhile: the attempt looks idle past the abandon time, and recovery gives it up (its own claim,
  // resume-only, passes the gate and finds nothing claimed).
  const checkoutId = await checkoutIdOf(server, shopper.userId, key);
  await server.database.manager.update(CheckoutSchema, { id: checkoutId }, { updatedAt: new Date(Date.now() - 3_600_000) });
  await server.checkouts.recover();
  const client = new CartClient(stack.cart.url, stack.cart.config.secret);
  gate.release(CLAIM);

  const outcome = await request;
  expect(outcome.ok ? 'ordered' : outcome.failure.code).toBe('CHECKOUT_ABANDONED');
  const rows = (await server.database.dataSource.query('SELECT status FROM checkout WHERE id = ?', [checkoutId])) as { status: string }[];
  expect(rows).toEqual([{ status: 'abandoned' }]);
  expect((await stack.run(MyOrdersDocument, {}, shopper)).data!.me!.orders.totalCount).toBe(0);
  // The cart is free and keeps its line: another checkout claims it at once.
  expect(await client.claimForCheckout(TEST_CALLER, shopper.userId, 'co-next')).toMatchObject({ state: 'claimed', lines: [{ variantId, quantity: 1 }] });
  expect((await stack.run(MyCartDocument, {}, shopper)).data!.me!.cart.lines.map((l) => l.quantity)).toEqual([1]);
});
