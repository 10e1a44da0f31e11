import { createLogger } from '@storefront/service-kit';
import { loadOrderConfig } from './config';
import { openOrderDatabase } from './server';

/**
 * `node subgraphs/order/dist/migrate.js`: brings the order database to this release's schema and
 * exits. The Kubernetes migration Job runs it once per release (README "Kubernetes") while replicas
 * started with MIGRATE_ON_START=false stay not ready until it is done. It reads the service's own
 * configuration; on MySQL/MariaDB it takes the same named lock as a service migrating at start.
 */
async function main() {
  const config = loadOrderConfig();
  const logger = createLogger('order', config.logLevel, config.logFormat);
  const database = await openOrderDatabase({ ...config, migrateOnStart: true }, logger);
  await database.close();
  logger.info('order database migrated');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
