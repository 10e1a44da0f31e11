import { EntitySchema } from 'typeorm';
import type { CatalogVariant, CheckoutLine, StockProblem } from '@storefront/contracts';
import type { CheckoutErrorCode } from '../generated/resolvers-types';

/**
 * A checkout's progress through its saga. Each status is reached by a conditional update from the
 * one before, so concurrent drivers (a retry, another replica, recovery after a crash) never apply a
 * step twice; every remote step is idempotent by this checkout's id.
 *
 *   started -> claimed (cart held, lines fixed) -> reserved (stock taken) -> completed (order placed)
 *        \\________________________\\______________________> failed (nothing taken; cart released)
 */
/**
 * An attempt's states (README "Checkout states"): `started` (recorded, no cart claimed yet), `claimed`
 * (cart lines fixed), `reserved` (stock taken), then `completed`, `failed`, or `abandoned` (claimed
 * nothing and stayed idle past ORDER_CHECKOUT_ABANDON_AFTER_SECONDS: never resumed again).
 */
export type CheckoutStatus = 'started' | 'claimed' | 'reserved' | 'completed' | 'failed' | 'abandoned';

/** Why a checkout ended without an order, kept with it: the same key answers it again. */
export interface CheckoutFailure {
  /** Every code but the key's own format error, which is answered before any checkout is recorded. */
  code: Exclude<CheckoutErrorCode, 'INVALID_IDEMPOTENCY_KEY'>;
  message: string;
  problems: StockProblem[];
}

export interface CheckoutEntity {
  id: string;
  userId: string;
  idempotencyKey: string;
  status: CheckoutStatus;
  /** The cart lines being ordered, fixed when the cart is claimed. */
  items: CheckoutLine[] | null;
  /** The variants as the catalog reserved them: what the order snapshots. */
  reserved: CatalogVariant[] | null;
  orderId: string | null;
  failure: CheckoutFailure | null;
  /** The request that started it (`x-request-id`): recovery resumes it under this id. Null for rows older than the column. */
  requestId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const CheckoutSchema = new EntitySchema<CheckoutEntity>({
  name: 'Checkout',
  tableName: 'checkout',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    userId: { name: 'user_id', type: 'varchar', length: 255 },
    idempotencyKey: { name: 'idempotency_key', type: 'varchar', length: 100 },
    status: { type: 'varchar', length: 16 },
    items: { type: 'simple-json', nullable: true },
    reserved: { type: 'simple-json', nullable: true },
    orderId: { name: 'order_id', type: 'varchar', length: 36, nullable: true },
    failure: { type: 'simple-json', nullable: true },
    requestId: { name: 'request_id', type: 'varchar', length: 128, nullable: true },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
    updatedAt: { name: 'updated_at', type: 'datetime', precision: 3 },
  },
});
