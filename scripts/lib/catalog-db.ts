/**
 * The catalog database as the seed and bench scripts see it: opened exactly as the catalog service
 * opens it (same config, same migrations), counted, and seeded with progress on the terminal.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { createLogger, type Database } from '@storefront/service-kit';
import { type CatalogConfig, openCatalogDatabase, ProductSchema, ProductVariantSchema, seedCatalog } from '@storefront/catalog';

/** Opens and migrates the catalog database; only warnings (slow SQL) reach the terminal. */
export function openCatalog(config: CatalogConfig): Promise<Database> {
  return openCatalogDatabase(config, createLogger('catalog-db', 'warn'));
}

/** Where the data lives, for people: the SQLite file, or the MySQL server and database (no password). */
export function describeDatabase(config: Pick<CatalogConfig, 'databaseUrl' | 'databaseName' | 'dataDir'>): string {
  if (!config.databaseUrl) {
    const file = path.resolve(config.dataDir, `${config.databaseName}.sqlite`);
    const relative = path.relative(process.cwd(), file);
    return `SQLite ${relative.startsWith('..') ? file : relative}`;
  }
  const url = new URL(config.databaseUrl.replace(/^mariadb:/, 'mysql:'));
  return `MySQL ${url.host} database ${config.databaseName}`;
}

/**
 * Up to `count` distinct random variants a cart accepts: for sale (variant not removed, product not
 * archived), in stock, and all in one currency (a cart refuses to mix currencies). Fewer when the
 * catalog has fewer.
 */
export async function sampleCartVariants(db: Database, count: number): Promise<string[]> {
  const rows = await db.manager
    .createQueryBuilder(ProductVariantSchema, 'v')
    .innerJoin(ProductSchema.options.name, 'p', 'p.id = v.productId')
    .select('v.id', 'id')
    .addSelect('p.currencyCode', 'currency')
    .where('v.removedAt IS NULL AND p.archivedAt IS NULL AND v.stock > 0')
    .orderBy(db.kind === 'sqlite' ? 'RANDOM()' : 'RAND()')
    .limit(count * 2)
    .getRawMany<{ id: string; currency: string }>();
  const byCurrency = new Map<string, string[]>();
  for (const row of rows) byCurrency.set(row.currency, [...(byCurrency.get(row.currency) ?? []), row.id]);
  const largest = [...byCurrency.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  return largest.slice(0, count);
}

export async function countCatalog(db: Database): Promise<{ products: number; variants: number }> {
  return {
    products: await db.manager.count(ProductSchema),
    variants: await db.manager.count(ProductVariantSchema),
  };
}

export interface SeedReport {
  products: number;
  variants: number;
  seconds: number;
}

/**
 * Writes `count` products with `seedCatalog`, printing progress at most every five seconds. The seeder
 * reports progress through its logger after every batch, so a logger whose output we read is the hook.
 */
export async function seedWithProgress(db: Database, count: number, print: (line: string) => void = console.log): Promise<SeedReport> {
  const started = performance.now();
  let lastPrint = started;
  const progress = pino(
    { level: 'info', base: undefined },
    {
      write(line: string) {
        const entry = JSON.parse(line) as { msg?: string; products?: number; of?: number };
        const now = performance.now();
        if (entry.msg !== 'seeding' || entry.products === undefined || now - lastPrint < 5_000) return;
        lastPrint = now;
        const rate = entry.products / ((now - started) / 1000);
        print(`  ${formatInt(entry.products)} / ${formatInt(count)} products (${Math.floor((entry.products / count) * 100)}%), ${formatInt(rate)} products/s`);
      },
    },
  );
  const variants = await seedCatalog(db, count, progress);
  return { products: count, variants, seconds: (performance.now() - started) / 1000 };
}

export function formatInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
