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
import { performance } from 'node:perf_hooks';
import { loadCatalogConfig } from '@storefront/catalog';
import { parseCommandLine, positiveInteger, usageError } from './lib/args';
import { describeDatabase } from './lib/catalog-db';
import { stopLoad } from './lib/load';
import { Measurements, listingCursors, measureGroup, preflight } from './bench/measure';
import { prepareCarts, prepareOrders, prepareProbeCarts } from './bench/prepare';
import { RunInfo, machineContext, report } from './bench/report';
import { cartGroups, catalogGroups, orderGroups, type Group } from './bench/scenarios';
import { Interrupted, prepareDatabase, resetDatabase, runState, startServices, stopServices, tail, type ServiceSet } from './bench/services';
import { ADDER_VARIANTS, BENCH_CART_DATABASE_NAME, BENCH_DATABASE_NAME, BENCH_DATA_DIR, BENCH_ORDER_DATABASE_NAME, CART_SIZES, CHECKOUT_SIZES, LISTING_PAGES, ORDER_VARIANTS, PROBE_CHECKOUTS_PER_CONNECTION } from './bench/settings';

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
  if (runState.interrupted) throw new Interrupted();
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
    if (runState.interrupted) throw new Interrupted();
  }
  if (run.order) {
    console.log(`Dropping the bench order database (${describeDatabase({ ...config, databaseName: BENCH_ORDER_DATABASE_NAME })})...`);
    await resetDatabase(config, BENCH_ORDER_DATABASE_NAME);
    if (runState.interrupted) throw new Interrupted();
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
  const warnings = (runState.shop?.started() ?? []).filter((s) => s.output().trim() !== '');
  for (const service of warnings) console.log(`\n${service.name} logged (warn and above):\n${tail(service.output(), 10)}`);
  console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
}

// Ctrl-C or a kill: stop the load, then let main's cleanup stop the services. A second signal force-kills.
function onSignal(): void {
  // Before any service is starting (opening or seeding the database) there is nothing to clean up, and
  // the seeder would not stop until done; a half-seeded catalog is reseeded by the next run.
  if (!runState.servicesStarting) process.exit(130);
  if (runState.interrupted) process.exit(130); // the launcher kills every service it started on exit
  runState.interrupted = true;
  console.error('\nInterrupted: stopping the load and the services (Ctrl-C again to exit at once).');
  stopLoad();
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// On any other exit path the launcher kills the services it started (each is the server process
// itself), and every service also stops by itself when the bench is gone (EXIT_WITH_PARENT).

main()
  .then(
    () => 0,
    (error: unknown) => {
      if (error instanceof Interrupted || runState.interrupted) return 130;
      console.error(`\nBench failed: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    },
  )
  .then(async (code) => {
    await stopServices();
    process.exit(code);
  });

