import { attributesForGraphQL } from '@storefront/product-kinds';
import type { ProductVariantResolvers, VariantAttributesResolvers } from '../generated/resolvers-types';

export const ProductVariant: ProductVariantResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.variant.load(id),
  price: async (variant, _, { loaders }) => {
    const product = await loaders.product.load(variant.productId);
    if (!product) throw new Error(`Variant ${variant.id} has no product ${variant.productId}`);
    return { amount: variant.priceOverride ?? product.priceAmount, currencyCode: product.currencyCode };
  },
  inStock: (variant) => variant.stock > 0 && variant.removedAt === null,
  attributes: (variant) => attributesForGraphQL(variant.kind, variant.attributes) as never,
  product: async (variant, _, { loaders }) => {
    const product = await loaders.product.load(variant.productId);
    if (!product) throw new Error(`Variant ${variant.id} has no product ${variant.productId}`);
    return product;
  },
};

/** Members are told apart by the `__typename` the kind registry puts on stored attributes. */
export const VariantAttributes: VariantAttributesResolvers = {
  __resolveType: (attributes) => (attributes as unknown as { __typename: string }).__typename as never,
};
