import { createLogger, exitOnSignals } from '@storefront/service-kit';
import { loadOrderConfig } from './config';
import { createOrderServer } from './server';

async function main() {
  const config = loadOrderConfig();
  const logger = createLogger('order', config.logLevel, config.logFormat);
  const server = await createOrderServer(config, logger);
  exitOnSignals(server, logger, config.shutdown);
  const url = await server.listen(config.port, config.host);
  logger.info({ url, database: server.database.kind, faultAt: config.faultAt }, `order subgraph ready at ${url}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
