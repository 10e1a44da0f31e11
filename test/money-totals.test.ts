import { randomUUID } from 'node:crypto';
import {
  AddToCartDocument,
  CheckoutDocument,
  CreateGuestCartDocument,
  CreateProductDocument,
  MergeGuestCartDocument,
  MyCartDocument,
  MyOrdersDocument,
  UpdateCartLineDocument,
  UpdateProductDocument,
  VariantDocument,
} from '@storefront/client';
import { MAX_TOTAL_AMOUNT } from '@storefront/service-kit';
import { ADMIN, startShopStack, type Caller, type ShopStack } from '@storefront/testing';

/**
 * Totals are GraphQL Ints (and `int` columns): a cart of expensive lines could pass 2,147,483,647 minor
 * units, which used to make every read of the cart and checkout fail with an internal error. Writes that
 * would reach it are refused with CART_TOTAL_LIMIT, a cart pushed past it by a price rise reads with a
 * typed error on its subtotal, and checkout refuses it with ORDER_TOTAL_LIMIT, taking nothing.
 */
const PRICE = 9_000_000;
let stack: ShopStack;
let productId: string;
let v: string[];
const shopper: Caller = { userId: 'big-spender' };

beforeAll(async () => {
  stack = await startShopStack();
  const created = await stack.run(
    CreateProductDocument,
    {
      input: {
        name: 'Gold Tee',
        kind: 'TSHIRT',
        price: { amount: PRICE, currencyCode: 'USD' },
        variants: ['red', 'blue', 'green', 'black'].map((color) => ({ sku: `GOLD-${color}`, stock: 99, attributes: { tshirt: { size: 'M' as const, color } } })),
      },
    },
    ADMIN,
  );
  expect(created.data?.createProduct.userErrors).toEqual([]);
  productId = created.data!.createProduct.product!.id;
  v = created.data!.createProduct.product!.variants.map((x) => x.id);
});
afterAll(() => stack?.stop());

const cartOf = async () => (await stack.run(MyCartDocument, {}, shopper)).data!.me!.cart;
/** As the shopper, or as a guest when given the guest cart's token. */
const add = async (variantId: string, quantity: number, guestCartToken?: string) =>
  (await stack.run(AddToCartDocument, { variantId, quantity, guestCartToken }, guestCartToken ? undefined : shopper)).data!.addToCart;
const setPrice = async (amount: number) =>
  expect((await stack.run(UpdateProductDocument, { id: productId, input: { price: { amount, currencyCode: 'USD' } } }, ADMIN)).data?.updateProduct.userErrors).toEqual([]);
const stocks = async () => Promise.all(v.map(async (id) => (await stack.run(VariantDocument, { id })).data!.variant!.stock));

test('adds, quantity changes and merges that would pass the largest total are refused, the cart unchanged', async () => {
  expect((await add(v[0], 99)).userErrors).toEqual([]);
  expect((await add(v[1], 99)).userErrors).toEqual([]);
  const before = await cartOf();

  // 198 x 9,000,000 + 60 x 9,000,000 = 2,322,000,000 > 2,147,483,647.
  const tooMuch = await add(v[2], 60);
  expect(tooMuch.userErrors.map((e) => [e.code, e.field])).toEqual([['CART_TOTAL_LIMIT', ['quantity']]]);
  expect(await cartOf()).toEqual(before);

  // Exactly under the limit is fine: 238 x 9,000,000 = 2,142,000,000.
  const fits = await add(v[2], 40);
  expect(fits.userErrors).toEqual([]);
  expect(fits.cart!.subtotal).toEqual({ amount: 2_142_000_000, currencyCode: 'USD' });
  expect(2_142_000_000 + PRICE).toBeGreaterThan(MAX_TOTAL_AMOUNT);

  const lineId = fits.cart!.lines.find((l) => l.variant.id === v[2])!.id;
  const grown = (await stack.run(UpdateCartLineDocument, { lineId, quantity: 41 }, shopper)).data!.updateCartLine;
  expect(grown.userErrors.map((e) => e.code)).toEqual(['CART_TOTAL_LIMIT']);
  const shrunk = (await stack.run(UpdateCartLineDocument, { lineId, quantity: 39 }, shopper)).data!.updateCartLine;
  expect(shrunk.userErrors).toEqual([]);
  expect((await stack.run(UpdateCartLineDocument, { lineId, quantity: 40 }, shopper)).data!.updateCartLine.userErrors).toEqual([]);

  // A guest's one more unit would pass it too: nothing moves, the guest cart stays open.
  const token = (await stack.run(CreateGuestCartDocument, {})).data!.createGuestCart.guestCartToken;
  expect((await add(v[3], 1, token)).userErrors).toEqual([]);
  const beforeMerge = await cartOf();
  const merge = (await stack.run(MergeGuestCartDocument, { guestCartToken: token }, shopper)).data!.mergeGuestCart;
  expect(merge.userErrors.map((e) => [e.code, e.field])).toEqual([['CART_TOTAL_LIMIT', ['guestCartToken']]]);
  expect(await cartOf()).toEqual(beforeMerge);
  expect((await add(v[3], 1, token)).userErrors).toEqual([]);
});

test('a price rise past the limit: the cart reads with a typed error on its subtotal, checkout takes nothing', async () => {
  const stockBefore = await stocks();
  await setPrice(9_100_000); // 238 x 9,100,000 = 2,165,800,000
  try {
    const read = await stack.run(MyCartDocument, {}, shopper);
    expect(read.errors?.map((e) => [e.extensions?.code, e.path?.join('.')])).toEqual([['CART_TOTAL_LIMIT', 'me.cart.subtotal']]);
    expect(read.data!.me!.cart.lines).toHaveLength(3);

    const key = randomUUID();
    const refused = (await stack.run(CheckoutDocument, { input: { idempotencyKey: key } }, shopper)).data!.checkout;
    expect(refused.userErrors.map((e) => e.code)).toEqual(['ORDER_TOTAL_LIMIT']);
    expect(refused.order).toBeNull();
    expect(await stocks()).toEqual(stockBefore);
  } finally {
    await setPrice(PRICE);
  }
  // The refusal released the cart: with the price back, a new key orders it.
  const placed = (await stack.run(CheckoutDocument, { input: { idempotencyKey: randomUUID() } }, shopper)).data!.checkout;
  expect(placed.userErrors).toEqual([]);
  expect(placed.order!.total).toEqual({ amount: 2_142_000_000, currencyCode: 'USD' });
  const history = (await stack.run(MyOrdersDocument, { first: 5 }, shopper)).data!.me!.orders;
  expect(history.edges.map((e) => e.node.total.amount)).toEqual([2_142_000_000]);
});
