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
  expect(grown.userErrors.map((e) => [e.code, e.field])).toEqual([['CART_TOTAL_LIMIT', ['quantity']]]);
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

describe('the total limit counts each line once, at the quantity it will have', () => {
  /** A product of its own: four variants at `price`, the last at `lastPrice` when given, stock to spare. */
  async function product(name: string, price: number, lastPrice?: number): Promise<string[]> {
    const created = await stack.run(
      CreateProductDocument,
      {
        input: {
          name,
          kind: 'TSHIRT',
          price: { amount: price, currencyCode: 'USD' },
          variants: ['red', 'blue', 'green', 'black'].map((color, i) => ({
            sku: `${name}-${color}`.toUpperCase().replace(/\s/g, '-'),
            stock: 99,
            attributes: { tshirt: { size: 'L' as const, color } },
            ...(i === 3 && lastPrice !== undefined ? { priceOverride: { amount: lastPrice, currencyCode: 'USD' } } : {}),
          })),
        },
      },
      ADMIN,
    );
    expect(created.data?.createProduct.userErrors).toEqual([]);
    return created.data!.createProduct.product!.variants.map((x) => x.id);
  }
  const addAs = async (caller: Caller | string, variantId: string, quantity: number) => {
    const guest = typeof caller === 'string';
    const response = await stack.run(AddToCartDocument, { variantId, quantity, guestCartToken: guest ? caller : undefined }, guest ? undefined : caller);
    return response.data!.addToCart;
  };
  const fill = async (caller: Caller | string, lines: [string, number][]) => {
    for (const [variantId, quantity] of lines) expect((await addAs(caller, variantId, quantity)).userErrors).toEqual([]);
  };
  const guestCart = async () => (await stack.run(CreateGuestCartDocument, {})).data!.createGuestCart.guestCartToken;
  let p: string[];
  beforeAll(async () => {
    p = await product('Platinum Tee', PRICE);
  });

  test('one more unit on a line already in the cart: the line counts once, at its new quantity', async () => {
    const caller: Caller = { userId: 'line-grower' };
    await fill(caller, [[p[0], 99], [p[1], 98]]); // 1,773,000,000
    const grown = await addAs(caller, p[1], 1); // 1,782,000,000; counting the old line as well would be 2,664,000,000
    expect(grown.userErrors).toEqual([]);
    expect(grown.cart!.subtotal!.amount).toBe(1_782_000_000);
  });

  test('a merge counts a summed line at its summed quantity, once', async () => {
    const fits: Caller = { userId: 'merge-fits' };
    await fill(fits, [[p[1], 99], [p[2], 99], [p[0], 1]]); // 1,791,000,000
    const small = await guestCart();
    await fill(small, [[p[0], 1]]);
    const merged = (await stack.run(MergeGuestCartDocument, { guestCartToken: small }, fits)).data!.mergeGuestCart;
    expect(merged.userErrors).toEqual([]);
    expect(merged.cart!.subtotal!.amount).toBe(1_800_000_000);

    const over: Caller = { userId: 'merge-over' };
    await fill(over, [[p[1], 99], [p[2], 99], [p[0], 20]]); // 1,962,000,000
    const big = await guestCart();
    await fill(big, [[p[0], 30]]); // summed: 50 units, 2,232,000,000 in all
    const refused = (await stack.run(MergeGuestCartDocument, { guestCartToken: big }, over)).data!.mergeGuestCart;
    expect(refused.userErrors.map((e) => [e.code, e.field])).toEqual([['CART_TOTAL_LIMIT', ['guestCartToken']]]);
    expect(refused.cart!.subtotal!.amount).toBe(1_962_000_000);
  });

  test('a subtotal of exactly the largest total is accepted; its message names the limit when passed', async () => {
    // 214 units at the largest price, and one variant priced at the rest: 2,147,483,647 exactly.
    const e = await product('Exact Tee', 10_000_000, MAX_TOTAL_AMOUNT - 214 * 10_000_000);
    const caller: Caller = { userId: 'exactly-at-the-limit' };
    await fill(caller, [[e[0], 99], [e[1], 99], [e[2], 16]]);
    const last = await addAs(caller, e[3], 1);
    expect(last.userErrors).toEqual([]);
    expect(last.cart!.subtotal!.amount).toBe(MAX_TOTAL_AMOUNT);
    const beyond = await addAs(caller, e[2], 1);
    expect(beyond.userErrors).toEqual([
      { code: 'CART_TOTAL_LIMIT', field: ['quantity'], message: `A cart's subtotal may not exceed ${MAX_TOTAL_AMOUNT} minor units.` },
    ]);
  });
});
