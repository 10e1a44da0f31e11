import { requireOwner } from '@storefront/service-kit';
import type { UserResolvers } from '../generated/resolvers-types';

export const User: UserResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  orders: (user, args, ctx) => {
    requireOwner(ctx.viewer, user.id, 'orders', { admins: true });
    return ctx.orders.history(ctx, user.id, args);
  },
};
