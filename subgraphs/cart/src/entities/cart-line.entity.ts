import { EntitySchema } from 'typeorm';

export interface CartLineEntity {
  id: string;
  cartId: string;
  variantId: string;
  quantity: number;
  /** The variant's currency when added (a product's currency never changes): keeps a cart single-currency. */
  currencyCode: string;
  /** Orders lines by first addition; ties broken by id. */
  addedAt: Date;
  updatedAt: Date;
}

export const CartLineSchema = new EntitySchema<CartLineEntity>({
  name: 'CartLine',
  tableName: 'cart_line',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    cartId: { name: 'cart_id', type: 'varchar', length: 36 },
    variantId: { name: 'variant_id', type: 'varchar', length: 36 },
    quantity: { type: 'int' },
    currencyCode: { name: 'currency_code', type: 'varchar', length: 3 },
    addedAt: { name: 'added_at', type: 'datetime', precision: 3 },
    updatedAt: { name: 'updated_at', type: 'datetime', precision: 3 },
  },
});
