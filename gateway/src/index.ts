import { createLogger, exitOnSignals } from '@storefront/service-kit';
import { loadGatewayConfig } from './config';
import { createGatewayServer } from './server';

async function main() {
  const config = loadGatewayConfig();
  const logger = createLogger('gateway', config.logLevel, config.logFormat);
  const server = await createGatewayServer(config, logger);
  exitOnSignals(server, logger, config.shutdown);
  const url = await server.listen(config.port, config.host);
  // Bound to 127.0.0.1 (the default), print "localhost": the same address, and the one people click.
  const shown = url.replace(/^http:\/\/127\.0\.0\.1:/, 'http://localhost:');
  const subgraphs = Object.fromEntries(Object.entries(config.subgraphs).map(([name, endpoint]) => [name, endpoint.url]));
  logger.info({ url, subgraphs, explorer: config.explorer }, `Gateway ready at ${shown}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
