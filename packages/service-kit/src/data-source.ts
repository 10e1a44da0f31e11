import 'reflect-metadata';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Mutex } from 'async-mutex';
import { createConnection, type Connection } from 'mysql2/promise';
import { DataSource, type EntityManager, type EntitySchema, type Logger as OrmLogger, type MixedList } from 'typeorm';
import type { Logger } from 'pino';
import { binaryCollationOf } from './collation';

/** Counts every statement a data source runs, so tests can prove a query does not grow with list sizes. */
export class StatementLog implements OrmLogger {
  count = 0;
  private readonly slowMs = 500;

  constructor(private readonly logger: Logger) {}

  logQuery(query: string): void {
    this.count += 1;
    this.logger.trace({ query }, 'sql');
  }
  logQueryError(error: string | Error, query: string): void {
    this.logger.debug({ err: error, query }, 'sql error');
  }
  logQuerySlow(time: number, query: string): void {
    if (time >= this.slowMs) this.logger.warn({ ms: time, query }, 'slow sql');
  }
  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }
  logMigration(message: string): void {
    this.logger.info({ migration: message }, 'migration');
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    this.logger[level === 'warn' ? 'warn' : 'debug']({ message }, 'typeorm');
  }
}

/** A subgraph's config carries the first three (spread it in); the service adds the rest. */
export interface DatabaseOptions {
  /** mysql://user:pass@host:port — a server URL; the service's own database is `databaseName` on it. */
  databaseUrl?: string;
  databaseName: string;
  /** Where embedded SQLite files live when no `databaseUrl` is given. */
  dataDir: string;
  entities: MixedList<EntitySchema>;
  // TypeORM takes migration classes.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
  logger: Logger;
  /**
   * Run pending migrations on open (default). Off (MIGRATE_ON_START=false), the schema is left alone:
   * a migration job brings it up to date, and `isReady()` stays false until it has.
   */
  migrateOnStart?: boolean;
}

/** While the schema is behind (a migration job still to run), how often background work checks it. */
const SCHEMA_CHECK_MS = 2_000;

/**
 * A service's database: embedded SQLite by default, MySQL/MariaDB when a URL is given. Migrations run
 * on open unless `migrateOnStart` is false. Always write through `transaction()`: on SQLite it serializes
 * transactions, because better-sqlite3 has a single connection and TypeORM interleaves concurrent
 * transactions on it.
 */
export class Database {
  private readonly writeLock: Mutex | null;
  /** Every migration this code knows has run; once true it stays true (a later release only adds more). */
  private schemaCurrent = false;
  private readonly schemaChecks = new Set<NodeJS.Timeout>();

  private constructor(
    readonly dataSource: DataSource,
    readonly statements: StatementLog,
    readonly kind: 'sqlite' | 'mysql',
    private readonly logger: Logger,
  ) {
    this.writeLock = kind === 'sqlite' ? new Mutex() : null;
  }

  static async open(options: DatabaseOptions): Promise<Database> {
    const statements = new StatementLog(options.logger);
    const common = { entities: options.entities, migrations: options.migrations, logger: statements, synchronize: false };
    let dataSource: DataSource;
    if (options.databaseUrl) {
      const url = await ensureMysqlDatabase(options.databaseUrl, options.databaseName);
      dataSource = new DataSource({
        ...common,
        type: 'mysql',
        url,
        charset: 'utf8mb4_unicode_ci',
        timezone: 'Z',
        extra: { connectionLimit: 10 },
      });
    } else {
      mkdirSync(options.dataDir, { recursive: true });
      dataSource = new DataSource({
        ...common,
        type: 'better-sqlite3',
        database: path.resolve(options.dataDir, `${options.databaseName}.sqlite`),
        enableWAL: true,
        prepareDatabase: (db: { pragma(s: string): unknown }) => {
          db.pragma('busy_timeout = 5000');
          db.pragma('foreign_keys = ON');
        },
      });
    }
    await dataSource.initialize();
    const db = new Database(dataSource, statements, options.databaseUrl ? 'mysql' : 'sqlite', options.logger);
    if (options.migrateOnStart ?? true) {
      await db.migrate();
      db.schemaCurrent = true;
    }
    return db;
  }

  /** Runs pending migrations; on MySQL under a named lock so replicas starting together take turns. */
  private async migrate(): Promise<void> {
    if (this.kind === 'sqlite') {
      await this.dataSource.runMigrations({ transaction: 'each' });
      return;
    }
    const runner = this.dataSource.createQueryRunner();
    const lock = `migrations:${this.dataSource.driver.database}`;
    try {
      await runner.query('SELECT GET_LOCK(?, 120)', [lock]);
      await this.dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [lock]).catch(() => undefined);
      await runner.release();
    }
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /**
   * Runs `work` in a transaction. On MySQL a transaction chosen as a deadlock victim is rolled back
   * whole, so it is safe to run again: up to 3 attempts. `work` must not have effects outside the
   * database (no HTTP calls) for that reason.
   */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const run = () => this.dataSource.transaction(work);
    if (this.writeLock) return this.writeLock.runExclusive(run);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await run();
      } catch (error) {
        if (attempt >= 3 || !isDeadlock(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
      }
    }
  }

  /**
   * For `/ready`: the database answers and no migration is pending. The migrations table is read only
   * until the schema is found current (a probe every few seconds costs one `SELECT 1` after that).
   */
  async isReady(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      if (!this.schemaCurrent) this.schemaCurrent = !(await this.dataSource.showMigrations());
      return this.schemaCurrent;
    } catch {
      return false;
    }
  }

  /**
   * Starts background work that needs the tables (sweeps, relays, recovery): at once, and awaited, when
   * the schema is current; otherwise as soon as a migration job has made it so (checked every
   * SCHEMA_CHECK_MS until then, or until `close()`). `start` handles its own errors.
   */
  async whenSchemaCurrent(start: () => void | Promise<void>): Promise<void> {
    // Migrated at open: no query, the start is as it always was.
    if (this.schemaCurrent || (await this.isReady())) return start();
    this.logger.info('migrations pending: not ready, and background work waits, until the migration job has run');
    const timer = setInterval(() => {
      void this.isReady().then((ready) => {
        if (!ready || !this.schemaChecks.delete(timer)) return;
        clearInterval(timer);
        this.logger.info('schema is current: ready, starting background work');
        void Promise.resolve()
          .then(start)
          .catch((err: unknown) => this.logger.error({ err }, 'background work failed to start'));
      });
    }, SCHEMA_CHECK_MS);
    timer.unref();
    this.schemaChecks.add(timer);
  }

  async close(): Promise<void> {
    for (const timer of this.schemaChecks) clearInterval(timer);
    this.schemaChecks.clear();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** The server of a `mysql://` / `mariadb://` URL, without a database: where databases are created and dropped. */
function serverUrlOf(serverUrl: string): URL {
  const url = new URL(serverUrl.replace(/^mariadb:/, 'mysql:'));
  url.pathname = '';
  return url;
}

/**
 * A plain connection to the MySQL/MariaDB server of `serverUrl` (to database `database` on it, or none):
 * for tools that read a service's tables from outside it (the chaos checks, the capacity script).
 */
export function connectToDatabase(serverUrl: string, database = ''): Promise<Connection> {
  const url = serverUrlOf(serverUrl);
  url.pathname = database ? `/${database}` : '';
  return createConnection({ uri: url.toString() });
}

/** Runs `work` on a connection to the server of `serverUrl`, closed after. */
async function onServer<T>(serverUrl: string, work: (query: (sql: string) => Promise<unknown>) => Promise<T>): Promise<T> {
  const connection = await connectToDatabase(serverUrl);
  try {
    return await work(async (sql) => (await connection.query(sql))[0]);
  } finally {
    await connection.end();
  }
}

/** Creates the service's database on the server if missing and returns a URL that points at it. */
async function ensureMysqlDatabase(serverUrl: string, name: string): Promise<string> {
  await onServer(serverUrl, async (query) => {
    // Identifiers compare byte for byte (see collation.ts): the default for every column not declared otherwise.
    const collation = await binaryCollationOf(query);
    await query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE ${collation}`);
  });
  const url = serverUrlOf(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Connects to the MySQL/MariaDB server of `serverUrl` and asks it something: throws, saying why, when it cannot. */
export async function pingDatabaseServer(serverUrl: string): Promise<void> {
  await onServer(serverUrl, (query) => query('SELECT 1'));
}

/** Drops a service database (tests and `seed --fresh`); on SQLite removes the file. */
export async function dropDatabase(options: Pick<DatabaseOptions, 'databaseUrl' | 'databaseName' | 'dataDir'>): Promise<void> {
  if (options.databaseUrl) {
    await onServer(options.databaseUrl, (query) => query(`DROP DATABASE IF EXISTS \`${options.databaseName}\``));
  } else {
    const file = path.resolve(options.dataDir, `${options.databaseName}.sqlite`);
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }
}

function isDeadlock(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  return (e?.driverError?.code ?? e?.code) === 'ER_LOCK_DEADLOCK';
}

/** True for a unique-constraint violation on either driver, so services can turn a race into a typed error. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
