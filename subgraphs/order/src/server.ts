import { CartClient, CatalogClient, createLogger, createSubgraphServer, Database, type Logger, type SubgraphServer } from '@storefront/service-kit';
import type { OrderConfig } from './config';
import type { OrderContext } from './context';
import { ORDER_ENTITIES } from './entities';
import { createOrderLoaders } from './loaders/order.loaders';
import { ORDER_MIGRATIONS } from './migrations';
import { buildOrderSchema } from './schema';
import { CheckoutService } from './services/checkout.service';
import { crashPoints } from './services/fault-injection';
import { OrderService } from './services/order.service';
import { OutboxRelay } from './services/outbox-relay';

export interface OrderServer extends SubgraphServer {
  database: Database;
  checkouts: CheckoutService;
  relay: OutboxRelay;
}

/** Outbox rows are retried this often; checkouts idle this long are finished by recovery. */
const RELAY_EVERY_MS = 1_000;
const RECOVER_EVERY_MS = 30_000;

/**
 * Builds the order subgraph without listening. Recovery starts at once: checkouts a crash left
 * unfinished are driven to their end, and the outbox is delivered, while the server comes up.
 */
export async function createOrderServer(config: OrderConfig, logger: Logger = createLogger('order', config.logLevel)): Promise<OrderServer> {
  const database = await Database.open({ ...config, entities: ORDER_ENTITIES, migrations: ORDER_MIGRATIONS, logger });
  const crashPoint = crashPoints(config.faultAt, logger);
  const cart = new CartClient(config.cart.url, config.cart.secret);
  const catalog = new CatalogClient(config.catalog.url, config.catalog.secret);
  const relay = new OutboxRelay(database, cart, logger, crashPoint);
  const checkouts = new CheckoutService(database, cart, catalog, relay, crashPoint, logger, config.checkoutAbandonAfterMs);
  const orders = new OrderService(database);
  const server = await createSubgraphServer<OrderContext>({
    config,
    schema: buildOrderSchema(),
    database,
    logger,
    context: (base) => ({ ...base, loaders: createOrderLoaders(database.manager), orders, checkouts }),
  });

  const recovering = checkouts.recover().catch((err: unknown) => logger.error({ err }, 'checkout recovery failed'));
  const relayTimer = setInterval(() => void relay.run(), RELAY_EVERY_MS);
  const recoverTimer = setInterval(() => void checkouts.recover(RECOVER_EVERY_MS), RECOVER_EVERY_MS);
  relayTimer.unref();
  recoverTimer.unref();

  return {
    ...server,
    database,
    checkouts,
    relay,
    async stop() {
      clearInterval(relayTimer);
      clearInterval(recoverTimer);
      await recovering;
      await relay.run();
      await server.stop();
    },
  };
}
