import type { ServiceContext } from '@storefront/service-kit';
import { StockReservationOutcomeSchema, StockReservationSchema, type StockReservationEntity, type StockReservationOutcomeEntity } from '../entities';

/** Stock reservations: one decision per reservation id, and the reserved rows of one that succeeded. */
export class ReservationRepository {
  decision(ctx: ServiceContext, reservationId: string): Promise<StockReservationOutcomeEntity | null> {
    return ctx.manager.findOneBy(StockReservationOutcomeSchema, { reservationId });
  }

  rowsOf(ctx: ServiceContext, reservationId: string): Promise<StockReservationEntity[]> {
    return ctx.manager.findBy(StockReservationSchema, { reservationId });
  }

  /** The decision row: its primary key makes a concurrent call with the same id wait, then fail as a duplicate. */
  async decide(tx: ServiceContext, outcome: StockReservationOutcomeEntity): Promise<void> {
    await tx.manager.insert(StockReservationOutcomeSchema, outcome);
  }

  async insertRows(tx: ServiceContext, rows: StockReservationEntity[]): Promise<void> {
    await tx.manager.insert(StockReservationSchema, rows);
  }
}
