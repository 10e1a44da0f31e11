import { PRODUCT_KINDS } from '@storefront/product-kinds';
import type { ProductKind, QueryResolvers } from '../generated/resolvers-types';
import { normalizeSku } from '../services/variant-writer';

export const Query: QueryResolvers = {
  product: (_, { id }, { loaders }) => loaders.product.load(id),
  products: (_, args, { products }) => products.list(args),
  variant: (_, { id }, { loaders }) => loaders.variant.load(id),
  variantBySku: (_, { sku }, { loaders }) => loaders.variantBySku.load(normalizeSku(sku)),
  productKinds: () => PRODUCT_KINDS.map((k) => ({ kind: k.kind as ProductKind, label: k.label })),
};
