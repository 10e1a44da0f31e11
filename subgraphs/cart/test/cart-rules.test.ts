import {
  AddToCartDocument,
  ArchiveProductDocument,
  CreateGuestCartDocument,
  CreateProductDocument,
  GuestCartDocument,
  MergeGuestCartDocument,
  MyCartDocument,
  RemoveCartLineDocument,
  RemoveVariantDocument,
  SetStockDocument,
  UpdateCartLineDocument,
  type CartUserErrorFieldsFragment,
} from '@storefront/client';
import { ADMIN, CART_TABLES, expectUnchanged, setUpOnce, startCartStack, type CartStack, type Caller } from '@storefront/testing';

/** Small limits so the limit rules are reachable: 3 lines, 5 units a line. */
let stack: CartStack;
const BUYER: Caller = { userId: 'rule-tester' };
let usd: string[];
let eur: string;

async function createProduct(name: string, currencyCode: string, variants: number, stock = 50): Promise<{ id: string; variants: string[] }> {
  const response = await stack.run(
    CreateProductDocument,
    {
      input: {
        name,
        kind: 'CANDY',
        price: { amount: 300, currencyCode },
        variants: Array.from({ length: variants }, (_, i) => ({
          sku: `${name}-${i}`.replace(/\s/g, '-'),
          stock,
          attributes: { candy: { flavor: `flavour ${i}`, weightGrams: 100 + i } },
        })),
      },
    },
    ADMIN,
  );
  expect(response.data?.createProduct.userErrors).toEqual([]);
  const product = response.data!.createProduct.product!;
  return { id: product.id, variants: product.variants.map((v) => v.id) };
}

beforeAll(async () => {
  stack = await startCartStack({ CART_MAX_LINES: '3', CART_MAX_LINE_QUANTITY: '5' });
  usd = (await createProduct('Dollar Drops', 'USD', 5)).variants;
  [eur] = (await createProduct('Euro Gums', 'EUR', 1)).variants;
});
setUpOnce(async () => {
  const start = await stack.run(AddToCartDocument, { variantId: usd[0], quantity: 2 }, BUYER);
  expect(start.data?.addToCart.userErrors).toEqual([]);
});
afterAll(() => stack?.stop());

/** Runs a refused change: the cart tables must be untouched and the payload must show the cart as it is. */
async function refused(
  attempt: () => Promise<{ cart?: { version: number } | null; userErrors: CartUserErrorFieldsFragment[] }>,
): Promise<CartUserErrorFieldsFragment[]> {
  const before = (await stack.run(MyCartDocument, {}, BUYER)).data!.me!.cart;
  const payload = await expectUnchanged(stack.cart.server.database, CART_TABLES, attempt);
  expect(payload.userErrors.length).toBeGreaterThan(0);
  expect(payload.cart?.version).toBe(before.version);
  return payload.userErrors;
}

const add = (variantId: string, quantity: number) =>
  stack.run(AddToCartDocument, { variantId, quantity }, BUYER).then((r) => r.data!.addToCart);

test('an unknown variant', async () => {
  expect((await refused(() => add('no-such-variant', 1)))[0]).toMatchObject({ code: 'VARIANT_NOT_FOUND', field: ['variantId'] });
});

test('a variant taken off sale, or of an archived product', async () => {
  const {
    variants: [removed],
  } = await createProduct('Gone Soon', 'USD', 1);
  await stack.run(RemoveVariantDocument, { id: removed }, ADMIN);
  expect((await refused(() => add(removed, 1)))[0].code).toBe('VARIANT_UNAVAILABLE');
  const archived = await createProduct('Archived Chews', 'USD', 1);
  await stack.run(ArchiveProductDocument, { id: archived.id }, ADMIN);
  expect((await refused(() => add(archived.variants[0], 1)))[0].code).toBe('VARIANT_UNAVAILABLE');
});

test('a quantity below 1', async () => {
  for (const quantity of [0, -3]) {
    expect((await refused(() => add(usd[1], quantity)))[0]).toMatchObject({ code: 'INVALID_QUANTITY', field: ['quantity'] });
  }
});

test('more units in a line than the line limit, in one add or by incrementing', async () => {
  expect((await refused(() => add(usd[1], 6)))[0].code).toBe('LINE_QUANTITY_LIMIT');
  expect((await refused(() => add(usd[0], 4)))[0].code).toBe('LINE_QUANTITY_LIMIT'); // 2 + 4 > 5
});

test('more units than in stock', async () => {
  await stack.run(SetStockDocument, { variantId: usd[2], stock: 2 }, ADMIN);
  const [error] = await refused(() => add(usd[2], 3));
  expect(error).toMatchObject({ code: 'INSUFFICIENT_STOCK', field: ['quantity'] });
  expect(error.message).toMatch(/Only 2/);
  await stack.run(SetStockDocument, { variantId: usd[2], stock: 50 }, ADMIN);
});

test('a variant priced in another currency than the cart', async () => {
  expect((await refused(() => add(eur, 1)))[0].code).toBe('CURRENCY_MISMATCH');
});

test('more lines than the cart limit', async () => {
  expect((await add(usd[1], 1)).userErrors).toEqual([]);
  expect((await add(usd[2], 1)).userErrors).toEqual([]);
  expect((await refused(() => add(usd[3], 1)))[0].code).toBe('CART_LINES_LIMIT');
});

test('updateCartLine: unknown line, negative quantity, over the line limit, over stock', async () => {
  const cart = (await stack.run(MyCartDocument, {}, BUYER)).data!.me!.cart;
  const line = cart.lines[0];
  const update = (lineId: string, quantity: number) =>
    stack.run(UpdateCartLineDocument, { lineId, quantity }, BUYER).then((r) => r.data!.updateCartLine);
  expect((await refused(() => update('no-such-line', 1)))[0].code).toBe('LINE_NOT_FOUND');
  expect((await refused(() => update(line.id, -1)))[0].code).toBe('INVALID_QUANTITY');
  expect((await refused(() => update(line.id, 6)))[0].code).toBe('LINE_QUANTITY_LIMIT');
  await stack.run(SetStockDocument, { variantId: line.variant.id, stock: 3 }, ADMIN);
  expect((await refused(() => update(line.id, 4)))[0].code).toBe('INSUFFICIENT_STOCK');
  // Lowering a quantity is always allowed, even when stock has fallen below it.
  await stack.run(SetStockDocument, { variantId: line.variant.id, stock: 0 }, ADMIN);
  expect((await update(line.id, 1)).userErrors).toEqual([]);
  await stack.run(SetStockDocument, { variantId: line.variant.id, stock: 50 }, ADMIN);
});

test('removeCartLine of an unknown line', async () => {
  const errors = await refused(() => stack.run(RemoveCartLineDocument, { lineId: 'nope' }, BUYER).then((r) => r.data!.removeCartLine));
  expect(errors[0].code).toBe('LINE_NOT_FOUND');
});

test('a merge that would exceed the line limit moves nothing and keeps the guest cart open', async () => {
  const guest = (await stack.run(CreateGuestCartDocument, {})).data!.createGuestCart;
  const token = guest.guestCartToken;
  const addAsGuest = await stack.run(AddToCartDocument, { variantId: usd[4], quantity: 1, guestCartToken: token });
  expect(addAsGuest.data?.addToCart.userErrors).toEqual([]);
  const errors = await refused(() => stack.run(MergeGuestCartDocument, { guestCartToken: token }, BUYER).then((r) => r.data!.mergeGuestCart));
  expect(errors[0].code).toBe('CART_LINES_LIMIT');
  const stillThere = await stack.run(AddToCartDocument, { variantId: usd[4], quantity: 1, guestCartToken: token });
  expect(stillThere.data?.addToCart.cart?.lines[0].quantity).toBe(2);
});

test('a visitor without a token or a guest cart is told to sign in', async () => {
  const response = await stack.run(AddToCartDocument, { variantId: usd[0], quantity: 1 });
  expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
});

describe('boundaries', () => {
  const addAs = (caller: Caller, variantId: string, quantity: number, guestCartToken?: string) =>
    stack.run(AddToCartDocument, { variantId, quantity, guestCartToken }, guestCartToken ? undefined : caller).then((r) => r.data!.addToCart);
  const guestWith = async (variantId: string) => {
    const token = (await stack.run(CreateGuestCartDocument, {})).data!.createGuestCart.guestCartToken;
    expect((await addAs(BUYER, variantId, 1, token)).userErrors).toEqual([]);
    return token;
  };

  test('adding exactly the remaining stock is accepted; one unit more is refused', async () => {
    const caller: Caller = { userId: 'exact-stock' };
    await stack.run(SetStockDocument, { variantId: usd[3], stock: 4 }, ADMIN);
    try {
      expect((await addAs(caller, usd[3], 4)).userErrors).toEqual([]);
      const more = await expectUnchanged(stack.cart.server.database, CART_TABLES, () => addAs(caller, usd[3], 1));
      expect(more.userErrors.map((e) => e.code)).toEqual(['INSUFFICIENT_STOCK']);
    } finally {
      await stack.run(SetStockDocument, { variantId: usd[3], stock: 50 }, ADMIN);
    }
  });

  test('a merge landing exactly on the line limit is accepted', async () => {
    const caller: Caller = { userId: 'exact-lines' };
    expect((await addAs(caller, usd[0], 1)).userErrors).toEqual([]);
    expect((await addAs(caller, usd[1], 1)).userErrors).toEqual([]);
    const token = await guestWith(usd[2]);
    const merged = (await stack.run(MergeGuestCartDocument, { guestCartToken: token }, caller)).data!.mergeGuestCart;
    expect(merged.userErrors).toEqual([]);
    expect(merged.cart!.lines.map((l) => l.variant.id)).toEqual([usd[0], usd[1], usd[2]]);
  });

  test('a merge mixing currencies is refused, moves nothing and keeps the guest cart open', async () => {
    const caller: Caller = { userId: 'mixed-currency' };
    expect((await addAs(caller, usd[0], 1)).userErrors).toEqual([]);
    const token = await guestWith(eur);
    const merge = await expectUnchanged(stack.cart.server.database, CART_TABLES, () =>
      stack.run(MergeGuestCartDocument, { guestCartToken: token }, caller).then((r) => r.data!.mergeGuestCart),
    );
    expect(merge.userErrors.map((e) => e.code)).toEqual(['CURRENCY_MISMATCH']);
    expect((await stack.run(GuestCartDocument, { token })).data!.guestCart!.lines.map((l) => l.variant.id)).toEqual([eur]);
  });

  test('lines of a removed variant, then of an archived product, show available: false; the others stay available', async () => {
    const caller: Caller = { userId: 'off-sale-watcher' };
    const product = await createProduct('Soon Gone', 'USD', 2);
    for (const id of product.variants) expect((await addAs(caller, id, 1)).userErrors).toEqual([]);
    const availability = async () =>
      Object.fromEntries((await stack.run(MyCartDocument, {}, caller)).data!.me!.cart.lines.map((l) => [l.variant.id, l.available]));
    expect(await availability()).toEqual({ [product.variants[0]]: true, [product.variants[1]]: true });
    await stack.run(RemoveVariantDocument, { id: product.variants[0] }, ADMIN);
    expect(await availability()).toEqual({ [product.variants[0]]: false, [product.variants[1]]: true });
    await stack.run(ArchiveProductDocument, { id: product.id }, ADMIN);
    expect(await availability()).toEqual({ [product.variants[0]]: false, [product.variants[1]]: false });
  });
});
