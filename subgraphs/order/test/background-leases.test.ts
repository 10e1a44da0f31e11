import { randomUUID } from 'node:crypto';
import { AddToCartDocument, ProductsDocument, SetStockDocument } from '@storefront/client';
import { CART_API } from '@storefront/contracts';
import { seedCatalog } from '@storefront/catalog';
import { LeaseSchema } from '@storefront/service-kit';
import { ADMIN, checkoutIdOf, eventually, startRouteGate, startShopStack, testContext, type Caller, type RouteGate, type ShopStack } from '@storefront/testing';
import { CheckoutSchema, OutboxSchema } from '../src/entities';
import { createOrderServer, type OrderServer } from '../src/server';

/**
 * Two order replicas on one database, as the cluster runs them: recovery and the outbox relay take a
 * lease per item, so each checkout and each outbox row is worked by one replica at a time. The second
 * replica is a whole order server built from the first one's configuration (same database, same peers).
 * The replicas reach the cart through a gate that holds the first replica's call while the other one
 * runs the same background pass: without the lease the other one would make the same call at once.
 */
const COMPLETE = `/internal${CART_API.completeCheckout.path}`;
const CLAIM = `/internal${CART_API.claimForCheckout.path}`;

let gate: RouteGate;
let stack: ShopStack;
let replicas: [OrderServer, OrderServer];
let variantId: string;

beforeAll(async () => {
  gate = await startRouteGate();
  stack = await startShopStack({ order: { CART_URL: gate.url } });
  gate.target = stack.cart.url;
  const second = await createOrderServer(stack.order.config);
  await second.listen(0, '127.0.0.1');
  replicas = [stack.order.server, second];
  await seedCatalog(stack.catalog.server.database, 1);
  variantId = (await stack.run(ProductsDocument, { first: 1 })).data!.products.edges[0].node.variants[0].id;
  await stack.run(SetStockDocument, { variantId, stock: 50 }, ADMIN);
});
afterAll(async () => {
  await replicas?.[1].stop();
  await stack?.stop();
  await gate?.stop();
});

/** The replica holding lease `name` now, and the other one. */
async function byLease(name: string): Promise<{ holder: OrderServer; other: OrderServer }> {
  const lease = await eventually(() => replicas[0].database.manager.findOne(LeaseSchema, { where: { name } }).then((row) => row ?? undefined));
  const holder = replicas.find((r) => r.leases.holder === lease.holder);
  if (!holder) throw new Error(`lease ${name} is held by ${lease.holder}, neither replica`);
  return { holder, other: replicas.find((r) => r !== holder)! };
}

test('an outbox row is delivered by one replica: the other, running its relay meanwhile, leaves it alone', async () => {
  const shopper: Caller = { userId: 'lease-outbox' };
  expect((await stack.run(AddToCartDocument, { variantId, quantity: 1 }, shopper)).data?.addToCart.userErrors).toEqual([]);
  gate.holdNext(COMPLETE);
  const key = randomUUID();
  const checkout = replicas[0].checkouts.checkout(testContext(replicas[0].database, shopper.userId), shopper.userId, key);
  await gate.holding(COMPLETE);
  const checkoutId = await checkoutIdOf(replicas[0], shopper.userId, key);
  const [row] = await replicas[0].database.manager.find(OutboxSchema, { where: { checkoutId, topic: 'cart.complete' } });

  const { other } = await byLease(`outbox:${row.id}`);
  await other.relay.run();
  await other.relay.run();
  // a second delivery would have passed the gate (only the first is held) and been counted
  expect(gate.forwarded(COMPLETE)).toBe(0);

  gate.release(COMPLETE);
  expect((await checkout).ok).toBe(true);
  await eventually(async () => ((await replicas[0].database.manager.findOneBy(OutboxSchema, { id: row.id }))?.doneAt ? true : undefined));
  await Promise.all(replicas.map((r) => r.relay.run()));
  expect(gate.forwarded(COMPLETE)).toBe(1);
  expect(await replicas[0].database.manager.findOneBy(LeaseSchema, { name: `outbox:${row.id}` })).toBeNull();
});

test('an unfinished checkout is recovered by one replica: the other, recovering meanwhile, skips it', async () => {
  const db = replicas[0].database;
  const longAgo = new Date(Date.now() - 3_600_000);
  const checkoutId = randomUUID();
  // A checkout a crashed replica left right after recording it: started, idle for an hour.
  await db.manager.insert(CheckoutSchema, {
    id: checkoutId,
    userId: 'lease-recovery',
    idempotencyKey: randomUUID(),
    status: 'started',
    items: null,
    reserved: null,
    orderId: null,
    failure: null,
    requestId: 'lease-recovery-request',
    createdAt: longAgo,
    updatedAt: longAgo,
  });
  const claims = () => gate.forwarded(CLAIM) - claimsBefore;
  const claimsBefore = gate.forwarded(CLAIM); // the first test's checkout claimed too
  gate.holdNext(CLAIM);
  const first = replicas[0].checkouts.recover();
  await gate.holding(CLAIM);
  expect((await byLease(`checkout:${checkoutId}`)).holder).toBe(replicas[0]);

  await replicas[1].checkouts.recover();
  expect(claims()).toBe(0);
  expect((await db.manager.findOneBy(CheckoutSchema, { id: checkoutId }))?.status).toBe('started');

  gate.release(CLAIM);
  await first;
  // It claimed nothing and was idle past the abandon time: given up, once.
  expect((await db.manager.findOneBy(CheckoutSchema, { id: checkoutId }))?.status).toBe('abandoned');
  expect(claims()).toBe(1);
  await replicas[1].checkouts.recover();
  expect(claims()).toBe(1);
});
