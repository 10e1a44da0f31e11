import { useBinaryIdentifiers } from '@storefront/service-kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identifiers compare byte for byte on MySQL/MariaDB (see collation.ts in the service kit); a no-op on
 * SQLite, which already does. The product name copied into an order line stays case-insensitive, as in the catalog; user ids, idempotency keys and every id are compared byte for byte.
 */
export class BinaryIdentifiersOrder1764029400200 implements MigrationInterface {
  name = 'BinaryIdentifiersOrder1764029400200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await useBinaryIdentifiers(queryRunner, ['order_line.product_name']);
  }

  async down(): Promise<void> {
    // Going back to a case-insensitive collation would let one user read another's data again.
  }
}
