import type { Database } from '@storefront/service-kit';
import { usingMysql } from './databases';
import { eventually } from './shop-processes';
import { watchStatements } from './statements';

/** Holds a row against writers until `release()`; `queued(n)` resolves once n writers wait behind it. */
export interface Holder {
  queued(n: number): Promise<void>;
  release(): Promise<void>;
}

/** Resolves once `check()` holds; fails after 20 s, naming `what`. */
async function waitFor(check: () => boolean, what: string): Promise<void> {
  await eventually(async () => (check() ? true : undefined), { timeoutMs: 20_000, intervalMs: 20, what });
}

/**
 * MariaDB: a row lock on `table`'s row `id` from a connection of the test. A request counts as queued
 * once the service has sent its statement that locks the row (seen through the service's statement
 * logger, which runs just before a statement goes out), plus a settle time for it to reach the server:
 * the next request is only started after that, so the server sees them in this order.
 */
async function holdOnMysql(database: Database, table: string, id: string, column: string): Promise<Holder> {
  const runner = database.dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  // No such row yet (`column` a unique key): the lock is on the gap where it would go, which holds inserts of it.
  await runner.query(`SELECT id FROM ${table} WHERE ${column} = ? FOR UPDATE`, [id]);
  let locking = 0;
  const writes = new RegExp(`^(UPDATE|DELETE FROM|INSERT INTO) \`${table}\``);
  const stopWatching = watchStatements(database, (query, parameters) => {
    if (writes.test(query) && parameters.includes(id)) locking += 1;
  });
  return {
    queued: async (n) => {
      await waitFor(() => locking >= n, `${n} statements locking ${table} ${id}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    },
    release: async () => {
      stopWatching();
      await runner.commitTransaction();
      await runner.release();
    },
  };
}

/** SQLite: the kit serializes transactions through one FIFO mutex; holding it queues every writer in call order. */
async function holdOnSqlite(database: Database): Promise<Holder> {
  let entered = 0;
  const original = database.transaction.bind(database);
  const spy = jest.spyOn(database, 'transaction').mockImplementation((work) => {
    entered += 1;
    return original(work);
  });
  let open!: () => void;
  let held!: () => void;
  const isHeld = new Promise<void>((resolve) => (held = resolve));
  const holding = original(async () => {
    held();
    await new Promise<void>((resolve) => (open = resolve));
  });
  await isHeld;
  entered = 0;
  return {
    queued: (n) => waitFor(() => entered >= n, `${n} transactions queued`),
    release: async () => {
      open();
      await holding;
      spy.mockRestore();
    },
  };
}

/**
 * Forces an order on concurrent writes of one row: hold it, start each request and wait until it is
 * queued behind the hold before starting the next, then release. They then run in that order.
 * MariaDB: the lock of the row whose `column` (a unique key, `id` by default) is `id`, or of the gap where
 * that row would go; SQLite: the kit's transaction mutex (which queues every writer of the service).
 */
export function holdRow(database: Database, table: string, id: string, column = 'id'): Promise<Holder> {
  return usingMysql() ? holdOnMysql(database, table, id, column) : holdOnSqlite(database);
}
