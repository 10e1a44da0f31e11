import { createLogger, exitOnSignals } from '@storefront/service-kit';
import { loadCartConfig } from './config';
import { createCartServer } from './server';

async function main() {
  const config = loadCartConfig();
  const logger = createLogger('cart', config.logLevel, config.logFormat);
  const server = await createCartServer(config, logger);
  exitOnSignals(server, logger, config.shutdown);
  const url = await server.listen(config.port, config.host);
  logger.info({ url, database: server.database.kind }, `cart subgraph ready at ${url}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
