import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Orders, their lines, checkouts and the outbox. Driver-neutral: runs on SQLite and MySQL. */
export class CreateOrders1764029200000 implements MigrationInterface {
  name = 'CreateOrders1764029200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'orders',
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'id', type: 'varchar', length: '36', isUnique: true },
          { name: 'user_id', type: 'varchar', length: '255' },
          { name: 'checkout_id', type: 'varchar', length: '36', isUnique: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'currency_code', type: 'varchar', length: '3' },
          { name: 'total_amount', type: 'int' },
          { name: 'total_quantity', type: 'int' },
          { name: 'placed_at', type: 'datetime', precision: 3 },
        ],
        indices: [{ name: 'idx_orders_history', columnNames: ['user_id', 'seq'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'order_line',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'order_id', type: 'varchar', length: '36' },
          { name: 'position', type: 'int' },
          { name: 'product_id', type: 'varchar', length: '36' },
          { name: 'product_name', type: 'varchar', length: '200' },
          { name: 'variant_id', type: 'varchar', length: '36' },
          { name: 'sku', type: 'varchar', length: '64' },
          { name: 'kind', type: 'varchar', length: '32' },
          { name: 'attributes', type: 'text' },
          { name: 'unit_price', type: 'int' },
          { name: 'currency_code', type: 'varchar', length: '3' },
          { name: 'quantity', type: 'int' },
          { name: 'line_total', type: 'int' },
        ],
        indices: [{ name: 'idx_order_line_order', columnNames: ['order_id', 'position'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'checkout',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '255' },
          { name: 'idempotency_key', type: 'varchar', length: '100' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'items', type: 'text', isNullable: true },
          { name: 'reserved', type: 'text', isNullable: true },
          { name: 'order_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'failure', type: 'text', isNullable: true },
          { name: 'created_at', type: 'datetime', precision: 3 },
          { name: 'updated_at', type: 'datetime', precision: 3 },
        ],
        // One checkout per (user, key): the key is what makes retries safe.
        uniques: [{ name: 'uq_checkout_key', columnNames: ['user_id', 'idempotency_key'] }],
        indices: [{ name: 'idx_checkout_unfinished', columnNames: ['status', 'updated_at'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'outbox',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'checkout_id', type: 'varchar', length: '36' },
          { name: 'topic', type: 'varchar', length: '32' },
          { name: 'payload', type: 'text' },
          { name: 'attempts', type: 'int' },
          { name: 'next_attempt_at', type: 'datetime', precision: 3 },
          { name: 'done_at', type: 'datetime', precision: 3, isNullable: true },
          { name: 'last_error', type: 'text', isNullable: true },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
        uniques: [{ name: 'uq_outbox_checkout_topic', columnNames: ['checkout_id', 'topic'] }],
        indices: [{ name: 'idx_outbox_pending', columnNames: ['done_at', 'next_attempt_at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['outbox', 'checkout', 'order_line', 'orders']) await queryRunner.dropTable(table);
  }
}
