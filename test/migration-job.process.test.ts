import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { SUBGRAPHS, type SubgraphName } from '@storefront/contracts';
import { devSecret, dropDatabase, envPrefix, HEADERS } from '@storefront/service-kit';
import {
  eventually,
  freePort,
  logRecords,
  REPO_ROOT,
  RUN_FROM_SOURCE,
  spawnService,
  tailOf,
  testDatabaseEnv,
  type ServiceProcess,
} from '@storefront/testing';

/**
 * How Kubernetes runs the subgraphs (README "Kubernetes"): replicas start with MIGRATE_ON_START=false,
 * leave the schema alone and answer `/ready` 503 (but `/health` 200) until the migration Job has run the
 * service's `migrate` command; then they turn ready by themselves and their background work starts.
 * Each subgraph on a fresh database (SQLite, or MySQL/MariaDB with DATABASE_URL).
 */

const NAMES = Object.keys(SUBGRAPHS) as SubgraphName[];
const envs = {} as Record<SubgraphName, Record<string, string>>;
const baseUrls = {} as Record<SubgraphName, string>;
const services: Partial<Record<SubgraphName, ServiceProcess>> = {};

const run = promisify(execFile);
const statusOf = async (url: string) => (await fetch(url)).status;

beforeAll(async () => {
  for (const name of NAMES) {
    const port = await freePort();
    baseUrls[name] = `http://127.0.0.1:${port}`;
    envs[name] = {
      ...testDatabaseEnv(name),
      [`${envPrefix(name)}_HOST`]: '127.0.0.1',
      [`${envPrefix(name)}_PORT`]: String(port),
      MIGRATE_ON_START: 'false',
      // Seeding needs the tables, so with migrations off it is the migrate command's to do.
      ...(name === 'catalog' ? { CATALOG_SEED_DEMO: 'true' } : {}),
      // Nothing listens there: the cart and order start without calling anyone.
      ...(name === 'catalog' ? {} : { CATALOG_URL: 'http://127.0.0.1:1/graphql', CART_URL: 'http://127.0.0.1:1/graphql' }),
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
    };
  }
  // Started and answering `/health`: a not-ready service is what this suite starts, so it cannot wait for `/ready`.
  await Promise.all(
    NAMES.map(async (name) => {
      services[name] = await spawnService({ name, entry: `subgraphs/${name}/src/index.ts`, env: envs[name], readyUrl: `${baseUrls[name]}/health` });
    }),
  );
}, 180_000);

afterAll(async () => {
  for (const name of NAMES) {
    await services[name]?.stop();
    const env = envs[name];
    if (!env) continue;
    await dropDatabase({ databaseUrl: env.DATABASE_URL, databaseName: env[`${envPrefix(name)}_DATABASE_NAME`], dataDir: env.DATA_DIR });
    rmSync(env.DATA_DIR, { recursive: true, force: true });
  }
}, 120_000);

const describeAll = () => NAMES.map((name) => tailOf(services[name])).join('\n');

test('with MIGRATE_ON_START=false every subgraph starts alive but not ready, and stays so without a migration', async () => {
  // Longer than the services' own schema checks (every 2 s): they must not migrate by themselves.
  const until = Date.now() + 3_000;
  while (Date.now() < until) {
    for (const name of NAMES) {
      expect([name, await statusOf(`${baseUrls[name]}/health`)]).toEqual([name, 200]);
      expect([name, await statusOf(`${baseUrls[name]}/ready`)]).toEqual([name, 503]);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
});

test('running each service\'s migrate command makes it ready, without a restart', async () => {
  for (const name of NAMES) {
    await run(process.execPath, [...RUN_FROM_SOURCE, path.join(REPO_ROOT, `subgraphs/${name}/src/migrate.ts`)], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...envs[name] },
      timeout: 120_000,
    });
  }
  for (const name of NAMES) {
    await eventually(async () => ((await statusOf(`${baseUrls[name]}/ready`)) === 200 ? true : undefined), {
      timeoutMs: 30_000,
      what: `${name} /ready 200 after its migration`,
      describe: describeAll,
    });
  }
  // Background work (the cart's sweep, the order service's recovery and relay) starts once the schema is
  // current; had it run on missing tables, it would have logged errors. The catalog has none.
  for (const name of ['cart', 'order'] as const) {
    await eventually(async () => (logRecords(services[name]!).some((r) => r.msg === 'schema is current: ready, starting background work') ? true : undefined), {
      timeoutMs: 15_000,
      what: `${name} starting its background work`,
      describe: describeAll,
    });
  }
  for (const name of NAMES) expect([name, logRecords(services[name]!).filter((r) => Number(r.level) >= 50)]).toEqual([name, []]);
}, 240_000);

test('the catalog\'s migrate command loaded the demo catalog, which the running service serves', async () => {
  const response = await fetch(`${baseUrls.catalog}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [HEADERS.secret]: devSecret('catalog') },
    body: JSON.stringify({ query: '{ products(first: 1) { totalCount } }' }),
  });
  const body = (await response.json()) as { data?: { products: { totalCount: number } } };
  expect(body.data?.products.totalCount).toBeGreaterThan(0);
});
