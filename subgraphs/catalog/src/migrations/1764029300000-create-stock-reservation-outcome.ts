import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** One row per reservation id deciding it, refused or reserved. Driver-neutral: SQLite and MySQL. */
export class CreateStockReservationOutcome1764029300000 implements MigrationInterface {
  name = 'CreateStockReservationOutcome1764029300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'stock_reservation_outcome',
        columns: [
          { name: 'reservation_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'outcome', type: 'varchar', length: '16' },
          { name: 'problems', type: 'text', isNullable: true },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('stock_reservation_outcome');
  }
}
