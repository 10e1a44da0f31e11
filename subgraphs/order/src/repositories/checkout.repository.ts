import type { ServiceContext } from '@storefront/service-kit';
import { In, LessThan } from 'typeorm';
import { CheckoutSchema, type CheckoutEntity, type CheckoutStatus } from '../entities';

/** The `checkout` table: one row per (user, idempotency key), moved from status to status. */
export class CheckoutRepository {
  findByKey(ctx: ServiceContext, userId: string, idempotencyKey: string): Promise<CheckoutEntity | null> {
    return ctx.manager.findOneBy(CheckoutSchema, { userId, idempotencyKey });
  }

  get(ctx: ServiceContext, id: string): Promise<CheckoutEntity> {
    return ctx.manager.findOneByOrFail(CheckoutSchema, { id });
  }

  /** Fails with a unique violation when the user's key is recorded already. */
  async insert(ctx: ServiceContext, checkout: CheckoutEntity): Promise<void> {
    await ctx.manager.insert(CheckoutSchema, checkout);
  }

  /**
   * Moves a checkout from `from` only (a conditional update: on MySQL it also locks the row); false when
   * another driver moved it first. Every change counts as activity (`updatedAt`).
   */
  async transition(ctx: ServiceContext, id: string, from: CheckoutStatus, changes: Partial<CheckoutEntity>): Promise<boolean> {
    const result = await ctx.manager
      .createQueryBuilder()
      .update(CheckoutSchema)
      .set({ ...changes, updatedAt: new Date() })
      .where('id = :id AND status = :from', { id, from })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Up to `take` checkouts in `statuses`, least recently active first; only those idle since `idleSince` when given. */
  unfinished(ctx: ServiceContext, statuses: CheckoutStatus[], idleSince: Date | null, take: number): Promise<CheckoutEntity[]> {
    const idle = idleSince ? { updatedAt: LessThan(idleSince) } : {};
    return ctx.manager.find(CheckoutSchema, { where: { status: In(statuses), ...idle }, order: { updatedAt: 'ASC' }, take });
  }
}
