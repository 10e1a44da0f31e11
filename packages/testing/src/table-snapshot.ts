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

/** Runs `attempt` and asserts (jest) that `tables` hold exactly what they held before it. */
export async function expectUnchanged<T>(db: Database, tables: Record<string, string>, attempt: () => Promise<T>): Promise<T> {
  const before = await snapshotTables(db, tables);
  const result = await attempt();
  expect(await snapshotTables(db, tables)).toEqual(before);
  return result;
}

export const CATALOG_TABLES = { product: 'id', product_variant: 'id', variant_attribute: 'variant_id, name' };
export const CART_TABLES = { cart: 'id', cart_line: 'id' };
