import { checkedId, requireAdmin } from '@storefront/service-kit';
import type { CatalogContext } from '../context';
import type { MutationResolvers } from '../generated/resolvers-types';
import type { Outcome } from '../services/catalog-errors';

/** Every catalog write needs the admin role; the outcome becomes `{ <entity>, userErrors }`. */
function adminOnly<A, T>(key: 'product' | 'variant', run: (args: A, ctx: CatalogContext) => Promise<Outcome<T>>) {
  return async (_parent: unknown, args: A, ctx: CatalogContext) => {
    requireAdmin(ctx.viewer);
    const outcome = await run(args, ctx);
    ctx.loaders.clearAll();
    return outcome.ok ? { [key]: outcome.value, userErrors: [] } : { [key]: null, userErrors: outcome.errors };
  };
}

export const Mutation: MutationResolvers = {
  createProduct: adminOnly('product', ({ input }, ctx) => ctx.products.create(ctx, input)),
  updateProduct: adminOnly('product', ({ id, input }, ctx) => ctx.products.update(ctx, checkedId(id, 'id'), input)),
  archiveProduct: adminOnly('product', ({ id }, ctx) => ctx.products.archive(ctx, checkedId(id, 'id'))),
  addVariant: adminOnly('variant', ({ productId, input }, ctx) => ctx.variants.add(ctx, checkedId(productId, 'productId'), input)),
  updateVariant: adminOnly('variant', ({ id, input }, ctx) => ctx.variants.update(ctx, checkedId(id, 'id'), input)),
  removeVariant: adminOnly('variant', ({ id }, ctx) => ctx.variants.remove(ctx, checkedId(id, 'id'))),
  setStock: adminOnly('variant', ({ variantId, stock }, ctx) => ctx.variants.setStock(ctx, checkedId(variantId, 'variantId'), stock)),
};
