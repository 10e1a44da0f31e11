import { createServer, connect, type Server, type Socket } from 'node:net';
import {
  AddToCartDocument,
  CheckoutDocument,
  MyCartDocument,
  MyOrdersDocument,
  ProductsDocument,
  SetStockDocument,
  VariantDocument,
} from '@storefront/client';
import { CartClient } from '@storefront/contracts';
import { ADMIN, checkoutIdOf, freePort, startShopStack, type Caller, type ShopStack, TEST_CALLER } from '@storefront/testing';
import { seedCatalog } from '@storefront/catalog';

/**
 * "A failed checkout orders later, with items the user added afterwards." The order service reaches the
 * cart through a TCP relay the test controls, so the cart can be made unreachable for it (connections
 * refused) or made to lose its answer after acting (the connection cut as the answer starts), at
 * exactly the step under test. Recovery is triggered explicitly, and "idle past the abandon time" is
 * forced by moving the checkout's last activity back in its database: no timing luck.
 */

/** A TCP relay in front of the cart: `down()` refuses connections, `loseAnswers()` cuts them once the cart answers. */
class CartLink {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private mode: 'pass' | 'lose-answers' = 'pass';
  target = 0;

  constructor(readonly port: number) {}

  async up(): Promise<void> {
    this.mode = 'pass';
    if (this.server) return;
    const server = createServer((client) => {
      const upstream = connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream);
      upstream.on('data', (chunk) => {
        if (this.mode === 'lose-answers') {
          // The cart acted and answered; the order service never hears it.
          client.destroy();
          upstream.destroy();
          return;
        }
        client.write(chunk);
      });
      upstream.on('end', () => client.end());
      client.on('close', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  loseAnswers(): void {
    this.mode = 'lose-answers';
  }
}

const ABANDON_AFTER_SECONDS = 60;

let stack: ShopStack;
let link: CartLink;
let variantIds: string[];

beforeAll(async () => {
  link = new CartLink(await freePort());
  await link.up();
  stack = await startShopStack({
    order: { CART_URL: `http://127.0.0.1:${link.port}/graphql`, ORDER_CHECKOUT_ABANDON_AFTER_SECONDS: String(ABANDON_AFTER_SECONDS) },
  });
  link.target = Number(new URL(stack.cart.url).port);
  await seedCatalog(stack.catalog.server.database, 4);
  const page = await stack.run(ProductsDocument, { first: 4 });
  variantIds = page.data!.products.edges.flatMap((e) => e.node.variants.map((v) => v.id)).slice(0, 3);
  for (const variantId of variantIds) await stack.run(SetStockDocument, { variantId, stock: 50 }, ADMIN);
});
afterAll(async () => {
  await stack?.stop();
  await link?.down();
});
afterEach(() => link.up());

async function add(caller: Caller, variantId: string, quantity: number) {
  const added = await stack.run(AddToCartDocument, { variantId, quantity }, caller);
  expect(added.data?.addToCart.userErrors).toEqual([]);
}
const checkout = (caller: Caller, idempotencyKey: string) => stack.run(CheckoutDocument, { input: { idempotencyKey } }, caller);
const orders = async (caller: Caller) => (await stack.run(MyOrdersDocument, { first: 10 }, caller)).data!.me!.orders.edges.map((e) => e.node);
const cartLines = async (caller: Caller) =>
  (await stack.run(MyCartDocument, {}, caller)).data!.me!.cart.lines.map((l) => [l.variant.id, l.quantity] as [string, number]);
const stockOf = async (variantId: string) => (await stack.run(VariantDocument, { id: variantId })).data!.variant!.stock;

async function statusOf(caller: Caller, key: string): Promise<string> {
  const rows = (await stack.order.server.database.dataSource.query('SELECT status FROM checkout WHERE user_id = ? AND idempotency_key = ?', [
    caller.userId,
    key,
  ])) as { status: string }[];
  return rows[0]?.status;
}


/** The checkout's outbox rows: what it asked of the cart, and whether the cart has it. */
async function outboxOf(checkoutId: string): Promise<{ topic: string; delivered: boolean }[]> {
  const rows = (await stack.order.server.database.dataSource.query('SELECT topic, done_at FROM outbox WHERE checkout_id = ?', [checkoutId])) as {
    topic: string;
    done_at: unknown;
  }[];
  return rows.map((r) => ({ topic: r.topic, delivered: r.done_at !== null }));
}

/** Moves the checkout's last activity back past the abandon time, as if that much time had gone by. */
async function ageCheckout(caller: Caller, key: string) {
  const past = new Date(Date.now() - (ABANDON_AFTER_SECONDS + 5) * 1_000);
  await stack.order.server.database.dataSource
    .createQueryBuilder()
    .update('checkout')
    .set({ updatedAt: past })
    .where('user_id = :user AND idempotency_key = :key', { user: caller.userId, key })
    .execute();
}

test('the reported sequence: k1 fails with the cart down, k2 orders, new items stay; k1 never orders them and ends CHECKOUT_ABANDONED', async () => {
  const user: Caller = { userId: 'abandon-reported' };
  const [a, b] = variantIds;
  await add(user, a, 2);

  await link.down();
  const failed = await checkout(user, 'k1');
  expect(failed.errors?.length ?? failed.data?.checkout.userErrors.length).toBeGreaterThan(0);
  expect(failed.data?.checkout.order ?? null).toBeNull();
  expect(await statusOf(user, 'k1')).toBe('started');
  await link.up();

  const placed = await checkout(user, 'k2');
  expect(placed.data?.checkout.userErrors).toEqual([]);
  const k2Order = placed.data!.checkout.order!;
  await add(user, b, 3);
  const stockOfB = await stockOf(b);

  // Recovery before the abandon time: k1 claimed nothing, so it is left alone, not driven to a claim.
  await stack.order.server.checkouts.recover();
  expect(await statusOf(user, 'k1')).toBe('started');
  // Past it: abandoned, and it ordered nothing.
  await ageCheckout(user, 'k1');
  await stack.order.server.checkouts.recover();
  expect(await statusOf(user, 'k1')).toBe('abandoned');
  // Given up through the outbox: the cart records k1 as released, so a claim of it still on its way
  // (the one sent while the cart was unreachable) can never hold the cart.
  const k1 = await checkoutIdOf(stack.order.server, user.userId, 'k1');
  expect(await outboxOf(k1)).toEqual([{ topic: 'cart.release', delivered: true }]);
  expect(await new CartClient(stack.cart.url, stack.cart.config.secret).claimForCheckout(TEST_CALLER, user.userId, k1)).toEqual({ state: 'released' });

  expect((await orders(user)).map((o) => o.id)).toEqual([k2Order.id]);
  expect(await cartLines(user)).toEqual([[b, 3]]);
  expect(await stockOf(b)).toBe(stockOfB);

  // The key answers the typed signal from now on, and still orders nothing.
  const retried = await checkout(user, 'k1');
  expect(retried.errors).toBeUndefined();
  expect(retried.data?.checkout.userErrors.map((e) => [e.code, e.field])).toEqual([['CHECKOUT_ABANDONED', ['input', 'idempotencyKey']]]);
  expect(retried.data?.checkout.userErrors[0].message).toMatch(/abandoned; check out again with a new idempotency key/);
  expect(retried.data?.checkout.order).toBeNull();
  expect((await orders(user)).map((o) => o.id)).toEqual([k2Order.id]);
  expect(await cartLines(user)).toEqual([[b, 3]]);
  // The abandoned attempt holds no cart: a new key checks out what is there now.
  const next = await checkout(user, 'k3');
  expect(next.data?.checkout.userErrors).toEqual([]);
  expect(next.data!.checkout.order!.lines.map((l) => l.quantity)).toEqual([3]);
});

test('a retry with the same key past the abandon time is abandoned then and there, its release delivered before it answers', async () => {
  const user: Caller = { userId: 'abandon-on-retry' };
  await add(user, variantIds[0], 1);
  await link.down();
  expect((await checkout(user, 'late-retry')).data?.checkout.order ?? null).toBeNull();
  await link.up();
  await ageCheckout(user, 'late-retry');

  const retried = await checkout(user, 'late-retry');
  expect(retried.data?.checkout.userErrors.map((e) => e.code)).toEqual(['CHECKOUT_ABANDONED']);
  // Delivered by the request itself, not left for the relay's next round.
  expect(await outboxOf(await checkoutIdOf(stack.order.server, user.userId, 'late-retry'))).toEqual([{ topic: 'cart.release', delivered: true }]);
  expect(await cartLines(user)).toEqual([[variantIds[0], 1]]);
});

test('a retry with the same key within the abandon time resumes the attempt', async () => {
  const user: Caller = { userId: 'abandon-resume' };
  await add(user, variantIds[0], 1);
  await link.down();
  const failed = await checkout(user, 'r1');
  expect(failed.data?.checkout.order ?? null).toBeNull();
  await link.up();

  const retried = await checkout(user, 'r1');
  expect(retried.data?.checkout.userErrors).toEqual([]);
  expect(retried.data!.checkout.order!.lines.map((l) => l.quantity)).toEqual([1]);
  expect(await statusOf(user, 'r1')).toBe('completed');
});

test('recovery finishes an attempt whose claim reached the cart with exactly what it claimed, even past the abandon time', async () => {
  const user: Caller = { userId: 'abandon-claimed' };
  const [a] = variantIds;
  await add(user, a, 4);
  // The cart claims the cart for c1 and answers; the answer is lost on the way back.
  link.loseAnswers();
  const lost = await checkout(user, 'c1');
  expect(lost.data?.checkout.order ?? null).toBeNull();
  await link.up();
  expect(await statusOf(user, 'c1')).toBe('started');
  // Added after the claim: not c1's to order.
  const [, b] = variantIds;
  await add(user, b, 2);

  await ageCheckout(user, 'c1');
  await stack.order.server.checkouts.recover();
  expect(await statusOf(user, 'c1')).toBe('completed');
  const placed = await orders(user);
  expect(placed.map((o) => o.lines.map((l) => l.quantity))).toEqual([[4]]);
  expect(await cartLines(user)).toEqual([[b, 2]]);
});
