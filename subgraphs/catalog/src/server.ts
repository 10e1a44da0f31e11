import { createLogger, createSubgraphServer, Database, type Logger, type SubgraphServer } from '@storefront/service-kit';
import type { CatalogConfig } from './config';
import type { CatalogContext } from './context';
import { CATALOG_ENTITIES } from './entities';
import { catalogInternalRoutes } from './internal/catalog-internal.routes';
import { createCatalogLoaders } from './loaders/catalog.loaders';
import { CATALOG_MIGRATIONS } from './migrations';
import { createCatalogRepositories } from './repositories';
import { buildCatalogSchema } from './schema';
import { ProductService } from './services/product.service';
import { StockService } from './services/stock.service';
import { VariantService } from './services/variant.service';

export interface CatalogServer extends SubgraphServer {
  database: Database;
}

/** The catalog's database, migrated on open unless `config.migrateOnStart` is false (the `migrate` command forces it). */
export function openCatalogDatabase(config: CatalogConfig, logger: Logger): Promise<Database> {
  return Database.open({ ...config, entities: CATALOG_ENTITIES, migrations: CATALOG_MIGRATIONS, logger });
}

/** Builds the catalog subgraph (database migrated unless MIGRATE_ON_START=false, routes mounted) without listening. */
export async function createCatalogServer(config: CatalogConfig, logger = createLogger('catalog', config.logLevel)): Promise<CatalogServer> {
  const database = await openCatalogDatabase(config, logger);
  const rows = createCatalogRepositories();
  const products = new ProductService(rows, config.maxVariantsPerProduct);
  const variants = new VariantService(rows, config.maxVariantsPerProduct);
  const stock = new StockService(rows);
  const server = await createSubgraphServer<CatalogContext>({
    config,
    schema: buildCatalogSchema(),
    database,
    logger,
    context: (base) => ({ ...base, loaders: createCatalogLoaders(base, rows), products, variants }),
    internalRoutes: catalogInternalRoutes(variants, stock),
  });
  return { ...server, database };
}
