import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Stock taken per reservation and variant, with what was sold. Driver-neutral: runs on SQLite and MySQL. */
export class CreateStockReservation1764029000000 implements MigrationInterface {
  name = 'CreateStockReservation1764029000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'stock_reservation',
        columns: [
          // The composite key is what makes reserving idempotent: a second insert for the same
          // reservation waits for the first transaction, then fails as a duplicate.
          { name: 'reservation_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'variant_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'quantity', type: 'int' },
          { name: 'snapshot', type: 'text' },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
        // No foreign key to product_variant on purpose: on InnoDB the key check takes a shared lock on
        // the variant, and two reservations of one variant would each hold it while waiting to upgrade
        // it for the stock update: a deadlock on every contended variant. Variants are never deleted
        // (only marked removed), so the reference cannot dangle anyway.
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('stock_reservation');
  }
}
