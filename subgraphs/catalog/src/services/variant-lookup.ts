import type { CatalogVariant } from '@storefront/contracts';
import type { Money } from '@storefront/service-kit';
import { In, type EntityManager } from 'typeorm';
import { ProductSchema, ProductVariantSchema, type ProductEntity, type ProductVariantEntity } from '../entities';

/** What a variant sells for: its own override, otherwise its product's price, in the product's currency. */
export function variantPrice(variant: ProductVariantEntity, product: ProductEntity): Money {
  return { amount: variant.priceOverride ?? product.priceAmount, currencyCode: product.currencyCode };
}

/** Variants as other services see them, with current price and availability: two queries however many ids. */
export async function lookupVariants(manager: EntityManager, ids: string[]): Promise<CatalogVariant[]> {
  if (ids.length === 0) return [];
  const variants = await manager.findBy(ProductVariantSchema, { id: In([...new Set(ids)]) });
  const products = await manager.findBy(ProductSchema, { id: In([...new Set(variants.map((v) => v.productId))]) });
  const productById = new Map(products.map((p) => [p.id, p]));
  return variants.flatMap((v) => {
    const product = productById.get(v.productId);
    if (!product) return [];
    return [
      {
        id: v.id,
        productId: product.id,
        productName: product.name,
        sku: v.sku,
        kind: v.kind,
        attributes: v.attributes,
        price: variantPrice(v, product),
        stock: v.stock,
        available: v.removedAt === null && product.archivedAt === null,
      },
    ];
  });
}
