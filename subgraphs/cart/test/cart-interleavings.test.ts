import {
  AddToCartDocument,
  CreateGuestCartDocument,
  CreateProductDocument,
  GuestCartDocument,
  MergeGuestCartDocument,
  MyCartDocument,
  RemoveCartLineDocument,
  UpdateCartLineDocument,
} from '@storefront/client';
import { CATALOG_API } from '@storefront/contracts';
import { ADMIN, holdRow, startCartStack, startRouteGate, type CartStack, type Caller, type RouteGate } from '@storefront/testing';

/**
 * Cart writes check the catalog (prices, stock) before they take the cart's lock, so another write can
 * land in between; and a user's cart is created on first use, by whichever request comes first. Each
 * interleaving is forced: the cart reaches the catalog through a gate that holds or refuses the lookup,
 * or the row is held so both requests queue. Nothing is left to timing.
 */
const LOOKUP = `/internal${CATALOG_API.lookupVariants.path}`;

let gate: RouteGate;
let stack: CartStack;
let variants: string[];

beforeAll(async () => {
  gate = await startRouteGate();
  stack = await startCartStack({ CATALOG_URL: gate.url });
  gate.target = stack.catalog.url;
  const created = await stack.run(
    CreateProductDocument,
    {
      input: {
        name: 'Interleaved Gum',
        kind: 'CANDY',
        price: { amount: 150, currencyCode: 'USD' },
        variants: [0, 1, 2].map((i) => ({ sku: `INTERLEAVED-${i}`, stock: 40, attributes: { candy: { flavor: `flavour ${i}`, weightGrams: 20 } } })),
      },
    },
    ADMIN,
  );
  expect(created.data?.createProduct.userErrors).toEqual([]);
  variants = created.data!.createProduct.product!.variants.map((v) => v.id);
});
afterAll(async () => {
  await stack?.stop();
  await gate?.stop();
});

const add = async (caller: Caller | string, variantId: string, quantity: number) => {
  const guest = typeof caller === 'string';
  const response = await stack.run(AddToCartDocument, { variantId, quantity, guestCartToken: guest ? caller : undefined }, guest ? undefined : caller);
  expect(response.data?.addToCart.userErrors).toEqual([]);
  return response.data!.addToCart.cart!;
};

test('a line removed while its quantity change waits for the catalog: LINE_NOT_FOUND, and the removal stands', async () => {
  const shopper: Caller = { userId: 'slow-updater' };
  const cart = await add(shopper, variants[0], 2);
  const lineId = cart.lines[0].id;
  gate.holdNext(LOOKUP);
  const updating = stack.run(UpdateCartLineDocument, { lineId, quantity: 3 }, shopper);
  await gate.holding(LOOKUP); // the update read the line and is asking the catalog about it
  const removed = await stack.run(RemoveCartLineDocument, { lineId }, shopper);
  expect(removed.data?.removeCartLine.userErrors).toEqual([]);
  gate.release(LOOKUP);
  const update = (await updating).data!.updateCartLine;
  expect(update.userErrors).toEqual([{ code: 'LINE_NOT_FOUND', field: ['lineId'], message: `No line ${lineId} in your cart.` }]);
  expect(update.cart!.lines).toEqual([]);
});

test('two shoppers merge the same guest cart: the second to get there is told it is gone, and its cart is untouched', async () => {
  const token = (await stack.run(CreateGuestCartDocument, {})).data!.createGuestCart.guestCartToken;
  await add(token, variants[1], 2);
  const first: Caller = { userId: 'merges-first' };
  const second: Caller = { userId: 'merges-second' };
  await add(second, variants[0], 1);
  gate.holdNext(LOOKUP);
  const late = stack.run(MergeGuestCartDocument, { guestCartToken: token }, second);
  await gate.holding(LOOKUP); // the second found the guest cart open and is pricing both carts
  const merged = (await stack.run(MergeGuestCartDocument, { guestCartToken: token }, first)).data!.mergeGuestCart;
  expect(merged.userErrors).toEqual([]);
  expect(merged.cart!.lines.map((l) => [l.variant.id, l.quantity])).toEqual([[variants[1], 2]]);
  gate.release(LOOKUP);
  const refused = (await late).data!.mergeGuestCart;
  expect(refused.userErrors).toEqual([{ code: 'CART_NOT_FOUND', field: ['guestCartToken'], message: 'No open guest cart has this token.' }]);
  expect(refused.cart!.lines.map((l) => [l.variant.id, l.quantity])).toEqual([[variants[0], 1]]);
  expect((await stack.run(GuestCartDocument, { token })).data!.guestCart).toBeNull();
});

test('with the catalog unreachable, a line can still be set to 0 (removed): only growing needs the catalog', async () => {
  const shopper: Caller = { userId: 'catalog-outage' };
  const cart = await add(shopper, variants[2], 2);
  const lineId = cart.lines[0].id;
  gate.fail(LOOKUP);
  try {
    const asked = gate.forwarded(LOOKUP);
    const removed = (await stack.run(UpdateCartLineDocument, { lineId, quantity: 0 }, shopper)).data!.updateCartLine;
    expect(removed.userErrors).toEqual([]);
    expect(removed.cart!.lines).toEqual([]);
    expect(gate.forwarded(LOOKUP)).toBe(asked);
  } finally {
    gate.pass(LOOKUP);
  }
});

test("a new user's first two requests at once end with one cart, the same for both", async () => {
  const newcomer: Caller = { userId: 'first-time-twice' };
  // Both find no cart, then queue to create it: the second create finds the first one's cart.
  const holder = await holdRow(stack.cart.server.database, 'cart', newcomer.userId, 'user_id');
  const both = [0, 1].map(() => stack.run(MyCartDocument, {}, newcomer));
  await holder.queued(2);
  await holder.release();
  const [a, b] = await Promise.all(both);
  expect(a.errors).toBeUndefined();
  expect(b.errors).toBeUndefined();
  expect(a.data!.me!.cart.id).toBe(b.data!.me!.cart.id);
  const rows = (await stack.cart.server.database.dataSource.query('SELECT COUNT(*) AS n FROM cart WHERE user_id = ?', [newcomer.userId])) as { n: unknown }[];
  expect(Number(rows[0].n)).toBe(1);
});
