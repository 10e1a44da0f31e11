/** Scenarios (a name and a request builder), targets and groups: what is measured, against what, compared how. */
import { print } from 'graphql';
import { MyCartDocument, ProductDocument, ProductsDocument, type AddToCartMutation, type CheckoutMutation, type MyCartQuery, type MyOrdersQuery, type ProductQuery, type ProductsQuery } from '@storefront/client';
import { ADD_TO_CART_QUERY, bearer, type Adders, type FilledCart } from '../lib/cart-fixture';
import { type Target } from '../lib/graphql-http';
import { type LoadRequest } from '../lib/load';
import { CHECKOUT_QUERY, checkCheckout, MY_ORDERS_QUERY, type OrderHistory, type Shopper } from '../lib/order-fixture';
import { ADD_RATE_CEILING, CART_MAX_LINE_QUANTITY, HISTORY_PAGE, MIN_ADDERS } from './settings';

/** What catalog scenarios draw on: real data from the bench database and the running catalog. */
export interface Fixture {
  productIds: string[];
  /** `after` values for successive pages of the plain listing; null is the first page. */
  listingCursors: (string | null)[];
}

export interface Scenario {
  name: string;
  /**
   * The i-th request of a run; i restarts at 0 for every run, so both targets get the same sequence.
   * Mutations cannot repeat a sequence: addToCart ignores i and carries on where its last run stopped.
   */
  request(i: number): LoadRequest;
  /** Checks one parsed `data` in the pre-flight, beyond "no errors"; returns what is wrong, if anything. */
  check(data: unknown): string | undefined;
  /** Checks every response body under load, beyond "2xx, no errors" (cheaply: no full parse). */
  verify?(body: string): string | undefined;
  /**
   * Requests in the warm-up instead of WARMUP_SECONDS: what must happen before measuring is meaningful.
   * 0: no warm-up here, the scenario warmed up before (checkout: its probe).
   */
  warmupRequests?: number;
  /**
   * A fixed number of requests per measured slice instead of a share of the duration: for requests that
   * use something up (a checkout empties a cart), so exactly what was prepared is used, and no request
   * is left unanswered when a timed run stops (it would still have checked out, uncounted).
   */
  requestsPerSlice?: number;
}

/** One scenario on one target: a row of the table. */
export interface Arm {
  scenario: Scenario;
  target: Target;
}

/** A row comparing two arms of a group, column by column: numerator over denominator. */
export interface Ratio {
  scenario: string;
  /** Shown in the target column, for example gateway/direct. */
  label: string;
  numerator: Arm;
  denominator: Arm;
}

/** Arms measured together, taking turns, then reported one row each followed by their ratios. */
export interface Group {
  arms: Arm[];
  ratios: Ratio[];
}

export const PRODUCT_QUERY = print(ProductDocument);
export const PRODUCTS_QUERY = print(ProductsDocument);
export const MY_CART_QUERY = print(MyCartDocument);

export const SCENARIOS: ((fixture: Fixture) => Scenario)[] = [
  (fixture) => ({
    name: 'product(id)',
    request: (i) => ({ body: { query: PRODUCT_QUERY, variables: { id: fixture.productIds[i % fixture.productIds.length] } } }),
    check: (data) => ((data as ProductQuery).product?.variants.length ? undefined : 'product is null or has no variants'),
  }),
  (fixture) => ({
    name: 'products(first: 20)',
    request: (i) => ({
      body: { query: PRODUCTS_QUERY, variables: { first: 20, after: fixture.listingCursors[i % fixture.listingCursors.length] } },
    }),
    check: (data) => {
      const { edges, totalCount } = (data as ProductsQuery).products;
      return edges.length === Math.min(20, totalCount) ? undefined : `page has ${edges.length} of ${totalCount} products`;
    },
  }),
];

/** Each catalog scenario on both targets, direct first, and how the gateway compares. */
export function catalogGroups(fixture: Fixture, targets: { direct: Target; gateway: Target }): Group[] {
  return SCENARIOS.map((make) => {
    const scenario = make(fixture);
    const direct = { scenario, target: targets.direct };
    const gateway = { scenario, target: targets.gateway };
    return { arms: [direct, gateway], ratios: [{ scenario: scenario.name, label: 'gateway/direct', numerator: gateway, denominator: direct }] };
  });
}

/** Where totalQuantity sits in a cart body: before the lines, so the scan stops early even for 100 lines. */
export const TOTAL_QUANTITY = /"totalQuantity":\s*(\d+)/;

/** The signed-in user's cart, whole (lines, variants and their attributes from the catalog, prices). */
export function myCartScenario(cart: FilledCart): Scenario {
  const headers = bearer(cart.token);
  return {
    name: `MyCart ${cart.lines} line${cart.lines === 1 ? '' : 's'}`,
    request: () => ({ body: { query: MY_CART_QUERY }, headers }),
    check: (data) => {
      const found = (data as MyCartQuery).me?.cart;
      if (!found) return 'no cart';
      if (found.lines.length !== cart.lines) return `the cart has ${found.lines.length} lines, expected ${cart.lines}`;
      if (found.lines.some((line) => !line.available || !line.variant.product.name)) return 'a line is unavailable or has no product';
      return found.subtotal ? undefined : 'no subtotal';
    },
    // One unit per line: the right cart, whole, has totalQuantity = lines.
    verify: (body) => {
      const quantity = TOTAL_QUANTITY.exec(body)?.[1];
      return quantity === String(cart.lines) ? undefined : `totalQuantity ${quantity ?? 'missing'}, expected ${cart.lines}`;
    },
  };
}

export const NO_USER_ERRORS = /"userErrors":\s*\[\s*\]/;

/**
 * One unit of a variant into the cart of the next of many users, in turn: request n is user n mod
 * users, always with the same variant, so a cart holds one line and it grows by 1 per turn. The warm-up
 * is one turn of every user, which creates their carts and lines: what is measured is adding to a cart
 * that exists, never a first use. The number of users keeps every line under the per-line limit (see
 * adderCount); a refusal would count as an error.
 */
export function addToCartScenario(adders: Adders): Scenario {
  const headers = adders.tokens.map(bearer);
  let sent = 0;
  return {
    name: 'addToCart',
    request: () => {
      const user = sent++ % adders.tokens.length;
      const variantId = adders.variantIds[user % adders.variantIds.length];
      return { body: { query: ADD_TO_CART_QUERY, variables: { variantId, quantity: 1 } }, headers: headers[user] };
    },
    check: (data) => {
      const { cart, userErrors } = (data as AddToCartMutation).addToCart;
      return userErrors.length > 0 ? `userErrors ${JSON.stringify(userErrors)}` : cart ? undefined : 'no cart';
    },
    verify: (body) => (NO_USER_ERRORS.test(body) ? undefined : `userErrors ${userErrorCodes(body)}`),
    // The pre-flight took user 0's turn already.
    warmupRequests: adders.tokens.length - 1,
  };
}

export function userErrorCodes(body: string): string {
  try {
    const { data } = JSON.parse(body) as { data?: AddToCartMutation };
    return data?.addToCart.userErrors.map((e) => e.code).join(', ') || 'missing';
  } catch {
    return 'unreadable';
  }
}

/**
 * Users for addToCart: each adds one variant, one unit a turn, so a user can take CART_MAX_LINE_QUANTITY
 * turns, one of them in the warm-up. Enough users that even ADD_RATE_CEILING requests a second for the
 * measured seconds (and a margin) leave every line under the limit.
 */
export function adderCount(seconds: number): number {
  const measuredTurns = ADD_RATE_CEILING * (seconds + 5);
  return Math.max(MIN_ADDERS, Math.ceil(measuredTurns / (CART_MAX_LINE_QUANTITY - 1)));
}

export function cartGroups(carts: FilledCart[], adders: Adders, gateway: Target): Group[] {
  const arms = carts.map((cart) => ({ scenario: myCartScenario(cart), target: gateway }));
  const smallest = arms[0];
  const largest = arms[arms.length - 1];
  return [
    {
      arms,
      ratios: [
        { scenario: 'MyCart', label: `${carts[carts.length - 1].lines}/${carts[0].lines} lines`, numerator: largest, denominator: smallest },
      ],
    },
    { arms: [{ scenario: addToCartScenario(adders), target: gateway }], ratios: [] },
  ];
}

/** Shoppers whose carts are filled for checkout, used up in turn: one checkout each. */
export interface CheckoutPool {
  lines: number;
  shoppers: Shopper[];
  next: number;
}

export const PRODUCT_NAME = /"productName"\s*:/g;

export function occurrences(body: string, pattern: RegExp): number {
  return body.match(pattern)?.length ?? 0;
}

/** A checkout answer, cheaply: no userErrors, the order's units (totalQuantity comes first) and its lines. */
export function verifyCheckout(body: string, lines: number): string | undefined {
  if (!NO_USER_ERRORS.test(body)) return `userErrors ${checkoutErrorCodes(body)}`;
  const quantity = TOTAL_QUANTITY.exec(body)?.[1];
  if (quantity !== String(lines)) return `totalQuantity ${quantity ?? 'missing (no order)'}, expected ${lines}`;
  const found = occurrences(body, PRODUCT_NAME);
  return found === lines ? undefined : `${found} order lines, expected ${lines}`;
}

export function checkoutErrorCodes(body: string): string {
  try {
    const { data } = JSON.parse(body) as { data?: CheckoutMutation };
    return data?.checkout.userErrors.map((e) => e.code).join(', ') || 'missing';
  } catch {
    return 'unreadable';
  }
}

/**
 * Checkout of a freshly filled cart: request n is the n-th shopper of the pool with their own key, so
 * every request turns a full cart into an order (cart claim, stock reservation, order, cart emptied).
 * The pool holds exactly the pre-flight plus the measured requests; should a run ever ask for more, the
 * extra requests get an empty cart and a new key (EMPTY_CART, counted as an error), never a replay.
 */
export function checkoutScenario(pool: CheckoutPool, requestsPerSlice: number): Scenario {
  const { lines } = pool;
  return {
    name: `checkout ${lines} line${lines === 1 ? '' : 's'}`,
    request: () => {
      const n = pool.next++;
      const shopper = pool.shoppers[Math.min(n, pool.shoppers.length - 1)];
      const idempotencyKey = n < pool.shoppers.length ? shopper.idempotencyKey : `${shopper.idempotencyKey}-extra-${n}`;
      return { body: { query: CHECKOUT_QUERY, variables: { input: { idempotencyKey } } }, headers: shopper.headers };
    },
    check: (data) => checkCheckout(data as CheckoutMutation, lines),
    verify: (body) => verifyCheckout(body, lines),
    warmupRequests: 0,
    requestsPerSlice,
  };
}

/**
 * Checkout again with a key that already placed an order (a client retry): the same order comes back
 * without claiming, reserving or writing anything. Rotates over shoppers the probe checked out.
 */
export function checkoutReplayScenario(shoppers: Shopper[]): Scenario {
  const { lines } = shoppers[0];
  let sent = 0;
  return {
    name: `checkout ${lines} lines, key replayed`,
    request: () => {
      const shopper = shoppers[sent++ % shoppers.length];
      return { body: { query: CHECKOUT_QUERY, variables: { input: { idempotencyKey: shopper.idempotencyKey } } }, headers: shopper.headers };
    },
    check: (data) => checkCheckout(data as CheckoutMutation, lines),
    verify: (body) => verifyCheckout(body, lines),
  };
}

export const TOTAL_COUNT = /"totalCount":\s*(\d+)/;
export const EDGE_CURSOR = /"cursor"\s*:/g;

/** The first page of a purchase history: orders with all their lines, from the order database alone. */
export function myOrdersScenario(history: OrderHistory): Scenario {
  const page = Math.min(HISTORY_PAGE, history.orders);
  const headers = history.headers;
  return {
    name: `MyOrders first ${HISTORY_PAGE} of ${history.orders}`,
    request: () => ({ body: { query: MY_ORDERS_QUERY, variables: { first: HISTORY_PAGE } }, headers }),
    check: (data) => {
      const orders = (data as MyOrdersQuery).me?.orders;
      if (!orders) return 'no orders';
      if (orders.totalCount !== history.orders) return `totalCount ${orders.totalCount}, expected ${history.orders}`;
      if (orders.edges.length !== page) return `the page has ${orders.edges.length} orders, expected ${page}`;
      const short = orders.edges.find((edge) => edge.node.lines.length !== history.linesPerOrder);
      return short ? `order ${short.node.number} has ${short.node.lines.length} lines, expected ${history.linesPerOrder}` : undefined;
    },
    verify: (body) => {
      const total = TOTAL_COUNT.exec(body)?.[1];
      if (total !== String(history.orders)) return `totalCount ${total ?? 'missing'}, expected ${history.orders}`;
      const edges = occurrences(body, EDGE_CURSOR);
      if (edges !== page) return `${edges} orders, expected ${page}`;
      const lines = occurrences(body, PRODUCT_NAME);
      return lines === page * history.linesPerOrder ? undefined : `${lines} order lines, expected ${page * history.linesPerOrder}`;
    },
  };
}

/** What the order scenarios run on, prepared before measuring. */
export interface OrderFixture {
  pools: CheckoutPool[];
  /** Measured checkouts per slice, per pool. */
  requestsPerSlice: number[];
  /** Checkouts per second in the probe, per pool. */
  probeRates: number[];
  probeCheckouts: number;
  /** Shoppers of the largest size the probe checked out: their keys are replayed. */
  replayed: Shopper[];
  history: OrderHistory;
  variants: number;
}

export function orderGroups(order: OrderFixture, gateway: Target): Group[] {
  const arms = order.pools.map((pool, p) => ({ scenario: checkoutScenario(pool, order.requestsPerSlice[p]), target: gateway }));
  const smallest = arms[0];
  const largest = arms[arms.length - 1];
  const sizes = order.pools.map((pool) => pool.lines);
  return [
    {
      arms,
      ratios: [{ scenario: 'checkout', label: `${sizes[sizes.length - 1]}/${sizes[0]} lines`, numerator: largest, denominator: smallest }],
    },
    { arms: [{ scenario: checkoutReplayScenario(order.replayed), target: gateway }], ratios: [] },
    { arms: [{ scenario: myOrdersScenario(order.history), target: gateway }], ratios: [] },
  ];
}
