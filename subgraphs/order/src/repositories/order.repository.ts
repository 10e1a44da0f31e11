import { CURSOR_PARTS, decodeCursor, type ServiceContext } from '@storefront/service-kit';
import { In } from 'typeorm';
import { z } from 'zod';
import { OrderLineSchema, OrderSchema, type OrderEntity, type OrderLineEntity } from '../entities';

/** The `orders` and `order_line` tables: an order is written once, with its lines, and only read after. */
export class OrderRepository {
  get(ctx: ServiceContext, id: string): Promise<OrderEntity> {
    return ctx.manager.findOneByOrFail(OrderSchema, { id });
  }

  /** Part of the caller's transaction: the order is unique per checkout. */
  async insert(tx: ServiceContext, order: Omit<OrderEntity, 'seq'>, lines: OrderLineEntity[]): Promise<void> {
    await tx.manager.insert(OrderSchema, order);
    await tx.manager.insert(OrderLineSchema, lines);
  }

  /**
   * Up to `take` of a user's orders, newest first, after the order whose cursor is `after` (its sequence
   * number); and a counter of all of them, read only when asked for.
   */
  async newestFirst(ctx: ServiceContext, userId: string, after: string | null | undefined, take: number): Promise<{ rows: OrderEntity[]; count: () => Promise<number> }> {
    const query = ctx.manager.createQueryBuilder(OrderSchema, 'o').where('o.userId = :userId', { userId });
    const counter = query.clone();
    if (after) {
      const [seq] = decodeCursor(after, z.tuple([CURSOR_PARTS.sequence]));
      query.andWhere('o.seq < :seq', { seq });
    }
    const rows = await query.orderBy('o.seq', 'DESC').take(take).getMany();
    return { rows, count: () => counter.getCount() };
  }

  byIds(ctx: ServiceContext, ids: string[]): Promise<OrderEntity[]> {
    return ctx.manager.findBy(OrderSchema, { id: In(ids) });
  }

  /** The lines of these orders, each order's in the order they were bought. */
  linesOf(ctx: ServiceContext, orderIds: string[]): Promise<OrderLineEntity[]> {
    return ctx.manager.find(OrderLineSchema, { where: { orderId: In(orderIds) }, order: { position: 'ASC' } });
  }
}
