import { loadOrderConfig, type OrderConfig } from '@storefront/order/src/config';
import { createOrderServer, type OrderServer } from '@storefront/order/src/server';
import { testDatabaseEnv } from './databases';
import { RELAXED_TIMEOUTS, runInProcess, type InProcessSubgraph } from './in-process';

export type RunningOrder = InProcessSubgraph<OrderConfig, OrderServer>;

type Endpoint = { url: string; secret: string };

/** The order subgraph in this process, on a free port, with its own empty database. */
export function startOrder(peers: { catalog: Endpoint; cart: Endpoint }, env: Record<string, string> = {}): Promise<RunningOrder> {
  const config = loadOrderConfig({
    ...testDatabaseEnv('order'),
    ...RELAXED_TIMEOUTS,
    CATALOG_URL: peers.catalog.url,
    CATALOG_SUBGRAPH_SECRET: peers.catalog.secret,
    CART_URL: peers.cart.url,
    CART_SUBGRAPH_SECRET: peers.cart.secret,
    ...env,
  });
  return runInProcess(config, (c) => createOrderServer(c));
}
