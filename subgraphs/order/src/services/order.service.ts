import { z } from 'zod';
import { connectionFrom, CURSOR_PARTS, decodeCursor, pageSize, type Connection, type ServiceContext } from '@storefront/service-kit';
import { OrderSchema, type OrderEntity } from '../entities';

export type OrderPage = Connection<OrderEntity>;

export class OrderService {
  /** A user's orders, newest first; the cursor is the order's sequence number. */
  async history(ctx: ServiceContext, userId: string, args: { first?: number | null; after?: string | null }): Promise<OrderPage> {
    const first = pageSize(args.first);
    const query = ctx.manager.createQueryBuilder(OrderSchema, 'o').where('o.userId = :userId', { userId });
    const counter = query.clone();
    if (args.after) {
      const [seq] = decodeCursor(args.after, z.tuple([CURSOR_PARTS.sequence]));
      query.andWhere('o.seq < :seq', { seq });
    }
    // With `first: 0` this still reads one row: hasNextPage says whether any order follows (Relay).
    const rows = await query.orderBy('o.seq', 'DESC').take(first + 1).getMany();
    return connectionFrom(rows, first, (o) => [o.seq], () => counter.getCount());
  }
}
