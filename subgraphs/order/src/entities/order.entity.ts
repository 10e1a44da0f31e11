import { EntitySchema } from 'typeorm';

export interface OrderEntity {
  /** Database sequence: gives order numbers (SF-000042) and newest-first history order. */
  seq: number;
  id: string;
  userId: string;
  /** The checkout that placed it: unique, so one checkout can never place two orders. */
  checkoutId: string;
  status: 'PLACED';
  currencyCode: string;
  totalAmount: number;
  totalQuantity: number;
  placedAt: Date;
}

export const OrderSchema = new EntitySchema<OrderEntity>({
  name: 'Order',
  tableName: 'orders',
  columns: {
    seq: { type: 'int', primary: true, generated: 'increment' },
    id: { type: 'varchar', length: 36, unique: true },
    userId: { name: 'user_id', type: 'varchar', length: 255 },
    checkoutId: { name: 'checkout_id', type: 'varchar', length: 36, unique: true },
    status: { type: 'varchar', length: 16 },
    currencyCode: { name: 'currency_code', type: 'varchar', length: 3 },
    totalAmount: { name: 'total_amount', type: 'int' },
    totalQuantity: { name: 'total_quantity', type: 'int' },
    placedAt: { name: 'placed_at', type: 'datetime', precision: 3 },
  },
});

export function orderNumber(order: Pick<OrderEntity, 'seq'>): string {
  return `SF-${String(order.seq).padStart(6, '0')}`;
}
