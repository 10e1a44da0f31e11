import { type CatalogClient } from '@storefront/contracts';
import { groupLoader, rowLoader, type ServiceContext } from '@storefront/service-kit';
import type { CartLineRepository } from '../repositories';

/**
 * Per-request loaders: however many carts and lines a request shows, it costs one query for the lines
 * and one catalog call for their current prices and availability.
 */
export function createCartLoaders(ctx: ServiceContext, lines: CartLineRepository, catalog: CatalogClient) {
  return {
    linesOfCart: groupLoader((cartIds: string[]) => lines.ofCarts(ctx, cartIds), (line) => line.cartId),
    catalogVariant: rowLoader((ids: string[]) => catalog.lookupVariants(ctx, ids), (v) => v.id),
  };
}

export type CartLoaders = ReturnType<typeof createCartLoaders>;
