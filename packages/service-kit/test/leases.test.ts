import { rmSync } from 'node:fs';
import { backgroundContext, createLogger, CreateLeases1764900000000, Database, dropDatabase, LeaseSchema, Leases } from '@storefront/service-kit';
import { testDatabaseEnv } from '@storefront/testing';

/** Leases on a real database (SQLite, or MariaDB with DATABASE_URL): what replicas share background work by. */
const env = testDatabaseEnv('leases');
const where = { databaseUrl: env.DATABASE_URL, databaseName: env.LEASES_DATABASE_NAME, dataDir: env.DATA_DIR };
let db: Database;

beforeAll(async () => {
  db = await Database.open({ ...where, entities: [LeaseSchema], migrations: [CreateLeases1764900000000], logger: createLogger('test', 'silent') });
});
afterAll(async () => {
  await db?.close();
  await dropDatabase(where);
  rmSync(env.DATA_DIR, { recursive: true, force: true });
});

const ctx = () => backgroundContext(db, createLogger('test', 'silent'), null);
const row = (name: string) => db.manager.findOne(LeaseSchema, { where: { name } });

test('a lease is one holder’s until released: another is refused, the holder renews it', async () => {
  const [a, b] = [new Leases(), new Leases()];
  expect(a.holder).not.toBe(b.holder);
  expect(await a.acquire(ctx(), 'job', 60_000)).toBe(true);
  expect(await b.acquire(ctx(), 'job', 60_000)).toBe(false);
  expect((await row('job'))?.holder).toBe(a.holder);

  const before = (await row('job'))!.expiresAt;
  await new Promise((resolve) => setTimeout(resolve, 5));
  expect(await a.acquire(ctx(), 'job', 60_000)).toBe(true);
  expect((await row('job'))!.expiresAt).toBeGreaterThan(before);

  await b.release(ctx(), 'job'); // not b's: changes nothing
  expect((await row('job'))?.holder).toBe(a.holder);
  await a.release(ctx(), 'job');
  expect(await row('job')).toBeNull();
  expect(await b.acquire(ctx(), 'job', 60_000)).toBe(true);
});

test('a lease that lapsed (its holder died) is taken over', async () => {
  const [dead, alive] = [new Leases(), new Leases()];
  expect(await dead.acquire(ctx(), 'lapsed', 0)).toBe(true);
  expect(await alive.acquire(ctx(), 'lapsed', 60_000)).toBe(true);
  expect((await row('lapsed'))?.holder).toBe(alive.holder);
  expect(await dead.acquire(ctx(), 'lapsed', 60_000)).toBe(false);
});

test('of many replicas asking at once, exactly one gets the lease', async () => {
  const replicas = Array.from({ length: 12 }, () => new Leases());
  const answers = await Promise.all(replicas.map((leases) => leases.acquire(ctx(), 'contended', 60_000)));
  expect(answers.filter(Boolean)).toHaveLength(1);
  expect((await row('contended'))?.holder).toBe(replicas[answers.indexOf(true)].holder);
});

test('whileHolding runs the work only under the lease, and releases it after, even when the work fails', async () => {
  const [a, b] = [new Leases(), new Leases()];
  let inside: boolean | undefined;
  const outer = await a.whileHolding(ctx(), 'work', 60_000, async () => {
    // while a holds it, b's work does not run
    inside = (await b.whileHolding(ctx(), 'work', 60_000, async () => true)) ?? false;
    return 'done';
  });
  expect(outer).toBe('done');
  expect(inside).toBe(false);
  expect(await row('work')).toBeNull();

  await expect(a.whileHolding(ctx(), 'work', 60_000, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  expect(await row('work')).toBeNull();
});
