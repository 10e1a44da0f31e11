import type { CartClient, Database, Logger } from '@storefront/service-kit';
import { IsNull, LessThanOrEqual } from 'typeorm';
import { OutboxSchema, type OutboxEntity } from '../entities';
import type { CheckoutStep } from './fault-injection';

const BATCH = 50;
const MAX_BACKOFF_MS = 60_000;

/**
 * Delivers outbox rows to the cart until each succeeds. Deliveries are idempotent on the cart's side
 * (keyed by checkout id), so a row delivered twice — two replicas, or a crash before it was marked
 * done — changes the cart once.
 */
export class OutboxRelay {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly cart: CartClient,
    private readonly logger: Logger,
    private readonly crashPoint: (step: CheckoutStep) => void,
  ) {}

  /** Delivers what is due now; runs after the current delivery when one is under way. */
  run(): Promise<void> {
    this.queue = this.queue.then(() => this.deliverDue()).catch((err: unknown) => this.logger.error({ err }, 'outbox relay failed'));
    return this.queue;
  }

  private async deliverDue(): Promise<void> {
    const due = await this.db.manager.find(OutboxSchema, {
      where: { doneAt: IsNull(), nextAttemptAt: LessThanOrEqual(new Date()) },
      order: { createdAt: 'ASC' },
      take: BATCH,
    });
    for (const row of due) await this.deliver(row);
  }

  private async deliver(row: OutboxEntity): Promise<void> {
    try {
      if (row.topic === 'cart.complete') {
        await this.cart.completeCheckout(row.checkoutId, row.payload.lines ?? []);
        this.crashPoint('cart-completed');
      } else {
        await this.cart.releaseCheckout(row.checkoutId);
      }
      await this.db.transaction((manager) => manager.update(OutboxSchema, { id: row.id }, { doneAt: new Date() }));
    } catch (error) {
      const attempts = row.attempts + 1;
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(attempts, 10));
      this.logger.warn({ err: error, topic: row.topic, checkoutId: row.checkoutId, attempts }, 'outbox delivery failed; will retry');
      await this.db.transaction((manager) =>
        manager.update(
          OutboxSchema,
          { id: row.id },
          { attempts, nextAttemptAt: new Date(Date.now() + delay), lastError: String((error as Error).message ?? error).slice(0, 1000) },
        ),
      );
    }
  }
}
