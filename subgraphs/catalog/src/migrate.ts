import { createLogger } from '@storefront/service-kit';
import { loadCatalogConfig } from './config';
import { openCatalogDatabase } from './server';
import { seedDemoCatalogIfEmpty } from './services/catalog-seeder';

/**
 * `node subgraphs/catalog/dist/migrate.js`: brings the catalog database to this release's schema and
 * exits. The Kubernetes migration Job runs it once per release (README "Kubernetes") while replicas
 * started with MIGRATE_ON_START=false stay not ready until it is done. It reads the service's own
 * configuration; on MySQL/MariaDB it takes the same named lock as a service migrating at start.
 */
async function main() {
  const config = loadCatalogConfig();
  const logger = createLogger('catalog', config.logLevel, config.logFormat);
  const database = await openCatalogDatabase({ ...config, migrateOnStart: true }, logger);
  try {
    // A catalog started without migrations cannot seed at start (no tables yet), so CATALOG_SEED_DEMO seeds here.
    if (config.seedDemo) await seedDemoCatalogIfEmpty(database, logger);
  } finally {
    await database.close();
  }
  logger.info('catalog database migrated');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
