import { connectionFrom, pageSize, type Connection, type ServiceContext } from '@storefront/service-kit';
import type { OrderEntity } from '../entities';
import type { OrderRepository } from '../repositories';

export type OrderPage = Connection<OrderEntity>;

export class OrderService {
  constructor(private readonly orders: OrderRepository) {}

  /** A user's orders, newest first; the cursor is the order's sequence number. */
  async history(ctx: ServiceContext, userId: string, args: { first?: number | null; after?: string | null }): Promise<OrderPage> {
    const first = pageSize(args.first);
    // With `first: 0` this still reads one row: hasNextPage says whether any order follows (Relay).
    const { rows, count } = await this.orders.newestFirst(ctx, userId, args.after, first + 1);
    return connectionFrom(rows, first, (o) => [o.seq], count);
  }
}
