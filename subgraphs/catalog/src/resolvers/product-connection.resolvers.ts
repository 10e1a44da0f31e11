import type { ProductConnectionResolvers } from '../generated/resolvers-types';

export const ProductConnection: ProductConnectionResolvers = {
  totalCount: (page) => page.totalCount(),
};
