import { ProductsDocument, execute } from '@storefront/client';
import { dropDatabase, devSecret } from '@storefront/service-kit';
import { freePort, spawnService, testDatabaseEnv, type ServiceProcess } from '@storefront/testing';
import { demoSamples } from '../src/services/catalog-seeder';

const env = testDatabaseEnv('catalog');
let catalog: ServiceProcess | undefined;

async function start(port: number) {
  return spawnService({
    name: 'catalog',
    entry: 'subgraphs/catalog/src/index.ts',
    env: { ...env, CATALOG_PORT: String(port), CATALOG_SEED_DEMO: 'true', LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
    readyUrl: `http://127.0.0.1:${port}/ready`,
  });
}

async function totalCount(port: number): Promise<number> {
  const result = await execute(`http://127.0.0.1:${port}/graphql`, ProductsDocument, { first: 1 }, {
    headers: { 'x-subgraph-secret': devSecret('catalog') },
  });
  return result.data!.products.totalCount;
}

afterAll(async () => {
  await catalog?.kill();
  await dropDatabase({ databaseUrl: env.DATABASE_URL, databaseName: env.CATALOG_DATABASE_NAME, dataDir: env.DATA_DIR });
});

test('the demo catalog loads on first start only, SIGTERM stops cleanly, and data survives a restart', async () => {
  const port = await freePort();
  catalog = await start(port);
  expect(await totalCount(port)).toBe(demoSamples().length);
  expect(catalog.output()).toContain('loaded the demo catalog');

  await catalog.stop();
  expect(await catalog.exited).toBe(0);
  expect(catalog.output()).toContain('"msg":"stopped"');

  catalog = await start(port);
  expect(await totalCount(port)).toBe(demoSamples().length);
  expect(catalog.output()).not.toContain('loaded the demo catalog');
});
