import type { Logger } from 'pino';
import type { SubgraphConfig } from './config';
import type { Database } from './data-source';
import { createLogger } from './logger';

/**
 * The body of each service's `migrate.js` (`node subgraphs/<name>/dist/migrate.js`): brings the service's
 * database to this release's schema and exits. The Kubernetes migration Job runs it once per release
 * (README "Kubernetes") while replicas started with MIGRATE_ON_START=false stay not ready until it is
 * done. It reads the service's own configuration; on MySQL/MariaDB it takes the same named lock as a
 * service migrating at start. `then` runs on the migrated database before it closes.
 */
export function runMigrateCommand<C extends SubgraphConfig>(
  service: string,
  load: () => C,
  open: (config: C, logger: Logger) => Promise<Database>,
  then?: (database: Database, config: C, logger: Logger) => Promise<void>,
): void {
  const main = async () => {
    const config = load();
    const logger = createLogger(service, config.logLevel, config.logFormat);
    const database = await open({ ...config, migrateOnStart: true }, logger);
    try {
      await then?.(database, config, logger);
    } finally {
      await database.close();
    }
    logger.info(`${service} database migrated`);
  };
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
