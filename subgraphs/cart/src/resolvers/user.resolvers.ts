import { requireOwner } from '@storefront/service-kit';
import type { UserResolvers } from '../generated/resolvers-types';

export const User: UserResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  cart: (user, _, ctx) => {
    requireOwner(ctx.viewer, user.id, 'cart');
    return ctx.carts.userCart(ctx, user.id);
  },
};
