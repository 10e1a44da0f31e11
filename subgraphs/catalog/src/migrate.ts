import { runMigrateCommand } from '@storefront/service-kit';
import { loadCatalogConfig } from './config';
import { openCatalogDatabase } from './server';
import { seedDemoCatalogIfEmpty } from './services/catalog-seeder';

/** `node subgraphs/catalog/dist/migrate.js`: the catalog database at this release's schema (see runMigrateCommand). */
runMigrateCommand('catalog', () => loadCatalogConfig(), openCatalogDatabase, async (database, config, logger) => {
  // A catalog started without migrations cannot seed at start (no tables yet), so CATALOG_SEED_DEMO seeds here.
  if (config.seedDemo) await seedDemoCatalogIfEmpty(database, logger);
});
