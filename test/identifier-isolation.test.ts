import {
  AddToCartDocument,
  CheckoutDocument,
  ClearCartDocument,
  CreateGuestCartDocument,
  MergeGuestCartDocument,
  MyCartDocument,
  MyOrdersDocument,
  ProductsDocument,
  SetStockDocument,
} from '@storefront/client';
import { ADMIN, startShopStack, testContext, type Caller, type ShopStack } from '@storefront/testing';
import { seedCatalog } from '@storefront/catalog';

/**
 * Identifiers compare byte for byte on every database. On MariaDB with the old `utf8mb4_unicode_ci`
 * columns, a token whose `sub` was `VICTIM-49DE` read and changed the cart of `Victim-49de`, listed her
 * orders and replayed her idempotency key; a trailing space is ignored even by `utf8mb4_bin`. Through
 * the gateway where it lets such ids through (case), and at the database where it does not (spaces:
 * the gateway's subject rule and HTTP header parsing already refuse or strip them).
 */

let stack: ShopStack;
let variantIds: string[];

beforeAll(async () => {
  stack = await startShopStack();
  await seedCatalog(stack.catalog.server.database, 4);
  const page = await stack.run(ProductsDocument, { first: 4 });
  variantIds = page.data!.products.edges.flatMap((e) => e.node.variants.map((v) => v.id)).slice(0, 4);
  for (const variantId of variantIds) await stack.run(SetStockDocument, { variantId, stock: 100 }, ADMIN);
});
afterAll(() => stack?.stop());

const victim: Caller = { userId: 'Victim-49de' };
const attacker: Caller = { userId: 'VICTIM-49DE' };

async function add(caller: Caller, variantId: string, quantity = 1) {
  const added = await stack.run(AddToCartDocument, { variantId, quantity }, caller);
  expect(added.errors).toBeUndefined();
  return added.data!.addToCart;
}
const cartOf = async (caller: Caller) => (await stack.run(MyCartDocument, {}, caller)).data!.me!.cart;
const checkout = async (caller: Caller, idempotencyKey: string) => {
  const response = await stack.run(CheckoutDocument, { input: { idempotencyKey } }, caller);
  expect(response.errors).toBeUndefined();
  return response.data!.checkout;
};
/** Every letter in the other case: a spelling no test above stored. */
const swapCase = (s: string) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
const ordersOf = async (caller: Caller) => (await stack.run(MyOrdersDocument, { first: 10 }, caller)).data!.me!.orders;

test('ids differing only by case are different users: cart, checkout, idempotency key and history', async () => {
  expect((await add(victim, variantIds[0], 2)).userErrors).toEqual([]);
  const victimCart = await cartOf(victim);

  const attackerCart = await cartOf(attacker);
  expect(attackerCart.id).not.toBe(victimCart.id);
  expect(attackerCart.lines).toEqual([]);
  // Changing "her" cart changes the attacker's own.
  await stack.run(ClearCartDocument, {}, attacker);
  expect((await add(attacker, variantIds[1])).cart!.id).toBe(attackerCart.id);
  expect((await cartOf(victim)).lines.map((l) => [l.variant.id, l.quantity])).toEqual([[variantIds[0], 2]]);

  const placed = await checkout(victim, 'order-key-49de');
  expect(placed.userErrors).toEqual([]);
  // Her key, replayed by the attacker, checks out the attacker's own cart.
  const replayed = await checkout(attacker, 'order-key-49de');
  expect(replayed.userErrors).toEqual([]);
  expect(replayed.order!.id).not.toBe(placed.order!.id);
  // The attacker's own line (1 unit), not hers (2 units).
  expect(replayed.order!.lines.map((l) => l.quantity)).toEqual([1]);
  expect(placed.order!.lines.map((l) => l.quantity)).toEqual([2]);

  expect((await ordersOf(victim)).edges.map((e) => e.node.id)).toEqual([placed.order!.id]);
  expect((await ordersOf(attacker)).edges.map((e) => e.node.id)).toEqual([replayed.order!.id]);

  // One user's keys differing by case are two checkouts, not a replay.
  await add(victim, variantIds[2]);
  const second = await checkout(victim, 'Order-Key-49de');
  expect(second.userErrors).toEqual([]);
  expect(second.order!.id).not.toBe(placed.order!.id);
});

test('a guest cart merged by one user is not "already merged" for a user whose id differs by case', async () => {
  const owner: Caller = { userId: 'Merger-7a' };
  const other: Caller = { userId: 'MERGER-7A' };
  const created = (await stack.run(CreateGuestCartDocument, {})).data!.createGuestCart;
  const token = created.guestCartToken;
  await stack.run(AddToCartDocument, { variantId: variantIds[3], quantity: 1, guestCartToken: token });
  const merged = (await stack.run(MergeGuestCartDocument, { guestCartToken: token }, owner)).data!.mergeGuestCart;
  expect(merged.userErrors).toEqual([]);

  const stolen = (await stack.run(MergeGuestCartDocument, { guestCartToken: token }, other)).data!.mergeGuestCart;
  expect(stolen.userErrors.map((e) => e.code)).toEqual(['CART_NOT_FOUND']);
  expect(stolen.cart?.id).not.toBe(merged.cart!.id);
  expect(stolen.cart?.lines ?? []).toEqual([]);
});

test('a variant id with a trailing space is no variant: refused, nothing added', async () => {
  const shopper: Caller = { userId: 'space-shopper' };
  const added = await stack.run(AddToCartDocument, { variantId: `${variantIds[0]} `, quantity: 1 }, shopper);
  expect(added.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'variantId']]);
  expect((await cartOf(shopper)).lines).toEqual([]);
});

test('the databases compare identifiers byte for byte: case and trailing spaces', async () => {
  // Rows written above; every lookup below differs from a stored value only by case or a trailing space.
  const cartDb = stack.cart.server.database.dataSource;
  const orderDb = stack.order.server.database.dataSource;
  const catalogDb = stack.catalog.server.database.dataSource;
  const count = async (db: typeof cartDb, sql: string, value: string) => Number(((await db.query(sql, [value])) as { n: number }[])[0].n);

  for (const [db, sql, stored] of [
    [cartDb, 'SELECT COUNT(*) AS n FROM cart WHERE user_id = ?', 'Victim-49de'],
    [orderDb, 'SELECT COUNT(*) AS n FROM orders WHERE user_id = ?', 'Victim-49de'],
    [orderDb, 'SELECT COUNT(*) AS n FROM checkout WHERE idempotency_key = ?', 'order-key-49de'],
    [catalogDb, 'SELECT COUNT(*) AS n FROM product_variant WHERE id = ?', variantIds[0]],
  ] as const) {
    expect(await count(db, sql, stored)).toBeGreaterThan(0);
    expect(await count(db, sql, `${stored} `)).toBe(0);
    expect(await count(db, sql, swapCase(stored))).toBe(0);
  }
  // A guest token hash is hex in lower case; its upper-case spelling is another hash.
  const [{ hash }] = (await cartDb.query('SELECT guest_token_hash AS hash FROM cart WHERE guest_token_hash IS NOT NULL LIMIT 1')) as { hash: string }[];
  expect(await count(cartDb, 'SELECT COUNT(*) AS n FROM cart WHERE guest_token_hash = ?', hash.toUpperCase())).toBe(0);
  expect(await count(cartDb, 'SELECT COUNT(*) AS n FROM cart WHERE guest_token_hash = ?', `${hash} `)).toBe(0);
});

test('a cart user id differing only by a trailing space is another user (at the service)', async () => {
  const carts = stack.cart.server.carts;
  const hers = await carts.userCart(testContext(stack.cart.server.database), 'Victim-49de');
  const spaced = await carts.userCart(testContext(stack.cart.server.database), 'Victim-49de ');
  expect(spaced.id).not.toBe(hers.id);
});
