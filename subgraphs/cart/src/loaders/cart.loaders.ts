import { type CatalogClient } from '@storefront/contracts';
import { groupLoader, rowLoader } from '@storefront/service-kit';
import { In, type EntityManager } from 'typeorm';
import { CartLineSchema } from '../entities';

/**
 * Per-request loaders: however many carts and lines a request shows, it costs one query for the lines
 * and one catalog call for their current prices and availability.
 */
export function createCartLoaders(manager: EntityManager, catalog: CatalogClient, requestId: string) {
  return {
    linesOfCart: groupLoader(
      (cartIds: string[]) => manager.find(CartLineSchema, { where: { cartId: In(cartIds) }, order: { addedAt: 'ASC', id: 'ASC' } }),
      (line) => line.cartId,
    ),
    catalogVariant: rowLoader((ids: string[]) => catalog.lookupVariants(ids, requestId), (v) => v.id),
  };
}

export type CartLoaders = ReturnType<typeof createCartLoaders>;
