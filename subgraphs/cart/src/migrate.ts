import { createLogger } from '@storefront/service-kit';
import { loadCartConfig } from './config';
import { openCartDatabase } from './server';

/**
 * `node subgraphs/cart/dist/migrate.js`: brings the cart database to this release's schema and
 * exits. The Kubernetes migration Job runs it once per release (README "Kubernetes") while replicas
 * started with MIGRATE_ON_START=false stay not ready until it is done. It reads the service's own
 * configuration; on MySQL/MariaDB it takes the same named lock as a service migrating at start.
 */
async function main() {
  const config = loadCartConfig();
  const logger = createLogger('cart', config.logLevel, config.logFormat);
  const database = await openCartDatabase({ ...config, migrateOnStart: true }, logger);
  await database.close();
  logger.info('cart database migrated');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
