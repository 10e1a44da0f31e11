import { type CartConfig, type CartServer, createCartServer, loadCartConfig } from '@storefront/cart';
import { testDatabaseEnv } from './databases';
import { RELAXED_TIMEOUTS, runInProcess, type InProcessSubgraph } from './in-process';

export type RunningCart = InProcessSubgraph<CartConfig, CartServer>;

/** The cart subgraph in this process, on a free port, with its own empty database, pricing from `catalog`. */
export function startCart(catalog: { url: string; secret: string }, env: Record<string, string> = {}): Promise<RunningCart> {
  const config = loadCartConfig({
    ...testDatabaseEnv('cart'),
    ...RELAXED_TIMEOUTS,
    CATALOG_URL: catalog.url,
    CATALOG_SUBGRAPH_SECRET: catalog.secret,
    ...env,
  });
  return runInProcess(config, (c) => createCartServer(c));
}
