/**
 * What the gateway costs: the same GraphQL operations sent with autocannon to the gateway and directly
 * to the catalog subgraph, both real child processes over a dedicated, seeded bench database.
 *
 *   npm run bench -- [--products N] [--duration S] [--connections C] [--fresh]
 *
 * The machine is shared with the services under test and with whatever else runs, so absolute numbers
 * move between runs; the gateway/direct ratio, measured in the same run, is the number to compare.
 * A scenario is a name and a request builder, a target a name, URL and headers: more scenarios
 * (cart, checkout) are more entries in SCENARIOS.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { print } from 'graphql';
import { ProductDocument, ProductsDocument, type ProductQuery, type ProductsQuery } from '@storefront/client';
import { dropDatabase, type Database } from '@storefront/service-kit';
import { loadCatalogConfig, type CatalogConfig } from '@storefront/catalog/src/config';
import { ProductSchema } from '@storefront/catalog/src/entities';
import { spawnService, type ServiceProcess } from '@storefront/testing/src/processes';
import { parseCommandLine, positiveInteger } from './lib/args';
import { countCatalog, describeDatabase, formatInt, openCatalog, seedWithProgress } from './lib/catalog-db';
import { freePort } from './lib/free-port';
import { failuresOf, runLoad, stopLoad, summarize, type GraphQLRequest, type LoadResult, type LoadSlice } from './lib/load';

const USAGE = `Usage: npm run bench -- [--products N] [--duration S] [--connections C] [--fresh]

  --products N     catalog size (default 100000); the bench database is seeded once and reused
  --duration S     seconds measured per scenario and target (default 10), after a short warm-up
  --connections C  concurrent connections (default 10)
  --fresh          drop and reseed the bench database

The bench database is its own: SQLite under data/bench/, or the MySQL database storefront_bench_catalog
when DATABASE_URL is set. Your development data is never touched.`;

const HOST = '127.0.0.1';
const BENCH_DATABASE_NAME = 'storefront_bench_catalog';
/** Absolute, because the services run from the repository root whatever directory the bench runs from. */
const BENCH_DATA_DIR = path.resolve(__dirname, '..', 'data', 'bench');
/** Enough distinct products that the catalog cannot answer from a handful of hot rows. */
const PRODUCT_ID_SAMPLE = 1000;
/** Pages of the listing the products scenario rotates through (first page included). */
const LISTING_PAGES = 10;
const WARMUP_SECONDS = 2;
/** Targets take turns in slices of about this many seconds, so both see the same machine. */
const SLICE_SECONDS = 2.5;

// ---------------------------------------------------------------------------------------------------
// Targets and scenarios

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
}

/** What scenarios may draw on: real data from the bench database and the running catalog. */
interface Fixture {
  productIds: string[];
  /** `after` values for successive pages of the plain listing; null is the first page. */
  listingCursors: (string | null)[];
}

interface Scenario {
  name: string;
  /** The i-th request of a run; i restarts at 0 for every run, so both targets get the same sequence. */
  request(i: number): GraphQLRequest;
  /** Checks one parsed `data` in the pre-flight, beyond "no errors"; returns what is wrong, if anything. */
  check(data: unknown): string | undefined;
}

const PRODUCT_QUERY = print(ProductDocument);
const PRODUCTS_QUERY = print(ProductsDocument);

const SCENARIOS: ((fixture: Fixture) => Scenario)[] = [
  (fixture) => ({
    name: 'product(id)',
    request: (i) => ({ query: PRODUCT_QUERY, variables: { id: fixture.productIds[i % fixture.productIds.length] } }),
    check: (data) => ((data as ProductQuery).product?.variants.length ? undefined : 'product is null or has no variants'),
  }),
  (fixture) => ({
    name: 'products(first: 20)',
    request: (i) => ({
      query: PRODUCTS_QUERY,
      variables: { first: 20, after: fixture.listingCursors[i % fixture.listingCursors.length] },
    }),
    check: (data) => {
      const { edges, totalCount } = (data as ProductsQuery).products;
      return edges.length === Math.min(20, totalCount) ? undefined : `page has ${edges.length} of ${totalCount} products`;
    },
  }),
];

// ---------------------------------------------------------------------------------------------------
// Database

interface PreparedDatabase {
  products: number;
  variants: number;
  productIds: string[];
}

/** Seeds the bench database when it has fewer than `products` products (or on --fresh), else reuses it. */
async function prepareDatabase(config: CatalogConfig, products: number, fresh: boolean): Promise<PreparedDatabase> {
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
    return { ...counts, productIds: await randomProductIds(db, PRODUCT_ID_SAMPLE) };
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

async function startServices(config: CatalogConfig): Promise<{ direct: Target; gateway: Target }> {
  const catalogPort = await freePort(HOST);
  const gatewayPort = await freePort(HOST);
  const catalogUrl = `http://${HOST}:${catalogPort}/graphql`;
  // A secret of our own: the bench also runs where NODE_ENV=production refuses the development default.
  const secret = randomBytes(24).toString('hex');
  const common = { LOG_LEVEL: 'warn', NODE_ENV: process.env.NODE_ENV ?? 'development' };
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
  services.push(
    await spawnService({
      name: 'gateway',
      entry: 'gateway/src/index.ts',
      env: {
        ...common,
        GATEWAY_HOST: HOST,
        GATEWAY_PORT: String(gatewayPort),
        CATALOG_URL: catalogUrl,
        CATALOG_SUBGRAPH_SECRET: secret,
        JWT_SECRET: randomBytes(32).toString('hex'),
        // Nothing here is for browsers.
        GATEWAY_EXPLORER: 'false',
      },
      readyUrl: `http://${HOST}:${gatewayPort}/ready`,
    }),
  );
  return {
    direct: { name: 'direct', url: catalogUrl, headers: { 'x-subgraph-secret': secret } },
    gateway: { name: 'gateway', url: `http://${HOST}:${gatewayPort}/`, headers: {} },
  };
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
  // Gateway first, so the catalog is not stopped under requests still in flight through it.
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

async function postGraphQL(target: Target, body: GraphQLRequest): Promise<{ status: number; json: { data?: unknown; errors?: unknown[] } }> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  try {
    return { status: response.status, json: JSON.parse(text) as { data?: unknown; errors?: unknown[] } };
  } catch {
    throw new Error(`${target.name} (${target.url}) answered HTTP ${response.status} with a non-JSON body: ${text.slice(0, 300)}`);
  }
}

/** One request per scenario and target, fully checked, so a misconfiguration fails before any load. */
async function preflight(scenario: Scenario, target: Target): Promise<void> {
  const { status, json } = await postGraphQL(target, scenario.request(0));
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

/** Walks the first pages of the plain listing through the catalog to collect real `after` cursors. */
async function listingCursors(direct: Target, pages: number): Promise<(string | null)[]> {
  const cursors: (string | null)[] = [null];
  while (cursors.length < pages) {
    const { json } = await postGraphQL(direct, { query: PRODUCTS_QUERY, variables: { first: 20, after: cursors.at(-1) } });
    const page = (json.data as ProductsQuery | undefined)?.products;
    if (!page?.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
    cursors.push(page.pageInfo.endCursor);
  }
  return cursors;
}

interface Measurement {
  scenario: string;
  target: string;
  result: LoadResult;
}

/**
 * Measures one scenario on every target. The targets take turns in slices of about SLICE_SECONDS in
 * ABBA order (direct, gateway, gateway, direct, ...), so load from other processes that comes and goes
 * during the run falls on both alike instead of skewing the ratio. Each target gets `seconds` in all.
 */
async function measureScenario(scenario: Scenario, targets: Target[], seconds: number, connections: number): Promise<Measurement[]> {
  const run = (target: Target, runSeconds: number) =>
    runLoad({ url: target.url, headers: target.headers, connections, seconds: runSeconds, request: (i) => scenario.request(i) });
  const label = (target: Target) => `${scenario.name} via ${target.name}`;
  if (interrupted) throw new Interrupted();
  // Warm-up: JIT, connection pools, query plan caches and the database page cache settle before measuring.
  for (const target of targets) assertMostlySucceeded(label(target), summarize([await run(target, Math.min(WARMUP_SECONDS, seconds))]));

  const rounds = Math.max(2, 2 * Math.round(seconds / (2 * SLICE_SECONDS)));
  const slices = new Map<Target, LoadSlice[]>(targets.map((target) => [target, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const target of round % 2 === 0 ? targets : [...targets].reverse()) {
      const slice = await run(target, seconds / rounds);
      assertMostlySucceeded(label(target), summarize([slice]));
      slices.get(target)?.push(slice);
    }
  }
  return targets.map((target) => {
    const result = summarize(slices.get(target) ?? []);
    console.log(
      `  ${label(target)}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${failuresOf(result)} errors`,
    );
    return { scenario: scenario.name, target: target.name, result };
  });
}

function assertMostlySucceeded(label: string, result: LoadResult): void {
  if (interrupted) throw new Interrupted();
  assertServicesAlive();
  const attempted = result.completed + result.socketErrors;
  const failed = failuresOf(result);
  if (attempted === 0 || failed > attempted / 2) {
    throw new Error(
      `${label}: ${failed} of ${attempted} requests failed (non-2xx ${result.non2xx}, GraphQL errors ${result.graphqlErrors}, ` +
        `no response ${result.socketErrors}); aborting.\nFirst failure: ${result.firstFailure ?? 'none recorded'}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------
// Report

function report(measurements: Measurement[], scenarios: Scenario[]): string {
  const header = ['scenario', 'target', 'req/s', 'p50 ms', 'p99 ms', 'errors'];
  const rows: string[][] = [];
  for (const scenario of scenarios) {
    const of = (target: string) => measurements.find((m) => m.scenario === scenario.name && m.target === target)?.result;
    const direct = of('direct');
    const gateway = of('gateway');
    for (const [target, result] of [['direct', direct], ['gateway', gateway]] as const) {
      if (!result) continue;
      rows.push([scenario.name, target, result.requestsPerSecond.toFixed(0), String(result.p50Ms), String(result.p99Ms), errorsCell(result)]);
    }
    if (direct && gateway) {
      rows.push([
        scenario.name,
        'gateway/direct',
        ratio(gateway.requestsPerSecond, direct.requestsPerSecond),
        ratio(gateway.p50Ms, direct.p50Ms),
        ratio(gateway.p99Ms, direct.p99Ms),
        '',
      ]);
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
    result.socketErrors && `${result.socketErrors} no response`,
  ].filter(Boolean);
  return `${total} (${parts.join(', ')})`;
}

function ratio(a: number, b: number): string {
  return b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a';
}

function machineContext(prepared: PreparedDatabase, fixture: Fixture, config: CatalogConfig, seconds: number, connections: number): string {
  const cpus = os.cpus();
  return [
    `node ${process.version} on ${os.platform()} ${os.arch()}, ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), ` +
      `load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    `database: ${describeDatabase(config)}`,
    `catalog: ${formatInt(prepared.products)} products, ${formatInt(prepared.variants)} variants`,
    `load: autocannon, ${connections} connections, ${seconds} s per scenario and target after a ${Math.min(WARMUP_SECONDS, seconds)} s warm-up, ` +
      'targets taking turns (direct, gateway, gateway, direct...); ' +
      `product(id) rotates over ${fixture.productIds.length} random products, products(first: 20) over the first ${fixture.listingCursors.length} pages`,
    'The machine is shared (load generator, gateway and catalog compete for the same CPUs): absolute numbers are noisy.',
    'Compare the gateway/direct ratios, which come from the same run.',
  ].join('\n');
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
  });
  const products = positiveInteger(USAGE, 'products', flags.products, 100_000);
  const seconds = positiveInteger(USAGE, 'duration', flags.duration, 10);
  const connections = positiveInteger(USAGE, 'connections', flags.connections, 10);

  const config = loadCatalogConfig({
    ...process.env,
    DATA_DIR: BENCH_DATA_DIR,
    CATALOG_DATABASE_NAME: BENCH_DATABASE_NAME,
    CATALOG_SEED_DEMO: 'false',
  });
  const started = performance.now();
  const prepared = await prepareDatabase(config, products, Boolean(flags.fresh));
  if (interrupted) throw new Interrupted();

  console.log('Starting the catalog subgraph and the gateway...');
  const targets = await startServices(config);
  const fixture: Fixture = { productIds: prepared.productIds, listingCursors: await listingCursors(targets.direct, LISTING_PAGES) };
  const scenarios = SCENARIOS.map((make) => make(fixture));
  const targetList = [targets.direct, targets.gateway];
  for (const scenario of scenarios) for (const target of targetList) await preflight(scenario, target);

  console.log('Measuring...');
  const measurements: Measurement[] = [];
  for (const scenario of scenarios) measurements.push(...(await measureScenario(scenario, targetList, seconds, connections)));

  console.log(`\n${machineContext(prepared, fixture, config, seconds, connections)}\n`);
  console.log(report(measurements, scenarios));
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
// Last resort on any exit path: never leave a service behind. SIGTERM, not SIGKILL: each service is a
// tsx process running the real server as its own child, and only a signal tsx can relay reaches it;
// SIGKILL would kill tsx alone and leave the server running. The servers exit on their own after that.
process.on('exit', () => {
  for (const service of services) if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGTERM');
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
