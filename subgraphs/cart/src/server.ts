import { CatalogClient } from '@storefront/contracts';
import { backgroundContext, createLogger, createSubgraphServer, Database, Leases, type Logger, type SubgraphServer } from '@storefront/service-kit';
import type { CartConfig } from './config';
import type { CartContext } from './context';
import { CART_ENTITIES } from './entities';
import { cartInternalRoutes } from './internal/cart-internal.routes';
import { createCartLoaders } from './loaders/cart.loaders';
import { CART_MIGRATIONS } from './migrations';
import { createCartRepositories } from './repositories';
import { buildCartSchema } from './schema';
import { CartCheckoutService } from './services/cart-checkout.service';
import { CartService } from './services/cart.service';

export interface CartServer extends SubgraphServer {
  database: Database;
  carts: CartService;
  /** The order checkout's hold on carts, served on `/internal` (exposed for tests). */
  checkouts: CartCheckoutService;
  /** Sweeps expired guest carts now, unless another replica swept within the sweep interval (exposed for tests). */
  sweepGuestCarts(): Promise<void>;
  /** How this replica takes its share of background work. */
  leases: Leases;
}

/** How often expired guest carts are swept; the first sweep runs at start. */
const SWEEP_EVERY_MS = 60 * 60 * 1000;
const GUEST_SWEEP_LEASE = 'guest-cart-sweep';

/** The cart's database, migrated on open unless `config.migrateOnStart` is false (the `migrate` command forces it). */
export function openCartDatabase(config: CartConfig, logger: Logger): Promise<Database> {
  return Database.open({ ...config, entities: CART_ENTITIES, migrations: CART_MIGRATIONS, logger });
}

/** Builds the cart subgraph (database migrated unless MIGRATE_ON_START=false, routes mounted) without listening. */
export async function createCartServer(config: CartConfig, logger: Logger = createLogger('cart', config.logLevel)): Promise<CartServer> {
  const database = await openCartDatabase(config, logger);
  const catalog = new CatalogClient(config.catalog.url, config.catalog.secret, { logger, timeoutMs: config.internalCallTimeoutMs });
  const rows = createCartRepositories();
  const carts = new CartService(rows, catalog, config);
  const checkouts = new CartCheckoutService(rows, carts);
  const server = await createSubgraphServer<CartContext>({
    config,
    schema: buildCartSchema(),
    database,
    logger,
    context: (base) => ({ ...base, loaders: createCartLoaders(base, rows.lines, catalog), carts }),
    internalRoutes: cartInternalRoutes(checkouts),
  });

  // Background work for no request: each sweep gets a context of its own. One replica sweeps per
  // interval: the lease is kept (not released) for the interval, so the others skip theirs; the holder's
  // next sweep renews it, and another replica takes over once a holder that died lets it lapse.
  const leases = new Leases();
  const sweep = async () => {
    const ctx = backgroundContext(database, logger, null);
    try {
      if (!(await leases.acquire(ctx, GUEST_SWEEP_LEASE, SWEEP_EVERY_MS))) return;
      const removed = await carts.removeExpiredGuestCarts(ctx, config.guestCartTtlDays);
      if (removed > 0) ctx.logger.info({ removed }, 'removed expired guest carts');
    } catch (err) {
      ctx.logger.error({ err }, 'guest cart sweep failed');
    }
  };
  let timer: NodeJS.Timeout | undefined;
  // Without migrations at start the tables may not exist yet: sweeping waits for the migration job.
  await database.whenSchemaCurrent(async () => {
    await sweep();
    timer = setInterval(sweep, SWEEP_EVERY_MS);
    timer.unref();
  });

  return {
    ...server,
    database,
    carts,
    checkouts,
    sweepGuestCarts: sweep,
    leases,
    async stop() {
      clearInterval(timer);
      await server.stop();
    },
  };
}
