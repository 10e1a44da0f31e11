import { AddToCartDocument, MyCartDocument, ProductsDocument, SetStockDocument, UpdateCartLineDocument } from '@storefront/client';
import { ADMIN, startCartStack, type CartStack, type Caller } from '@storefront/testing';
import { seedCatalog } from '@storefront/catalog';

/**
 * "Two tabs, one cart": many writes to one user's cart at the same time, through the gateway over real
 * HTTP. Every write bumps the cart's version first in its transaction (MySQL: the row lock; SQLite: the
 * kit's transaction mutex), so concurrent writes queue up and none is lost. The proof is in the numbers:
 * final quantities are exact, and the versions the successful writes report are exactly the consecutive
 * range above the starting version (no two writes saw the same cart state).
 *
 * MySQL is where the row lock is really exercised (50 requests on a pool of 10 connections). On SQLite
 * the same assertions hold, but a transaction there never yields to the event loop between statements,
 * so they would also hold without the mutex: run this file with DATABASE_URL too.
 */

let stack: CartStack;
let variants: { id: string; price: number; stock: number }[];

const RAISED_STOCK = 500;
/** The running cart's per-line limit (CART_MAX_LINE_QUANTITY, 99 by default). */
const maxLineQuantity = () => stack.cart.config.maxLineQuantity;

beforeAll(async () => {
  stack = await startCartStack();
  await seedCatalog(stack.catalog.server.database, 30);
  const page = await stack.run(ProductsDocument, { first: 30 });
  expect(page.errors).toBeUndefined();
  variants = page.data!.products.edges.flatMap((e) =>
    e.node.variants.filter((v) => v.inStock).map((v) => ({ id: v.id, price: v.price.amount, stock: v.stock })),
  );
  expect(variants.length).toBeGreaterThanOrEqual(40);
});
afterAll(() => stack?.stop());

async function raiseStock(variantId: string, stock = RAISED_STOCK) {
  const response = await stack.run(SetStockDocument, { variantId, stock }, ADMIN);
  expect(response.data?.setStock.userErrors).toEqual([]);
  expect(response.data!.setStock.variant!.stock).toBe(stock);
}

async function myCart(caller: Caller) {
  const response = await stack.run(MyCartDocument, {}, caller);
  expect(response.errors).toBeUndefined();
  return response.data!.me!.cart;
}

async function add(caller: Caller, variantId: string, quantity = 1) {
  const response = await stack.run(AddToCartDocument, { variantId, quantity }, caller);
  expect(response.errors).toBeUndefined();
  return response.data!.addToCart;
}

/** Versions the successful writes reported: distinct and consecutive from `start + 1`. */
function expectConsecutiveVersions(versions: number[], start: number) {
  expect([...versions].sort((a, b) => a - b)).toEqual(Array.from({ length: versions.length }, (_, i) => start + 1 + i));
}

function quantities(cart: { lines: { variant: { id: string }; quantity: number }[] }): Record<string, number> {
  return Object.fromEntries(cart.lines.map((l) => [l.variant.id, l.quantity]));
}

test('50 concurrent adds of one variant by one user end with exactly 50 units on one line', async () => {
  const user: Caller = { userId: 'two-tabs' };
  const variant = variants[0];
  // Neither stock nor the per-line limit may refuse any of the 50 (a refused add would hide a lost one):
  // stock goes to 500 and the limit is 99, so every add must succeed on its own merit.
  await raiseStock(variant.id);
  expect(maxLineQuantity()).toBe(99);
  const start = (await myCart(user)).version;

  const results = await Promise.all(Array.from({ length: 50 }, () => add(user, variant.id)));
  expect(results.map((r) => r.userErrors)).toEqual(Array.from({ length: 50 }, () => []));
  expectConsecutiveVersions(
    results.map((r) => r.cart!.version),
    start,
  );

  const cart = await myCart(user);
  expect(cart.lines).toHaveLength(1);
  expect(cart.lines[0]).toMatchObject({ quantity: 50, variant: { id: variant.id } });
  expect(cart.totalQuantity).toBe(50);
  expect(cart.subtotal).toEqual({ amount: variant.price * 50, currencyCode: 'USD' });
  expect(cart.version).toBe(start + 50);
  // What is stored, not only what the API shows: one line row holding the 50 units.
  const rows = await stack.cart.server.database.dataSource.query('SELECT quantity FROM cart_line WHERE cart_id = ?', [cart.id]);
  expect(rows.map((r: { quantity: number }) => Number(r.quantity))).toEqual([50]);
});

test('a concurrent race past the per-line limit stops at exactly the limit; refused adds do not bump the version', async () => {
  const user: Caller = { userId: 'over-the-limit' };
  const variant = variants[1];
  await raiseStock(variant.id);
  const start = (await myCart(user)).version;
  const limit = maxLineQuantity();
  const attempts = limit + 11;
  expect(attempts).toBeLessThan(RAISED_STOCK);

  const results = await Promise.all(Array.from({ length: attempts }, () => add(user, variant.id)));
  const succeeded = results.filter((r) => r.userErrors.length === 0);
  const refused = results.filter((r) => r.userErrors.length > 0);
  expect(succeeded).toHaveLength(limit);
  expect(refused).toHaveLength(attempts - limit);
  expect(new Set(refused.map((r) => r.userErrors.map((e) => e.code).join()))).toEqual(new Set(['LINE_QUANTITY_LIMIT']));
  expectConsecutiveVersions(
    succeeded.map((r) => r.cart!.version),
    start,
  );

  const cart = await myCart(user);
  expect(quantities(cart)).toEqual({ [variant.id]: limit });
  expect(cart.version).toBe(start + limit);
});

test('concurrent adds of 24 different variants (some several times) end with every line and its exact quantity', async () => {
  const user: Caller = { userId: 'many-tabs' };
  const chosen = variants.slice(2, 26);
  expect(chosen).toHaveLength(24);
  // Variant i is added 1, 2 or 3 times with quantity 1 or 2: at most 6 units, within every seeded stock (5+)...
  const expected: Record<string, number> = {};
  const adds: { variantId: string; quantity: number }[] = [];
  const times = (i: number) => 1 + (i % 3);
  const quantity = (i: number) => 1 + (i % 2);
  // Round after round, so the adds of one variant are interleaved with the others'.
  for (let round = 0; round < 3; round += 1) {
    chosen.forEach((v, i) => round < times(i) && adds.push({ variantId: v.id, quantity: quantity(i) }));
  }
  chosen.forEach((v, i) => (expected[v.id] = times(i) * quantity(i)));
  // ...but raise them anyway, so only concurrency could make an add fail.
  await Promise.all(chosen.map((v) => raiseStock(v.id)));
  const start = (await myCart(user)).version;

  const results = await Promise.all(adds.map((a) => add(user, a.variantId, a.quantity)));
  expect(results.every((r) => r.userErrors.length === 0)).toBe(true);
  expectConsecutiveVersions(
    results.map((r) => r.cart!.version),
    start,
  );

  const cart = await myCart(user);
  expect(cart.lines).toHaveLength(chosen.length);
  expect(quantities(cart)).toEqual(expected);
  expect(cart.totalQuantity).toBe(Object.values(expected).reduce((a, b) => a + b, 0));
  expect(cart.subtotal).toEqual({ amount: chosen.reduce((sum, v) => sum + v.price * expected[v.id], 0), currencyCode: 'USD' });
  expect(cart.version).toBe(start + adds.length);
  // Lines stay in the order they were first added.
  const addedAt = cart.lines.map((l) => l.addedAt);
  expect([...addedAt].sort()).toEqual(addedAt);
});

test('a mixed race (increments of one line, quantity updates of another) leaves a consistent cart', async () => {
  const user: Caller = { userId: 'mixed-tabs' };
  const [a, b] = [variants[26], variants[27]];
  await Promise.all([raiseStock(a.id), raiseStock(b.id)]);
  expect((await add(user, a.id, 1)).userErrors).toEqual([]);
  const seeded = await add(user, b.id, 1);
  expect(seeded.userErrors).toEqual([]);
  const bLine = seeded.cart!.lines.find((l) => l.variant.id === b.id)!;
  const start = seeded.cart!.version;

  const increments = 30;
  // Distinct target quantities for b, so the final one tells which update committed last.
  const targets = Array.from({ length: 12 }, (_, i) => 2 + i * 3);
  const work: Promise<{ kind: 'add' | 'update'; quantity?: number; version: number; errors: unknown[] }>[] = [];
  for (let i = 0; i < Math.max(increments, targets.length); i += 1) {
    if (i < increments) {
      work.push(add(user, a.id, 1).then((r) => ({ kind: 'add' as const, version: r.cart!.version, errors: r.userErrors })));
    }
    if (i < targets.length) {
      const quantity = targets[i];
      work.push(
        stack.run(UpdateCartLineDocument, { lineId: bLine.id, quantity }, user).then((response) => {
          expect(response.errors).toBeUndefined();
          const payload = response.data!.updateCartLine;
          return { kind: 'update' as const, quantity, version: payload.cart!.version, errors: payload.userErrors };
        }),
      );
    }
  }
  const results = await Promise.all(work);
  expect(results.flatMap((r) => r.errors)).toEqual([]);
  expectConsecutiveVersions(
    results.map((r) => r.version),
    start,
  );
  // The update with the highest version committed last: its quantity is the one that stays.
  const lastUpdate = results.filter((r) => r.kind === 'update').sort((x, y) => y.version - x.version)[0];

  const cart = await myCart(user);
  expect(cart.lines.map((l) => l.variant.id)).toEqual([a.id, b.id]);
  expect(cart.lines[1].id).toBe(bLine.id);
  expect(quantities(cart)).toEqual({ [a.id]: 1 + increments, [b.id]: lastUpdate.quantity });
  expect(cart.totalQuantity).toBe(1 + increments + lastUpdate.quantity!);
  expect(cart.subtotal).toEqual({ amount: a.price * (1 + increments) + b.price * lastUpdate.quantity!, currencyCode: 'USD' });
  expect(cart.lines.map((l) => l.lineTotal.amount)).toEqual(cart.lines.map((l) => l.unitPrice.amount * l.quantity));
  expect(cart.version).toBe(start + increments + targets.length);
});

test('20 concurrent first adds by a brand-new user create exactly one cart, holding every line', async () => {
  const user: Caller = { userId: 'brand-new-shopper' };
  const chosen = variants.slice(28, 38);
  expect(chosen).toHaveLength(10);
  await Promise.all(chosen.map((v) => raiseStock(v.id)));
  const db = stack.cart.server.database;
  expect(await db.dataSource.query('SELECT id FROM cart WHERE user_id = ?', [user.userId])).toEqual([]);

  // Two adds of each of 10 variants, all racing to create the cart.
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => add(user, chosen[i % chosen.length].id, 1)));
  expect(results.map((r) => r.userErrors)).toEqual(Array.from({ length: 20 }, () => []));
  const cartIds = new Set(results.map((r) => r.cart!.id));
  expect(cartIds.size).toBe(1);
  // A new cart starts at version 1; each of the 20 adds bumped it once.
  expectConsecutiveVersions(
    results.map((r) => r.cart!.version),
    1,
  );

  const rows: { id: string; version: number }[] = await db.dataSource.query('SELECT id, version FROM cart WHERE user_id = ?', [user.userId]);
  expect(rows).toHaveLength(1);
  expect(rows[0].id).toBe([...cartIds][0]);
  expect(Number(rows[0].version)).toBe(21);
  const lines: { cart_id: string; quantity: number }[] = await db.dataSource.query(
    'SELECT cart_id, quantity FROM cart_line WHERE variant_id IN (' + chosen.map(() => '?').join(', ') + ')',
    chosen.map((v) => v.id),
  );
  expect(lines).toHaveLength(chosen.length);
  expect(lines.every((l) => l.cart_id === rows[0].id && Number(l.quantity) === 2)).toBe(true);

  const cart = await myCart(user);
  expect(cart.id).toBe(rows[0].id);
  expect(quantities(cart)).toEqual(Object.fromEntries(chosen.map((v) => [v.id, 2])));
  expect(cart.version).toBe(21);
});

test('20 concurrent first reads of a brand-new user’s cart create exactly one cart', async () => {
  const user: Caller = { userId: 'brand-new-reader' };
  const carts = await Promise.all(Array.from({ length: 20 }, () => myCart(user)));
  expect(new Set(carts.map((c) => c.id)).size).toBe(1);
  expect(carts.every((c) => c.version === 1 && c.lines.length === 0)).toBe(true);
  const rows = await stack.cart.server.database.dataSource.query('SELECT id FROM cart WHERE user_id = ?', [user.userId]);
  expect(rows).toEqual([{ id: carts[0].id }]);
});

test('every concurrent write returns a cart whose version describes exactly the lines it shows', async () => {
  const shopper: Caller = { userId: 'payload-reader' };
  const variant = variants[1];
  await raiseStock(variant.id);
  const start = (await myCart(shopper)).version;
  const payloads = await Promise.all(
    Array.from({ length: 30 }, () => stack.run(AddToCartDocument, { variantId: variant.id, quantity: 1 }, shopper)),
  );
  for (const response of payloads) {
    const cart = response.data!.addToCart.cart!;
    // Only these adds write this cart: version start+n is the cart holding n units.
    expect(cart.lines.find((l) => l.variant.id === variant.id)?.quantity).toBe(cart.version - start);
    expect(cart.totalQuantity).toBe(cart.version - start);
  }
});
