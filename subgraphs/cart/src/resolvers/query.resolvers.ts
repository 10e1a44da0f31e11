import { checkedToken, requireUser } from '@storefront/service-kit';
import type { QueryResolvers } from '../generated/resolvers-types';

export const Query: QueryResolvers = {
  me: (_, __, { viewer }) => ({ id: requireUser(viewer) }),
  guestCart: (_, { token }, ctx) => ctx.carts.guestCart(ctx, checkedToken(token, 'token')),
};
