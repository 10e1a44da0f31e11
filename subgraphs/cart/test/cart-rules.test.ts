import { randomUUID } from 'node:crypto';
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
import { ADMIN, CART_TABLES, expectUnchanged, setUpOnce, startCartStack, testContext, type CartStack, type Caller } from '@storefront/testing';
import { CartLineSchema } from '../src/entities';

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

/**
 * A refusal as the shopper gets it: its code, the input field it names (where a form shows it) and a
 * message that says why. Every refusal below is checked whole, so a lost field or message fails too.
 */
const refusal = (code: string, field: string[], message: RegExp) => [{ code, field, message: expect.stringMatching(message) }];

const add = (variantId: string, quantity: number) =>
  stack.run(AddToCartDocument, { variantId, quantity }, BUYER).then((r) => r.data!.addToCart);

test('an unknown variant', async () => {
  expect(await refused(() => add('no-such-variant', 1))).toEqual(refusal('VARIANT_NOT_FOUND', ['variantId'], /^No variant has id no-such-variant\.$/));
});

test('a variant taken off sale, or of an archived product', async () => {
  const {
    variants: [removed],
  } = await createProduct('Gone Soon', 'USD', 1);
  await stack.run(RemoveVariantDocument, { id: removed }, ADMIN);
  expect(await refused(() => add(removed, 1))).toEqual(refusal('VARIANT_UNAVAILABLE', ['variantId'], /^Gone-Soon-0 is no longer for sale\.$/i));
  const archived = await createProduct('Archived Chews', 'USD', 1);
  await stack.run(ArchiveProductDocument, { id: archived.id }, ADMIN);
  expect(await refused(() => add(archived.variants[0], 1))).toEqual(refusal('VARIANT_UNAVAILABLE', ['variantId'], /no longer for sale/));
});

test('a quantity below 1', async () => {
  for (const quantity of [0, -3]) {
    expect(await refused(() => add(usd[1], quantity))).toEqual(refusal('INVALID_QUANTITY', ['quantity'], /^Add at least 1 unit\.$/));
  }
});

test('more units in a line than the line limit, in one add or by incrementing', async () => {
  const lineLimit = refusal('LINE_QUANTITY_LIMIT', ['quantity'], /^A line holds at most 5 units\.$/);
  expect(await refused(() => add(usd[1], 6))).toEqual(lineLimit);
  expect(await refused(() => add(usd[0], 4))).toEqual(lineLimit); // 2 + 4 > 5
});

test('more units than in stock', async () => {
  await stack.run(SetStockDocument, { variantId: usd[2], stock: 2 }, ADMIN);
  expect(await refused(() => add(usd[2], 3))).toEqual(refusal('INSUFFICIENT_STOCK', ['quantity'], /^Only 2 of DOLLAR-DROPS-2 in stock\.$/));
  await stack.run(SetStockDocument, { variantId: usd[2], stock: 50 }, ADMIN);
});

test('a variant priced in another currency than the cart', async () => {
  expect(await refused(() => add(eur, 1))).toEqual(refusal('CURRENCY_MISMATCH', ['variantId'], /^EURO-GUMS-0 is priced in EUR, the cart in USD\.$/));
});

test('more lines than the cart limit', async () => {
  expect((await add(usd[1], 1)).userErrors).toEqual([]);
  expect((await add(usd[2], 1)).userErrors).toEqual([]);
  expect(await refused(() => add(usd[3], 1))).toEqual(refusal('CART_LINES_LIMIT', ['variantId'], /^A cart holds at most 3 lines\.$/));
});

test('updateCartLine: unknown line, negative quantity, over the line limit, over stock', async () => {
  const cart = (await stack.run(MyCartDocument, {}, BUYER)).data!.me!.cart;
  const line = cart.lines[0];
  const update = (lineId: string, quantity: number) =>
    stack.run(UpdateCartLineDocument, { lineId, quantity }, BUYER).then((r) => r.data!.updateCartLine);
  expect(await refused(() => update('no-such-line', 1))).toEqual(refusal('LINE_NOT_FOUND', ['lineId'], /^No line no-such-line in your cart\.$/));
  expect(await refused(() => update(line.id, -1))).toEqual(refusal('INVALID_QUANTITY', ['quantity'], /^The quantity must be 0 or more\.$/));
  expect(await refused(() => update(line.id, 6))).toEqual(refusal('LINE_QUANTITY_LIMIT', ['quantity'], /at most 5 units/));
  await stack.run(SetStockDocument, { variantId: line.variant.id, stock: 3 }, ADMIN);
  expect(await refused(() => update(line.id, 4))).toEqual(refusal('INSUFFICIENT_STOCK', ['quantity'], /^Only 3 of /));
  // Lowering a quantity is always allowed, even when stock has fallen below it.
  await stack.run(SetStockDocument, { variantId: line.variant.id, stock: 0 }, ADMIN);
  expect((await update(line.id, 1)).userErrors).toEqual([]);
  await stack.run(SetStockDocument, { variantId: line.variant.id, stock: 50 }, ADMIN);
});

test('removeCartLine of an unknown line', async () => {
  const errors = await refused(() => stack.run(RemoveCartLineDocument, { lineId: 'nope' }, BUYER).then((r) => r.data!.removeCartLine));
  expect(errors).toEqual(refusal('LINE_NOT_FOUND', ['lineId'], /^No line nope in your cart\.$/));
});

test('a merge that would exceed the line limit moves nothing and keeps the guest cart open', async () => {
  const guest = (await stack.run(CreateGuestCartDocument, {})).data!.createGuestCart;
  const token = guest.guestCartToken;
  const addAsGuest = await stack.run(AddToCartDocument, { variantId: usd[4], quantity: 1, guestCartToken: token });
  expect(addAsGuest.data?.addToCart.userErrors).toEqual([]);
  const errors = await refused(() => stack.run(MergeGuestCartDocument, { guestCartToken: token }, BUYER).then((r) => r.data!.mergeGuestCart));
  expect(errors).toEqual(refusal('CART_LINES_LIMIT', ['guestCartToken'], /^Merged, the cart would hold more than 3 lines\.$/));
  const stillThere = await stack.run(AddToCartDocument, { variantId: usd[4], quantity: 1, guestCartToken: token });
  expect(stillThere.data?.addToCart.cart?.lines[0].quantity).toBe(2);
});

test('a guest token that opens no cart, to add to or to merge', async () => {
  const unknown = 'no-such-guest-cart-token';
  const adding = (await stack.run(AddToCartDocument, { variantId: usd[0], quantity: 1, guestCartToken: unknown })).data!.addToCart;
  expect(adding.userErrors).toEqual(refusal('CART_NOT_FOUND', ['guestCartToken'], /^No open guest cart has this token\.$/));
  expect(adding.cart).toBeNull();
  const merging = await refused(() => stack.run(MergeGuestCartDocument, { guestCartToken: unknown }, BUYER).then((r) => r.data!.mergeGuestCart));
  expect(merging).toEqual(refusal('CART_NOT_FOUND', ['guestCartToken'], /^No open guest cart has this token\.$/));
});

describe('lines the rules changed under', () => {
  const caller: Caller = { userId: 'changed-under' };
  const update = (lineId: string, quantity: number) =>
    stack.run(UpdateCartLineDocument, { lineId, quantity }, caller).then((r) => r.data!.updateCartLine);
  /** Writes a line straight into the cart's database: what older rules, or a catalog restored from backup, left behind. */
  const plantLine = async (variantId: string, quantity: number) => {
    const cart = await stack.cart.server.carts.userCart(testContext(stack.cart.server.database), caller.userId);
    const id = randomUUID();
    const now = new Date();
    await stack.cart.server.database.transaction((m) => m.insert(CartLineSchema, { id, cartId: cart.id, variantId, quantity, currencyCode: 'USD', addedAt: now, updatedAt: now }));
    return id;
  };
  test('a line of a variant the catalog does not know cannot grow: VARIANT_NOT_FOUND on the line, nothing changed', async () => {
    const lineId = await plantLine('variant-the-catalog-lost', 1);
    const errors = await expectUnchanged(stack.cart.server.database, CART_TABLES, () => update(lineId, 2).then((r) => r.userErrors));
    expect(errors).toEqual(refusal('VARIANT_NOT_FOUND', ['lineId'], /^No variant has id variant-the-catalog-lost\.$/));
    expect((await update(lineId, 0)).userErrors).toEqual([]); // it can still go
  });

  test('a line above a lowered line limit can only come down to the limit', async () => {
    const lineId = await plantLine(usd[4], 8); // the limit is 5 now
    expect(await expectUnchanged(stack.cart.server.database, CART_TABLES, () => update(lineId, 6).then((r) => r.userErrors))).toEqual(
      refusal('LINE_QUANTITY_LIMIT', ['quantity'], /^A line holds at most 5 units\.$/),
    );
    expect((await update(lineId, 5)).userErrors).toEqual([]);
    expect((await update(lineId, 0)).userErrors).toEqual([]);
  });

  test('keeping a quantity that stock has fallen below is allowed: only growth needs stock', async () => {
    const added = (await stack.run(AddToCartDocument, { variantId: usd[3], quantity: 3 }, caller)).data!.addToCart;
    expect(added.userErrors).toEqual([]);
    const lineId = added.cart!.lines.find((l) => l.variant.id === usd[3])!.id;
    await stack.run(SetStockDocument, { variantId: usd[3], stock: 1 }, ADMIN);
    try {
      expect((await update(lineId, 3)).userErrors).toEqual([]);
      expect((await update(lineId, 4)).userErrors).toEqual(refusal('INSUFFICIENT_STOCK', ['quantity'], /^Only 1 of /));
    } finally {
      await stack.run(SetStockDocument, { variantId: usd[3], stock: 50 }, ADMIN);
      await update(lineId, 0);
    }
  });
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
    expect(merge.userErrors).toEqual(refusal('CURRENCY_MISMATCH', ['guestCartToken'], /^The guest cart is priced in another currency than your cart\.$/));
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
