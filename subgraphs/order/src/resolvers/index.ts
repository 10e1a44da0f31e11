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
  VariantAttributes: {
    __resolveType: (attributes) => (attributes as unknown as { __typename: string }).__typename as never,
  },
};
