import { Table, TableForeignKey, type MigrationInterface, type QueryRunner } from 'typeorm';

const timestamps = [
  { name: 'created_at', type: 'datetime', precision: 3 },
  { name: 'updated_at', type: 'datetime', precision: 3 },
];

/** Products, variants and the attribute index. Driver-neutral: runs on SQLite and MySQL. */
export class CreateCatalog1764028800000 implements MigrationInterface {
  name = 'CreateCatalog1764028800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'product',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'description', type: 'text' },
          { name: 'kind', type: 'varchar', length: '32' },
          { name: 'price_amount', type: 'int' },
          { name: 'currency_code', type: 'varchar', length: '3' },
          { name: 'archived_at', type: 'datetime', precision: 3, isNullable: true },
          ...timestamps,
        ],
        indices: [
          // Listing order (name, id) is also the keyset the cursors encode.
          { name: 'idx_product_listing', columnNames: ['archived_at', 'name', 'id'] },
          { name: 'idx_product_kind', columnNames: ['kind', 'archived_at', 'name'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'product_variant',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'product_id', type: 'varchar', length: '36' },
          { name: 'sku', type: 'varchar', length: '64' },
          { name: 'kind', type: 'varchar', length: '32' },
          { name: 'attributes', type: 'text' },
          { name: 'price_override', type: 'int', isNullable: true },
          { name: 'stock', type: 'int' },
          { name: 'position', type: 'int' },
          { name: 'removed_at', type: 'datetime', precision: 3, isNullable: true },
          ...timestamps,
        ],
        uniques: [{ name: 'uq_variant_sku', columnNames: ['sku'] }],
        indices: [{ name: 'idx_variant_product', columnNames: ['product_id', 'position'] }],
      }),
    );
    await queryRunner.createForeignKey(
      'product_variant',
      new TableForeignKey({
        name: 'fk_variant_product',
        columnNames: ['product_id'],
        referencedTableName: 'product',
        referencedColumnNames: ['id'],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'variant_attribute',
        columns: [
          { name: 'variant_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'product_id', type: 'varchar', length: '36' },
          { name: 'value', type: 'varchar', length: '191' },
        ],
        indices: [{ name: 'idx_attribute_value', columnNames: ['name', 'value', 'variant_id'] }],
        foreignKeys: [
          {
            name: 'fk_attribute_variant',
            columnNames: ['variant_id'],
            referencedTableName: 'product_variant',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('variant_attribute');
    await queryRunner.dropTable('product_variant');
    await queryRunner.dropTable('product');
  }
}
