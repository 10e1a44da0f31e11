import { requireUser } from '@storefront/service-kit';
import type { MutationResolvers } from '../generated/resolvers-types';

export const Mutation: MutationResolvers = {
  checkout: async (_, { input }, ctx) => {
    const userId = requireUser(ctx.viewer);
    const outcome = await ctx.checkouts.checkout(ctx, userId, input.idempotencyKey);
    if (outcome.ok) return { order: outcome.order, userErrors: [] };
    const { code, message, problems } = outcome.failure;
    return {
      order: null,
      userErrors: [
        {
          code,
          message,
          // Both are answers about the key itself: the client makes a new one.
          field: code === 'INVALID_IDEMPOTENCY_KEY' || code === 'CHECKOUT_ABANDONED' ? ['input', 'idempotencyKey'] : [],
          shortages: problems.map((p) => ({ variant: { id: p.variantId }, requested: p.requested, available: p.available })),
        },
      ],
    };
  },
};
