/**
 * What the gateway costs, what carts cost and what checkout costs: GraphQL operations sent with
 * autocannon to the gateway and directly to the catalog subgraph, and cart and order operations through
 * the gateway, against real child processes (catalog, cart, order, gateway) over dedicated bench databases.
 *
 *   npm run bench -- [--products N] [--duration S] [--connections C] [--fresh] [--only catalog|cart|order]
 *
 * The machine is shared with the services under test and with whatever else runs, so absolute numbers
 * move between runs; ratios measured in the same run (gateway/direct, 100 lines/1 line, 50 lines/1 line)
 * are the numbers to compare. A scenario is a name and a request builder, a target a name, URL and
 * headers; a group is scenarios on targets that take turns, with the ratios between them to report.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { print } from 'graphql';
import {
  MyCartDocument,
  ProductDocument,
  ProductsDocument,
  type AddToCartMutation,
  type CheckoutMutation,
  type MyCartQuery,
  type MyOrdersQuery,
  type ProductQuery,
  type ProductsQuery,
} from '@storefront/client';
import { SUBGRAPHS, type SubgraphName } from '@storefront/contracts';
import { dropDatabase, envPrefix, type Database } from '@storefront/service-kit';
import { type CatalogConfig, loadCatalogConfig, ProductSchema } from '@storefront/catalog';
import { freePort, type ServiceProcess, spawnService } from '@storefront/testing/processes';
import { parseCommandLine, positiveInteger, usageError } from './lib/args';
import { ADD_TO_CART_QUERY, bearer, fillCarts, prepareAdders, raiseStock, type Adders, type FilledCart } from './lib/cart-fixture';
import { countCatalog, describeDatabase, formatInt, openCatalog, sampleCartVariants, seedWithProgress } from './lib/catalog-db';
import { dataOf, postGraphQL, type Target } from './lib/graphql-http';
import { failuresOf, runLoad, stopLoad, summarize, type LoadRequest, type LoadResult, type LoadSlice } from './lib/load';
import {
  CHECKOUT_QUERY,
  checkCheckout,
  fillShopperCarts,
  MY_ORDERS_QUERY,
  placeOrderHistory,
  type OrderHistory,
  type Shopper,
} from './lib/order-fixture';

const USAGE = `Usage: npm run bench -- [--products N] [--duration S] [--connections C] [--fresh] [--only catalog|cart|order]

  --products N     catalog size (default 100000); the bench database is seeded once and reused
  --duration S     seconds measured per scenario and target (default 10), after a short warm-up; checkout
                   measures a fixed number of checkouts per cart size instead, sized by a short probe to
                   take about that long
  --connections C  concurrent connections (default 10)
  --fresh          drop and reseed the bench database
  --only WHAT      only the catalog scenarios (neither cart nor order subgraph is started), only the cart
                   ones (no order subgraph), or only the order ones (checkout, order history)

The bench databases are their own: SQLite under data/bench/, or the MySQL databases storefront_bench_catalog,
storefront_bench_cart and storefront_bench_order when DATABASE_URL is set. The catalog is seeded once and
reused (the cart and order scenarios raise the stock of a few hundred of its variants, and checkouts take
some of it); the cart and order databases are dropped at every start. Your development data is never touched.`;

const HOST = '127.0.0.1';
const BENCH_DATABASE_NAME = 'storefront_bench_catalog';
/** Carts are bench state: this database is dropped at every start, never reused. */
const BENCH_CART_DATABASE_NAME = 'storefront_bench_cart';
/** Orders too. */
const BENCH_ORDER_DATABASE_NAME = 'storefront_bench_order';
/** Absolute, because the services run from the repository root whatever directory the bench runs from. */
const BENCH_DATA_DIR = path.resolve(__dirname, '..', 'data', 'bench');
/** Enough distinct products that the catalog cannot answer from a handful of hot rows. */
const PRODUCT_ID_SAMPLE = 1000;
/** Pages of the listing the products scenario rotates through (first page included). */
const LISTING_PAGES = 10;
const WARMUP_SECONDS = 2;
/** Targets take turns in slices of about this many seconds, so both see the same machine. */
const SLICE_SECONDS = 2.5;
/** Lines in the carts the MyCart scenarios read, each cart its own user; the ratio compares last and first. */
const CART_SIZES = [1, 10, 100];
/** The cart service's limits, set explicitly so a CART_MAX_* in the shell cannot change what is measured. */
const CART_MAX_LINES = 100;
const CART_MAX_LINE_QUANTITY = 99;
/** Variants the addToCart users add (user u the (u mod this)-th), their stock raised first. */
const ADDER_VARIANTS = 200;
/** Stock of those variants: above the per-line limit, so an add is refused for neither reason. */
const ADDER_STOCK = 100_000;
/** At least this many users add to their carts, in turn; more when the run is long (see adderCount). */
const MIN_ADDERS = 1000;
/** A rate no addToCart run here reaches; the number of users is sized so that even it fits. */
const ADD_RATE_CEILING = 5000;
/**
 * Lines in the carts the checkout scenarios check out, one unit of a distinct variant each, every
 * checkout a cart of its own; the ratio compares last and first.
 */
const CHECKOUT_SIZES = [1, 10, 50];
/** Variants the checkout carts draw on (none of the cart scenarios'), their stock raised first. */
const ORDER_VARIANTS = 500;
/** Their stock: no run here takes more than a fraction of it, so no checkout is refused for stock. */
const ORDER_STOCK = 1_000_000;
/**
 * Checkouts per connection and cart size in the probe that runs before the measured carts are filled:
 * it warms checkout up (the first wave, one checkout per connection, of every size) and measures its
 * rate (the others), from which the number of measured checkouts is sized.
 */
const PROBE_CHECKOUTS_PER_CONNECTION = 3;
/** At least this many checkouts per connection in a measured slice: a slice is more than one wave. */
const MIN_SLICE_CHECKOUTS_PER_CONNECTION = 2;
/**
 * At most this many cart lines filled for the measured checkouts of one size: bounds the prep of long
 * runs (carts fill at some 100-250 lines/s on two cores).
 */
const MAX_CHECKOUT_LINES_PER_SIZE = 4_000;
/** The order-history user: this many orders of this many lines, placed through the gateway in the prep. */
const HISTORY_ORDERS = 50;
const HISTORY_LINES_PER_ORDER = 3;
/** The page MyOrders asks for. */
const HISTORY_PAGE = 20;

// ---------------------------------------------------------------------------------------------------
// Scenarios, targets and groups

/** What catalog scenarios draw on: real data from the bench database and the running catalog. */
interface Fixture {
  productIds: string[];
  /** `after` values for successive pages of the plain listing; null is the first page. */
  listingCursors: (string | null)[];
}

interface Scenario {
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
interface Arm {
  scenario: Scenario;
  target: Target;
}

/** A row comparing two arms of a group, column by column: numerator over denominator. */
interface Ratio {
  scenario: string;
  /** Shown in the target column, for example gateway/direct. */
  label: string;
  numerator: Arm;
  denominator: Arm;
}

/** Arms measured together, taking turns, then reported one row each followed by their ratios. */
interface Group {
  arms: Arm[];
  ratios: Ratio[];
}

const PRODUCT_QUERY = print(ProductDocument);
const PRODUCTS_QUERY = print(ProductsDocument);
const MY_CART_QUERY = print(MyCartDocument);

const SCENARIOS: ((fixture: Fixture) => Scenario)[] = [
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
function catalogGroups(fixture: Fixture, targets: { direct: Target; gateway: Target }): Group[] {
  return SCENARIOS.map((make) => {
    const scenario = make(fixture);
    const direct = { scenario, target: targets.direct };
    const gateway = { scenario, target: targets.gateway };
    return { arms: [direct, gateway], ratios: [{ scenario: scenario.name, label: 'gateway/direct', numerator: gateway, denominator: direct }] };
  });
}

/** Where totalQuantity sits in a cart body: before the lines, so the scan stops early even for 100 lines. */
const TOTAL_QUANTITY = /"totalQuantity":\s*(\d+)/;

/** The signed-in user's cart, whole (lines, variants and their attributes from the catalog, prices). */
function myCartScenario(cart: FilledCart): Scenario {
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

const NO_USER_ERRORS = /"userErrors":\s*\[\s*\]/;

/**
 * One unit of a variant into the cart of the next of many users, in turn: request n is user n mod
 * users, always with the same variant, so a cart holds one line and it grows by 1 per turn. The warm-up
 * is one turn of every user, which creates their carts and lines: what is measured is adding to a cart
 * that exists, never a first use. The number of users keeps every line under the per-line limit (see
 * adderCount); a refusal would count as an error.
 */
function addToCartScenario(adders: Adders): Scenario {
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

function userErrorCodes(body: string): string {
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
function adderCount(seconds: number): number {
  const measuredTurns = ADD_RATE_CEILING * (seconds + 5);
  return Math.max(MIN_ADDERS, Math.ceil(measuredTurns / (CART_MAX_LINE_QUANTITY - 1)));
}

function cartGroups(carts: FilledCart[], adders: Adders, gateway: Target): Group[] {
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
interface CheckoutPool {
  lines: number;
  shoppers: Shopper[];
  next: number;
}

const PRODUCT_NAME = /"productName"\s*:/g;

function occurrences(body: string, pattern: RegExp): number {
  return body.match(pattern)?.length ?? 0;
}

/** A checkout answer, cheaply: no userErrors, the order's units (totalQuantity comes first) and its lines. */
function verifyCheckout(body: string, lines: number): string | undefined {
  if (!NO_USER_ERRORS.test(body)) return `userErrors ${checkoutErrorCodes(body)}`;
  const quantity = TOTAL_QUANTITY.exec(body)?.[1];
  if (quantity !== String(lines)) return `totalQuantity ${quantity ?? 'missing (no order)'}, expected ${lines}`;
  const found = occurrences(body, PRODUCT_NAME);
  return found === lines ? undefined : `${found} order lines, expected ${lines}`;
}

function checkoutErrorCodes(body: string): string {
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
function checkoutScenario(pool: CheckoutPool, requestsPerSlice: number): Scenario {
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
function checkoutReplayScenario(shoppers: Shopper[]): Scenario {
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

const TOTAL_COUNT = /"totalCount":\s*(\d+)/;
const EDGE_CURSOR = /"cursor"\s*:/g;

/** The first page of a purchase history: orders with all their lines, from the order database alone. */
function myOrdersScenario(history: OrderHistory): Scenario {
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
interface OrderFixture {
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

function orderGroups(order: OrderFixture, gateway: Target): Group[] {
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

// ---------------------------------------------------------------------------------------------------
// Database

interface PreparedDatabase {
  products: number;
  variants: number;
  productIds: string[];
  /** Distinct variants for sale, in stock, one currency, random: carts are filled from these. */
  cartVariantIds: string[];
}

/** Seeds the bench database when it has fewer than `products` products (or on --fresh), else reuses it. */
async function prepareDatabase(config: CatalogConfig, products: number, fresh: boolean, cartVariants: number): Promise<PreparedDatabase> {
  let db = await openCatalog(config);
  try {
    let counts = await countCatalog(db);
    if (fresh || counts.products < products) {
      // The seeder numbers SKUs from 1, so a partial catalog cannot be topped up: start over.
      if (counts.products > 0 || fresh) {
        await db.close();
        await dropDatabase(config);
        db = await openCatalog(config);
      }
      console.log(`Seeding ${formatInt(products)} products into ${describeDatabase(config)}...`);
      const report = await seedWithProgress(db, products);
      console.log(`Seeded ${formatInt(report.products)} products, ${formatInt(report.variants)} variants in ${report.seconds.toFixed(1)} s.`);
      counts = await countCatalog(db);
    } else {
      console.log(`Reusing ${describeDatabase(config)}: ${formatInt(counts.products)} products (--fresh reseeds).`);
    }
    return {
      ...counts,
      productIds: await randomProductIds(db, PRODUCT_ID_SAMPLE),
      cartVariantIds: cartVariants > 0 ? await sampleCartVariants(db, cartVariants) : [],
    };
  } finally {
    await db.close();
  }
}

async function randomProductIds(db: Database, count: number): Promise<string[]> {
  const rows = await db.manager
    .createQueryBuilder(ProductSchema, 'p')
    .select('p.id', 'id')
    .orderBy(db.kind === 'sqlite' ? 'RANDOM()' : 'RAND()')
    .limit(count)
    .getRawMany<{ id: string }>();
  return rows.map((row) => row.id);
}

// ---------------------------------------------------------------------------------------------------
// Services

const services: ServiceProcess[] = [];
/** From the first spawn on, a signal must wait for the services to be listed so they can be stopped. */
let servicesStarting = false;

/**
 * Preloaded into every service: it stops itself when the bench is gone without stopping it (SIGKILL,
 * crash, a forced exit while it was still starting and not yet in `services`).
 */
const EXIT_WITH_PARENT = path.resolve(__dirname, 'lib', 'exit-with-parent.cjs');

interface Services {
  direct: Target;
  gateway: Target;
  /** The gateway's HS256 secret: tokens signed with it are accepted. */
  jwtSecret: string;
}

/** Drops a bench database of carts or orders: every run starts with none. */
function resetDatabase(config: CatalogConfig, databaseName: string): Promise<void> {
  return dropDatabase({ databaseUrl: config.databaseUrl, databaseName, dataDir: config.dataDir });
}

/** Which services besides the catalog and the gateway run. The order service needs the cart. */
interface ServiceSet {
  cart: boolean;
  order: boolean;
}

async function startServices(config: CatalogConfig, run: ServiceSet): Promise<Services> {
  const withCart = run.cart || run.order;
  const catalogPort = await freePort(HOST);
  const cartPort = await freePort(HOST);
  const orderPort = await freePort(HOST);
  const gatewayPort = await freePort(HOST);
  const catalogUrl = `http://${HOST}:${catalogPort}/graphql`;
  const cartUrl = `http://${HOST}:${cartPort}/graphql`;
  const orderUrl = `http://${HOST}:${orderPort}/graphql`;
  // Secrets of our own: the bench also runs where NODE_ENV=production refuses the development defaults.
  const secret = randomBytes(24).toString('hex');
  const cartSecret = randomBytes(24).toString('hex');
  const orderSecret = randomBytes(24).toString('hex');
  const jwtSecret = randomBytes(32).toString('hex');
  const common = {
    LOG_LEVEL: 'warn',
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require "${EXIT_WITH_PARENT}"`.trim(),
  };
  servicesStarting = true;
  services.push(
    await spawnService({
      name: 'catalog',
      entry: 'subgraphs/catalog/src/index.ts',
      env: {
        ...common,
        ...databaseEnv(config),
        CATALOG_HOST: HOST,
        CATALOG_PORT: String(catalogPort),
        CATALOG_SUBGRAPH_SECRET: secret,
        CATALOG_SEED_DEMO: 'false',
      },
      readyUrl: `http://${HOST}:${catalogPort}/ready`,
    }),
  );
  if (interrupted) throw new Interrupted();
  if (withCart) {
    services.push(
      await spawnService({
        name: 'cart',
        entry: 'subgraphs/cart/src/index.ts',
        env: {
          ...common,
          CART_DATABASE_NAME: BENCH_CART_DATABASE_NAME,
          DATA_DIR: config.dataDir,
          ...(config.databaseUrl ? { DATABASE_URL: config.databaseUrl } : {}),
          CART_HOST: HOST,
          CART_PORT: String(cartPort),
          CART_SUBGRAPH_SECRET: cartSecret,
          CATALOG_URL: catalogUrl,
          CATALOG_SUBGRAPH_SECRET: secret,
          CART_MAX_LINES: String(CART_MAX_LINES),
          CART_MAX_LINE_QUANTITY: String(CART_MAX_LINE_QUANTITY),
        },
        readyUrl: `http://${HOST}:${cartPort}/ready`,
      }),
    );
    if (interrupted) throw new Interrupted();
  }
  if (run.order) {
    services.push(
      await spawnService({
        name: 'order',
        entry: 'subgraphs/order/src/index.ts',
        env: {
          ...common,
          ORDER_DATABASE_NAME: BENCH_ORDER_DATABASE_NAME,
          DATA_DIR: config.dataDir,
          ...(config.databaseUrl ? { DATABASE_URL: config.databaseUrl } : {}),
          ORDER_HOST: HOST,
          ORDER_PORT: String(orderPort),
          ORDER_SUBGRAPH_SECRET: orderSecret,
          // Checkout calls both services' internal APIs.
          CATALOG_URL: catalogUrl,
          CATALOG_SUBGRAPH_SECRET: secret,
          CART_URL: cartUrl,
          CART_SUBGRAPH_SECRET: cartSecret,
          // Empty is unset: a fault injection set in the shell must never kill the service under load.
          ORDER_FAULT_AT: '',
        },
        readyUrl: `http://${HOST}:${orderPort}/ready`,
      }),
    );
    if (interrupted) throw new Interrupted();
  }
  const started: SubgraphName[] = ['catalog', ...(withCart ? (['cart'] as const) : []), ...(run.order ? (['order'] as const) : [])];
  services.push(
    await spawnService({
      name: 'gateway',
      entry: 'gateway/src/index.ts',
      env: {
        ...common,
        GATEWAY_HOST: HOST,
        GATEWAY_PORT: String(gatewayPort),
        ...(await unstartedSubgraphsEnv(started)),
        CATALOG_URL: catalogUrl,
        CATALOG_SUBGRAPH_SECRET: secret,
        ...(withCart ? { CART_URL: cartUrl, CART_SUBGRAPH_SECRET: cartSecret } : {}),
        ...(run.order ? { ORDER_URL: orderUrl, ORDER_SUBGRAPH_SECRET: orderSecret } : {}),
        JWT_SECRET: jwtSecret,
        // Nothing here is for browsers.
        GATEWAY_EXPLORER: 'false',
        // The bench measures throughput from this machine, which production-mode rate limits would cap.
        GATEWAY_RATE_LIMIT_LOOPBACK: 'false',
      },
      readyUrl: `http://${HOST}:${gatewayPort}/ready`,
    }),
  );
  return {
    direct: { name: 'direct', url: catalogUrl, headers: { 'x-subgraph-secret': secret } },
    gateway: { name: 'gateway', url: `http://${HOST}:${gatewayPort}/`, headers: {} },
    jwtSecret,
  };
}

/**
 * For the gateway, every subgraph the bench does not start (the order with --only catalog or cart, any other):
 * a URL on a free port nothing listens on, so no operation measured here can reach a service someone
 * runs on its default port, and a secret of our own.
 */
async function unstartedSubgraphsEnv(started: SubgraphName[]): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const name of Object.keys(SUBGRAPHS) as SubgraphName[]) {
    if (started.includes(name)) continue;
    env[`${envPrefix(name)}_URL`] = `http://${HOST}:${await freePort(HOST)}/graphql`;
    env[`${envPrefix(name)}_SUBGRAPH_SECRET`] = randomBytes(24).toString('hex');
  }
  return env;
}

/** The environment that makes the catalog service open the bench database. */
function databaseEnv(config: CatalogConfig): Record<string, string> {
  return {
    CATALOG_DATABASE_NAME: config.databaseName,
    DATA_DIR: config.dataDir,
    ...(config.databaseUrl ? { DATABASE_URL: config.databaseUrl } : {}),
  };
}

async function stopServices(): Promise<void> {
  // Gateway first, then the order service (its stop drains its outbox into the cart), then the cart, so
  // no service is stopped under requests still in flight through another.
  for (const service of [...services].reverse()) await service.stop(5_000);
}

/** A service that died mid-run explains every failure after it: say so, with what it printed. */
function assertServicesAlive(): void {
  for (const service of services) {
    if (service.child.exitCode !== null || service.child.signalCode !== null) {
      throw new Error(`The ${service.name} process exited during the bench. Its output:\n${tail(service.output())}`);
    }
  }
}

function tail(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n') || '(nothing)';
}

// ---------------------------------------------------------------------------------------------------
// Measuring

/** One request per scenario and target, fully checked, so a misconfiguration fails before any load. */
async function preflight({ scenario, target }: Arm): Promise<void> {
  const { body, headers } = scenario.request(0);
  const { status, json } = await postGraphQL(target, body, headers);
  const problem =
    status !== 200
      ? `HTTP ${status}`
      : json.errors
        ? `GraphQL errors`
        : json.data
          ? scenario.check(json.data)
          : 'no data';
  if (problem) {
    throw new Error(`Pre-flight of ${scenario.name} via ${target.name} failed (${problem}): ${JSON.stringify(json).slice(0, 500)}`);
  }
}

/** Between set-up requests: stop on Ctrl-C, and explain a failure by a service that died. */
function checkpoint(): void {
  if (interrupted) throw new Interrupted();
  assertServicesAlive();
}

/** Walks the first pages of the plain listing through the catalog to collect real `after` cursors. */
async function listingCursors(direct: Target, pages: number): Promise<(string | null)[]> {
  const cursors: (string | null)[] = [null];
  while (cursors.length < pages) {
    const response = await postGraphQL(direct, { query: PRODUCTS_QUERY, variables: { first: 20, after: cursors.at(-1) } });
    const page = dataOf<ProductsQuery>('Reading the listing', response).products;
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
    cursors.push(page.pageInfo.endCursor);
  }
  return cursors;
}

type Measurements = Map<Arm, LoadResult>;

/** Slices per arm: an even number (ABBA), each about SLICE_SECONDS. */
function roundsFor(seconds: number): number {
  return Math.max(2, 2 * Math.round(seconds / (2 * SLICE_SECONDS)));
}

/**
 * Measures a group's arms. They take turns in slices of about SLICE_SECONDS in ABBA order (direct,
 * gateway, gateway, direct, ...; 1, 10, 100, 100, 10, 1, ... lines), so load from other processes that
 * comes and goes during the run falls on all alike instead of skewing the ratios. Each arm gets
 * `seconds` in all, or `requestsPerSlice` requests per slice when its scenario sets it.
 */
async function measureGroup(group: Group, seconds: number, connections: number, into: Measurements): Promise<void> {
  const { arms } = group;
  const run = ({ scenario, target }: Arm, runSeconds: number, amount?: number) =>
    runLoad({
      url: target.url,
      headers: target.headers,
      connections,
      seconds: runSeconds,
      amount,
      request: (i) => scenario.request(i),
      verify: scenario.verify && ((body) => scenario.verify?.(body)),
    });
  const label = ({ scenario, target }: Arm) => `${scenario.name} via ${target.name}`;
  if (interrupted) throw new Interrupted();
  // Warm-up: JIT, connection pools, query plan caches and the database page cache settle before measuring.
  for (const arm of arms) {
    if (arm.scenario.warmupRequests === 0) continue;
    const warmup = await run(arm, Math.min(WARMUP_SECONDS, seconds), arm.scenario.warmupRequests);
    assertMostlySucceeded(label(arm), summarize([warmup]));
  }

  const rounds = roundsFor(seconds);
  const slices = new Map<Arm, LoadSlice[]>(arms.map((arm) => [arm, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const arm of round % 2 === 0 ? arms : [...arms].reverse()) {
      const slice = await run(arm, seconds / rounds, arm.scenario.requestsPerSlice);
      assertMostlySucceeded(label(arm), summarize([slice]));
      slices.get(arm)?.push(slice);
    }
  }
  for (const arm of arms) {
    const result = summarize(slices.get(arm) ?? []);
    console.log(
      `  ${label(arm)}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${failuresOf(result)} errors`,
    );
    into.set(arm, result);
  }
}

function assertMostlySucceeded(label: string, result: LoadResult): void {
  if (interrupted) throw new Interrupted();
  assertServicesAlive();
  const attempted = result.completed + result.socketErrors;
  const failed = failuresOf(result);
  if (attempted === 0 || failed > attempted / 2) {
    throw new Error(
      `${label}: ${failed} of ${attempted} requests failed (non-2xx ${result.non2xx}, GraphQL errors ${result.graphqlErrors}, ` +
        `invalid ${result.invalid}, no response ${result.socketErrors}); aborting.\nFirst failure: ${result.firstFailure ?? 'none recorded'}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------
// Preparing carts and orders

/** The cart scenarios' carts and addToCart users, filled and created through the gateway. */
async function prepareCarts(
  targets: Services,
  cartVariants: string[],
  adderVariants: string[],
  seconds: number,
): Promise<{ filled: FilledCart[]; adders: Adders }> {
  const [filled, adders] = await Promise.all([
    fillCarts({ gateway: targets.gateway, jwtSecret: targets.jwtSecret, sizes: CART_SIZES, variantIds: cartVariants, checkpoint }),
    prepareAdders({
      gateway: targets.gateway,
      jwtSecret: targets.jwtSecret,
      users: adderCount(seconds),
      variantIds: adderVariants,
      stock: ADDER_STOCK,
      checkpoint,
    }),
  ]);
  return { filled, adders };
}

/**
 * Fills, size after size, `users` carts of each of CHECKOUT_SIZES lines from `variantIds` (whose stock
 * must already be raised) for shoppers `<prefix>-<lines>-<n>`.
 */
async function fillCheckoutPools(targets: Services, variantIds: string[], prefix: string, users: number[]): Promise<CheckoutPool[]> {
  const pools: CheckoutPool[] = [];
  for (const [s, lines] of CHECKOUT_SIZES.entries()) {
    const shoppers = await fillShopperCarts({
      gateway: targets.gateway,
      jwtSecret: targets.jwtSecret,
      prefix: `${prefix}-${lines}`,
      users: users[s],
      lines,
      variantIds,
      checkpoint,
    });
    pools.push({ lines, shoppers, next: 0 });
  }
  return pools;
}

/** The checkout variants' stock raised (so no checkout of the run can run out), then the probe's carts. */
async function prepareProbeCarts(targets: Services, variantIds: string[], users: number): Promise<CheckoutPool[]> {
  await raiseStock({ gateway: targets.gateway, jwtSecret: targets.jwtSecret, variantIds, stock: ORDER_STOCK, checkpoint });
  return fillCheckoutPools(targets, variantIds, 'bench-probe', CHECKOUT_SIZES.map(() => users));
}

/**
 * Checks out every probe cart, `connections` at a time: first one wave of every size, untimed (the
 * first checkouts of a run are much slower: JIT, connection pools, cold database pages), then the rest,
 * size after size, timed. The rate of each size sizes its measured runs; the probe is also checkout's
 * warm-up.
 */
async function probeCheckouts(pools: CheckoutPool[], gateway: Target, connections: number): Promise<number[]> {
  const checkouts = (pool: CheckoutPool, amount: number) => {
    const scenario = checkoutScenario(pool, 0);
    return runLoad({
      url: gateway.url,
      headers: gateway.headers,
      connections,
      seconds: WARMUP_SECONDS,
      amount,
      request: (i) => scenario.request(i),
      verify: (body) => scenario.verify?.(body),
    });
  };
  const label = (pool: CheckoutPool) => `checkout ${pool.lines} line${pool.lines === 1 ? '' : 's'}`;
  for (const pool of pools) {
    assertMostlySucceeded(`The warm-up of ${label(pool)}`, summarize([await checkouts(pool, connections)]));
  }
  const rates: number[] = [];
  for (const pool of pools) {
    const result = summarize([await checkouts(pool, pool.shoppers.length - pool.next)]);
    assertMostlySucceeded(`The probe of ${label(pool)}`, result);
    const errors = failuresOf(result);
    console.log(
      `  ${label(pool)}: ${result.requestsPerSecond.toFixed(1)}/s, p50 ${result.p50Ms} ms` +
        (errors > 0 ? `, ${errors} errors (first: ${result.firstFailure ?? 'unknown'})` : ''),
    );
    rates.push(result.requestsPerSecond);
  }
  return rates;
}

/**
 * Measured checkouts per slice for one cart size: what the probe's rate does in `seconds`, at least
 * MIN_SLICE_CHECKOUTS_PER_CONNECTION per connection in a slice, at most MAX_CHECKOUT_LINES_PER_SIZE
 * cart lines to fill in all (the bound gives way to the least).
 */
function checkoutsPerSlice(rate: number, lines: number, seconds: number, connections: number): number {
  const rounds = roundsFor(seconds);
  const least = MIN_SLICE_CHECKOUTS_PER_CONNECTION * connections;
  const most = Math.floor(MAX_CHECKOUT_LINES_PER_SIZE / (lines * rounds));
  return Math.max(least, Math.min(most, Math.round((rate * seconds) / rounds)));
}

/**
 * After the probe: the measured checkouts' carts (exactly the pre-flight's and the measured slices'),
 * and, at the same time, the purchase history MyOrders reads.
 */
async function prepareOrders(
  targets: Services,
  probePools: CheckoutPool[],
  variantIds: string[],
  seconds: number,
  connections: number,
  prepTimes: [string, number][],
): Promise<OrderFixture> {
  checkpoint();
  let phase = performance.now();
  const probeCheckoutsPerSize = probePools[0].shoppers.length - connections;
  console.log(
    `Probing checkout through the gateway (${connections} checkouts per cart size to warm up, then ${probeCheckoutsPerSize} timed, ` +
      `${connections} connections)...`,
  );
  const probeRates = await probeCheckouts(probePools, targets.gateway, connections);
  prepTimes.push(['checkout probe', (performance.now() - phase) / 1000]);

  phase = performance.now();
  const rounds = roundsFor(seconds);
  const requestsPerSlice = CHECKOUT_SIZES.map((lines, s) => checkoutsPerSlice(probeRates[s], lines, seconds, connections));
  // One more shopper per size for the pre-flight.
  const users = requestsPerSlice.map((perSlice) => 1 + perSlice * rounds);
  const lines = users.reduce((sum, n, s) => sum + n * CHECKOUT_SIZES[s], 0) + HISTORY_ORDERS * HISTORY_LINES_PER_ORDER;
  console.log(
    `Filling ${CHECKOUT_SIZES.map((size, s) => `${users[s]} carts of ${size} line${size === 1 ? '' : 's'}`).join(', ')} for the measured ` +
      `checkouts, and placing ${HISTORY_ORDERS} orders of ${HISTORY_LINES_PER_ORDER} lines for the order history ` +
      `(${formatInt(lines)} cart lines in all), through the gateway...`,
  );
  const [pools, history] = await Promise.all([
    fillCheckoutPools(targets, variantIds, 'bench-checkout', users),
    placeOrderHistory({
      gateway: targets.gateway,
      jwtSecret: targets.jwtSecret,
      userId: 'bench-history',
      orders: HISTORY_ORDERS,
      linesPerOrder: HISTORY_LINES_PER_ORDER,
      variantIds,
      checkpoint,
    }),
  ]);
  const filling = (performance.now() - phase) / 1000;
  console.log(`  ready in ${filling.toFixed(1)} s (${formatInt(lines / filling)} cart lines/s)`);
  prepTimes.push(['checkout carts and order history', filling]);
  return {
    pools,
    requestsPerSlice,
    probeRates,
    probeCheckouts: probeCheckoutsPerSize,
    replayed: probePools[probePools.length - 1].shoppers,
    history,
    variants: variantIds.length,
  };
}

// ---------------------------------------------------------------------------------------------------
// Report

function report(measurements: Measurements, groups: Group[]): string {
  const header = ['scenario', 'target', 'req/s', 'p50 ms', 'p99 ms', 'errors'];
  const rows: string[][] = [];
  for (const group of groups) {
    for (const arm of group.arms) {
      const result = measurements.get(arm);
      if (!result) continue;
      const { requestsPerSecond, p50Ms, p99Ms } = result;
      rows.push([arm.scenario.name, arm.target.name, requestsPerSecond.toFixed(0), String(p50Ms), String(p99Ms), errorsCell(result)]);
    }
    for (const { scenario, label, numerator, denominator } of group.ratios) {
      const a = measurements.get(numerator);
      const b = measurements.get(denominator);
      if (!a || !b) continue;
      rows.push([scenario, label, ratio(a.requestsPerSecond, b.requestsPerSecond), ratio(a.p50Ms, b.p50Ms), ratio(a.p99Ms, b.p99Ms), '']);
    }
  }
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  // Text left-aligned, numbers right-aligned; valid markdown as well as readable in a terminal.
  const numeric = (c: number) => c >= 2 && c <= 4;
  const line = (cells: string[]) =>
    `| ${cells.map((cell, c) => (numeric(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join(' | ')} |`;
  const rule = `| ${widths.map((w, c) => (numeric(c) ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function errorsCell(result: LoadResult): string {
  const total = failuresOf(result);
  if (total === 0) return '0';
  const parts = [
    result.non2xx && `${result.non2xx} non-2xx`,
    result.graphqlErrors && `${result.graphqlErrors} GraphQL`,
    result.invalid && `${result.invalid} invalid`,
    result.socketErrors && `${result.socketErrors} no response`,
  ].filter(Boolean);
  return `${total} (${parts.join(', ')})`;
}

function ratio(a: number, b: number): string {
  return b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a';
}

interface RunInfo {
  prepared: PreparedDatabase;
  config: CatalogConfig;
  seconds: number;
  connections: number;
  /** Present when the catalog scenarios ran. */
  fixture?: Fixture;
  /** Present when the cart scenarios ran. */
  carts?: { filled: FilledCart[]; adders: Adders };
  /** Which services ran besides the catalog and the gateway. */
  run: ServiceSet;
  /** Present when the order scenarios ran. */
  orders?: OrderFixture;
  /** Seconds each phase of preparing carts and orders took. */
  prepTimes?: [string, number][];
}

function machineContext({ prepared, config, seconds, connections, fixture, carts, run, orders, prepTimes }: RunInfo): string {
  const cpus = os.cpus();
  const lines = [
    `node ${process.version} on ${os.platform()} ${os.arch()}, ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), ` +
      `load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    `database: ${describeDatabase(config)}` +
      (run.cart || run.order ? `; carts: ${describeDatabase({ ...config, databaseName: BENCH_CART_DATABASE_NAME })}, dropped at start` : '') +
      (run.order ? `; orders: ${describeDatabase({ ...config, databaseName: BENCH_ORDER_DATABASE_NAME })}, dropped at start` : ''),
    `catalog: ${formatInt(prepared.products)} products, ${formatInt(prepared.variants)} variants`,
    `load: autocannon, ${connections} connections, ${seconds} s per scenario and target after a ${Math.min(WARMUP_SECONDS, seconds)} s warm-up` +
      (fixture
        ? ', targets taking turns (direct, gateway, gateway, direct...); ' +
          `product(id) rotates over ${fixture.productIds.length} random products, ` +
          `products(first: 20) over the first ${fixture.listingCursors.length} pages`
        : ''),
  ];
  if (carts) {
    const sizes = carts.filled.map((cart) => cart.lines);
    const { adders } = carts;
    lines.push(
      `carts, through the gateway: MyCart of users whose carts hold ${sizes.join(', ')} distinct variants (1 unit each), ` +
        `taking turns (${[...sizes, ...[...sizes].reverse()].join(', ')}...); addToCart: 1 unit a request, ` +
        `${formatInt(adders.tokens.length)} users in turn, each always the same variant (one of ${adders.variantIds.length}, ` +
        `stock raised to ${formatInt(adders.stock)}); its warm-up is one turn of every user, creating their carts, ` +
        'so what is measured is 1 more unit on the line of a 1-line cart',
    );
  }
  if (orders) {
    const sizes = orders.pools.map((pool) => pool.lines);
    const rounds = roundsFor(seconds);
    const measured = orders.requestsPerSlice.map((perSlice, p) => `${formatInt(perSlice * rounds)} of ${sizes[p]}`);
    const probed = orders.probeRates.map((rate, p) => `${sizes[p]}: ${rate.toFixed(1)}/s`);
    lines.push(
      'checkout, through the gateway: every request checks out a cart of its own, filled before measuring (AddToCart, ' +
        `${sizes.join(', ')} distinct variants of ${orders.variants}, 1 unit each, stock raised to ${formatInt(ORDER_STOCK)}) with a new ` +
        `key; a FIXED NUMBER of checkouts per size, not a duration: ${measured.join(', ')} lines, in ${rounds} slices each, taking turns ` +
        `(${[...sizes, ...[...sizes].reverse()].join(', ')}...); sized from a probe of ${orders.probeCheckouts} checkouts per size ` +
        `(${probed.join(', ')}) to take about ${seconds} s each; the probe (after a wave of ${connections} per size) was the warm-up`,
      `checkout replayed: the probe's ${orders.replayed.length} checkouts of ${orders.replayed[0].lines} lines again, same keys ` +
        '(the same order comes back, nothing claimed, reserved or written); ' +
        `MyOrders: first ${HISTORY_PAGE} of one user's ${orders.history.orders} orders of ${orders.history.linesPerOrder} lines`,
    );
  }
  if (prepTimes?.length) lines.push(`prep: ${prepTimes.map(([what, s]) => `${what} ${s.toFixed(1)} s`).join(', ')}`);
  lines.push('The machine is shared (load generator and services compete for the same CPUs): absolute numbers are noisy.');
  if (fixture) lines.push('Compare the gateway/direct ratios, which come from the same run.');
  if (carts) {
    const sizes = carts.filled.map((cart) => cart.lines);
    lines.push(
      `${sizes[sizes.length - 1]}/${sizes[0]} lines: MyCart of the largest cart over MyCart of the smallest, from the same run; ` +
        'errors count non-2xx, GraphQL errors, "invalid" (userErrors, or not the expected cart) and no response.',
    );
  }
  if (orders) {
    const sizes = orders.pools.map((pool) => pool.lines);
    lines.push(
      `${sizes[sizes.length - 1]}/${sizes[0]} lines: checkout of the largest carts over checkout of the smallest, from the same run; ` +
        'a checkout is "invalid" unless it answers an order of the cart\'s lines and units with no userErrors. A fixed-number ' +
        'slice ends with fewer requests in flight than connections, which lowers req/s a little.',
    );
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Main

class Interrupted extends Error {
  constructor() {
    super('Interrupted.');
  }
}

let interrupted = false;

async function main(): Promise<void> {
  const flags = parseCommandLine(USAGE, {
    products: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    fresh: { type: 'boolean' },
    only: { type: 'string' },
  });
  const products = positiveInteger(USAGE, 'products', flags.products, 100_000);
  const seconds = positiveInteger(USAGE, 'duration', flags.duration, 10);
  const connections = positiveInteger(USAGE, 'connections', flags.connections, 10);
  const only = flags.only;
  if (only !== undefined && only !== 'catalog' && only !== 'cart' && only !== 'order') {
    usageError(USAGE, `--only must be catalog, cart or order, got ${JSON.stringify(only)}.`);
  }
  const withCatalog = only === undefined || only === 'catalog';
  const withCart = only === undefined || only === 'cart';
  const withOrder = only === undefined || only === 'order';
  // Checkout claims and empties carts: the order scenarios need the cart service, not its scenarios.
  const run: ServiceSet = { cart: withCart, order: withOrder };

  const config = loadCatalogConfig({
    ...process.env,
    DATA_DIR: BENCH_DATA_DIR,
    CATALOG_DATABASE_NAME: BENCH_DATABASE_NAME,
    CATALOG_SEED_DEMO: 'false',
  });
  const started = performance.now();
  const largestCart = Math.max(...CART_SIZES);
  const cartVariantCount = withCart ? largestCart + ADDER_VARIANTS : 0;
  const orderVariantCount = withOrder ? ORDER_VARIANTS : 0;
  const prepared = await prepareDatabase(config, products, Boolean(flags.fresh), cartVariantCount + orderVariantCount);
  if (interrupted) throw new Interrupted();
  // Distinct variants for each: checkouts take stock, and the cart scenarios must not see it move.
  const cartSample = prepared.cartVariantIds.slice(0, cartVariantCount);
  const orderVariants = prepared.cartVariantIds.slice(cartVariantCount);
  if (withCart && cartSample.length <= largestCart) {
    throw new Error(
      `The cart scenarios need more than ${largestCart} variants for sale and in stock; the catalog has ${prepared.cartVariantIds.length}. ` +
        'Use more --products, or --only catalog.',
    );
  }
  const largestCheckout = Math.max(...CHECKOUT_SIZES);
  if (withOrder && orderVariants.length < largestCheckout) {
    throw new Error(
      `The checkout scenarios need ${largestCheckout} variants for sale and in stock besides the cart scenarios'; the catalog has ` +
        `${prepared.cartVariantIds.length} in all. Use more --products, or --only catalog.`,
    );
  }
  if (run.cart || run.order) {
    console.log(`Dropping the bench cart database (${describeDatabase({ ...config, databaseName: BENCH_CART_DATABASE_NAME })})...`);
    await resetDatabase(config, BENCH_CART_DATABASE_NAME);
    if (interrupted) throw new Interrupted();
  }
  if (run.order) {
    console.log(`Dropping the bench order database (${describeDatabase({ ...config, databaseName: BENCH_ORDER_DATABASE_NAME })})...`);
    await resetDatabase(config, BENCH_ORDER_DATABASE_NAME);
    if (interrupted) throw new Interrupted();
  }

  const starting = [run.cart || run.order ? 'the cart subgraph' : '', run.order ? 'the order subgraph' : ''].filter(Boolean);
  console.log(`Starting the catalog subgraph, ${starting.map((name) => `${name}, `).join('')}and the gateway...`);
  const targets = await startServices(config, run);
  const groups: Group[] = [];
  const info: RunInfo = { prepared, config, seconds, connections, run };
  if (withCatalog) {
    info.fixture = { productIds: prepared.productIds, listingCursors: await listingCursors(targets.direct, LISTING_PAGES) };
    groups.push(...catalogGroups(info.fixture, targets));
  }
  if (withCart || withOrder) {
    const preparing = performance.now();
    if (withCart) {
      console.log(
        `Filling carts of ${CART_SIZES.join(', ')} lines and raising the stock of ${cartSample.length - largestCart} variants, through the gateway...`,
      );
    }
    const probeUsers = PROBE_CHECKOUTS_PER_CONNECTION * connections;
    if (withOrder) {
      console.log(
        `Raising the stock of ${orderVariants.length} variants for checkout and filling ${probeUsers} carts of each of ` +
          `${CHECKOUT_SIZES.join(', ')} lines for the checkout probe, through the gateway...`,
      );
    }
    // Both at once: the waits of one are the other's CPU time.
    const [carts, probePools] = await Promise.all([
      withCart ? prepareCarts(targets, cartSample.slice(0, largestCart), cartSample.slice(largestCart), seconds) : undefined,
      withOrder ? prepareProbeCarts(targets, orderVariants, probeUsers) : undefined,
    ]);
    const prepSeconds = (performance.now() - preparing) / 1000;
    console.log(`  ready in ${prepSeconds.toFixed(1)} s`);
    const what = [withCart ? 'carts' : '', withOrder ? 'checkout stock and probe carts' : ''].filter(Boolean).join(', ');
    info.prepTimes = [[what, prepSeconds]];
    if (carts) {
      info.carts = carts;
      groups.push(...cartGroups(carts.filled, carts.adders, targets.gateway));
    }
    if (probePools) {
      info.orders = await prepareOrders(targets, probePools, orderVariants, seconds, connections, info.prepTimes);
      groups.push(...orderGroups(info.orders, targets.gateway));
    }
  }
  for (const group of groups) for (const arm of group.arms) await preflight(arm);

  console.log('Measuring...');
  const measurements: Measurements = new Map();
  for (const group of groups) await measureGroup(group, seconds, connections, measurements);

  console.log(`\n${machineContext(info)}\n`);
  console.log(report(measurements, groups));
  const warnings = services.filter((s) => s.output().trim() !== '');
  for (const service of warnings) console.log(`\n${service.name} logged (warn and above):\n${tail(service.output(), 10)}`);
  console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
}

// Ctrl-C or a kill: stop the load, then let main's cleanup stop the services. A second signal force-kills.
function onSignal(): void {
  // Before any service is starting (opening or seeding the database) there is nothing to clean up, and
  // the seeder would not stop until done; a half-seeded catalog is reseeded by the next run.
  if (!servicesStarting) process.exit(130);
  if (interrupted) process.exit(130); // the exit handler below still signals the services
  interrupted = true;
  console.error('\nInterrupted: stopping the load and the services (Ctrl-C again to exit at once).');
  stopLoad();
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// Last resort on any exit path: never leave a service behind. SIGINT, not SIGKILL: each service is a
// tsx process running the real server as its own child, and only a signal tsx can relay reaches it;
// SIGKILL would kill tsx alone and leave the server running. The servers exit on their own after that.
process.on('exit', () => {
  for (const service of services) if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGINT');
});

main()
  .then(
    () => 0,
    (error: unknown) => {
      if (error instanceof Interrupted || interrupted) return 130;
      console.error(`\nBench failed: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    },
  )
  .then(async (code) => {
    await stopServices();
    process.exit(code);
  });
