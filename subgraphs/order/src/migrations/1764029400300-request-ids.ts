import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Checkouts and outbox rows keep the id of the request that wrote them, so recovery and the relay work
 * under it. Nullable: rows written before keep working (background work gives them a fresh id), and a
 * previous release that does not write the column runs against this schema unchanged.
 */
export class RequestIds1764029400300 implements MigrationInterface {
  name = 'RequestIds1764029400300';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['checkout', 'outbox']) {
      await queryRunner.addColumn(table, new TableColumn({ name: 'request_id', type: 'varchar', length: '128', isNullable: true }));
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['checkout', 'outbox']) await queryRunner.dropColumn(table, 'request_id');
  }
}
