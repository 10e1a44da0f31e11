/**
 * Fills the catalog database with generated products: `npm run seed -- --products 100000 [--fresh]`.
 * It opens the database the catalog service would open (DATABASE_URL, DATA_DIR, CATALOG_DATABASE_NAME),
 * so what it writes is what `npm start` serves.
 */
import { dropDatabase } from '@storefront/service-kit';
import { demoSamples, loadCatalogConfig } from '@storefront/catalog';
import { parseCommandLine, positiveInteger } from './lib/args';
import { countCatalog, describeDatabase, formatInt, openCatalog, seedWithProgress } from './lib/catalog-db';

const DEMO_SIZE = demoSamples().length;

const USAGE = `Usage: npm run seed -- [--products N] [--fresh]

  --products N  products to write, about 3 variants each (default ${DEMO_SIZE}: every demo sample once)
  --fresh       drop the catalog database first

The database is the catalog service's: DATABASE_URL (unset: SQLite under DATA_DIR), CATALOG_DATABASE_NAME.`;

async function main(): Promise<void> {
  const flags = parseCommandLine(USAGE, { products: { type: 'string' }, fresh: { type: 'boolean' } });
  const products = positiveInteger(USAGE, 'products', flags.products, DEMO_SIZE);
  const config = loadCatalogConfig(process.env);

  if (flags.fresh) {
    await dropDatabase(config);
    console.log(`Dropped ${describeDatabase(config)}.`);
  }
  const db = await openCatalog(config);
  try {
    const before = await countCatalog(db);
    // Generated SKUs are numbered from 1 on every run, so a second seed would collide with the first.
    if (before.products > 0) {
      console.error(
        `${describeDatabase(config)} already has ${formatInt(before.products)} products. ` +
          'Run with --fresh to replace them.',
      );
      process.exitCode = 1;
      return;
    }
    console.log(`Seeding ${formatInt(products)} products into ${describeDatabase(config)}...`);
    const report = await seedWithProgress(db, products);
    console.log(
      `Seeded ${formatInt(report.products)} products and ${formatInt(report.variants)} variants ` +
        `in ${report.seconds.toFixed(1)} s (${formatInt(report.products / report.seconds)} products/s).`,
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
