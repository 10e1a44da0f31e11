import type { CatalogVariant } from '@storefront/contracts';
import { EntitySchema } from 'typeorm';

/**
 * Stock taken by one reservation (an order service checkout) from one variant. The primary key makes
 * a reservation idempotent: a repeated or concurrent call with the same id cannot take stock twice.
 */
export interface StockReservationEntity {
  reservationId: string;
  variantId: string;
  quantity: number;
  /** The variant as it was sold (price, name, sku, attributes): repeated calls answer with it. JSON text. */
  snapshot: CatalogVariant;
  createdAt: Date;
}

export const StockReservationSchema = new EntitySchema<StockReservationEntity>({
  name: 'StockReservation',
  tableName: 'stock_reservation',
  columns: {
    reservationId: { name: 'reservation_id', type: 'varchar', length: 64, primary: true },
    variantId: { name: 'variant_id', type: 'varchar', length: 36, primary: true },
    quantity: { type: 'int' },
    snapshot: { type: 'simple-json' },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
  },
});
