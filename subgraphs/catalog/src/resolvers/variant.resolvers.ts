import { attributesForGraphQL } from '@storefront/product-kinds';
import type { CatalogContext } from '../context';
import { variantPrice, type ProductVariantEntity } from '../entities';
import type { ProductVariantResolvers } from '../generated/resolvers-types';

async function productOf(variant: ProductVariantEntity, { loaders }: CatalogContext) {
  const product = await loaders.product.load(variant.productId);
  if (!product) throw new Error(`Variant ${variant.id} has no product ${variant.productId}`);
  return product;
}

export const ProductVariant: ProductVariantResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.variant.load(id),
  price: async (variant, _, ctx) => variantPrice(variant, await productOf(variant, ctx)),
  inStock: (variant) => variant.stock > 0 && variant.removedAt === null,
  attributes: (variant) => attributesForGraphQL(variant.kind, variant.attributes),
  product: (variant, _, ctx) => productOf(variant, ctx),
};
