import { AddToCartDocument, MyCartDocument, ProductsDocument, RemoveCartLineDocument, SetStockDocument } from '@storefront/client';
import { CART_API, CartClient, type CheckoutLine } from '@storefront/contracts';
import { createLogger, Database, dropDatabase, InternalCallError, InternalClient } from '@storefront/service-kit';
import { ADMIN, type Caller, CART_TABLES, type CartStack, expectUnchanged, holdRow, startCartStack, testDatabaseEnv, usingMysql, TEST_CALLER } from '@storefront/testing';
import { seedCatalog } from '@storefront/catalog';
import { CART_ENTITIES } from '../src/entities';
import { CART_MIGRATIONS } from '../src/migrations';

/**
 * The cart's internal checkout API as the order service uses it: `CartClient` over real HTTP against a
 * running cart, carts filled through the gateway. The order saga retries and races, so every call is
 * checked for idempotency, and the races are run several times.
 */

let stack: CartStack;
let client: CartClient;
let variantIds: string[];
const TABLES = { ...CART_TABLES, cart_checkout: 'checkout_id' };
const ROUNDS = 5;

beforeAll(async () => {
  stack = await startCartStack();
  client = new CartClient(stack.cart.url, stack.cart.config.secret);
  await seedCatalog(stack.catalog.server.database, 10);
  const page = await stack.run(ProductsDocument, { first: 10 });
  expect(page.errors).toBeUndefined();
  variantIds = page.data!.products.edges.flatMap((e) => e.node.variants.map((v) => v.id)).slice(0, 8);
  expect(variantIds).toHaveLength(8);
  // Plenty of stock: only the checkout logic may decide quantities here.
  for (const variantId of variantIds) {
    const response = await stack.run(SetStockDocument, { variantId, stock: 500 }, ADMIN);
    expect(response.data?.setStock.userErrors).toEqual([]);
  }
});
afterAll(() => stack?.stop());

const db = () => stack.cart.server.database;

async function myCart(caller: Caller) {
  const response = await stack.run(MyCartDocument, {}, caller);
  expect(response.errors).toBeUndefined();
  return response.data!.me!.cart;
}

async function add(caller: Caller, variantId: string, quantity: number) {
  const response = await stack.run(AddToCartDocument, { variantId, quantity }, caller);
  expect(response.errors).toBeUndefined();
  expect(response.data!.addToCart.userErrors).toEqual([]);
  return response.data!.addToCart.cart!;
}

/** The cart's lines as the checkout sees them: variant and quantity, in cart order. */
function linesOf(cart: { lines: { variant: { id: string }; quantity: number }[] }): CheckoutLine[] {
  return cart.lines.map((l) => ({ variantId: l.variant.id, quantity: l.quantity }));
}

async function heldBy(cartId: string): Promise<string | null> {
  const [row] = await db().dataSource.query('SELECT checkout_id FROM cart WHERE id = ?', [cartId]);
  return row.checkout_id;
}

async function statusOf(checkoutId: string): Promise<string | undefined> {
  const [row] = await db().dataSource.query('SELECT status FROM cart_checkout WHERE checkout_id = ?', [checkoutId]);
  return row?.status;
}

/** The HTTP status a rejected call answered with. */
async function statusOfFailure(call: Promise<unknown>): Promise<number | undefined> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InternalCallError);
  return (error as InternalCallError).status;
}

test('claim answers the lines in cart order and holds the cart without bumping its version; the same id again answers the same', async () => {
  const user: Caller = { userId: 'claimer' };
  await add(user, variantIds[0], 2);
  const cart = await add(user, variantIds[1], 1);

  const claimed = await client.claimForCheckout(TEST_CALLER, user.userId, 'co-claim-1');
  expect(claimed).toEqual({ state: 'claimed', cartId: cart.id, version: cart.version, lines: linesOf(cart) });
  expect(await myCart(user)).toMatchObject({ version: cart.version, lines: cart.lines });
  expect(await heldBy(cart.id)).toBe('co-claim-1');
  expect(await statusOf('co-claim-1')).toBe('claimed');

  // A retry of the same checkout: same answer, nothing written.
  expect(await expectUnchanged(db(), TABLES, () => client.claimForCheckout(TEST_CALLER, user.userId, 'co-claim-1'))).toEqual(claimed);

  // Another checkout meanwhile (a second tab): told who holds the cart, nothing written.
  expect(await expectUnchanged(db(), TABLES, () => client.claimForCheckout(TEST_CALLER, user.userId, 'co-claim-2'))).toEqual({
    state: 'busy',
    heldBy: 'co-claim-1',
  });
  expect(await statusOf('co-claim-2')).toBeUndefined();
});

test('claiming for a user without a cart creates the cart, empty', async () => {
  const claimed = await client.claimForCheckout(TEST_CALLER, 'no-cart-yet', 'co-empty');
  const cart = await myCart({ userId: 'no-cart-yet' });
  expect(claimed).toEqual({ state: 'claimed', cartId: cart.id, version: cart.version, lines: [] });
});

test('the shopper keeps editing while claimed; complete takes out exactly what was ordered, once, and ends the claim', async () => {
  const user: Caller = { userId: 'completer' };
  const [a, b, c, d, e] = variantIds;
  await add(user, a, 3);
  await add(user, b, 2);
  await add(user, c, 1);
  await add(user, d, 4);
  const claimed = await client.claimForCheckout(TEST_CALLER, user.userId, 'co-complete');
  if (claimed.state !== 'claimed') throw new Error(`expected a claim, got ${claimed.state}`);
  const ordered = claimed.lines;
  expect(ordered).toEqual([
    { variantId: a, quantity: 3 },
    { variantId: b, quantity: 2 },
    { variantId: c, quantity: 1 },
    { variantId: d, quantity: 4 },
  ]);

  // While the order is placed: more of a, a new line e, and d removed.
  await add(user, a, 2);
  await add(user, e, 1);
  const dLine = (await myCart(user)).lines.find((l) => l.variant.id === d)!;
  expect((await stack.run(RemoveCartLineDocument, { lineId: dLine.id }, user)).data?.removeCartLine.userErrors).toEqual([]);
  const before = await myCart(user);
  expect(await heldBy(before.id)).toBe('co-complete');

  await client.completeCheckout(TEST_CALLER, 'co-complete', ordered);
  const after = await myCart(user);
  // a keeps the 2 added meanwhile, e stays, b and c were fully ordered, d was already gone.
  expect(linesOf(after)).toEqual([
    { variantId: a, quantity: 2 },
    { variantId: e, quantity: 1 },
  ]);
  expect(after.version).toBe(before.version + 1);
  expect(await heldBy(after.id)).toBeNull();
  expect(await statusOf('co-complete')).toBe('completed');

  // Retries change nothing, and a claim with the finished id says so.
  await expectUnchanged(db(), TABLES, () => client.completeCheckout(TEST_CALLER, 'co-complete', ordered));
  expect(await expectUnchanged(db(), TABLES, () => client.claimForCheckout(TEST_CALLER, user.userId, 'co-complete'))).toEqual({ state: 'completed' });
  // Releasing a completed checkout (a saga compensating late) un-completes nothing.
  await expectUnchanged(db(), TABLES, () => client.releaseCheckout(TEST_CALLER, 'co-complete'));
  expect(await statusOf('co-complete')).toBe('completed');

  // The cart is free for the next checkout, which sees what is left.
  expect(await client.claimForCheckout(TEST_CALLER, user.userId, 'co-complete-next')).toEqual({
    state: 'claimed',
    cartId: after.id,
    version: after.version,
    lines: linesOf(after),
  });
});

test('5 concurrent completes of one checkout apply it once', async () => {
  const user: Caller = { userId: 'concurrent-completer' };
  await add(user, variantIds[0], 10);
  await add(user, variantIds[1], 1);
  const checkoutId = 'co-concurrent-complete';
  const claimed = await client.claimForCheckout(TEST_CALLER, user.userId, checkoutId);
  expect(claimed.state).toBe('claimed');
  const before = await myCart(user);

  // Forced, not hoped for: with the cart held, all 5 read the checkout as still claimed and queue for
  // the cart; released, the first applies it and the other 4 find it applied under the cart's lock.
  // (5: each waits on its own connection of the service's pool of 10, beside the test's hold.)
  const ordered = [{ variantId: variantIds[0], quantity: 3 }];
  const holder = await holdRow(db(), 'cart', before.id);
  const completes = Array.from({ length: 5 }, () => client.completeCheckout(TEST_CALLER, checkoutId, ordered));
  await holder.queued(5);
  await holder.release();
  await Promise.all(completes);

  const after = await myCart(user);
  expect(linesOf(after)).toEqual([
    { variantId: variantIds[0], quantity: 7 },
    { variantId: variantIds[1], quantity: 1 },
  ]);
  expect(after.version).toBe(before.version + 1);
  expect(await heldBy(after.id)).toBeNull();
  expect(await statusOf(checkoutId)).toBe('completed');
});

test('release ends the claim and leaves the lines; it is idempotent and a late claim with the released id answers released', async () => {
  const user: Caller = { userId: 'releaser' };
  await add(user, variantIds[2], 2);
  const cart = await add(user, variantIds[3], 1);
  expect((await client.claimForCheckout(TEST_CALLER, user.userId, 'co-release')).state).toBe('claimed');

  await client.releaseCheckout(TEST_CALLER, 'co-release');
  const after = await myCart(user);
  expect(after).toMatchObject({ version: cart.version, lines: cart.lines });
  expect(await heldBy(cart.id)).toBeNull();
  expect(await statusOf('co-release')).toBe('released');

  await expectUnchanged(db(), TABLES, () => client.releaseCheckout(TEST_CALLER, 'co-release'));
  expect(await expectUnchanged(db(), TABLES, () => client.claimForCheckout(TEST_CALLER, user.userId, 'co-release'))).toEqual({ state: 'released' });
  expect(await heldBy(cart.id)).toBeNull();

  // Free for another checkout.
  expect(await client.claimForCheckout(TEST_CALLER, user.userId, 'co-release-next')).toMatchObject({ state: 'claimed', version: cart.version });
});

test('releasing a checkout that never claimed records it, so its late claim answers released and holds nothing', async () => {
  const user: Caller = { userId: 'release-first' };
  const cart = await add(user, variantIds[4], 1);
  await client.releaseCheckout(TEST_CALLER, 'co-never-claimed');
  expect(await statusOf('co-never-claimed')).toBe('released');
  await expectUnchanged(db(), TABLES, () => client.releaseCheckout(TEST_CALLER, 'co-never-claimed'));

  expect(await expectUnchanged(db(), TABLES, () => client.claimForCheckout(TEST_CALLER, user.userId, 'co-never-claimed'))).toEqual({ state: 'released' });
  expect(await heldBy(cart.id)).toBeNull();
  // It claimed no cart, so there is nothing to complete.
  expect(await expectUnchanged(db(), TABLES, () => statusOfFailure(client.completeCheckout(TEST_CALLER, 'co-never-claimed', [])))).toBe(404);
});

test('a checkout released and then completed anyway (its order was placed) takes its lines out once', async () => {
  const user: Caller = { userId: 'released-then-completed' };
  await add(user, variantIds[1], 3);
  expect((await client.claimForCheckout(TEST_CALLER, user.userId, 'co-late-complete')).state).toBe('claimed');
  await client.releaseCheckout(TEST_CALLER, 'co-late-complete');
  const before = await myCart(user);

  await client.completeCheckout(TEST_CALLER, 'co-late-complete', [{ variantId: variantIds[1], quantity: 1 }]);
  await client.completeCheckout(TEST_CALLER, 'co-late-complete', [{ variantId: variantIds[1], quantity: 1 }]);
  const after = await myCart(user);
  expect(linesOf(after)).toEqual([{ variantId: variantIds[1], quantity: 2 }]);
  expect(after.version).toBe(before.version + 1);
  expect(await statusOf('co-late-complete')).toBe('completed');
});

test('a checkout id already holding one user’s cart cannot claim another’s: 409, nothing changes', async () => {
  await add({ userId: 'first-owner' }, variantIds[0], 1);
  await add({ userId: 'second-owner' }, variantIds[0], 1);
  expect((await client.claimForCheckout(TEST_CALLER, 'first-owner', 'co-shared-id')).state).toBe('claimed');
  let refused!: Promise<unknown>;
  expect(await expectUnchanged(db(), TABLES, () => statusOfFailure((refused = client.claimForCheckout(TEST_CALLER, 'second-owner', 'co-shared-id'))))).toBe(409);
  await expect(refused).rejects.toThrow(/Checkout co-shared-id holds another user's cart/);
});

test('complete of an unknown checkout answers 404 and changes nothing', async () => {
  const user: Caller = { userId: 'unknown-completer' };
  await add(user, variantIds[0], 2);
  expect(await client.claimForCheckout(TEST_CALLER, user.userId, 'co-known')).toMatchObject({ state: 'claimed' });
  let refused!: Promise<unknown>;
  const status = await expectUnchanged(db(), TABLES, () =>
    statusOfFailure((refused = client.completeCheckout(TEST_CALLER, 'co-unknown', [{ variantId: variantIds[0], quantity: 2 }]))),
  );
  expect(status).toBe(404);
  await expect(refused).rejects.toThrow(/No checkout co-unknown claimed a cart/);
});

test('bad bodies answer 400 with an error and change nothing', async () => {
  const user: Caller = { userId: 'bad-bodies' };
  await add(user, variantIds[0], 2);
  expect(await client.claimForCheckout(TEST_CALLER, user.userId, 'co-bad-bodies')).toMatchObject({ state: 'claimed' });
  const raw = new InternalClient(stack.cart.url, stack.cart.config.secret);
  const tooLong = 'x'.repeat(65);
  const line = { variantId: variantIds[0], quantity: 1 };
  const bad: [string, unknown][] = [
    [CART_API.claimForCheckout.path, {}],
    [CART_API.claimForCheckout.path, { userId: user.userId }],
    [CART_API.claimForCheckout.path, { userId: '', checkoutId: 'co-x' }],
    [CART_API.claimForCheckout.path, { userId: user.userId, checkoutId: tooLong }],
    [CART_API.claimForCheckout.path, { userId: user.userId, checkoutId: 42 }],
    [CART_API.claimForCheckout.path, []],
    [CART_API.completeCheckout.path, { checkoutId: 'co-bad-bodies' }],
    [CART_API.completeCheckout.path, { checkoutId: 'co-bad-bodies', lines: line }],
    [CART_API.completeCheckout.path, { checkoutId: 'co-bad-bodies', lines: [{ ...line, quantity: 0 }] }],
    [CART_API.completeCheckout.path, { checkoutId: 'co-bad-bodies', lines: [{ ...line, quantity: -1 }] }],
    [CART_API.completeCheckout.path, { checkoutId: 'co-bad-bodies', lines: [{ ...line, quantity: 1.5 }] }],
    [CART_API.completeCheckout.path, { checkoutId: 'co-bad-bodies', lines: [{ ...line, quantity: '1' }] }],
    [CART_API.completeCheckout.path, { checkoutId: 'co-bad-bodies', lines: [{ quantity: 1 }] }],
    [CART_API.completeCheckout.path, { checkoutId: 'co-bad-bodies', lines: [line, { ...line, variantId: '' }] }],
    [CART_API.completeCheckout.path, { lines: [line] }],
    [CART_API.releaseCheckout.path, {}],
    [CART_API.releaseCheckout.path, { checkoutId: '' }],
    [CART_API.releaseCheckout.path, { checkoutId: tooLong }],
  ];
  await expectUnchanged(db(), TABLES, async () => {
    for (const [route, body] of bad) {
      const failure = await raw.post(route, body).then(
        () => undefined,
        (e: InternalCallError) => e,
      );
      expect({ route, body, status: failure?.status }).toEqual({ route, body, status: 400 });
      expect(failure!.message).toMatch(/"code":"BAD_REQUEST"/);
    }
    // Not JSON at all.
    const response = await fetch(`${stack.cart.url.replace(/\/graphql$/, '')}/internal${CART_API.releaseCheckout.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-subgraph-secret': stack.cart.config.secret },
      body: '{"checkoutId":',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'BAD_REQUEST' } }] });
  });
  expect(await heldBy((await myCart(user)).id)).toBe('co-bad-bodies');
});

test('without the cart’s secret every route answers 401 and nothing changes', async () => {
  const user: Caller = { userId: 'no-secret' };
  await add(user, variantIds[0], 1);
  const base = stack.cart.url.replace(/\/graphql$/, '');
  const stranger = new CartClient(stack.cart.url, 'not-the-secret');
  await expectUnchanged(db(), TABLES, async () => {
    expect(await statusOfFailure(stranger.claimForCheckout(TEST_CALLER, user.userId, 'co-stranger'))).toBe(401);
    expect(await statusOfFailure(stranger.completeCheckout(TEST_CALLER, 'co-stranger', []))).toBe(401);
    expect(await statusOfFailure(stranger.releaseCheckout(TEST_CALLER, 'co-stranger'))).toBe(401);
    for (const { path } of Object.values(CART_API)) {
      const response = await fetch(`${base}/internal${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: user.userId, checkoutId: 'co-stranger', lines: [] }),
      });
      expect(response.status).toBe(401);
    }
  });
});

test('10 concurrent claims of one cart with different ids: exactly one is claimed, the others are told it is busy', async () => {
  for (let round = 0; round < ROUNDS; round += 1) {
    const user: Caller = { userId: `racing-claims-${round}` };
    const cart = await add(user, variantIds[round % variantIds.length], 1);
    const ids = Array.from({ length: 10 }, (_, i) => `co-race-${round}-${i}`);

    const results = await Promise.all(ids.map((id) => client.claimForCheckout(TEST_CALLER, user.userId, id)));

    const winners = ids.filter((_, i) => results[i].state === 'claimed');
    expect(winners).toHaveLength(1);
    const losers = results.filter((r) => r.state !== 'claimed');
    expect(losers).toEqual(Array.from({ length: 9 }, () => ({ state: 'busy', heldBy: winners[0] })));
    expect(await heldBy(cart.id)).toBe(winners[0]);
    const rows = await db().dataSource.query('SELECT checkout_id, status FROM cart_checkout WHERE cart_id = ?', [cart.id]);
    expect(rows).toEqual([{ checkout_id: winners[0], status: 'claimed' }]);
  }
});

test('a claim while the shopper’s adds are in flight answers lines and version from the same moment: the adds before it, none after', async () => {
  const user: Caller = { userId: 'claim-during-adds' };
  const variantId = variantIds[5];
  const start = await add(user, variantId, 1);

  // Forced, not hoped for: with the cart held, 3 adds queue, then the claim, then 3 more adds; released,
  // they run in that order. Every add is one unit and one version.
  const holder = await holdRow(db(), 'cart', start.id);
  const adds: Promise<unknown>[] = [];
  let queued = 0;
  for (let i = 0; i < 3; i += 1) {
    adds.push(add(user, variantId, 1));
    await holder.queued((queued += 1));
  }
  const claiming = client.claimForCheckout(TEST_CALLER, user.userId, 'co-during-adds');
  await holder.queued((queued += 1));
  for (let i = 0; i < 3; i += 1) {
    adds.push(add(user, variantId, 1));
    await holder.queued((queued += 1));
  }
  await holder.release();
  const [claimed] = await Promise.all([claiming, ...adds]);

  expect(claimed).toEqual({ state: 'claimed', cartId: start.id, version: start.version + 3, lines: [{ variantId, quantity: 4 }] });
  const cart = await myCart(user);
  expect(cart.version).toBe(start.version + 6);
  expect(linesOf(cart)).toEqual([{ variantId, quantity: 7 }]);
});

test('a claim and a release of the same new checkout racing: the cart always ends free and the checkout released', async () => {
  for (let round = 0; round < ROUNDS * 4; round += 1) {
    const user: Caller = { userId: `claim-vs-release-${round}` };
    const cart = await add(user, variantIds[6], 1);
    const checkoutId = `co-claim-vs-release-${round}`;

    // Staggered a little differently each round, so both orders happen on both databases.
    const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const stagger = (round % 5) * 3;
    const [claimed] = await Promise.all([
      later(round % 2 ? 0 : stagger).then(() => client.claimForCheckout(TEST_CALLER, user.userId, checkoutId)),
      later(round % 2 ? stagger : 0).then(() => client.releaseCheckout(TEST_CALLER, checkoutId)),
    ]);

    // Claimed first and then released, or released first and the claim told so.
    expect(['claimed', 'released']).toContain(claimed.state);
    expect(await heldBy(cart.id)).toBeNull();
    expect(await statusOf(checkoutId)).toBe('released');
  }
});

// SQLite serializes the two calls, so only holding its one writer queue makes the release lose its
// insert; MariaDB runs them at once (the release's insert takes no cart lock), and the staggered test above
// reaches both orders there.
(usingMysql() ? test.skip : test)('a release that read no checkout loses the insert to the claim, runs again and releases what was claimed', async () => {
  const user: Caller = { userId: 'release-loses-insert' };
  const cart = await add(user, variantIds[6], 1);
  const checkoutId = 'co-release-loses-insert';
  // Forced: with the cart held, the claim queues first; the release then reads no checkout row and
  // queues its insert of one behind it. Released, the claim inserts `claimed`, the release's insert
  // fails on the same key, and its second run finds the claim and ends it.
  const holder = await holdRow(db(), 'cart', cart.id);
  const claiming = client.claimForCheckout(TEST_CALLER, user.userId, checkoutId);
  await holder.queued(1);
  const releasing = client.releaseCheckout(TEST_CALLER, checkoutId);
  await holder.queued(2);
  await holder.release();

  expect(await claiming).toMatchObject({ state: 'claimed', cartId: cart.id });
  await releasing;
  expect(await heldBy(cart.id)).toBeNull();
  expect(await statusOf(checkoutId)).toBe('released');
});

test('the migration keeps existing carts and lines', async () => {
  // A cart database as it was before checkouts existed, then upgraded.
  const env = testDatabaseEnv('cart_upgrade');
  const options = {
    databaseUrl: env.DATABASE_URL,
    databaseName: env.CART_UPGRADE_DATABASE_NAME,
    dataDir: env.DATA_DIR,
    logger: createLogger('cart', 'silent'),
  };
  const old = await Database.open({ ...options, entities: [], migrations: CART_MIGRATIONS.slice(0, 1) });
  // A string: raw queries bind no Date on SQLite.
  const now = '2025-01-01 00:00:00.000';
  try {
    await old.transaction(async (manager) => {
      await manager.query(
        'INSERT INTO cart (id, user_id, guest_token_hash, status, merged_into, version, created_at, updated_at) VALUES (?, ?, NULL, ?, NULL, 3, ?, ?)',
        ['c0000000-0000-0000-0000-000000000001', 'upgraded-user', 'open', now, now],
      );
      await manager.query(
        'INSERT INTO cart_line (id, cart_id, variant_id, quantity, currency_code, added_at, updated_at) VALUES (?, ?, ?, 2, ?, ?, ?)',
        ['l0000000-0000-0000-0000-000000000001', 'c0000000-0000-0000-0000-000000000001', 'v1', 'USD', now, now],
      );
    });
  } finally {
    await old.close();
  }

  const upgraded = await Database.open({ ...options, entities: CART_ENTITIES, migrations: CART_MIGRATIONS });
  try {
    const carts = await upgraded.dataSource.query('SELECT id, user_id, version, checkout_id FROM cart');
    expect(carts.map((c: { version: number }) => ({ ...c, version: Number(c.version) }))).toEqual([
      { id: 'c0000000-0000-0000-0000-000000000001', user_id: 'upgraded-user', version: 3, checkout_id: null },
    ]);
    const lines = await upgraded.dataSource.query('SELECT id, cart_id FROM cart_line');
    expect(lines).toEqual([{ id: 'l0000000-0000-0000-0000-000000000001', cart_id: 'c0000000-0000-0000-0000-000000000001' }]);
    // One cart per user still holds after the rebuild SQLite does to add a column.
    await expect(
      upgraded.transaction((manager) =>
        manager.query(
          'INSERT INTO cart (id, user_id, status, version, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)',
          ['c0000000-0000-0000-0000-000000000002', 'upgraded-user', 'open', now, now],
        ),
      ),
    ).rejects.toThrow();
    // And a cart's lines still go with it.
    await upgraded.transaction((manager) => manager.query('DELETE FROM cart WHERE id = ?', ['c0000000-0000-0000-0000-000000000001']));
    expect(await upgraded.dataSource.query('SELECT id FROM cart_line')).toEqual([]);
  } finally {
    await upgraded.close();
    await dropDatabase(options);
  }
});
