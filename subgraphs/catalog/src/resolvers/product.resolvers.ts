import { getKind } from '@storefront/product-kinds';
import type { ProductResolvers } from '../generated/resolvers-types';

export const Product: ProductResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.product.load(id),
  kindLabel: (product) => getKind(product.kind).label,
  price: (product) => ({ amount: product.priceAmount, currencyCode: product.currencyCode }),
  variants: (product, _, { loaders }) => loaders.variantsOfProduct.load(product.id),
};
