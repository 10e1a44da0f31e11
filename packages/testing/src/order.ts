import { dropDatabase } from '@storefront/service-kit';
import { loadOrderConfig, type OrderConfig } from '@storefront/order/src/config';
import { createOrderServer, type OrderServer } from '@storefront/order/src/server';
import { testDatabaseEnv } from './databases';

export interface RunningOrder {
  url: string;
  config: OrderConfig;
  server: OrderServer;
  stop(): Promise<void>;
}

type Endpoint = { url: string; secret: string };

/** The order subgraph in this process, on a free port, with its own empty database. */
export async function startOrder(peers: { catalog: Endpoint; cart: Endpoint }, env: Record<string, string> = {}): Promise<RunningOrder> {
  const config = loadOrderConfig({
    ...testDatabaseEnv('order'),
    CATALOG_URL: peers.catalog.url,
    CATALOG_SUBGRAPH_SECRET: peers.catalog.secret,
    CART_URL: peers.cart.url,
    CART_SUBGRAPH_SECRET: peers.cart.secret,
    ...env,
  });
  const server = await createOrderServer(config);
  const url = await server.listen(0, '127.0.0.1');
  return {
    url,
    config,
    server,
    async stop() {
      await server.stop();
      await dropDatabase(config);
    },
  };
}
