import type { StockProblem } from '@storefront/contracts';
import { EntitySchema } from 'typeorm';

/**
 * How a reservation id was decided, written first by whichever call decides it. Its primary key makes
 * the decision once: a repeated or concurrent call with the same id answers as the first did, refused
 * or reserved, so two drivers of one checkout can never get different answers (one refused, one that
 * took stock after a restock in between).
 */
export interface StockReservationOutcomeEntity {
  reservationId: string;
  outcome: 'reserved' | 'refused';
  /** For a refusal: every line at fault, as first found. */
  problems: StockProblem[] | null;
  createdAt: Date;
}

export const StockReservationOutcomeSchema = new EntitySchema<StockReservationOutcomeEntity>({
  name: 'StockReservationOutcome',
  tableName: 'stock_reservation_outcome',
  columns: {
    reservationId: { name: 'reservation_id', type: 'varchar', length: 64, primary: true },
    outcome: { type: 'varchar', length: 16 },
    problems: { type: 'simple-json', nullable: true },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
  },
});
