import { useBinaryIdentifiers } from '@storefront/service-kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identifiers compare byte for byte on MySQL/MariaDB (see collation.ts in the service kit); a no-op on
 * SQLite, which already does. Product names and descriptions stay case-insensitive (people read and sort them; search folds case in code). SKUs (upper-cased in code) and attribute values (lower-cased in code) are compared byte for byte like every id.
 */
export class BinaryIdentifiersCatalog1764029400100 implements MigrationInterface {
  name = 'BinaryIdentifiersCatalog1764029400100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await useBinaryIdentifiers(queryRunner, ['product.name', 'product.description']);
  }

  async down(): Promise<void> {
    // Going back to a case-insensitive collation would let one user read another's data again.
  }
}
