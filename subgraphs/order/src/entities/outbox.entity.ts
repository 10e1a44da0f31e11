import { EntitySchema } from 'typeorm';
import type { CheckoutLine } from '@storefront/contracts';

export type OutboxTopic = 'cart.complete' | 'cart.release';

/**
 * Work for another service, committed in the same transaction as the change that calls for it, then
 * delivered by the relay until it succeeds: a crash between the two loses nothing.
 */
export interface OutboxEntity {
  id: string;
  checkoutId: string;
  topic: OutboxTopic;
  /** For cart.complete: the ordered lines to take out of the cart. */
  payload: { lines?: CheckoutLine[] };
  attempts: number;
  nextAttemptAt: Date;
  doneAt: Date | null;
  lastError: string | null;
  /** The request whose change enqueued it: its delivery logs and calls the cart under this id. Null for rows older than the column. */
  requestId: string | null;
  createdAt: Date;
}

export const OutboxSchema = new EntitySchema<OutboxEntity>({
  name: 'Outbox',
  tableName: 'outbox',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    checkoutId: { name: 'checkout_id', type: 'varchar', length: 36 },
    topic: { type: 'varchar', length: 32 },
    payload: { type: 'simple-json' },
    attempts: { type: 'int' },
    nextAttemptAt: { name: 'next_attempt_at', type: 'datetime', precision: 3 },
    doneAt: { name: 'done_at', type: 'datetime', precision: 3, nullable: true },
    lastError: { name: 'last_error', type: 'text', nullable: true },
    requestId: { name: 'request_id', type: 'varchar', length: 128, nullable: true },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
  },
});
