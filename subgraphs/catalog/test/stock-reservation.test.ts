import { randomUUID } from 'node:crypto';
import { CatalogClient, type ReserveResult, type StockItem } from '@storefront/contracts';
import { InternalCallError } from '@storefront/service-kit';
import { CATALOG_TABLES, eventually, expectUnchanged, startCatalog, usingMysql, watchStatements, type RunningCatalog, TEST_CALLER } from '@storefront/testing';
import { ProductSchema, ProductVariantSchema, StockReservationSchema } from '../src/entities';
import { seedCatalog } from '../src/services/catalog-seeder';

/**
 * The catalog's stock reservation (what an order's checkout calls), through real HTTP with the
 * service kit's CatalogClient. The money-relevant promises: all or nothing, stock never negative,
 * every problem reported, and one reservation id takes stock at most once, also when raced.
 *
 * MySQL is where the races are real (a pool of 10 connections, row locks, reads that do not lock):
 * run this file with DATABASE_URL too.
 */

let catalog: RunningCatalog;
let client: CatalogClient;
/** Seeded products not used by a test yet: each test takes its own, so no test sees another's stock. */
let unusedProducts: { id: string; variantIds: string[] }[];

const TABLES = { ...CATALOG_TABLES, stock_reservation: 'reservation_id, variant_id' };

beforeAll(async () => {
  catalog = await startCatalog();
  await seedCatalog(catalog.server.database, 22);
  client = new CatalogClient(catalog.url, catalog.config.secret);
  const variants = await catalog.server.database.manager.find(ProductVariantSchema, { order: { position: 'ASC' } });
  const byProduct = new Map<string, string[]>();
  for (const v of variants) byProduct.set(v.productId, [...(byProduct.get(v.productId) ?? []), v.id]);
  unusedProducts = [...byProduct].map(([id, variantIds]) => ({ id, variantIds }));
});
afterAll(() => catalog?.stop());

/** The first variant of `count` products no other test touches, with their stock set as given. */
async function freshVariants(...stocks: number[]): Promise<string[]> {
  if (unusedProducts.length < stocks.length) throw new Error('Seed more products for this file');
  const products = unusedProducts.splice(0, stocks.length);
  const ids = products.map((p) => p.variantIds[0]);
  for (const [i, id] of ids.entries()) await setStock(id, stocks[i]);
  return ids;
}

async function setStock(variantId: string, stock: number): Promise<void> {
  await catalog.server.database.manager.update(ProductVariantSchema, { id: variantId }, { stock });
}

async function stockOf(...variantIds: string[]): Promise<number[]> {
  const rows = await catalog.server.database.manager.findBy(ProductVariantSchema, variantIds.map((id) => ({ id })));
  return variantIds.map((id) => rows.find((r) => r.id === id)!.stock);
}

function reservationRows(reservationId: string) {
  return catalog.server.database.manager.find(StockReservationSchema, { where: { reservationId }, order: { variantId: 'ASC' } });
}

function ok(result: ReserveResult) {
  if (!result.ok) throw new Error(`Expected a reservation, got problems: ${JSON.stringify(result.problems)}`);
  return result.variants;
}

/** Runs `attempt` and asserts no catalog table, reservations included, changed. */
function unchanged<T>(attempt: () => Promise<T>): Promise<T> {
  return expectUnchanged(catalog.server.database, TABLES, attempt);
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

test('takes exactly what is asked and answers each variant as sold, in variant id order', async () => {
  const [a, b, c] = await freshVariants(10, 4, 5);
  const [before] = await client.lookupVariants(TEST_CALLER, [a]);
  const reservationId = randomUUID();
  const quantities = new Map([
    [a, 3],
    [b, 4],
    [c, 1],
  ]);

  // Given in neither id order nor its reverse (middle, highest, lowest): the answer is in id order, the
  // order repeated calls answer in too.
  const [low, middle, high] = [a, b, c].sort(byId);
  const items = [middle, high, low].map((variantId) => ({ variantId, quantity: quantities.get(variantId)! }));
  const variants = ok(await client.reserveStock(TEST_CALLER, reservationId, items));

  expect(variants.map((v) => v.id)).toEqual([low, middle, high]);
  expect(variants.find((v) => v.id === a)).toEqual({ ...before, stock: 7 });
  expect(await stockOf(a, b, c)).toEqual([7, 0, 4]);
  const rows = await reservationRows(reservationId);
  expect(rows.map((r) => [r.variantId, r.quantity])).toEqual([low, middle, high].map((id) => [id, quantities.get(id)]));
  expect(rows.find((r) => r.variantId === a)!.snapshot).toEqual({ ...before, stock: 7 });
  // Answered again, from the stored rows: the same variants in the same order.
  expect(await client.reserveStock(TEST_CALLER, reservationId, items)).toEqual({ ok: true, variants });
});

test('reports every line at fault and takes nothing', async () => {
  const [fine, removed, archived, short] = await freshVariants(50, 9, 9, 2);
  const archivedProduct = (await catalog.server.database.manager.findOneByOrFail(ProductVariantSchema, { id: archived })).productId;
  await catalog.server.database.manager.update(ProductVariantSchema, { id: removed }, { removedAt: new Date() });
  await catalog.server.database.manager.update(ProductSchema, { id: archivedProduct }, { archivedAt: new Date() });
  const missing = randomUUID();
  const reservationId = randomUUID();

  const result = await unchanged(() =>
    client.reserveStock(TEST_CALLER, reservationId, [
      { variantId: fine, quantity: 1 },
      { variantId: missing, quantity: 2 },
      { variantId: removed, quantity: 1 },
      { variantId: short, quantity: 5 },
      { variantId: archived, quantity: 3 },
    ]),
  );

  expect(result).toEqual({
    ok: false,
    problems: [
      { variantId: missing, reason: 'NOT_FOUND', requested: 2, available: 0 },
      { variantId: removed, reason: 'UNAVAILABLE', requested: 1, available: 0 },
      { variantId: short, reason: 'INSUFFICIENT_STOCK', requested: 5, available: 2 },
      { variantId: archived, reason: 'UNAVAILABLE', requested: 3, available: 0 },
    ],
  });
});

test('a refused reservation id stays refused, even after a restock; a new id succeeds', async () => {
  const [a] = await freshVariants(1);
  const reservationId = randomUUID();
  const refusal = { ok: false, problems: [{ variantId: a, reason: 'INSUFFICIENT_STOCK', requested: 2, available: 1 }] };
  expect(await client.reserveStock(TEST_CALLER, reservationId, [{ variantId: a, quantity: 2 }])).toEqual(refusal);

  // Two drivers of one checkout must get one answer: a restock in between must not let the second take stock.
  await setStock(a, 2);
  expect(await unchanged(() => client.reserveStock(TEST_CALLER, reservationId, [{ variantId: a, quantity: 2 }]))).toEqual(refusal);
  expect(await stockOf(a)).toEqual([2]);
  expect(ok(await client.reserveStock(TEST_CALLER, randomUUID(), [{ variantId: a, quantity: 2 }]))).toHaveLength(1);
  expect(await stockOf(a)).toEqual([0]);
});

test('repeating a reservation takes nothing more and answers the first snapshot, even after price changes', async () => {
  const [a, b] = await freshVariants(10, 10);
  const reservationId = randomUUID();
  const items = [
    { variantId: a, quantity: 2 },
    { variantId: b, quantity: 1 },
  ];
  const first = ok(await client.reserveStock(TEST_CALLER, reservationId, items));

  const { manager } = catalog.server.database;
  await manager.update(ProductVariantSchema, { id: a }, { priceOverride: 123_456, stock: 0 });
  await manager.update(ProductSchema, { id: first[0].productId }, { name: 'Renamed', priceAmount: 1 });
  const [changed] = await client.lookupVariants(TEST_CALLER, [a]);
  expect(changed.price.amount).toBe(123_456);

  const repeated = await unchanged(() => client.reserveStock(TEST_CALLER, reservationId, items));
  expect(repeated).toEqual({ ok: true, variants: first });
  // Whatever the repeat asks for, the id's reservation is the first one.
  const different = await unchanged(() => client.reserveStock(TEST_CALLER, reservationId, [{ variantId: b, quantity: 5 }]));
  expect(different).toEqual({ ok: true, variants: first });
  expect(await stockOf(a, b)).toEqual([0, 9]);
});

test('merges repeated variants into one line', async () => {
  const [a, b] = await freshVariants(5, 5);
  const refused = await unchanged(() =>
    client.reserveStock(TEST_CALLER, randomUUID(), [
      { variantId: a, quantity: 3 },
      { variantId: b, quantity: 1 },
      { variantId: a, quantity: 3 },
    ]),
  );
  expect(refused).toEqual({ ok: false, problems: [{ variantId: a, reason: 'INSUFFICIENT_STOCK', requested: 6, available: 5 }] });

  const reservationId = randomUUID();
  const variants = ok(
    await client.reserveStock(TEST_CALLER, reservationId, [
      { variantId: a, quantity: 2 },
      { variantId: b, quantity: 1 },
      { variantId: a, quantity: 3 },
    ]),
  );
  expect(variants.map((v) => v.id).sort(byId)).toEqual([a, b].sort(byId));
  expect(await stockOf(a, b)).toEqual([0, 4]);
  expect((await reservationRows(reservationId)).map((r) => [r.variantId, r.quantity]).sort()).toEqual([[a, 5], [b, 1]].sort());
});

test('20 concurrent calls with one reservation id take the stock once and all answer the same', async () => {
  const [a, b] = await freshVariants(10, 10);
  const reservationId = randomUUID();
  const items = [
    { variantId: a, quantity: 3 },
    { variantId: b, quantity: 2 },
  ];
  const results = await Promise.all(Array.from({ length: 20 }, () => client.reserveStock(TEST_CALLER, reservationId, items)));

  const first = ok(results[0]);
  for (const result of results) expect(result).toEqual({ ok: true, variants: first });
  expect(await stockOf(a, b)).toEqual([7, 8]);
  expect(await reservationRows(reservationId)).toHaveLength(2);
});

test('30 reservations racing for 10 units: exactly 10 succeed, all or nothing, never below zero', async () => {
  const [scarce, plenty] = await freshVariants(10, 100);
  const items: StockItem[] = [
    { variantId: plenty, quantity: 1 },
    { variantId: scarce, quantity: 1 },
  ];

  // Watch the stock while the race runs: it must never be seen below zero. The watcher stops whatever
  // the race does (a reservation failing included), so a violation fails the assertions below instead
  // of leaving it polling a database that afterAll has closed.
  let racing = true;
  let lowest = Infinity;
  const watcher = (async () => {
    while (racing) {
      lowest = Math.min(lowest, ...(await stockOf(scarce)));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  let settled: PromiseSettledResult<ReserveResult>[];
  try {
    settled = await Promise.allSettled(Array.from({ length: 30 }, () => client.reserveStock(TEST_CALLER, randomUUID(), items)));
  } finally {
    racing = false;
    await watcher;
  }
  expect(lowest).toBeGreaterThanOrEqual(0);
  expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);
  const results = settled.map((s) => (s as PromiseFulfilledResult<ReserveResult>).value);

  const succeeded = results.filter((r) => r.ok);
  expect(succeeded).toHaveLength(10);
  for (const result of results.filter((r) => !r.ok)) {
    // Refused as a whole: the plentiful line is not at fault, and was not taken either.
    expect(result).toEqual({ ok: false, problems: [{ variantId: scarce, reason: 'INSUFFICIENT_STOCK', requested: 1, available: 0 }] });
  }
  const [scarceLeft, plentyLeft] = await stockOf(scarce, plenty);
  expect(scarceLeft).toBe(0);
  expect(succeeded.length + scarceLeft).toBe(10);
  expect(succeeded.length + plentyLeft).toBe(100);
  const rows = await catalog.server.database.manager.findBy(StockReservationSchema, [{ variantId: scarce }, { variantId: plenty }]);
  expect(rows).toHaveLength(20);
});

async function waitFor(check: () => boolean, what: string): Promise<void> {
  await eventually(async () => (check() ? true : undefined), { timeoutMs: 20_000, intervalMs: 10, what });
}

/**
 * Calls `onUpdate` once, when the catalog sends its first stock UPDATE of `variantId` (the statement
 * logger runs just before a statement goes out). Returns a function that stops watching.
 */
/** Calls `onUpdate` as the catalog sends a stock UPDATE for `variantId`, before it runs: the first `times` such UPDATEs. */
function onStockUpdate(variantId: string, onUpdate: () => void, times = 1): () => void {
  let fired = 0;
  return watchStatements(catalog.server.database, (query, parameters) => {
    if (fired < times && /^UPDATE [`"]product_variant[`"]/.test(query) && parameters.includes(variantId)) {
      fired += 1;
      onUpdate();
    }
  });
}

/** SQLite's own connection, to write inside the transaction that is running (SQLite serializes them). */
function sqliteConnection() {
  const { dataSource } = catalog.server.database;
  return (dataSource.driver as unknown as { databaseConnection: { prepare(sql: string): { run(...args: unknown[]): unknown } } }).databaseConnection;
}

test('stock taken between a reservation reading it and writing it is never taken twice: the stock does not go below zero', async () => {
  // Two units, both wanted; one is sold between the reservation's read and its write.
  const [last] = await freshVariants(2);
  const { dataSource } = catalog.server.database;
  let stop: () => void;
  let reserving: Promise<ReserveResult>;
  if (usingMysql()) {
    // A test connection holds the variant's row: the reservation reads the stock (2, reads do not lock)
    // and its UPDATE waits for the row. Meanwhile the test sells the units and lets go.
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query('SELECT id FROM product_variant WHERE id = ? FOR UPDATE', [last]);
    let updating = false;
    stop = onStockUpdate(last, () => (updating = true));
    reserving = client.reserveStock(TEST_CALLER, randomUUID(), [{ variantId: last, quantity: 2 }]);
    await waitFor(() => updating, 'the reservation to send its stock UPDATE');
    await runner.query('UPDATE product_variant SET stock = 0 WHERE id = ?', [last]);
    await runner.commitTransaction();
    await runner.release();
  } else {
    // SQLite serializes transactions, so no other transaction can come in between; one unit is sold on
    // the same connection right before the reservation's UPDATE runs, after its read. That write is part
    // of the reservation's transaction: rolled back with it when the guard refuses.
    const raw = sqliteConnection();
    stop = onStockUpdate(last, () => raw.prepare('UPDATE product_variant SET stock = 1 WHERE id = ?').run(last));
    reserving = client.reserveStock(TEST_CALLER, randomUUID(), [{ variantId: last, quantity: 2 }]);
  }
  const result = await reserving.finally(() => stop());

  expect(await stockOf(last)).toEqual([0]);
  if (usingMysql()) {
    // The units went to the test's sale: the retry reads none left.
    expect(result).toEqual({ ok: false, problems: [{ variantId: last, reason: 'INSUFFICIENT_STOCK', requested: 2, available: 0 }] });
  } else {
    // The guard refused the first attempt, whose rollback undid the injected sale; the retry took both
    // units. (Had the refused UPDATE been let through, the sale would stand and 1 unit would be left.)
    expect(ok(result)).toHaveLength(1);
  }
});

(usingMysql() ? test.skip : test)(
  'SQLite: a reservation whose stock moves under every attempt gives up after 5 attempts with an error, and takes nothing',
  async () => {
    const [variantId] = await freshVariants(2);
    const raw = sqliteConnection();
    let sales = 0;
    // Each attempt sees 2, then loses a unit right before its UPDATE; at most 10 times, so a reservation
    // that never stops retrying still ends (with the unit taken) instead of hanging the test.
    const stop = onStockUpdate(
      variantId,
      () => {
        sales += 1;
        raw.prepare('UPDATE product_variant SET stock = 1 WHERE id = ?').run(variantId);
      },
      10,
    );
    const answer = await client.reserveStock(TEST_CALLER, randomUUID(), [{ variantId, quantity: 2 }]).then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
    stop();

    expect(sales).toBe(5);
    expect(answer).toEqual({ error: expect.any(InternalCallError) });
    // Every attempt rolled back, the injected sales with them.
    expect(await stockOf(variantId)).toEqual([2]);
  },
);

test('a transaction that rolls back while a reservation waits never takes the acknowledged reservation with it', async () => {
  const [a] = await freshVariants(5);
  const db = catalog.server.database;
  class Abort extends Error {}
  // Another write of the variant (an admin's, say) that will fail: open, holding the variant, until told to end.
  let entered!: () => void;
  let end!: () => void;
  const holding = new Promise<void>((resolve) => (entered = resolve));
  const failingWrite = db
    .transaction(async (manager) => {
      await manager.update(ProductVariantSchema, { id: a }, { stock: 100 });
      entered();
      await new Promise<void>((resolve) => (end = resolve));
      throw new Abort();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Abort)) throw error;
    });
  await holding;

  // Wait until the reservation is inside the catalog's database code (queued behind the open transaction,
  // or, were transactions not serialized on SQLite, run inside it as a savepoint and already answered).
  let transactions = 0;
  const original = db.transaction.bind(db);
  const spy = jest.spyOn(db, 'transaction').mockImplementation((work) => {
    transactions += 1;
    return original(work);
  });
  const reserving = client.reserveStock(TEST_CALLER, randomUUID(), [{ variantId: a, quantity: 2 }]);
  await waitFor(() => transactions >= 1, 'the reservation to start its transaction');
  await new Promise((resolve) => setTimeout(resolve, 100));
  spy.mockRestore();
  end();
  await failingWrite;

  const variants = ok(await reserving);
  expect(variants.map((v) => v.stock)).toEqual([3]);
  expect(await stockOf(a)).toEqual([3]);
});

test('bad bodies are refused with 400 and change nothing', async () => {
  const [a] = await freshVariants(5);
  const bad: StockItem[][] = [
    [],
    [{ variantId: a, quantity: 0 }],
    [{ variantId: a, quantity: -1 }],
    [{ variantId: a, quantity: 1.5 }],
    [{ variantId: a, quantity: '2' as unknown as number }],
    [{ variantId: a, quantity: 1 }, { variantId: '', quantity: 1 }],
    [{ quantity: 1 } as StockItem],
  ];
  await unchanged(async () => {
    for (const items of bad) {
      const error = await client.reserveStock(TEST_CALLER, randomUUID(), items).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InternalCallError);
      expect((error as InternalCallError).status).toBe(400);
    }
    for (const reservationId of ['', 'has space', 'x'.repeat(65), 42 as unknown as string]) {
      const error = await client.reserveStock(TEST_CALLER, reservationId, [{ variantId: a, quantity: 1 }]).catch((e: unknown) => e);
      expect((error as InternalCallError).status).toBe(400);
    }
    // Not even the shape: the answer is still JSON saying why.
    const base = catalog.url.replace(/\/graphql$/, '');
    for (const body of ['{}', '[]', '{"reservationId":"r1","items":{}}', 'null']) {
      const response = await fetch(`${base}/internal/stock/reserve`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-subgraph-secret': catalog.config.secret },
        body,
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'BAD_REQUEST' } }] });
    }
  });
  expect(await stockOf(a)).toEqual([5]);
});

test('answers only callers with the catalog secret', async () => {
  const [a] = await freshVariants(5);
  const stranger = new CatalogClient(catalog.url, 'not-the-secret');
  const error = await unchanged(() => stranger.reserveStock(TEST_CALLER, randomUUID(), [{ variantId: a, quantity: 1 }]).catch((e: unknown) => e));
  expect(error).toBeInstanceOf(InternalCallError);
  expect((error as InternalCallError).status).toBe(401);
});
