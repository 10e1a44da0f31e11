import { groupLoader, rowLoader, type ServiceContext } from '@storefront/service-kit';
import type { CatalogRepositories } from '../repositories';

/**
 * Per-request loaders: every reference (`_entities`, `variant.product`, `product.variants`) goes through
 * one of these, so a request costs one query per type however many objects it touches.
 */
export function createCatalogLoaders(ctx: ServiceContext, { products, variants }: CatalogRepositories) {
  const loaders = {
    product: rowLoader((ids: string[]) => products.byIds(ctx, ids), (p) => p.id),
    variant: rowLoader((ids: string[]) => variants.byIds(ctx, ids), (v) => v.id),
    variantBySku: rowLoader((skus: string[]) => variants.bySkus(ctx, skus), (v) => v.sku),
    variantsOfProduct: groupLoader((productIds: string[]) => variants.forSaleOf(ctx, productIds), (v) => v.productId),
    /** After a write in the same request, later reads must not see what was loaded before it. */
    clearAll() {
      loaders.product.clearAll();
      loaders.variant.clearAll();
      loaders.variantBySku.clearAll();
      loaders.variantsOfProduct.clearAll();
    },
  };
  return loaders;
}

export type CatalogLoaders = ReturnType<typeof createCatalogLoaders>;
