import { requireOwner } from '@storefront/service-kit';
import type { UserResolvers } from '../generated/resolvers-types';

export const User: UserResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  orders: (user, args, { viewer, orders }) => {
    requireOwner(viewer, user.id, 'orders', { admins: true });
    return orders.history(user.id, args);
  },
};
