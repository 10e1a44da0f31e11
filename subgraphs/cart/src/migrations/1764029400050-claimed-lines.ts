import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** What each claim answered (see CartCheckoutEntity.lines). Driver-neutral. */
export class ClaimedLines1764029400050 implements MigrationInterface {
  name = 'ClaimedLines1764029400050';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('cart_checkout', [
      new TableColumn({ name: 'lines', type: 'text', isNullable: true }),
      new TableColumn({ name: 'version', type: 'int', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('cart_checkout', 'version');
    await queryRunner.dropColumn('cart_checkout', 'lines');
  }
}
