import { requireOwner } from '@storefront/service-kit';
import type { UserResolvers } from '../generated/resolvers-types';

export const User: UserResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  cart: (user, _, { viewer, carts }) => {
    requireOwner(viewer, user.id, 'cart');
    return carts.userCart(user.id);
  },
};
