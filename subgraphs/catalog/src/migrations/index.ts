import { CreateCatalog1764028800000 } from './1764028800000-create-catalog';

/** In order. Never edit a migration that has shipped: add a new one. */
export const CATALOG_MIGRATIONS = [CreateCatalog1764028800000];
