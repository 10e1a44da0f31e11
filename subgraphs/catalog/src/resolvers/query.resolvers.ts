import { PRODUCT_KINDS } from '@storefront/product-kinds';
import { checkedId, checkedText, INPUT_LIMITS } from '@storefront/service-kit';
import type { QueryResolvers } from '../generated/resolvers-types';
import { normalizeSku } from '../services/catalog-input';

export const Query: QueryResolvers = {
  product: (_, { id }, { loaders }) => loaders.product.load(checkedId(id, 'id')),
  products: (_, args, ctx) => ctx.products.list(ctx, args),
  variant: (_, { id }, { loaders }) => loaders.variant.load(checkedId(id, 'id')),
  variantBySku: (_, { sku }, { loaders }) => loaders.variantBySku.load(normalizeSku(checkedText(sku, 'sku', INPUT_LIMITS.sku))),
  productKinds: () => PRODUCT_KINDS.map((k) => ({ kind: k.kind, label: k.label })),
};
