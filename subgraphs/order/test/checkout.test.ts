import { randomUUID } from 'node:crypto';
import {
  AddToCartDocument,
  ArchiveProductDocument,
  CheckoutDocument,
  MyCartDocument,
  MyOrdersDocument,
  OrderDocument,
  OrderWithLiveVariantsDocument,
  ProductsDocument,
  SetStockDocument,
  UpdateProductDocument,
  VariantDocument,
} from '@storefront/client';
import { CartClient } from '@storefront/contracts';
import { ADMIN, CART_TABLES, expectUnchanged, setUpOnce, startShopStack, testContext, type Caller, type ShopStack, TEST_CALLER } from '@storefront/testing';
import { seedCatalog } from '@storefront/catalog';
import { OrderSchema } from '../src/entities';
import { OrderRepository } from '../src/repositories';

let stack: ShopStack;
/** In-stock variants of every kind, as a shopper finds them. */
let variants: { id: string; productId: string; kind: string; sku: string; price: number; name: string }[];

beforeAll(async () => {
  stack = await startShopStack();
  await seedCatalog(stack.catalog.server.database, 22);
  const page = (await stack.run(ProductsDocument, { first: 22 })).data!.products;
  variants = page.edges.flatMap((e) =>
    e.node.variants.map((v) => ({ id: v.id, productId: e.node.id, kind: e.node.kind, sku: v.sku, price: v.price.amount, name: e.node.name })),
  );
  for (const v of variants) await stack.run(SetStockDocument, { variantId: v.id, stock: 20 }, ADMIN);
});
afterAll(() => stack?.stop());

const ofKind = (kind: string, nth = 0) => variants.filter((v) => v.kind === kind)[nth];

async function fill(caller: Caller, lines: [typeof variants[number], number][]) {
  for (const [variant, quantity] of lines) {
    const added = await stack.run(AddToCartDocument, { variantId: variant.id, quantity }, caller);
    expect(added.data?.addToCart.userErrors).toEqual([]);
  }
}

const stockOf = async (variantId: string) => (await stack.run(VariantDocument, { id: variantId })).data!.variant!.stock;
const cartOf = async (caller: Caller) => (await stack.run(MyCartDocument, {}, caller)).data!.me!.cart;
const checkout = (caller: Caller, idempotencyKey: string = randomUUID()) =>
  stack.run(CheckoutDocument, { input: { idempotencyKey } }, caller).then((r) => {
    expect(r.errors).toBeUndefined();
    return r.data!.checkout;
  });

describe('checkout', () => {
  const buyer: Caller = { userId: 'buyer-1' };

  test('turns the cart into an order with a typed snapshot, takes the stock and empties the cart', async () => {
    const [tee, hat, candy] = [ofKind('TSHIRT'), ofKind('HAT'), ofKind('CANDY')];
    const stockBefore = await Promise.all([tee, hat, candy].map((v) => stockOf(v.id)));
    await fill(buyer, [[tee, 2], [hat, 1], [candy, 3]]);

    const result = await checkout(buyer);
    expect(result.userErrors).toEqual([]);
    const order = result.order!;
    expect(order.number).toMatch(/^SF-\d{6}$/);
    expect(order.status).toBe('PLACED');
    expect(order.totalQuantity).toBe(6);
    expect(order.total).toEqual({ amount: tee.price * 2 + hat.price + candy.price * 3, currencyCode: 'USD' });
    expect(order.lines.map((l) => [l.sku, l.productName, l.kind, l.quantity, l.unitPrice.amount, l.attributes.__typename])).toEqual([
      [tee.sku, tee.name, 'TSHIRT', 2, tee.price, 'TShirtAttributes'],
      [hat.sku, hat.name, 'HAT', 1, hat.price, 'HatAttributes'],
      [candy.sku, candy.name, 'CANDY', 3, candy.price, 'CandyAttributes'],
    ]);
    expect(await Promise.all([tee, hat, candy].map((v) => stockOf(v.id)))).toEqual([stockBefore[0] - 2, stockBefore[1] - 1, stockBefore[2] - 3]);
    expect((await cartOf(buyer)).lines).toEqual([]);

    const history = (await stack.run(MyOrdersDocument, { first: 10 }, buyer)).data!.me!.orders;
    expect(history.totalCount).toBe(1);
    expect(history.edges[0].node).toEqual(order);
  });

  test('the same key returns the same order, whatever the cart holds by then', async () => {
    const key = randomUUID();
    await fill(buyer, [[ofKind('HAT', 1), 1]]);
    const first = await checkout(buyer, key);
    await fill(buyer, [[ofKind('CANDY', 1), 2]]);
    const stock = await stockOf(ofKind('CANDY', 1).id);
    const again = await checkout(buyer, key);
    expect(again.order?.id).toBe(first.order!.id);
    expect(await stockOf(ofKind('CANDY', 1).id)).toBe(stock);
    expect((await cartOf(buyer)).lines.map((l) => l.variant.id)).toEqual([ofKind('CANDY', 1).id]);
  });

  test('an order of ten lines lists them in the order they went into the cart, in the answer and in history', async () => {
    const shopper: Caller = { userId: 'ten-lines' };
    // every third variant: ten of different products and kinds, not in the table's order
    const picked = variants.filter((_, i) => i % 3 === 1).slice(0, 10).reverse();
    expect(picked).toHaveLength(10);
    await fill(shopper, picked.map((v) => [v, 1]));
    const order = (await checkout(shopper)).order!;
    expect(order.lines.map((l) => l.sku)).toEqual(picked.map((v) => v.sku));
    const history = (await stack.run(MyOrdersDocument, { first: 1 }, shopper)).data!.me!.orders;
    expect(history.edges[0].node.lines.map((l) => l.sku)).toEqual(picked.map((v) => v.sku));
  });

  test('the order repository reads exactly the orders and lines asked for, whatever else the tables hold', async () => {
    const ctx = testContext(stack.order.server.database);
    const orders = new OrderRepository();
    const all = await stack.order.server.database.manager.find(OrderSchema, {});
    expect(all.length).toBeGreaterThan(1); // the tests above ordered
    const [one] = all;
    expect((await orders.byIds(ctx, [one.id])).map((o) => o.id)).toEqual([one.id]);
    const lines = await orders.linesOf(ctx, [one.id]);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.orderId === one.id)).toBe(true);
  });

  test('an idempotency key is per user: another user reusing it gets an order of their own cart, never the first user\'s', async () => {
    const first: Caller = { userId: 'key-owner' };
    const second: Caller = { userId: 'key-reuser' };
    const key = `shared-${randomUUID()}`;
    await fill(first, [[ofKind('HAT'), 1]]);
    const theirs = (await checkout(first, key)).order!;
    await fill(second, [[ofKind('CANDY'), 2]]);
    const mine = await checkout(second, key);
    expect(mine.userErrors).toEqual([]);
    expect(mine.order!.id).not.toBe(theirs.id);
    expect(mine.order!.lines.map((l) => [l.sku, l.quantity])).toEqual([[ofKind('CANDY').sku, 2]]);
    // And with an empty cart, the reused key is that user's own refusal, not the other's order.
    const third: Caller = { userId: 'key-reuser-empty' };
    expect((await checkout(third, key)).userErrors.map((e) => e.code)).toEqual(['EMPTY_CART']);
  });

  test('an empty cart places no order', async () => {
    const shopper: Caller = { userId: 'empty-handed' };
    const result = await checkout(shopper);
    expect(result.order).toBeNull();
    expect(result.userErrors[0]).toMatchObject({ code: 'EMPTY_CART', message: expect.stringMatching(/cart is empty/), shortages: [] });
    expect((await stack.run(MyOrdersDocument, {}, shopper)).data!.me!.orders.totalCount).toBe(0);
    // The refusal released the cart: once it holds something, a new key checks it out.
    await fill(shopper, [[ofKind('HAT', 2), 1]]);
    const later = await checkout(shopper);
    expect(later.userErrors).toEqual([]);
    expect(later.order!.lines.map((l) => l.sku)).toEqual([ofKind('HAT', 2).sku]);
  });

  test('short stock names every short line with what is available; nothing is taken and the cart is unchanged', async () => {
    const shopper: Caller = { userId: 'too-greedy' };
    const [a, b, c] = [ofKind('TSHIRT', 3), ofKind('HAT', 3), ofKind('CANDY', 3)];
    await fill(shopper, [[a, 5], [b, 2], [c, 4]]);
    await stack.run(SetStockDocument, { variantId: a.id, stock: 3 }, ADMIN);
    await stack.run(SetStockDocument, { variantId: c.id, stock: 1 }, ADMIN);
    const stocks = await Promise.all([a, b, c].map((v) => stockOf(v.id)));
    const cart = await cartOf(shopper);

    const result = await expectUnchanged(stack.cart.server.database, CART_TABLES, () => checkout(shopper));
    expect(result.order).toBeNull();
    expect(result.userErrors).toHaveLength(1);
    expect(result.userErrors[0]).toMatchObject({ code: 'INSUFFICIENT_STOCK', message: expect.stringMatching(/not have enough stock/) });
    const byVariant = (x: { variant: { id: string } }, y: { variant: { id: string } }) => x.variant.id.localeCompare(y.variant.id);
    expect([...result.userErrors[0].shortages].sort(byVariant)).toEqual(
      [
        { variant: { id: a.id }, requested: 5, available: 3 },
        { variant: { id: c.id }, requested: 4, available: 1 },
      ].sort(byVariant),
    );
    expect(await Promise.all([a, b, c].map((v) => stockOf(v.id)))).toEqual(stocks);
    expect((await cartOf(shopper)).lines).toEqual(cart.lines);
    expect((await stack.run(MyOrdersDocument, {}, shopper)).data!.me!.orders.totalCount).toBe(0);
  });

  test('a variant taken off sale is refused by name, and decides the code when other lines are only short', async () => {
    const shopper: Caller = { userId: 'late-shopper' };
    const [gone, short] = [ofKind('HAT', 4), ofKind('TSHIRT', 4)];
    await fill(shopper, [[gone, 1], [short, 3]]);
    await stack.run(ArchiveProductDocument, { id: gone.productId }, ADMIN);
    await stack.run(SetStockDocument, { variantId: short.id, stock: 1 }, ADMIN);
    const result = await checkout(shopper);
    expect(result.userErrors).toHaveLength(1);
    expect(result.userErrors[0]).toMatchObject({ code: 'VARIANT_UNAVAILABLE', message: expect.stringMatching(/no longer for sale/) });
    expect(result.userErrors[0].shortages).toEqual(
      expect.arrayContaining([
        { variant: { id: gone.id }, requested: 1, available: expect.any(Number) },
        { variant: { id: short.id }, requested: 3, available: 1 },
      ]),
    );
  });

  test('a checkout while another one holds the cart is refused as in progress, takes and releases nothing; once free, a new key orders', async () => {
    const shopper: Caller = { userId: 'second-tab' };
    const wanted = ofKind('CANDY', 2);
    await fill(shopper, [[wanted, 1]]);
    const stock = await stockOf(wanted.id);
    const cart = new CartClient(stack.cart.url, stack.cart.config.secret);
    expect(await cart.claimForCheckout(TEST_CALLER, shopper.userId, 'co-other-tab')).toMatchObject({ state: 'claimed' });

    const refused = await checkout(shopper);
    expect(refused.order).toBeNull();
    expect(refused.userErrors).toEqual([expect.objectContaining({ code: 'CHECKOUT_IN_PROGRESS', message: expect.stringMatching(/Another checkout/), shortages: [] })]);
    expect(await stockOf(wanted.id)).toBe(stock);
    // Nothing to give back: the cart is the other checkout's, and this one never held it.
    const outbox = (await stack.order.server.database.dataSource.query(
      'SELECT o.topic FROM outbox o JOIN checkout c ON c.id = o.checkout_id WHERE c.user_id = ?',
      [shopper.userId],
    )) as { topic: string }[];
    expect(outbox).toEqual([]);

    await cart.releaseCheckout(TEST_CALLER, 'co-other-tab');
    const placed = await checkout(shopper);
    expect(placed.userErrors).toEqual([]);
    expect(placed.order!.lines.map((l) => [l.sku, l.quantity])).toEqual([[wanted.sku, 1]]);
  });

  test('a malformed idempotency key is refused, wherever the bad character is', async () => {
    const ordersBefore = (await stack.run(MyOrdersDocument, {}, buyer)).data!.me!.orders.totalCount;
    // A bad character first, last, or a valid tail of 100 after one too many: the whole key is checked.
    for (const key of ['not a valid key!', ' leading-space', 'spaces inside-valid-tail', `x${'y'.repeat(100)}`]) {
      const result = await checkout(buyer, key);
      expect(result.order).toBeNull();
      expect(result.userErrors).toEqual([
        expect.objectContaining({ code: 'INVALID_IDEMPOTENCY_KEY', field: ['input', 'idempotencyKey'], message: expect.stringMatching(/1-100 letters/) }),
      ]);
    }
    expect((await stack.run(MyOrdersDocument, {}, buyer)).data!.me!.orders.totalCount).toBe(ordersBefore);
  });

  test('checkout needs a signed-in user', async () => {
    const response = await stack.run(CheckoutDocument, { input: { idempotencyKey: randomUUID() } });
    expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('purchase history', () => {
  const collector: Caller = { userId: 'collector' };
  const orderIds: string[] = [];

  setUpOnce(async () => {
    for (const variant of [ofKind('CANDY', 4), ofKind('TSHIRT', 5), ofKind('CANDY', 5)]) {
      await fill(collector, [[variant, 1]]);
      orderIds.push((await checkout(collector)).order!.id);
    }
  });

  test('is newest first, paginated, with totalCount', async () => {
    const first = (await stack.run(MyOrdersDocument, { first: 2 }, collector)).data!.me!.orders;
    expect(first.totalCount).toBe(3);
    expect(first.edges.map((e) => e.node.id)).toEqual([orderIds[2], orderIds[1]]);
    const second = (await stack.run(MyOrdersDocument, { first: 2, after: first.pageInfo.endCursor }, collector)).data!.me!.orders;
    expect(second.edges.map((e) => e.node.id)).toEqual([orderIds[0]]);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  test('hasNextPage is false exactly when no order is left: a page that ends on the last order, or holds exactly `first`', async () => {
    const page = (first: number, after?: string | null) =>
      stack.run(MyOrdersDocument, { first, after }, collector).then((r) => r.data!.me!.orders);
    expect((await page(3)).pageInfo.hasNextPage).toBe(false);
    expect((await page(2)).pageInfo.hasNextPage).toBe(true);
    const one = await page(1);
    const rest = await page(2, one.pageInfo.endCursor);
    expect(rest.edges.map((e) => e.node.id)).toEqual([orderIds[1], orderIds[0]]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect((await page(4)).pageInfo.hasNextPage).toBe(false);
  });

  test('does not change when the product is renamed, repriced or archived', async () => {
    const before = (await stack.run(OrderDocument, { id: orderIds[1] }, collector)).data!.order!;
    const product = variants.find((v) => v.sku === before.lines[0].sku)!.productId;
    await stack.run(UpdateProductDocument, { id: product, input: { name: 'Renamed Thing', price: { amount: 1, currencyCode: 'USD' } } }, ADMIN);
    await stack.run(ArchiveProductDocument, { id: product }, ADMIN);
    expect((await stack.run(OrderDocument, { id: orderIds[1] }, collector)).data!.order).toEqual(before);
  });

  test('another user’s orders are never visible by any id; admins see them', async () => {
    const stranger: Caller = { userId: 'stranger' };
    for (const id of orderIds) {
      const response = await stack.run(OrderDocument, { id }, stranger);
      expect(response.errors).toBeUndefined();
      expect(response.data?.order).toBeNull();
    }
    expect((await stack.run(MyOrdersDocument, {}, stranger)).data!.me!.orders.totalCount).toBe(0);
    expect((await stack.run(OrderDocument, { id: orderIds[0] }, ADMIN)).data?.order?.id).toBe(orderIds[0]);
    const direct = await fetch(stack.order.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-subgraph-secret': stack.order.config.secret, 'x-user-id': stranger.userId },
      body: JSON.stringify({
        query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { orders { totalCount } } } }',
        variables: { r: [{ __typename: 'User', id: collector.userId }] },
      }),
    });
    const body = (await direct.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  test('first: 0 has no edges and a null endCursor; hasNextPage says whether an order follows: true with orders, false with none', async () => {
    const page = (first: number, after?: string | null, caller = collector) =>
      stack.run(MyOrdersDocument, { first, after }, caller).then((r) => {
        expect(r.errors).toBeUndefined();
        return r.data!.me!.orders;
      });
    const none = await page(0);
    expect(none.edges).toEqual([]);
    expect(none.pageInfo).toEqual({ hasNextPage: true, endCursor: null });
    expect(none.totalCount).toBe(3);
    // After the newest order two are left; after the oldest, none.
    const all = await page(3);
    expect((await page(0, all.edges[0].cursor)).pageInfo).toEqual({ hasNextPage: true, endCursor: null });
    expect((await page(0, all.edges[2].cursor)).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
    // A user who never ordered.
    const newcomer = await page(0, undefined, { userId: 'never-ordered' });
    expect(newcomer).toMatchObject({ edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 });
  });

  test('an order cursor up to Number.MAX_SAFE_INTEGER is read (the newest orders follow it); one past it is refused on after', async () => {
    const cursorOf = (json: string) => Buffer.from(json).toString('base64url');
    const read = await stack.run(MyOrdersDocument, { first: 2, after: cursorOf(`[${Number.MAX_SAFE_INTEGER}]`) }, collector);
    expect(read.errors).toBeUndefined();
    expect(read.data!.me!.orders.edges.map((e) => e.node.id)).toEqual([orderIds[2], orderIds[1]]);
    // 2^53 + 1 reads as 2^53: past the safe range, so not a sequence number we made.
    const refused = await stack.run(MyOrdersDocument, { first: 2, after: cursorOf('[9007199254740993]') }, collector);
    expect(refused.errors).toHaveLength(1);
    const [error] = refused.errors!;
    expect({ code: error.extensions?.code, field: error.extensions?.field }).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(error.message).toContain('`after`');
    expect(refused.data?.me ?? null).toBeNull();
  });

  test('still renders while the catalog is down: the snapshot does, the live variant is null with an error', async () => {
    // The catalog stops answering (its process would be gone); the gateway and the order service stay up.
    const closed = new Promise((resolve) => stack.catalog.server.httpServer.close(resolve));
    stack.catalog.server.httpServer.closeAllConnections();
    await closed;
    const response = await stack.run(OrderWithLiveVariantsDocument, { id: orderIds[0] }, collector);
    expect(response.data?.order?.lines[0]).toMatchObject({ sku: expect.any(String), attributes: { __typename: 'CandyAttributes' }, variant: null });
    expect(response.errors?.length).toBeGreaterThan(0);
    expect(JSON.stringify(response.errors)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
  });
});
