import { createOrderServer, loadOrderConfig, type OrderConfig, type OrderServer } from '@storefront/order';
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

/** The id of the checkout `userId` made with idempotency key `key`, as the order service recorded it. */
export async function checkoutIdOf(order: OrderServer, userId: string, key: string): Promise<string> {
  const rows = (await order.database.dataSource.query('SELECT id FROM checkout WHERE user_id = ? AND idempotency_key = ?', [userId, key])) as {
    id: string;
  }[];
  if (rows.length !== 1) throw new Error(`expected one checkout of ${userId} with key ${key}, found ${rows.length}`);
  return rows[0].id;
}
