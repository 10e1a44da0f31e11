import { EntitySchema } from 'typeorm';
import type { Attributes } from '@storefront/product-kinds';

/** What was bought, copied at checkout: history never depends on the catalog as it is now. */
export interface OrderLineEntity {
  id: string;
  orderId: string;
  position: number;
  productId: string;
  productName: string;
  variantId: string;
  sku: string;
  kind: string;
  attributes: Attributes;
  unitPrice: number;
  currencyCode: string;
  quantity: number;
  lineTotal: number;
}

export const OrderLineSchema = new EntitySchema<OrderLineEntity>({
  name: 'OrderLine',
  tableName: 'order_line',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    orderId: { name: 'order_id', type: 'varchar', length: 36 },
    position: { type: 'int' },
    productId: { name: 'product_id', type: 'varchar', length: 36 },
    productName: { name: 'product_name', type: 'varchar', length: 200 },
    variantId: { name: 'variant_id', type: 'varchar', length: 36 },
    sku: { type: 'varchar', length: 64 },
    kind: { type: 'varchar', length: 32 },
    attributes: { type: 'simple-json' },
    unitPrice: { name: 'unit_price', type: 'int' },
    currencyCode: { name: 'currency_code', type: 'varchar', length: 3 },
    quantity: { type: 'int' },
    lineTotal: { name: 'line_total', type: 'int' },
  },
});
