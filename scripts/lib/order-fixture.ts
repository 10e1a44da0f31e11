/**
 * The order scenarios' data, prepared through the gateway before any load, the way a storefront would:
 * shoppers whose carts are filled (AddToCart, one distinct variant a line, one unit each) and who will
 * each check out exactly once with a key of their own, and a shopper with a purchase history.
 */
import { print } from 'graphql';
import { CheckoutDocument, MyOrdersDocument, type CheckoutMutation } from '@storefront/client';
import { bearer, signToken } from './cart-fixture';
import { dataOf, postGraphQL, type Target } from './graphql-http';

export const CHECKOUT_QUERY = print(CheckoutDocument);
export const MY_ORDERS_QUERY = print(MyOrdersDocument);

/**
 * AddToCart with the smallest selection that proves the add: the client's AddToCart selects the whole
 * cart, every line priced by the catalog, which makes filling a 50-line cart cost 50 x 50 line
 * resolutions. The write is the same; only the answer is smaller.
 */
const FILL_QUERY = /* GraphQL */ `
  mutation BenchFillCart($variantId: ID!, $quantity: Int!) {
    addToCart(variantId: $variantId, quantity: $quantity) {
      cart {
        totalQuantity
      }
      userErrors {
        code
        message
      }
    }
  }
`;

interface FillCartData {
  addToCart: { cart: { totalQuantity: number } | null; userErrors: { code: string; message: string }[] };
}

/** Carts fill this many at a time (each cart's own adds one after another). */
const FILL_CONCURRENCY = 10;

/** A shopper with a filled cart and the key of the one checkout they are for. */
export interface Shopper {
  userId: string;
  headers: Record<string, string>;
  idempotencyKey: string;
  /** Lines in the cart: one unit of a distinct variant each, so the order's totalQuantity is the same. */
  lines: number;
}

/**
 * The variants of cart `user` of a pool: `lines` consecutive ones of `variantIds`, wrapping around, the
 * next cart starting where the previous ended. Distinct within a cart (lines <= variantIds.length), and
 * spread over all of them so that concurrent checkouts rarely take stock of the same rows.
 */
function variantsOf(variantIds: string[], user: number, lines: number): string[] {
  return Array.from({ length: lines }, (_, j) => variantIds[(user * lines + j) % variantIds.length]);
}

/** Adds `variants` to the shopper's cart, one unit each, in turn; every answer is checked. */
async function fillCart(gateway: Target, headers: Record<string, string>, variants: string[], what: string, checkpoint: () => void): Promise<void> {
  for (let i = 0; i < variants.length; i += 1) {
    checkpoint();
    const step = `${what} (line ${i + 1})`;
    const data = dataOf<FillCartData>(step, await postGraphQL(gateway, { query: FILL_QUERY, variables: { variantId: variants[i], quantity: 1 } }, headers));
    const { cart, userErrors } = data.addToCart;
    if (userErrors.length > 0) throw new Error(`${step} was refused: ${JSON.stringify(userErrors)}`);
    if (cart?.totalQuantity !== i + 1) throw new Error(`${step}: the cart holds ${cart?.totalQuantity ?? 'no'} units, expected ${i + 1}.`);
  }
}

/**
 * `users` shoppers (ids `<prefix>-<n>`) whose carts hold `lines` distinct variants of `variantIds`, one
 * unit each, filled through the gateway FILL_CONCURRENCY carts at a time. Their variants must have the
 * stock for every checkout planned (raise it first). `checkpoint` runs between requests and throws to stop.
 */
export async function fillShopperCarts(options: {
  gateway: Target;
  jwtSecret: string;
  prefix: string;
  users: number;
  lines: number;
  variantIds: string[];
  checkpoint: () => void;
}): Promise<Shopper[]> {
  const { gateway, jwtSecret, prefix, users, lines, variantIds, checkpoint } = options;
  if (variantIds.length < lines) throw new Error(`A cart of ${lines} distinct lines needs ${lines} variants; the catalog offers ${variantIds.length}.`);
  const shoppers: Shopper[] = [];
  for (let u = 0; u < users; u += 1) {
    const userId = `${prefix}-${u}`;
    shoppers.push({ userId, headers: bearer(await signToken(jwtSecret, userId)), idempotencyKey: `${prefix}-${u}-checkout`, lines });
  }
  let next = 0;
  const worker = async () => {
    while (next < shoppers.length) {
      const u = next++;
      await fillCart(gateway, shoppers[u].headers, variantsOf(variantIds, u, lines), `Filling the cart of ${shoppers[u].userId}`, checkpoint);
    }
  };
  await Promise.all(Array.from({ length: Math.min(FILL_CONCURRENCY, users) }, worker));
  return shoppers;
}

/** What is wrong with a checkout answer for a cart of `lines` lines (one unit each), if anything. */
export function checkCheckout(data: CheckoutMutation, lines: number): string | undefined {
  const { order, userErrors } = data.checkout;
  if (userErrors.length > 0) return `userErrors ${JSON.stringify(userErrors)}`;
  if (!order) return 'no order';
  if (order.lines.length !== lines) return `the order has ${order.lines.length} lines, expected ${lines}`;
  if (order.totalQuantity !== lines) return `the order has ${order.totalQuantity} units, expected ${lines}`;
  return order.status === 'PLACED' ? undefined : `order status ${order.status}`;
}

/** Checks out the shopper's cart through the gateway, once, and checks the answer. */
export async function checkOut(gateway: Target, shopper: Shopper, what: string): Promise<NonNullable<CheckoutMutation['checkout']['order']>> {
  const data = dataOf<CheckoutMutation>(
    what,
    await postGraphQL(gateway, { query: CHECKOUT_QUERY, variables: { input: { idempotencyKey: shopper.idempotencyKey } } }, shopper.headers),
  );
  const problem = checkCheckout(data, shopper.lines);
  if (problem) throw new Error(`${what}: ${problem}`);
  return data.checkout.order!;
}

export interface OrderHistory {
  userId: string;
  headers: Record<string, string>;
  orders: number;
  linesPerOrder: number;
}

/**
 * One shopper with `orders` orders of `linesPerOrder` lines each: fill the cart, check out, again, in
 * turn (a cart is checked out whole, so one user's orders cannot be placed in parallel).
 */
export async function placeOrderHistory(options: {
  gateway: Target;
  jwtSecret: string;
  userId: string;
  orders: number;
  linesPerOrder: number;
  variantIds: string[];
  checkpoint: () => void;
}): Promise<OrderHistory> {
  const { gateway, jwtSecret, userId, orders, linesPerOrder, variantIds, checkpoint } = options;
  const headers = bearer(await signToken(jwtSecret, userId));
  for (let n = 0; n < orders; n += 1) {
    const what = `Placing order ${n + 1} of ${orders} of ${userId}`;
    await fillCart(gateway, headers, variantsOf(variantIds, n, linesPerOrder), what, checkpoint);
    checkpoint();
    await checkOut(gateway, { userId, headers, idempotencyKey: `${userId}-order-${n}`, lines: linesPerOrder }, what);
  }
  return { userId, headers, orders, linesPerOrder };
}
