import { AddToCartDocument, CreateGuestCartDocument, GuestCartDocument, MergeGuestCartDocument, MyCartDocument, ProductsDocument, SetStockDocument } from '@storefront/client';
import { ADMIN, holdRow, startCartStack, testContext, type CartStack, type Caller } from '@storefront/testing';
import { seedCatalog } from '@storefront/catalog';
import type { Database } from '@storefront/service-kit';

/**
 * An add to a guest cart and the merge of that cart into a user's cart, in both orders, forced: a test
 * transaction holds the guest cart first (MariaDB: its row lock; SQLite: the kit's transaction mutex),
 * the two requests queue up behind it in a chosen order, and only then is it released. Every add that
 * was acknowledged with its line must end in the merged cart; an add queued behind the merge must be
 * refused with CART_NOT_FOUND. The reported bug (the merge read guest lines from a snapshot taken before
 * the guest lock, then deleted the rows added since) lost the line in the first case every time.
 */

let stack: CartStack;
let variantIds: string[];

beforeAll(async () => {
  stack = await startCartStack();
  await seedCatalog(stack.catalog.server.database, 4);
  const page = await stack.run(ProductsDocument, { first: 4 });
  variantIds = page.data!.products.edges.flatMap((e) => e.node.variants.map((v) => v.id)).slice(0, 3);
  for (const variantId of variantIds) await stack.run(SetStockDocument, { variantId, stock: 500 }, ADMIN);
});
afterAll(() => stack?.stop());

const database = (): Database => stack.cart.server.database;

async function guestCartWithLine(): Promise<{ token: string; cartId: string }> {
  const created = (await stack.run(CreateGuestCartDocument, {})).data!.createGuestCart;
  const added = await stack.run(AddToCartDocument, { variantId: variantIds[0], quantity: 1, guestCartToken: created.guestCartToken });
  expect(added.data?.addToCart.userErrors).toEqual([]);
  return { token: created.guestCartToken, cartId: created.cart.id };
}

async function userCartWithLine(user: Caller) {
  const added = await stack.run(AddToCartDocument, { variantId: variantIds[1], quantity: 1 }, user);
  expect(added.data?.addToCart.userErrors).toEqual([]);
}

const hold = (cartId: string) => holdRow(database(), 'cart', cartId);

test('an add acknowledged while a merge waits for the guest cart ends in the merged cart', async () => {
  const user: Caller = { userId: 'merge-race-add-first' };
  await userCartWithLine(user);
  const { token, cartId } = await guestCartWithLine();

  const holder = await hold(cartId);
  // The add queues first, then the merge: once released, the add commits while the merge waits.
  const adding = stack.run(AddToCartDocument, { variantId: variantIds[2], quantity: 3, guestCartToken: token });
  await holder.queued(1);
  const merging = stack.run(MergeGuestCartDocument, { guestCartToken: token }, user);
  await holder.queued(2);
  await holder.release();
  const [added, merged] = await Promise.all([adding, merging]);

  expect(added.data?.addToCart.userErrors).toEqual([]);
  expect(added.data?.addToCart.cart?.lines.map((l) => [l.variant.id, l.quantity])).toContainEqual([variantIds[2], 3]);
  expect(merged.data?.mergeGuestCart.userErrors).toEqual([]);
  const cart = (await stack.run(MyCartDocument, {}, user)).data!.me!.cart;
  expect(cart.lines.map((l) => [l.variant.id, l.quantity])).toEqual([
    [variantIds[1], 1],
    [variantIds[0], 1],
    [variantIds[2], 3],
  ]);
});

test('an add queued behind the merge is refused CART_NOT_FOUND and changes nothing', async () => {
  const user: Caller = { userId: 'merge-race-merge-first' };
  await userCartWithLine(user);
  const { token, cartId } = await guestCartWithLine();

  const holder = await hold(cartId);
  const merging = stack.run(MergeGuestCartDocument, { guestCartToken: token }, user);
  await holder.queued(1);
  const adding = stack.run(AddToCartDocument, { variantId: variantIds[2], quantity: 3, guestCartToken: token });
  await holder.queued(2);
  await holder.release();
  const [merged, added] = await Promise.all([merging, adding]);

  expect(merged.data?.mergeGuestCart.userErrors).toEqual([]);
  expect(added.data?.addToCart.userErrors).toEqual([{ code: 'CART_NOT_FOUND', field: ['guestCartToken'], message: 'This cart is closed.' }]);
  const cart = (await stack.run(MyCartDocument, {}, user)).data!.me!.cart;
  expect(cart.lines.map((l) => [l.variant.id, l.quantity])).toEqual([
    [variantIds[1], 1],
    [variantIds[0], 1],
  ]);
});

test('an add committed while expired guest carts are being removed keeps its cart and line', async () => {
  const { token, cartId } = await guestCartWithLine();
  // Untouched for 60 days: expired under a 30-day limit, until the add below touches it.
  const longAgo = new Date(Date.now() - 60 * 86_400_000);
  await database().dataSource.createQueryBuilder().update('cart').set({ updatedAt: longAgo }).where('id = :id', { id: cartId }).execute();

  const holder = await hold(cartId);
  const adding = stack.run(AddToCartDocument, { variantId: variantIds[2], quantity: 2, guestCartToken: token });
  await holder.queued(1);
  // Its list of expired carts is read now, before the add commits; its delete then waits behind the add.
  const removing = stack.cart.server.carts.removeExpiredGuestCarts(testContext(stack.cart.server.database), 30);
  await holder.queued(2);
  await holder.release();
  const [added, removed] = await Promise.all([adding, removing]);

  expect(added.data?.addToCart.userErrors).toEqual([]);
  expect(removed).toBe(0);
  const cart = (await stack.run(GuestCartDocument, { token })).data?.guestCart;
  expect(cart?.lines.map((l) => [l.variant.id, l.quantity])).toEqual([
    [variantIds[0], 1],
    [variantIds[2], 2],
  ]);
});
