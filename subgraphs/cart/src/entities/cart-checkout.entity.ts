import type { CheckoutLine } from '@storefront/contracts';
import { EntitySchema } from 'typeorm';

export type CartCheckoutStatus = 'claimed' | 'completed' | 'released';

/** One checkout of a cart by the order service, kept after it ends so a retried call finds the outcome. */
export interface CartCheckoutEntity {
  checkoutId: string;
  /** The cart claimed; null for a checkout released before it ever claimed one. Never changes once set. */
  cartId: string | null;
  status: CartCheckoutStatus;
  /**
   * The lines and cart version the claim answered, kept so a repeated claim (a retry after a lost
   * answer, or recovery) answers the same ones, never lines added since. Null for rows older than this.
   */
  lines: CheckoutLine[] | null;
  version: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export const CartCheckoutSchema = new EntitySchema<CartCheckoutEntity>({
  name: 'CartCheckout',
  tableName: 'cart_checkout',
  columns: {
    checkoutId: { name: 'checkout_id', type: 'varchar', length: 64, primary: true },
    cartId: { name: 'cart_id', type: 'varchar', length: 36, nullable: true },
    status: { type: 'varchar', length: 16 },
    lines: { type: 'simple-json', nullable: true },
    version: { type: 'int', nullable: true },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
    updatedAt: { name: 'updated_at', type: 'datetime', precision: 3 },
  },
});
