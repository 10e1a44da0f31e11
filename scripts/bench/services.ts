/** The bench databases and the services under test: the harness's launcher over bench databases. */
import { dropDatabase, envPrefix, type Database } from '@storefront/service-kit';
import { type CatalogConfig, ProductSchema } from '@storefront/catalog';
import { startShopProcesses, type ShopProcesses } from '@storefront/testing';
import { countCatalog, describeDatabase, formatInt, openCatalog, sampleCartVariants, seedWithProgress } from '../lib/catalog-db';
import { type Target } from '../lib/graphql-http';
import { BENCH_CART_DATABASE_NAME, BENCH_ORDER_DATABASE_NAME, CART_MAX_LINES, CART_MAX_LINE_QUANTITY, PRODUCT_ID_SAMPLE } from './settings';

export interface PreparedDatabase {
  products: number;
  variants: number;
  productIds: string[];
  /** Distinct variants for sale, in stock, one currency, random: carts are filled from these. */
  cartVariantIds: string[];
}

/** Seeds the bench database when it has fewer than `products` products (or on --fresh), else reuses it. */
export async function prepareDatabase(config: CatalogConfig, products: number, fresh: boolean, cartVariants: number): Promise<PreparedDatabase> {
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

export async function randomProductIds(db: Database, count: number): Promise<string[]> {
  const rows = await db.manager
    .createQueryBuilder(ProductSchema, 'p')
    .select('p.id', 'id')
    .orderBy(db.kind === 'sqlite' ? 'RANDOM()' : 'RAND()')
    .limit(count)
    .getRawMany<{ id: string }>();
  return rows.map((row) => row.id);
}

/**
 * What a run shares between its parts: whether Ctrl-C was pressed, and the services once started. A
 * signal before any service is starting (opening or seeding the database) just exits.
 */
export const runState: { interrupted: boolean; servicesStarting: boolean; shop?: ShopProcesses } = { interrupted: false, servicesStarting: false };

export class Interrupted extends Error {
  constructor() {
    super('Interrupted.');
  }
}

/** Between set-up requests: stop on Ctrl-C, and explain a failure by a service that died. */
export function checkpoint(): void {
  if (runState.interrupted) throw new Interrupted();
  assertServicesAlive();
}

export interface Services {
  direct: Target;
  gateway: Target;
  /** The gateway's HS256 secret: tokens signed with it are accepted. */
  jwtSecret: string;
}

/** Drops a bench database of carts or orders: every run starts with none. */
export function resetDatabase(config: CatalogConfig, databaseName: string): Promise<void> {
  return dropDatabase({ databaseUrl: config.databaseUrl, databaseName, dataDir: config.dataDir });
}

/** Which services besides the catalog and the gateway run. The order service needs the cart. */
export interface ServiceSet {
  cart: boolean;
  order: boolean;
}

/**
 * The shop's processes through the harness's launcher (the one the tests use), on the bench databases,
 * which stay when it stops: the catalog is seeded once and reused.
 */
export async function startServices(config: CatalogConfig, run: ServiceSet): Promise<Services> {
  const withCart = run.cart || run.order;
  const names = { catalog: config.databaseName, cart: BENCH_CART_DATABASE_NAME, order: BENCH_ORDER_DATABASE_NAME };
  const database = (name: keyof typeof names) => ({
    DATA_DIR: config.dataDir,
    ...(config.databaseUrl ? { DATABASE_URL: config.databaseUrl } : {}),
    [`${envPrefix(name)}_DATABASE_NAME`]: names[name],
  });
  runState.servicesStarting = true;
  const shop = await startShopProcesses({
    services: ['catalog', ...(withCart ? (['cart'] as const) : []), ...(run.order ? (['order'] as const) : []), 'gateway'],
    databases: { catalog: database('catalog'), cart: database('cart'), order: database('order') },
    keepDatabases: true,
    logLevel: 'warn',
    commonEnv: { NODE_ENV: process.env.NODE_ENV ?? 'development' },
    // Ctrl-C reaches only the bench, which stops the load and then the services in order.
    ownProcessGroup: true,
    env: {
      cart: { CART_MAX_LINES: String(CART_MAX_LINES), CART_MAX_LINE_QUANTITY: String(CART_MAX_LINE_QUANTITY) },
      // Nothing here is for browsers; the bench measures throughput from this machine, which
      // production-mode rate limits would cap.
      gateway: { GATEWAY_EXPLORER: 'false', GATEWAY_RATE_LIMIT_LOOPBACK: 'false' },
    },
  });
  runState.shop = shop;
  if (runState.interrupted) throw new Interrupted();
  const catalog = shop.endpoints.catalog;
  return {
    direct: { name: 'direct', url: catalog.url, headers: { 'x-subgraph-secret': catalog.secret } },
    gateway: { name: 'gateway', url: shop.url, headers: {} },
    jwtSecret: shop.jwtSecret,
  };
}

/** Stops every service (the gateway first, then the order service, which drains its outbox into the cart). */
export async function stopServices(): Promise<void> {
  await runState.shop?.stop();
}

/** A service that died mid-run explains every failure after it: say so, with what it printed. */
export function assertServicesAlive(): void {
  for (const service of runState.shop?.started() ?? []) {
    if (service.child.exitCode !== null || service.child.signalCode !== null) {
      throw new Error(`The ${service.name} process exited during the bench. Its output:\n${tail(service.output())}`);
    }
  }
}

export function tail(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n') || '(nothing)';
}
