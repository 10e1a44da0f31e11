import { GraphQLError } from 'graphql';
import type { UserResolvers } from '../generated/resolvers-types';

export const User: UserResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  // Another subgraph may hand any user reference to the gateway: only its owner sees a cart.
  cart: (user, _, { viewer, carts }) => {
    if (viewer.userId !== user.id) {
      throw new GraphQLError("You cannot see another user's cart.", { extensions: { code: 'FORBIDDEN' } });
    }
    return carts.userCart(user.id);
  },
};
