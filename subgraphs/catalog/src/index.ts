import { createLogger, exitOnSignals } from '@storefront/service-kit';
import { loadCatalogConfig } from './config';
import { createCatalogServer } from './server';
import { seedDemoCatalogIfEmpty } from './services/catalog-seeder';

async function main() {
  const config = loadCatalogConfig();
  const logger = createLogger('catalog', config.logLevel, config.logFormat);
  const server = await createCatalogServer(config, logger);
  // Without migrations at start there may be no tables yet: the migration command seeds instead (migrate.ts).
  if (config.seedDemo && config.migrateOnStart) await seedDemoCatalogIfEmpty(server.database, logger);
  exitOnSignals(server, logger, config.shutdown);
  const url = await server.listen(config.port, config.host);
  logger.info({ url, database: server.database.kind }, `catalog subgraph ready at ${url}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
