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
  createProduct: adminOnly('product', ({ input }, { products }) => products.create(input)),
  updateProduct: adminOnly('product', ({ id, input }, { products }) => products.update(checkedId(id, 'id'), input)),
  archiveProduct: adminOnly('product', ({ id }, { products }) => products.archive(checkedId(id, 'id'))),
  addVariant: adminOnly('variant', ({ productId, input }, { variants }) => variants.add(checkedId(productId, 'productId'), input)),
  updateVariant: adminOnly('variant', ({ id, input }, { variants }) => variants.update(checkedId(id, 'id'), input)),
  removeVariant: adminOnly('variant', ({ id }, { variants }) => variants.remove(checkedId(id, 'id'))),
  setStock: adminOnly('variant', ({ variantId, stock }, { variants }) => variants.setStock(checkedId(variantId, 'variantId'), stock)),
};
