import { type CatalogConfig, type CatalogServer, createCatalogServer, loadCatalogConfig } from '@storefront/catalog';
import { testDatabaseEnv } from './databases';
import { runInProcess, type InProcessSubgraph } from './in-process';

export type RunningCatalog = InProcessSubgraph<CatalogConfig, CatalogServer>;

/** The catalog subgraph in this process, on a free port, with its own empty database. */
export function startCatalog(env: Record<string, string> = {}): Promise<RunningCatalog> {
  return runInProcess(loadCatalogConfig({ ...testDatabaseEnv('catalog'), CATALOG_SEED_DEMO: 'false', ...env }), (config) =>
    createCatalogServer(config),
  );
}
