import { decodeCursor, encodeCursor, pageSize, badInput, type Database } from '@storefront/service-kit';
import { OrderSchema, type OrderEntity } from '../entities';

export interface OrderPage {
  edges: { cursor: string; node: OrderEntity }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** Counted only when selected. */
  totalCount: () => Promise<number>;
}

export class OrderService {
  constructor(private readonly db: Database) {}

  /** A user's orders, newest first; the cursor is the order's sequence number. */
  async history(userId: string, args: { first?: number | null; after?: string | null }): Promise<OrderPage> {
    const first = pageSize(args.first);
    const query = this.db.manager.createQueryBuilder(OrderSchema, 'o').where('o.userId = :userId', { userId });
    const counter = query.clone();
    if (args.after) {
      const [seq] = decodeCursor(args.after, 1);
      if (typeof seq !== 'number') throw badInput('`after` is not a valid cursor.', 'after');
      query.andWhere('o.seq < :seq', { seq });
    }
    const rows = first === 0 ? [] : await query.orderBy('o.seq', 'DESC').take(first + 1).getMany();
    const edges = rows.slice(0, first).map((node) => ({ cursor: encodeCursor([node.seq]), node }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: () => counter.getCount(),
    };
  }
}
