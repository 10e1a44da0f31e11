import { randomUUID } from 'node:crypto';
import type { ServiceContext } from '@storefront/service-kit';
import { IsNull, LessThanOrEqual } from 'typeorm';
import { OutboxSchema, type OutboxEntity, type OutboxTopic } from '../entities';

/** The `outbox` table: work for the cart, written with the change that calls for it, delivered until done. */
export class OutboxRepository {
  /** In the caller's transaction, under its request id (the delivery logs and calls the cart with it). */
  async enqueue(tx: ServiceContext, checkoutId: string, topic: OutboxTopic, payload: OutboxEntity['payload']): Promise<void> {
    const now = new Date();
    await tx.manager.insert(OutboxSchema, {
      id: randomUUID(),
      checkoutId,
      topic,
      payload,
      attempts: 0,
      nextAttemptAt: now,
      doneAt: null,
      lastError: null,
      requestId: tx.requestId,
      createdAt: now,
    });
  }

  /** Up to `take` rows not done whose next attempt is due, in no particular order (rows are independent). */
  due(ctx: ServiceContext, take: number): Promise<OutboxEntity[]> {
    return ctx.manager.find(OutboxSchema, { where: { doneAt: IsNull(), nextAttemptAt: LessThanOrEqual(new Date()) }, take });
  }

  /** Row `id` if it is still not done and due (another replica may have delivered it since it was listed). */
  async stillDue(ctx: ServiceContext, id: string): Promise<OutboxEntity | null> {
    return ctx.manager.findOne(OutboxSchema, { where: { id, doneAt: IsNull(), nextAttemptAt: LessThanOrEqual(new Date()) } });
  }

  async markDone(ctx: ServiceContext, id: string): Promise<void> {
    await ctx.transaction(({ manager }) => manager.update(OutboxSchema, { id }, { doneAt: new Date() }));
  }

  async markFailed(ctx: ServiceContext, id: string, attempts: number, nextAttemptAt: Date, lastError: string): Promise<void> {
    await ctx.transaction(({ manager }) => manager.update(OutboxSchema, { id }, { attempts, nextAttemptAt, lastError }));
  }
}
