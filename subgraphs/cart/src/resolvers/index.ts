import { DateTimeScalar } from '@storefront/service-kit';
import type { Resolvers } from '../generated/resolvers-types';
import { Cart, CartLine } from './cart.resolvers';
import { Mutation } from './mutation.resolvers';
import { Query } from './query.resolvers';
import { User } from './user.resolvers';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  User,
  Cart,
  CartLine,
};
