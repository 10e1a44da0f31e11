import { variantAttributesResolver } from '@storefront/product-kinds';
import { DateTimeScalar } from '@storefront/service-kit';
import type { Resolvers } from '../generated/resolvers-types';
import { Mutation } from './mutation.resolvers';
import { ProductConnection } from './product-connection.resolvers';
import { Product } from './product.resolvers';
import { Query } from './query.resolvers';
import { ProductVariant } from './variant.resolvers';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  Product,
  ProductConnection,
  ProductVariant,
  // Typed by the registry, not codegen: its member names are whatever kinds are registered.
  VariantAttributes: variantAttributesResolver,
};
