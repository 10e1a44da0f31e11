/** The report: the table of arms and ratios, and the machine and run it was measured on. */
import os from 'node:os';
import { type CatalogConfig } from '@storefront/catalog';
import { type Adders, type FilledCart } from '../lib/cart-fixture';
import { describeDatabase, formatInt } from '../lib/catalog-db';
import { failuresOf, type LoadResult } from '../lib/load';
import { Measurements, roundsFor } from './measure';
import { Fixture, Group, OrderFixture } from './scenarios';
import { PreparedDatabase, ServiceSet } from './services';
import { BENCH_CART_DATABASE_NAME, BENCH_ORDER_DATABASE_NAME, HISTORY_PAGE, ORDER_STOCK, WARMUP_SECONDS } from './settings';

export function report(measurements: Measurements, groups: Group[]): string {
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

export function errorsCell(result: LoadResult): string {
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

export function ratio(a: number, b: number): string {
  return b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a';
}

export interface RunInfo {
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

export function machineContext({ prepared, config, seconds, connections, fixture, carts, run, orders, prepTimes }: RunInfo): string {
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
