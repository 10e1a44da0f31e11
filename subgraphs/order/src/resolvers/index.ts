import { variantAttributesResolver } from '@storefront/product-kinds';
import { DateTimeScalar } from '@storefront/service-kit';
import type { Resolvers } from '../generated/resolvers-types';
import { Mutation } from './mutation.resolvers';
import { Order, OrderConnection, OrderLine } from './order.resolvers';
import { Query } from './query.resolvers';
import { User } from './user.resolvers';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  User,
  Order,
  OrderLine,
  OrderConnection,
  // Typed by the registry, not codegen: its member names are whatever kinds are registered.
  VariantAttributes: variantAttributesResolver,
};
