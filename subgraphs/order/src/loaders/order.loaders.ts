import { groupLoader, rowLoader } from '@storefront/service-kit';
import { In, type EntityManager } from 'typeorm';
import { OrderLineSchema, OrderSchema } from '../entities';

/** Per-request loaders: a page of orders costs one query for the orders and one for all their lines. */
export function createOrderLoaders(manager: EntityManager) {
  return {
    order: rowLoader((ids: string[]) => manager.findBy(OrderSchema, { id: In(ids) }), (o) => o.id),
    linesOfOrder: groupLoader(
      (orderIds: string[]) => manager.find(OrderLineSchema, { where: { orderId: In(orderIds) }, order: { position: 'ASC' } }),
      (line) => line.orderId,
    ),
  };
}

export type OrderLoaders = ReturnType<typeof createOrderLoaders>;
