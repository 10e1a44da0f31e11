import { createHash } from 'node:crypto';
import {
  AddToCartDocument,
  ClearCartDocument,
  CreateGuestCartDocument,
  GuestCartDocument,
  MergeGuestCartDocument,
  MyCartDocument,
  ProductsDocument,
  RemoveCartLineDocument,
  SetStockDocument,
  UpdateCartLineDocument,
} from '@storefront/client';
import { ADMIN, CART_TABLES, expectUnchanged, startCartStack, testContext, type CartStack, type Caller } from '@storefront/testing';
import { seedCatalog } from '@storefront/catalog';

let stack: CartStack;
let variantIds: string[];

beforeAll(async () => {
  stack = await startCartStack();
  await seedCatalog(stack.catalog.server.database, 10);
  const page = await stack.run(ProductsDocument, { first: 10 });
  variantIds = page.data!.products.edges.flatMap((e) => e.node.variants.map((v) => v.id)).slice(0, 6);
  for (const variantId of variantIds) await stack.run(SetStockDocument, { variantId, stock: 500 }, ADMIN);
});
afterAll(() => stack?.stop());

async function cartOf(caller: Caller) {
  return (await stack.run(MyCartDocument, {}, caller)).data!.me!.cart;
}

async function newGuestCart(lines: [number, number][]) {
  const created = (await stack.run(CreateGuestCartDocument, {})).data!.createGuestCart;
  const token = created.guestCartToken;
  for (const [index, quantity] of lines) {
    const added = await stack.run(AddToCartDocument, { variantId: variantIds[index], quantity, guestCartToken: token });
    expect(added.data?.addToCart.userErrors).toEqual([]);
  }
  return { token, cartId: created.cart.id };
}

describe('guest carts', () => {
  test('a visitor creates a cart and shops with its token alone', async () => {
    const { token, cartId } = await newGuestCart([[0, 2], [1, 1]]);
    expect(token.length).toBeGreaterThanOrEqual(40);
    const cart = (await stack.run(GuestCartDocument, { token })).data!.guestCart!;
    expect(cart.id).toBe(cartId);
    expect(cart.lines.map((l) => [l.variant.id, l.quantity])).toEqual([
      [variantIds[0], 2],
      [variantIds[1], 1],
    ]);
    const updated = await stack.run(UpdateCartLineDocument, { lineId: cart.lines[0].id, quantity: 5, guestCartToken: token });
    expect(updated.data?.updateCartLine.cart?.lines[0].quantity).toBe(5);
    const removed = await stack.run(RemoveCartLineDocument, { lineId: cart.lines[1].id, guestCartToken: token });
    expect(removed.data?.removeCartLine.cart?.lines).toHaveLength(1);
    expect((await stack.run(GuestCartDocument, { token: 'not-a-real-token' })).data?.guestCart).toBeNull();
  });

  test('a guest-cart token is stored only as its SHA-256 hash: no column of any cart row holds the token', async () => {
    const { token, cartId } = await newGuestCart([[0, 1]]);
    const db = stack.cart.server.database.dataSource;
    const rows = (await db.query('SELECT * FROM cart WHERE id = ?', [cartId])) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0].guest_token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    const everything = JSON.stringify([rows, await db.query('SELECT * FROM cart_line WHERE cart_id = ?', [cartId])]);
    expect(everything).not.toContain(token);
  });

  test('signing in merges the guest cart: quantities summed and capped, guest cart closed, a retry changes nothing', async () => {
    const user: Caller = { userId: 'merging-user' };
    expect((await stack.run(AddToCartDocument, { variantId: variantIds[0], quantity: 60 }, user)).data?.addToCart.userErrors).toEqual([]);
    expect((await stack.run(AddToCartDocument, { variantId: variantIds[1], quantity: 2 }, user)).data?.addToCart.userErrors).toEqual([]);
    const { token } = await newGuestCart([[0, 60], [1, 3], [2, 4]]);

    const merged = (await stack.run(MergeGuestCartDocument, { guestCartToken: token }, user)).data!.mergeGuestCart;
    expect(merged.userErrors).toEqual([]);
    expect(merged.cart!.lines.map((l) => [l.variant.id, l.quantity])).toEqual([
      [variantIds[0], 99], // 60 + 60, capped at the per-line limit
      [variantIds[1], 5],
      [variantIds[2], 4],
    ]);
    expect((await stack.run(GuestCartDocument, { token })).data?.guestCart).toBeNull();
    const closed = await stack.run(AddToCartDocument, { variantId: variantIds[3], quantity: 1, guestCartToken: token });
    expect(closed.data?.addToCart.userErrors).toEqual([{ code: 'CART_NOT_FOUND', field: ['guestCartToken'], message: 'No open guest cart has this token.' }]);

    const retry = await expectUnchanged(stack.cart.server.database, CART_TABLES, () =>
      stack.run(MergeGuestCartDocument, { guestCartToken: token }, user),
    );
    expect(retry.data?.mergeGuestCart).toMatchObject({ userErrors: [], cart: { id: merged.cart!.id, version: merged.cart!.version } });
  });

  test('merging needs a signed-in user', async () => {
    const { token } = await newGuestCart([[0, 1]]);
    const response = await stack.run(MergeGuestCartDocument, { guestCartToken: token });
    expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  test('an empty guest cart merged into an empty cart: both stay empty, the guest cart closes', async () => {
    const { token } = await newGuestCart([]);
    const newcomer: Caller = { userId: 'empty-into-empty' };
    const merged = (await stack.run(MergeGuestCartDocument, { guestCartToken: token }, newcomer)).data!.mergeGuestCart;
    expect(merged.userErrors).toEqual([]);
    expect(merged.cart!.lines).toEqual([]);
    expect((await stack.run(GuestCartDocument, { token })).data?.guestCart).toBeNull();
  });

  test('guest carts untouched for the configured days are removed; user carts never are', async () => {
    const { token } = await newGuestCart([[3, 1]]);
    const owner: Caller = { userId: 'long-absent-user' };
    await stack.run(AddToCartDocument, { variantId: variantIds[3], quantity: 1 }, owner);
    const ttl = stack.cart.config.guestCartTtlDays;
    const justBefore = new Date(Date.now() + (ttl - 1) * 86_400_000);
    expect(await stack.cart.server.carts.removeExpiredGuestCarts(testContext(stack.cart.server.database), ttl, justBefore)).toBe(0);
    expect((await stack.run(GuestCartDocument, { token })).data?.guestCart).not.toBeNull();

    const later = new Date(Date.now() + (ttl + 1) * 86_400_000);
    expect(await stack.cart.server.carts.removeExpiredGuestCarts(testContext(stack.cart.server.database), ttl, later)).toBeGreaterThan(0);
    expect((await stack.run(GuestCartDocument, { token })).data?.guestCart).toBeNull();
    expect((await cartOf(owner)).lines.map((l) => l.variant.id)).toEqual([variantIds[3]]);
    const rows = (await stack.cart.server.database.dataSource.query('SELECT COUNT(*) AS n FROM cart WHERE user_id IS NULL')) as { n: number }[];
    expect(Number(rows[0].n)).toBe(0);
  });
});

describe('no user ever sees or changes another user’s cart', () => {
  const alice: Caller = { userId: 'alice-isolated' };
  const bob: Caller = { userId: 'bob-isolated' };

  test('by line id', async () => {
    const aliceCart = (await stack.run(AddToCartDocument, { variantId: variantIds[4], quantity: 2 }, alice)).data!.addToCart.cart!;
    const aliceLine = aliceCart.lines[0].id;
    await cartOf(bob); // Bob's own cart exists first: creating it on first use is not what is under test
    await expectUnchanged(stack.cart.server.database, CART_TABLES, async () => {
      const update = await stack.run(UpdateCartLineDocument, { lineId: aliceLine, quantity: 9 }, bob);
      expect(update.data?.updateCartLine.userErrors[0].code).toBe('LINE_NOT_FOUND');
      const remove = await stack.run(RemoveCartLineDocument, { lineId: aliceLine }, bob);
      expect(remove.data?.removeCartLine.userErrors[0].code).toBe('LINE_NOT_FOUND');
      // Even the payload of a refused change shows only Bob's own cart.
      expect(remove.data?.removeCartLine.cart?.id).not.toBe(aliceCart.id);
    });
    const bobCart = await cartOf(bob);
    expect(bobCart.id).not.toBe(aliceCart.id);
    expect(bobCart.lines.map((l) => l.id)).not.toContain(aliceLine);
    await stack.run(ClearCartDocument, {}, bob);
    expect((await cartOf(alice)).lines.map((l) => [l.id, l.quantity])).toEqual([[aliceLine, 2]]);
  });

  test('by guest token: a signed-in user always acts on their own cart', async () => {
    const { token } = await newGuestCart([[5, 1]]);
    await expectUnchanged(stack.cart.server.database, { cart_line: 'id' }, async () => {
      // Bob is signed in: the token is ignored and nothing of the guest cart changes.
      await stack.run(ClearCartDocument, { guestCartToken: token }, bob);
    });
    expect((await stack.run(GuestCartDocument, { token })).data?.guestCart?.lines).toHaveLength(1);
  });

  test('by a guest token merged into someone else’s cart', async () => {
    const { token } = await newGuestCart([[5, 2]]);
    expect((await stack.run(MergeGuestCartDocument, { guestCartToken: token }, alice)).data?.mergeGuestCart.userErrors).toEqual([]);
    const stolen = await expectUnchanged(stack.cart.server.database, CART_TABLES, () =>
      stack.run(MergeGuestCartDocument, { guestCartToken: token }, bob),
    );
    expect(stolen.data?.mergeGuestCart.userErrors[0].code).toBe('CART_NOT_FOUND');
    expect(stolen.data?.mergeGuestCart.cart?.lines.map((l) => l.variant.id)).not.toContain(variantIds[5]);
  });

  test('by a user reference: the cart subgraph refuses another user’s cart', async () => {
    await cartOf(alice);
    const response = await fetch(stack.cart.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...stack.cart.headers({ userId: bob.userId }) },
      body: JSON.stringify({
        query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { cart { id } } } }',
        variables: { r: [{ __typename: 'User', id: alice.userId }] },
      }),
    });
    const body = (await response.json()) as { data?: { _entities: unknown[] }; errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(body.data ?? {})).not.toMatch(/"cart":\{"id"/);
  });
});
