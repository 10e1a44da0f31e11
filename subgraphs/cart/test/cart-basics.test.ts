import {
  AddToCartDocument,
  ClearCartDocument,
  MyCartDocument,
  ProductsDocument,
  RemoveCartLineDocument,
  UpdateCartLineDocument,
  UpdateProductDocument,
} from '@storefront/client';
import { CartClient } from '@storefront/contracts';
import { ADMIN, startCartStack, type CartStack, type Caller, TEST_CALLER } from '@storefront/testing';
import { seedCatalog } from '@storefront/catalog';

let stack: CartStack;
let variants: { id: string; productId: string; price: number; kind: string }[];
const ALICE: Caller = { userId: 'alice' };

beforeAll(async () => {
  stack = await startCartStack();
  await seedCatalog(stack.catalog.server.database, 22);
  const page = await stack.run(ProductsDocument, { first: 22 });
  variants = page.data!.products.edges.flatMap((e) =>
    e.node.variants.filter((v) => v.stock >= 10).map((v) => ({ id: v.id, productId: e.node.id, price: v.price.amount, kind: e.node.kind })),
  );
});
afterAll(() => stack?.stop());

async function myCart(caller: Caller) {
  const response = await stack.run(MyCartDocument, {}, caller);
  expect(response.errors).toBeUndefined();
  return response.data!.me!.cart;
}

test('me needs a signed-in user', async () => {
  const response = await stack.run(MyCartDocument, {});
  expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
});

test('a cart is created on first use, empty', async () => {
  const cart = await myCart({ userId: 'first-timer' });
  expect(cart).toMatchObject({ lines: [], totalQuantity: 0, subtotal: null });
  expect(await myCart({ userId: 'first-timer' })).toMatchObject({ id: cart.id });
});

test('adding, incrementing, updating, removing and clearing lines; every write changes the version', async () => {
  const [tee, hat, candy] = ['TSHIRT', 'HAT', 'CANDY'].map((kind) => variants.find((v) => v.kind === kind)!);
  const versions: number[] = [(await myCart(ALICE)).version];
  const add = async (variantId: string, quantity: number) => {
    const response = await stack.run(AddToCartDocument, { variantId, quantity }, ALICE);
    expect(response.data?.addToCart.userErrors).toEqual([]);
    versions.push(response.data!.addToCart.cart!.version);
    return response.data!.addToCart.cart!;
  };
  await add(tee.id, 2);
  await add(hat.id, 1);
  await add(candy.id, 3);
  let cart = await add(tee.id, 1);
  expect(cart.lines.map((l) => [l.variant.id, l.quantity])).toEqual([
    [tee.id, 3],
    [hat.id, 1],
    [candy.id, 3],
  ]);
  expect(cart.lines.map((l) => l.variant.attributes.__typename)).toEqual(['TShirtAttributes', 'HatAttributes', 'CandyAttributes']);
  expect(cart.totalQuantity).toBe(7);
  expect(cart.subtotal).toEqual({ amount: tee.price * 3 + hat.price + candy.price * 3, currencyCode: 'USD' });
  expect(cart.lines[0].lineTotal).toEqual({ amount: tee.price * 3, currencyCode: 'USD' });

  const [teeLine, hatLine, candyLine] = cart.lines;
  cart = (await stack.run(UpdateCartLineDocument, { lineId: teeLine.id, quantity: 1 }, ALICE)).data!.updateCartLine.cart!;
  versions.push(cart.version);
  expect(cart.lines[0].quantity).toBe(1);
  cart = (await stack.run(UpdateCartLineDocument, { lineId: hatLine.id, quantity: 0 }, ALICE)).data!.updateCartLine.cart!;
  versions.push(cart.version);
  expect(cart.lines.map((l) => l.id)).toEqual([teeLine.id, candyLine.id]);
  cart = (await stack.run(RemoveCartLineDocument, { lineId: candyLine.id }, ALICE)).data!.removeCartLine.cart!;
  versions.push(cart.version);
  expect(cart.lines.map((l) => l.id)).toEqual([teeLine.id]);
  cart = (await stack.run(ClearCartDocument, {}, ALICE)).data!.clearCart.cart!;
  versions.push(cart.version);
  expect(cart).toMatchObject({ lines: [], totalQuantity: 0, subtotal: null });
  expect(new Set(versions).size).toBe(versions.length);
  expect([...versions].sort((a, b) => a - b)).toEqual(versions);
});

test('prices are the catalog’s current ones', async () => {
  const buyer: Caller = { userId: 'price-watcher' };
  const variant = variants.find((v) => v.kind === 'HAT')!;
  await stack.run(AddToCartDocument, { variantId: variant.id, quantity: 2 }, buyer);
  const updated = await stack.run(UpdateProductDocument, { id: variant.productId, input: { price: { amount: 999, currencyCode: 'USD' } } }, ADMIN);
  expect(updated.data?.updateProduct.userErrors).toEqual([]);
  const cart = await myCart(buyer);
  expect(cart.lines[0].unitPrice).toEqual({ amount: 999, currencyCode: 'USD' });
  expect(cart.subtotal).toEqual({ amount: 1998, currencyCode: 'USD' });
});

test("a checkout's claim and release change nothing the shopper sees: neither the cart's version nor its updatedAt", async () => {
  const shopper: Caller = { userId: 'claimed-quietly' };
  const added = await stack.run(AddToCartDocument, { variantId: variants[0].id, quantity: 1 }, shopper);
  expect(added.data?.addToCart.userErrors).toEqual([]);
  const before = await myCart(shopper);
  const cart = new CartClient(stack.cart.url, stack.cart.config.secret);
  expect(await cart.claimForCheckout(TEST_CALLER, shopper.userId, 'quiet-claim')).toMatchObject({ state: 'claimed', version: before.version });
  await cart.releaseCheckout(TEST_CALLER, 'quiet-claim');
  const after = await myCart(shopper);
  expect([after.version, after.updatedAt]).toEqual([before.version, before.updatedAt]);
});
