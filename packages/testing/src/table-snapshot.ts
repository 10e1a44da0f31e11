import type { Database } from '@storefront/service-kit';

/**
 * Every row of the given tables, in primary-key order: compare a snapshot taken before a refused
 * change with one taken after to prove nothing was written.
 */
export async function snapshotTables(db: Database, tables: Record<string, string>): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, orderBy] of Object.entries(tables)) {
    out[table] = await db.dataSource.query(`SELECT * FROM ${table} ORDER BY ${orderBy}`);
  }
  return out;
}
