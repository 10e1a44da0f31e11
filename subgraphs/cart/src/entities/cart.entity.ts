import { EntitySchema } from 'typeorm';

export type CartStatus = 'open' | 'merged';

export interface CartEntity {
  id: string;
  /** The owner's user id; null for a guest cart. One cart per user (unique). */
  userId: string | null;
  /** SHA-256 of the guest token: the token itself is never stored, so a database dump opens no cart. */
  guestTokenHash: string | null;
  status: CartStatus;
  /** For a merged guest cart: the user cart it went into (makes a retried merge a no-op). */
  mergedInto: string | null;
  /** Bumped by every write, first thing in its transaction: the bump is also the cart's row lock. */
  version: number;
  /** The order checkout holding this cart (see CartCheckoutService), or null. The cart stays editable. */
  checkoutId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const CartSchema = new EntitySchema<CartEntity>({
  name: 'Cart',
  tableName: 'cart',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    userId: { name: 'user_id', type: 'varchar', length: 255, nullable: true },
    guestTokenHash: { name: 'guest_token_hash', type: 'varchar', length: 64, nullable: true },
    status: { type: 'varchar', length: 16 },
    mergedInto: { name: 'merged_into', type: 'varchar', length: 36, nullable: true },
    version: { type: 'int' },
    checkoutId: { name: 'checkout_id', type: 'varchar', length: 64, nullable: true },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
    updatedAt: { name: 'updated_at', type: 'datetime', precision: 3 },
  },
});
