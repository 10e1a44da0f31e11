/**
 * What other packages (the gateway's tests, the harness, scripts) may use of the catalog: its server
 * factory, configuration, schema and seeding. `src/index.ts` starts the process; importing this does not.
 */
export { createCatalogServer, openCatalogDatabase, type CatalogServer } from './server';
export { CATALOG_ENV, loadCatalogConfig, type CatalogConfig } from './config';
export { typeDefs } from './type-defs';
export { demoSamples, seedCatalog } from './services/catalog-seeder';
export { CATALOG_ENTITIES, ProductSchema, ProductVariantSchema } from './entities';
