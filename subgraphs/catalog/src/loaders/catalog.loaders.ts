import { groupLoader, rowLoader } from '@storefront/service-kit';
import { In, IsNull, type EntityManager } from 'typeorm';
import { ProductSchema, ProductVariantSchema } from '../entities';

/**
 * Per-request loaders: every reference (`_entities`, `variant.product`, `product.variants`) goes through
 * one of these, so a request costs one query per type however many objects it touches.
 */
export function createCatalogLoaders(manager: EntityManager) {
  const loaders = {
    product: rowLoader((ids: string[]) => manager.findBy(ProductSchema, { id: In(ids) }), (p) => p.id),
    variant: rowLoader((ids: string[]) => manager.findBy(ProductVariantSchema, { id: In(ids) }), (v) => v.id),
    variantBySku: rowLoader((skus: string[]) => manager.findBy(ProductVariantSchema, { sku: In(skus) }), (v) => v.sku),
    variantsOfProduct: groupLoader(
      (productIds: string[]) =>
        manager.find(ProductVariantSchema, {
          where: { productId: In(productIds), removedAt: IsNull() },
          order: { position: 'ASC' },
        }),
      (v) => v.productId,
    ),
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
