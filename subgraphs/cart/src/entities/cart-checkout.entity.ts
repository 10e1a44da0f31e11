import { EntitySchema } from 'typeorm';

export type CartCheckoutStatus = 'claimed' | 'completed' | 'released';

/** One checkout of a cart by the order service, kept after it ends so a retried call finds the outcome. */
export interface CartCheckoutEntity {
  checkoutId: string;
  /** The cart claimed; null for a checkout released before it ever claimed one. Never changes once set. */
  cartId: string | null;
  status: CartCheckoutStatus;
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
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
    updatedAt: { name: 'updated_at', type: 'datetime', precision: 3 },
  },
});
