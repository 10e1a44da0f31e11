import { useBinaryIdentifiers } from '@storefront/service-kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identifiers compare byte for byte on MySQL/MariaDB (see collation.ts in the service kit); a no-op on
 * SQLite, which already does. Everything here is an identifier: user ids, guest token hashes, cart, line, variant and checkout ids.
 */
export class BinaryIdentifiersCart1764029400000 implements MigrationInterface {
  name = 'BinaryIdentifiersCart1764029400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await useBinaryIdentifiers(queryRunner, []);
  }

  async down(): Promise<void> {
    // Going back to a case-insensitive collation would let one user read another's data again.
  }
}
