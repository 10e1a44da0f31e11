/** Preparing carts and orders through the gateway before anything is measured. */
import { performance } from 'node:perf_hooks';
import { fillCarts, prepareAdders, raiseStock, type Adders, type FilledCart } from '../lib/cart-fixture';
import { formatInt } from '../lib/catalog-db';
import { type Target } from '../lib/graphql-http';
import { failuresOf, runLoad, summarize } from '../lib/load';
import { fillShopperCarts, placeOrderHistory } from '../lib/order-fixture';
import { assertMostlySucceeded, roundsFor } from './measure';
import { CheckoutPool, OrderFixture, adderCount, checkoutScenario } from './scenarios';
import { Services, checkpoint } from './services';
import { ADDER_STOCK, CART_SIZES, CHECKOUT_SIZES, HISTORY_LINES_PER_ORDER, HISTORY_ORDERS, MAX_CHECKOUT_LINES_PER_SIZE, MIN_SLICE_CHECKOUTS_PER_CONNECTION, ORDER_STOCK, WARMUP_SECONDS } from './settings';

/** The cart scenarios' carts and addToCart users, filled and created through the gateway. */
export async function prepareCarts(
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
export async function fillCheckoutPools(targets: Services, variantIds: string[], prefix: string, users: number[]): Promise<CheckoutPool[]> {
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
export async function prepareProbeCarts(targets: Services, variantIds: string[], users: number): Promise<CheckoutPool[]> {
  await raiseStock({ gateway: targets.gateway, jwtSecret: targets.jwtSecret, variantIds, stock: ORDER_STOCK, checkpoint });
  return fillCheckoutPools(targets, variantIds, 'bench-probe', CHECKOUT_SIZES.map(() => users));
}

/**
 * Checks out every probe cart, `connections` at a time: first one wave of every size, untimed (the
 * first checkouts of a run are much slower: JIT, connection pools, cold database pages), then the rest,
 * size after size, timed. The rate of each size sizes its measured runs; the probe is also checkout's
 * warm-up.
 */
export async function probeCheckouts(pools: CheckoutPool[], gateway: Target, connections: number): Promise<number[]> {
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
export function checkoutsPerSlice(rate: number, lines: number, seconds: number, connections: number): number {
  const rounds = roundsFor(seconds);
  const least = MIN_SLICE_CHECKOUTS_PER_CONNECTION * connections;
  const most = Math.floor(MAX_CHECKOUT_LINES_PER_SIZE / (lines * rounds));
  return Math.max(least, Math.min(most, Math.round((rate * seconds) / rounds)));
}

/**
 * After the probe: the measured checkouts' carts (exactly the pre-flight's and the measured slices'),
 * and, at the same time, the purchase history MyOrders reads.
 */
export async function prepareOrders(
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
