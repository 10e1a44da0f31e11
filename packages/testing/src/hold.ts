import type { Database } from '@storefront/service-kit';
import { usingMysql } from './databases';

/** Holds a row against writers until `release()`; `queued(n)` resolves once n writers wait behind it. */
export interface Holder {
  queued(n: number): Promise<void>;
  release(): Promise<void>;
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * MariaDB: a row lock on `table`'s row `id` from a connection of the test. A request counts as queued
 * once the service has sent its statement that locks the row (seen through the service's statement
 * logger, which runs just before a statement goes out), plus a settle time for it to reach the server:
 * the next request is only started after that, so the server sees them in this order.
 */
async function holdOnMysql(database: Database, table: string, id: string): Promise<Holder> {
  const runner = database.dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  await runner.query(`SELECT id FROM ${table} WHERE id = ? FOR UPDATE`, [id]);
  const statements = database.statements;
  let locking = 0;
  const original = statements.logQuery.bind(statements);
  const writes = new RegExp(`^(UPDATE|DELETE FROM) \`${table}\``);
  // TypeORM passes the parameters as a second argument, which the kit's logger does not declare.
  const count = (query: string, parameters?: unknown[]) => {
    if (writes.test(query) && parameters?.includes(id)) locking += 1;
    original(query);
  };
  const spy = jest.spyOn(statements, 'logQuery').mockImplementation(count as (query: string) => void);
  return {
    queued: async (n) => {
      await waitFor(async () => locking >= n, `${n} statements locking ${table} ${id}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    },
    release: async () => {
      spy.mockRestore();
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
    queued: (n) => waitFor(async () => entered >= n, `${n} transactions queued`),
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
 * MariaDB: the row's lock; SQLite: the kit's transaction mutex (which queues every writer of the service).
 */
export function holdRow(database: Database, table: string, id: string): Promise<Holder> {
  return usingMysql() ? holdOnMysql(database, table, id) : holdOnSqlite(database);
}
