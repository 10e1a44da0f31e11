import { dropDatabase } from '@storefront/service-kit';
import { loadCartConfig, type CartConfig } from '@storefront/cart/src/config';
import { createCartServer, type CartServer } from '@storefront/cart/src/server';
import { testDatabaseEnv } from './databases';

export interface RunningCart {
  url: string;
  config: CartConfig;
  server: CartServer;
  headers(identity?: { userId: string; roles?: string[] }): Record<string, string>;
  stop(): Promise<void>;
}

/** The cart subgraph in this process, on a free port, with its own empty database, pricing from `catalog`. */
export async function startCart(catalog: { url: string; secret: string }, env: Record<string, string> = {}): Promise<RunningCart> {
  const config = loadCartConfig({
    ...testDatabaseEnv('cart'),
    CATALOG_URL: catalog.url,
    CATALOG_SUBGRAPH_SECRET: catalog.secret,
    ...env,
  });
  const server = await createCartServer(config);
  const url = await server.listen(0, '127.0.0.1');
  return {
    url,
    config,
    server,
    headers: (identity) => ({
      'x-subgraph-secret': config.secret,
      ...(identity ? { 'x-user-id': identity.userId, 'x-user-roles': (identity.roles ?? []).join(',') } : {}),
    }),
    async stop() {
      await server.stop();
      await dropDatabase(config);
    },
  };
}
