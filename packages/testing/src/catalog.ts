import { dropDatabase, SUBGRAPHS, devSecret } from '@storefront/service-kit';
import { loadCatalogConfig, type CatalogConfig } from '@storefront/catalog/src/config';
import { createCatalogServer, type CatalogServer } from '@storefront/catalog/src/server';
import { testDatabaseEnv } from './databases';

export interface RunningCatalog {
  url: string;
  config: CatalogConfig;
  server: CatalogServer;
  /** Headers the gateway would add: the subgraph secret, and identity when given. */
  headers(identity?: { userId: string; roles?: string[] }): Record<string, string>;
  stop(): Promise<void>;
}

/** The catalog subgraph in this process, on a free port, with its own empty database. */
export async function startCatalog(env: Record<string, string> = {}): Promise<RunningCatalog> {
  const config = loadCatalogConfig({ ...testDatabaseEnv('catalog'), CATALOG_SEED_DEMO: 'false', ...env });
  const server = await createCatalogServer(config);
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

export const CATALOG_DEFAULTS = { port: SUBGRAPHS.catalog.port, secret: devSecret('catalog') };
