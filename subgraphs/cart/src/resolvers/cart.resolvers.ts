import { MAX_TOTAL_AMOUNT, type Money } from '@storefront/service-kit';
import { GraphQLError } from 'graphql';
import type { CartContext } from '../context';
import type { CartLineEntity } from '../entities';
import type { CartLineResolvers, CartResolvers } from '../generated/resolvers-types';

async function priceOf(line: CartLineEntity, { loaders }: CartContext) {
  const variant = await loaders.catalogVariant.load(line.variantId);
  // Variants are only ever taken off sale, never deleted: a missing one is a broken invariant.
  if (!variant) throw new Error(`Catalog has no variant ${line.variantId}`);
  return variant;
}

export const Cart: CartResolvers = {
  lines: (cart, _, { loaders }) => loaders.linesOfCart.load(cart.id),
  totalQuantity: async (cart, _, { loaders }) => (await loaders.linesOfCart.load(cart.id)).reduce((n, l) => n + l.quantity, 0),
  subtotal: async (cart, _, ctx) => {
    const lines = await ctx.loaders.linesOfCart.load(cart.id);
    if (lines.length === 0) return null;
    const prices = await Promise.all(lines.map((line) => priceOf(line, ctx)));
    const total: Money = { amount: 0, currencyCode: prices[0].price.currencyCode };
    lines.forEach((line, i) => (total.amount += prices[i].price.amount * line.quantity));
    // Writes refuse such a total, but prices may rise after lines were added.
    if (total.amount > MAX_TOTAL_AMOUNT) {
      throw new GraphQLError(`The subtotal exceeds ${MAX_TOTAL_AMOUNT} minor units; lower a quantity.`, { extensions: { code: 'CART_TOTAL_LIMIT' } });
    }
    return total;
  },
};

export const CartLine: CartLineResolvers = {
  variant: (line) => ({ id: line.variantId }),
  unitPrice: async (line, _, ctx) => (await priceOf(line, ctx)).price,
  lineTotal: async (line, _, ctx) => {
    const { price } = await priceOf(line, ctx);
    return { amount: price.amount * line.quantity, currencyCode: price.currencyCode };
  },
  available: async (line, _, ctx) => (await priceOf(line, ctx)).available,
};
