import { ADMIN_ROLE } from '@storefront/service-kit';
import { GraphQLError } from 'graphql';
import type { UserResolvers } from '../generated/resolvers-types';

export const User: UserResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  // Another subgraph may hand any user reference to the gateway: only the owner (or an admin) sees orders.
  orders: (user, args, { viewer, orders }) => {
    if (viewer.userId !== user.id && !viewer.roles.includes(ADMIN_ROLE)) {
      throw new GraphQLError("You cannot see another user's orders.", { extensions: { code: 'FORBIDDEN' } });
    }
    return orders.history(user.id, args);
  },
};
