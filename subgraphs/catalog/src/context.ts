import type { BaseRequestContext } from '@storefront/service-kit';
import type { CatalogLoaders } from './loaders/catalog.loaders';
import type { ProductService } from './services/product.service';
import type { VariantService } from './services/variant.service';

/** What every catalog resolver receives. */
export interface CatalogContext extends BaseRequestContext {
  loaders: CatalogLoaders;
  products: ProductService;
  variants: VariantService;
}
