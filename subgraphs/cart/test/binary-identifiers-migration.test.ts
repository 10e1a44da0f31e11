import { randomBytes } from 'node:crypto';
import { dropDatabase, Database, createLogger } from '@storefront/service-kit';
import { CART_MIGRATIONS } from '../src/migrations';
import { BinaryIdentifiersCart1764029400000 } from '../src/migrations/1764029400000-binary-identifiers';
import { CART_ENTITIES } from '../src/entities';
import { usingMysql } from '@storefront/testing';
import { createConnection } from 'mysql2/promise';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A database created before identifiers were binary (server default `utf8mb4_unicode_ci`) is converted
 * by the migration, keeping its rows; afterwards ids differing by case or a trailing space are distinct.
 * On SQLite the migration is a no-op and the comparison was byte for byte all along.
 */

const logger = createLogger('test', 'silent');

test('the binary-identifiers migration converts an existing case-insensitive database and keeps its data', async () => {
  const databaseName = `test_collation_${process.pid}_${randomBytes(3).toString('hex')}`;
  const options = { databaseUrl: process.env.DATABASE_URL, databaseName, dataDir: mkdtempSync(path.join(os.tmpdir(), 'storefront-test-')) };
  // Every migration that shipped before identifiers became binary.
  const before = CART_MIGRATIONS.slice(0, CART_MIGRATIONS.indexOf(BinaryIdentifiersCart1764029400000));
  expect(before.length).toBeGreaterThan(0);
  if (usingMysql()) {
    // As the service used to create it.
    const url = new URL(process.env.DATABASE_URL!.replace(/^mariadb:/, 'mysql:'));
    url.pathname = '';
    const connection = await createConnection({ uri: url.toString() });
    await connection.query(`CREATE DATABASE \`${databaseName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await connection.end();
  }
  try {
    const old = await Database.open({ ...options, entities: CART_ENTITIES, migrations: before, logger });
    const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
    const insert = 'INSERT INTO cart (id, user_id, guest_token_hash, status, merged_into, version, created_at, updated_at) VALUES (?, ?, NULL, ?, NULL, 1, ?, ?)';
    await old.dataSource.query(insert, ['cart-a', 'Victim-49de', 'open', now, now]);
    if (usingMysql()) {
      // The defect this migration removes: another spelling finds her cart.
      const [row] = (await old.dataSource.query('SELECT COUNT(*) AS n FROM cart WHERE user_id = ?', ['VICTIM-49DE '])) as { n: number }[];
      expect(Number(row.n)).toBe(1);
    }
    await old.close();

    const migrated = await Database.open({ ...options, entities: CART_ENTITIES, migrations: CART_MIGRATIONS, logger });
    try {
      const count = async (userId: string) =>
        Number(((await migrated.dataSource.query('SELECT COUNT(*) AS n FROM cart WHERE user_id = ?', [userId])) as { n: number }[])[0].n);
      expect(await count('Victim-49de')).toBe(1);
      expect(await count('VICTIM-49DE')).toBe(0);
      expect(await count('Victim-49de ')).toBe(0);
      // Now both spellings can be users of their own: the unique index tells them apart.
      await migrated.dataSource.query(insert, ['cart-b', 'VICTIM-49DE', 'open', now, now]);
      await migrated.dataSource.query(insert, ['cart-c', 'Victim-49de ', 'open', now, now]);
      expect(await count('Victim-49de')).toBe(1);
      expect(await migrated.isReady()).toBe(true);
    } finally {
      await migrated.close();
    }
  } finally {
    await dropDatabase(options);
  }
});
