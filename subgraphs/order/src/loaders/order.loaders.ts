import { groupLoader, rowLoader, type ServiceContext } from '@storefront/service-kit';
import type { OrderRepository } from '../repositories';

/** Per-request loaders: a page of orders costs one query for the orders and one for all their lines. */
export function createOrderLoaders(ctx: ServiceContext, orders: OrderRepository) {
  return {
    order: rowLoader((ids: string[]) => orders.byIds(ctx, ids), (o) => o.id),
    linesOfOrder: groupLoader((orderIds: string[]) => orders.linesOf(ctx, orderIds), (line) => line.orderId),
  };
}

export type OrderLoaders = ReturnType<typeof createOrderLoaders>;
