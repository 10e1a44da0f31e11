import { GraphQLError } from 'graphql';
import { checkedId, checkedToken, requireUser } from '@storefront/service-kit';
import type { CartContext } from '../context';
import type { MutationResolvers } from '../generated/resolvers-types';
import type { Outcome } from '../services/cart-errors';
import type { CartOwner, CartState } from '../services/cart.service';

/** Signed-in users always act on their own cart; visitors need the token of a guest cart. */
function ownerOf({ viewer }: CartContext, guestCartToken?: string | null): CartOwner {
  checkedToken(guestCartToken, 'guestCartToken');
  if (viewer.userId) return { userId: viewer.userId };
  if (guestCartToken) return { guestToken: guestCartToken };
  throw new GraphQLError('Sign in, or pass the guestCartToken of a guest cart.', { extensions: { code: 'UNAUTHENTICATED' } });
}

/** A refused change still shows the caller's cart as it is, so the client can re-render it. */
async function payload(ctx: CartContext, owner: CartOwner, outcome: Outcome<CartState>) {
  if (outcome.ok) {
    // The lines this write committed, not whatever the cart holds by the time the fields resolve.
    ctx.loaders.linesOfCart.prime(outcome.value.cart.id, outcome.value.lines);
    return { cart: outcome.value.cart, userErrors: [] };
  }
  return { cart: await ctx.carts.find(ctx, owner), userErrors: outcome.errors };
}

export const Mutation: MutationResolvers = {
  createGuestCart: async (_, __, ctx) => {
    const { cart, token } = await ctx.carts.createGuestCart(ctx);
    return { cart, guestCartToken: token };
  },
  addToCart: async (_, { variantId, quantity, guestCartToken }, ctx) => {
    const owner = ownerOf(ctx, guestCartToken);
    return payload(ctx, owner, await ctx.carts.addToCart(ctx, owner, checkedId(variantId, 'variantId'), quantity));
  },
  updateCartLine: async (_, { lineId, quantity, guestCartToken }, ctx) => {
    const owner = ownerOf(ctx, guestCartToken);
    return payload(ctx, owner, await ctx.carts.updateLine(ctx, owner, checkedId(lineId, 'lineId'), quantity));
  },
  removeCartLine: async (_, { lineId, guestCartToken }, ctx) => {
    const owner = ownerOf(ctx, guestCartToken);
    return payload(ctx, owner, await ctx.carts.removeLine(ctx, owner, checkedId(lineId, 'lineId')));
  },
  clearCart: async (_, { guestCartToken }, ctx) => {
    const owner = ownerOf(ctx, guestCartToken);
    return payload(ctx, owner, await ctx.carts.clear(ctx, owner));
  },
  mergeGuestCart: async (_, { guestCartToken }, ctx) => {
    const userId = requireUser(ctx.viewer);
    return payload(ctx, { userId }, await ctx.carts.mergeGuestCart(ctx, userId, checkedToken(guestCartToken, 'guestCartToken')));
  },
};
