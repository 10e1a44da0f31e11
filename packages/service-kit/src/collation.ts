import type { QueryRunner } from 'typeorm';

/**
 * How text compares on MySQL/MariaDB. Identifiers (user ids, token hashes, idempotency keys, every id
 * and code compared for ownership or uniqueness) must compare byte for byte: `utf8mb4_unicode_ci` makes
 * `VICTIM-49DE` the owner of `Victim-49de`'s cart, and even `utf8mb4_bin` is PAD SPACE (`'a' = 'a '`).
 * So services use a binary NO PAD collation, chosen by what the server has: `utf8mb4_nopad_bin` on
 * MariaDB, `utf8mb4_0900_bin` on MySQL 8. SQLite's default BINARY collation already compares bytes.
 *
 * Text meant for people (product names, descriptions) stays case-insensitive: it is listed by each
 * service's migration as `HUMAN_TEXT`. Case folding that matters for behaviour (search, SKUs, attribute
 * values) is done in code, so it works the same on every database.
 */
export const NO_PAD_BINARY_COLLATIONS = ['utf8mb4_nopad_bin', 'utf8mb4_0900_bin'] as const;

/** Collation for human text: case- and accent-insensitive ordering and comparison. */
export const HUMAN_TEXT_COLLATION = 'utf8mb4_unicode_ci';

/** The server's binary NO PAD collation; throws on a server that has none (MySQL 5.7, MariaDB < 10.2). */
export async function binaryCollationOf(query: (sql: string) => Promise<unknown>): Promise<string> {
  const rows = (await query(
    `SELECT COLLATION_NAME AS name FROM information_schema.COLLATIONS WHERE COLLATION_NAME IN ('${NO_PAD_BINARY_COLLATIONS.join("','")}')`,
  )) as { name: string }[];
  const found = NO_PAD_BINARY_COLLATIONS.find((c) => rows.some((r) => r.name === c));
  if (!found) throw new Error(`The database server has none of ${NO_PAD_BINARY_COLLATIONS.join(', ')}: MariaDB 10.2+ or MySQL 8 is required`);
  return found;
}

interface ColumnRow {
  table: string;
  column: string;
  type: string;
  nullable: string;
  collation: string;
}

/**
 * For a migration: makes the binary NO PAD collation the database's default (tables added later get it)
 * and converts every text column of the service's tables to it, except `humanText` (`table.column`),
 * which gets the case-insensitive collation. Keeps types, lengths, nullability, foreign keys and data.
 * No-op on SQLite. Runs on Galera too: plain ALTER statements, no GET_LOCK, one ALTER per table.
 */
export async function useBinaryIdentifiers(queryRunner: QueryRunner, humanText: readonly string[] = []): Promise<void> {
  if (queryRunner.connection.driver.options.type !== 'mysql' && queryRunner.connection.driver.options.type !== 'mariadb') return;
  const binary = await binaryCollationOf((sql) => queryRunner.query(sql));
  await queryRunner.query(`ALTER DATABASE CHARACTER SET utf8mb4 COLLATE ${binary}`);
  const columns = (await queryRunner.query(
    `SELECT TABLE_NAME AS \`table\`, COLUMN_NAME AS \`column\`, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLLATION_NAME AS collation
       FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = DATABASE() AND COLLATION_NAME IS NOT NULL
      ORDER BY TABLE_NAME, ORDINAL_POSITION`,
  )) as ColumnRow[];
  const byTable = new Map<string, string[]>();
  for (const c of columns) {
    const wanted = humanText.includes(`${c.table}.${c.column}`) ? HUMAN_TEXT_COLLATION : binary;
    if (c.collation === wanted) continue;
    const clauses = byTable.get(c.table) ?? [];
    clauses.push(`MODIFY \`${c.column}\` ${c.type} CHARACTER SET utf8mb4 COLLATE ${wanted} ${c.nullable === 'YES' ? 'NULL' : 'NOT NULL'}`);
    byTable.set(c.table, clauses);
  }
  if (byTable.size === 0) return;
  // MariaDB refuses to change a column used by a foreign key, even with the checks off: drop the keys
  // that touch the tables, change the columns, then add the keys back exactly as they were. The data in
  // the columns does not change, so every reference stays valid.
  const keys = await foreignKeys(queryRunner);
  const touched = keys.filter((k) => byTable.has(k.table) || byTable.has(k.referencedTable));
  for (const k of touched) await queryRunner.query(`ALTER TABLE \`${k.table}\` DROP FOREIGN KEY \`${k.name}\``);
  for (const [table, clauses] of byTable) await queryRunner.query(`ALTER TABLE \`${table}\` ${clauses.join(', ')}`);
  for (const k of touched) {
    const list = (columns: string[]) => columns.map((c) => `\`${c}\``).join(', ');
    await queryRunner.query(
      `ALTER TABLE \`${k.table}\` ADD CONSTRAINT \`${k.name}\` FOREIGN KEY (${list(k.columns)}) REFERENCES \`${k.referencedTable}\` (${list(k.referencedColumns)}) ON DELETE ${k.onDelete} ON UPDATE ${k.onUpdate}`,
    );
  }
}

interface ForeignKey {
  name: string;
  table: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: string;
  onUpdate: string;
}

async function foreignKeys(queryRunner: QueryRunner): Promise<ForeignKey[]> {
  const rows = (await queryRunner.query(
    `SELECT k.CONSTRAINT_NAME AS name, k.TABLE_NAME AS \`table\`, k.COLUMN_NAME AS \`column\`,
            k.REFERENCED_TABLE_NAME AS referencedTable, k.REFERENCED_COLUMN_NAME AS referencedColumn,
            r.DELETE_RULE AS onDelete, r.UPDATE_RULE AS onUpdate
       FROM information_schema.KEY_COLUMN_USAGE k
       JOIN information_schema.REFERENTIAL_CONSTRAINTS r
         ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
      WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL
      ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
  )) as { name: string; table: string; column: string; referencedTable: string; referencedColumn: string; onDelete: string; onUpdate: string }[];
  const keys = new Map<string, ForeignKey>();
  for (const row of rows) {
    const id = `${row.table}.${row.name}`;
    const key = keys.get(id) ?? { ...row, columns: [], referencedColumns: [] };
    key.columns.push(row.column);
    key.referencedColumns.push(row.referencedColumn);
    keys.set(id, key);
  }
  return [...keys.values()];
}
