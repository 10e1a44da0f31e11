import type { CartClient } from '@storefront/contracts';
import { backgroundContext, type Database, type Leases, type Logger, type ServiceContext } from '@storefront/service-kit';
import type { OutboxEntity } from '../entities';
import type { OutboxRepository } from '../repositories';
import type { CheckoutStep } from './fault-injection';

const BATCH = 50;
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 60_000;
const MAX_ERROR_LENGTH = 1_000;
/** Longer than a delivery can take (one cart call within its timeout), so a lease lapses only when its holder died. */
const DELIVERY_LEASE_MS = 30_000;

/** Wait before the next attempt after `attempts` failed ones: 1 s, doubling, at most a minute. */
export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** Math.min(attempts - 1, 10));
}

/** What a row keeps of its last failure: the error's message (or the thrown value), bounded so a huge one does not bloat the table. */
export function failureText(error: unknown): string {
  return String((error as Error | undefined)?.message ?? error).slice(0, MAX_ERROR_LENGTH);
}

/**
 * Delivers outbox rows to the cart until each succeeds. Deliveries are idempotent on the cart's side
 * (keyed by checkout id), so a row delivered twice — a crash before it was marked done — changes the
 * cart once; replicas take a lease per row, so they do not deliver the same row at the same time. Each row is delivered in the context of the request that wrote it: its
 * log lines and the call to the cart carry that request's id, whenever and by whichever process it runs.
 */
export class OutboxRelay {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly outbox: OutboxRepository,
    private readonly leases: Leases,
    private readonly cart: CartClient,
    private readonly logger: Logger,
    private readonly crashPoint: (step: CheckoutStep) => void,
  ) {
    this.listing = backgroundContext(db, logger, 'outbox-relay');
  }

  /** Where the relay lists due rows (each row is then delivered under its own request's context). */
  private readonly listing: ServiceContext;

  /** Delivers what is due now; runs after the current delivery when one is under way. */
  run(): Promise<void> {
    this.queue = this.queue.then(() => this.deliverDue()).catch((err: unknown) => this.logger.error({ err }, 'outbox relay failed'));
    return this.queue;
  }

  private async deliverDue(): Promise<void> {
    // In no particular order: rows are independent, and one that fails backs off, so none starves.
    const due = await this.outbox.due(this.listing, BATCH);
    for (const listed of due) {
      // Another replica may have listed it too: one delivers, and only if it is still due once the lease is held.
      await this.leases.whileHolding(this.listing, `outbox:${listed.id}`, DELIVERY_LEASE_MS, async () => {
        const row = await this.outbox.stillDue(this.listing, listed.id);
        if (row) await this.deliver(row);
      });
    }
  }

  private async deliver(row: OutboxEntity): Promise<void> {
    const ctx = backgroundContext(this.db, this.logger, row.requestId);
    try {
      if (row.topic === 'cart.complete') {
        await this.cart.completeCheckout(ctx, row.checkoutId, row.payload.lines ?? []);
        this.crashPoint('cart-completed');
      } else {
        await this.cart.releaseCheckout(ctx, row.checkoutId);
      }
      await this.outbox.markDone(ctx, row.id);
      ctx.logger.info({ topic: row.topic, checkoutId: row.checkoutId, attempts: row.attempts + 1 }, 'outbox row delivered');
    } catch (error) {
      const attempts = row.attempts + 1;
      ctx.logger.warn({ err: error, topic: row.topic, checkoutId: row.checkoutId, attempts }, 'outbox delivery failed; will retry');
      await this.outbox.markFailed(ctx, row.id, attempts, new Date(Date.now() + retryDelayMs(attempts)), failureText(error));
    }
  }
}
