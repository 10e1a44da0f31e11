import { DateTimeScalar } from '@storefront/service-kit';
import type { Resolvers } from '../generated/resolvers-types';
import { Mutation } from './mutation.resolvers';
import { ProductConnection } from './product-connection.resolvers';
import { Product } from './product.resolvers';
import { Query } from './query.resolvers';
import { ProductVariant, VariantAttributes } from './variant.resolvers';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  Product,
  ProductConnection,
  ProductVariant,
  VariantAttributes,
};
