import { SUBGRAPHS } from '@storefront/contracts';
import { LIST_SIZE_ENV, loadEnv, loadSubgraphConfig, type SubgraphConfig } from '@storefront/service-kit';
import { z } from 'zod';

export interface CatalogConfig extends SubgraphConfig {
  /** Load the demo catalog into an empty database at start. */
  seedDemo: boolean;
  /** Most variants for sale per product; the gateway's cost estimate reads the same variable. */
  maxVariantsPerProduct: number;
}

/** Variables only the catalog reads, on top of every subgraph's (`subgraphEnvShape`). */
export const CATALOG_ENV = {
  CATALOG_SEED_DEMO: z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
  CATALOG_MAX_VARIANTS_PER_PRODUCT: LIST_SIZE_ENV.CATALOG_MAX_VARIANTS_PER_PRODUCT,
};

export function loadCatalogConfig(env: Record<string, string | undefined> = process.env): CatalogConfig {
  const base = loadSubgraphConfig('catalog', SUBGRAPHS.catalog.port, env);
  const { CATALOG_SEED_DEMO, CATALOG_MAX_VARIANTS_PER_PRODUCT } = loadEnv(CATALOG_ENV, env);
  // The embedded default should show something on first start; a real database starts empty.
  const seedDemo = CATALOG_SEED_DEMO ? CATALOG_SEED_DEMO === 'true' : !base.databaseUrl;
  return { ...base, seedDemo, maxVariantsPerProduct: CATALOG_MAX_VARIANTS_PER_PRODUCT };
}
