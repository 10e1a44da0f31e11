import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Carts and their lines. Driver-neutral: runs on SQLite and MySQL. */
export class CreateCart1764028900000 implements MigrationInterface {
  name = 'CreateCart1764028900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'cart',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '255', isNullable: true },
          { name: 'guest_token_hash', type: 'varchar', length: '64', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'merged_into', type: 'varchar', length: '36', isNullable: true },
          { name: 'version', type: 'int' },
          { name: 'created_at', type: 'datetime', precision: 3 },
          { name: 'updated_at', type: 'datetime', precision: 3 },
        ],
        // NULLs do not collide in unique indexes on either database: guests have no user, users no token.
        uniques: [
          { name: 'uq_cart_user', columnNames: ['user_id'] },
          { name: 'uq_cart_guest_token', columnNames: ['guest_token_hash'] },
        ],
        indices: [{ name: 'idx_cart_guest_activity', columnNames: ['user_id', 'updated_at'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'cart_line',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'cart_id', type: 'varchar', length: '36' },
          { name: 'variant_id', type: 'varchar', length: '36' },
          { name: 'quantity', type: 'int' },
          { name: 'currency_code', type: 'varchar', length: '3' },
          { name: 'added_at', type: 'datetime', precision: 3 },
          { name: 'updated_at', type: 'datetime', precision: 3 },
        ],
        uniques: [{ name: 'uq_cart_line_variant', columnNames: ['cart_id', 'variant_id'] }],
        foreignKeys: [
          { name: 'fk_cart_line_cart', columnNames: ['cart_id'], referencedTableName: 'cart', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('cart_line');
    await queryRunner.dropTable('cart');
  }
}
