import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Checkout claims: `cart.checkout_id` is the one checkout holding a cart, `cart_checkout` remembers how
 * every checkout ended so retries of claim/complete/release stay idempotent. Driver-neutral.
 */
export class CartCheckout1764029100000 implements MigrationInterface {
  name = 'CartCheckout1764029100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // On SQLite TypeORM adds a column by rebuilding the table; it runs migrations with foreign keys off,
    // so rebuilding `cart` does not cascade into `cart_line`.
    await queryRunner.addColumn('cart', new TableColumn({ name: 'checkout_id', type: 'varchar', length: '64', isNullable: true }));
    await queryRunner.createTable(
      new Table({
        name: 'cart_checkout',
        columns: [
          { name: 'checkout_id', type: 'varchar', length: '64', isPrimary: true },
          // Null only for a checkout released before it ever claimed a cart.
          { name: 'cart_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'created_at', type: 'datetime', precision: 3 },
          { name: 'updated_at', type: 'datetime', precision: 3 },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('cart_checkout');
    await queryRunner.dropColumn('cart', 'checkout_id');
  }
}
