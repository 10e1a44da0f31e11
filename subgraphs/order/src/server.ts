import { CartClient, CatalogClient } from '@storefront/contracts';
import { createLogger, createSubgraphServer, Database, Leases, type Logger, type SubgraphServer } from '@storefront/service-kit';
import type { OrderConfig } from './config';
import type { OrderContext } from './context';
import { ORDER_ENTITIES } from './entities';
import { createOrderLoaders } from './loaders/order.loaders';
import { ORDER_MIGRATIONS } from './migrations';
import { createOrderRepositories } from './repositories';
import { buildOrderSchema } from './schema';
import { CheckoutService } from './services/checkout.service';
import { crashPoints } from './services/fault-injection';
import { OrderService } from './services/order.service';
import { OutboxRelay } from './services/outbox-relay';

export interface OrderServer extends SubgraphServer {
  database: Database;
  checkouts: CheckoutService;
  relay: OutboxRelay;
  /** How this replica takes its share of background work (its `holder` names it in the `leases` table). */
  leases: Leases;
}

/** Outbox rows are retried this often; checkouts idle this long are finished by recovery. */
const RELAY_EVERY_MS = 1_000;
const RECOVER_EVERY_MS = 30_000;

/** The order service's database, migrated on open unless `config.migrateOnStart` is false (the `migrate` command forces it). */
export function openOrderDatabase(config: OrderConfig, logger: Logger): Promise<Database> {
  return Database.open({ ...config, entities: ORDER_ENTITIES, migrations: ORDER_MIGRATIONS, logger });
}

/**
 * Builds the order subgraph without listening. Recovery starts at once: checkouts a crash left
 * unfinished are driven to their end, and the outbox is delivered, while the server comes up. Without
 * migrations at start (MIGRATE_ON_START=false) that waits until the migration job has made the tables.
 */
export async function createOrderServer(config: OrderConfig, logger: Logger = createLogger('order', config.logLevel)): Promise<OrderServer> {
  const database = await openOrderDatabase(config, logger);
  const crashPoint = crashPoints(config.faultAt, logger);
  const cart = new CartClient(config.cart.url, config.cart.secret, { logger, timeoutMs: config.internalCallTimeoutMs });
  const catalog = new CatalogClient(config.catalog.url, config.catalog.secret, { logger, timeoutMs: config.internalCallTimeoutMs });
  const rows = createOrderRepositories();
  const leases = new Leases();
  const relay = new OutboxRelay(database, rows.outbox, leases, cart, logger, crashPoint);
  const checkouts = new CheckoutService(database, rows, cart, catalog, relay, leases, crashPoint, logger, config.checkoutAbandonAfterMs);
  const orders = new OrderService(rows.orders);
  // Background runs in progress, so shutdown waits for them instead of closing the database under them.
  const background = new Set<Promise<unknown>>();
  const track = (run: () => Promise<unknown>) => {
    const running = run().catch((err: unknown) => logger.error({ err }, 'background run failed'));
    background.add(running);
    void running.finally(() => background.delete(running));
  };
  let relayTimer: NodeJS.Timeout | undefined;
  let recoverTimer: NodeJS.Timeout | undefined;
  const server = await createSubgraphServer<OrderContext>({
    config,
    schema: buildOrderSchema(),
    database,
    logger,
    context: (base) => ({ ...base, loaders: createOrderLoaders(base, rows.orders), orders, checkouts }),
    // No request in flight any more: stop the timers, let running work end, deliver what checkouts left.
    async onDrained() {
      clearInterval(relayTimer);
      clearInterval(recoverTimer);
      await Promise.all(background);
      await relay.run();
    },
  });

  await database.whenSchemaCurrent(() => {
    track(() => checkouts.recover());
    relayTimer = setInterval(() => track(() => relay.run()), RELAY_EVERY_MS);
    recoverTimer = setInterval(() => track(() => checkouts.recover(RECOVER_EVERY_MS)), RECOVER_EVERY_MS);
    relayTimer.unref();
    recoverTimer.unref();
  });

  return { ...server, database, checkouts, relay, leases };
}
