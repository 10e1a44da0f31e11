import { loadCartConfig } from '@storefront/cart';
import { loadCatalogConfig } from '@storefront/catalog';
import { loadOrderConfig } from '@storefront/order';
import { ConfigError, devSecret } from '@storefront/service-kit';

/**
 * Each subgraph's configuration checks (the gateway's have their own suite): safe local defaults, every
 * bad value refused naming its variable, production refusing the public development secrets and
 * test-only switches.
 */
const LOADERS = { catalog: loadCatalogConfig, cart: loadCartConfig, order: loadOrderConfig } as const;
type Service = keyof typeof LOADERS;
const SERVICES = Object.keys(LOADERS) as Service[];

/** Secrets for every service a subgraph knows about, so production is refused only for what a test says. */
const SECRETS = {
  CATALOG_SUBGRAPH_SECRET: 'catalog-secret-from-the-environment',
  CART_SUBGRAPH_SECRET: 'cart-secret-from-the-environment',
  ORDER_SUBGRAPH_SECRET: 'order-secret-from-the-environment',
};

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

test.each(SERVICES)('%s: safe local defaults (loopback, development secret, embedded SQLite)', (service) => {
  const config = LOADERS[service]({});
  expect(config).toMatchObject({ host: '127.0.0.1', secret: devSecret(service), nodeEnv: 'development', dataDir: 'data' });
  expect(config.databaseUrl).toBeUndefined();
});

test.each(SERVICES)('%s: production refuses the development secret and accepts a real one', (service) => {
  const prefix = service.toUpperCase();
  const { [`${prefix}_SUBGRAPH_SECRET`]: _own, ...others } = SECRETS as Record<string, string>;
  expect(problemsOf(() => LOADERS[service]({ NODE_ENV: 'production', ...others }))).toEqual([
    expect.stringMatching(new RegExp(`^${prefix}_SUBGRAPH_SECRET .*production`)),
  ]);
  expect(LOADERS[service]({ NODE_ENV: 'production', ...SECRETS }).secret).toBe(SECRETS[`${prefix}_SUBGRAPH_SECRET` as keyof typeof SECRETS]);
});

test.each(SERVICES)('%s: every malformed value is refused, each named', (service) => {
  const prefix = service.toUpperCase();
  const problems = problemsOf(() =>
    LOADERS[service]({ [`${prefix}_PORT`]: '70000', [`${prefix}_SUBGRAPH_SECRET`]: 'short', DATABASE_URL: 'postgres://x', LOG_LEVEL: 'loud' }),
  );
  for (const name of [`${prefix}_PORT`, `${prefix}_SUBGRAPH_SECRET`, 'DATABASE_URL', 'LOG_LEVEL']) {
    expect(problems.some((p) => p.startsWith(`${name} `))).toBe(true);
  }
});

test('cart: its limits are whole numbers within range', () => {
  const problems = problemsOf(() => loadCartConfig({ CART_MAX_LINE_QUANTITY: '0', CART_MAX_LINES: '1.5', CART_GUEST_TTL_DAYS: '-1' }));
  expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(['CART_GUEST_TTL_DAYS', 'CART_MAX_LINES', 'CART_MAX_LINE_QUANTITY']);
  expect(loadCartConfig({ CART_MAX_LINE_QUANTITY: '7', CART_MAX_LINES: '3' })).toMatchObject({ maxLineQuantity: 7, maxLines: 3 });
});

test('catalog: the demo seed switch is true or false', () => {
  expect(problemsOf(() => loadCatalogConfig({ CATALOG_SEED_DEMO: 'yes' }))[0]).toMatch(/^CATALOG_SEED_DEMO /);
});

test('order: ORDER_FAULT_AT kills the service, so production refuses it; tests may use it; unknown steps are refused', () => {
  expect(loadOrderConfig({ NODE_ENV: 'test', ORDER_FAULT_AT: 'order-placed' }).faultAt).toBe('order-placed');
  expect(problemsOf(() => loadOrderConfig({ NODE_ENV: 'production', ...SECRETS, ORDER_FAULT_AT: 'order-placed' }))).toEqual([
    expect.stringMatching(/^ORDER_FAULT_AT.*production/),
  ]);
  expect(problemsOf(() => loadOrderConfig({ ORDER_FAULT_AT: 'somewhere' }))[0]).toMatch(/^ORDER_FAULT_AT /);
});

test.each(SERVICES)('%s: migrates at start unless MIGRATE_ON_START=false (a migration job runs them instead); nothing else is accepted', (service) => {
  expect(LOADERS[service]({}).migrateOnStart).toBe(true);
  expect(LOADERS[service]({ MIGRATE_ON_START: 'false' }).migrateOnStart).toBe(false);
  expect(problemsOf(() => LOADERS[service]({ MIGRATE_ON_START: 'no' }))[0]).toMatch(/^MIGRATE_ON_START /);
});
