import type { IncomingMessage, Server } from 'node:http';
import { AddToCartDocument, MyCartDocument, ProductsDocument } from '@storefront/client';
import { startCartStack, type CartStack, type Caller } from '@storefront/testing';
import { seedCatalog } from '@storefront/catalog';

/**
 * Federation without N+1: showing a cart costs the same number of SQL statements, in the cart's database
 * and in the catalog's, whether it has 1, 10 or 100 lines. Lines come from one query; their prices from
 * one batched call to the catalog's internal lookup; their variants (attributes, product name) from one
 * `_entities` call the gateway sends to the catalog, which batches per type.
 */

let stack: CartStack;
let variantIds: string[];
/** Requests reaching each subgraph's HTTP server, by path: observed, not intercepted. */
const requests = { cart: new Map<string, number>(), catalog: new Map<string, number>() };

const SIZES = [1, 10, 100] as const;
const userFor = (lines: number): Caller => ({ userId: `lines-${lines}` });

/** Counts requests by path as they arrive, ahead of Express (which rewrites `req.url` under a mount). */
function countRequests(server: Server, into: Map<string, number>) {
  server.prependListener('request', (req: IncomingMessage) => {
    const path = (req.url ?? '').split('?')[0];
    into.set(path, (into.get(path) ?? 0) + 1);
  });
}

beforeAll(async () => {
  stack = await startCartStack();
  await seedCatalog(stack.catalog.server.database, 60);
  const page = await stack.run(ProductsDocument, { first: 60 });
  expect(page.errors).toBeUndefined();
  variantIds = page.data!.products.edges.flatMap((e) => e.node.variants.filter((v) => v.inStock).map((v) => v.id));
  expect(variantIds.length).toBeGreaterThanOrEqual(100);

  for (const size of SIZES) {
    // Adds in small concurrent batches: quicker than one by one, and every add is a separate write.
    const ids = variantIds.slice(0, size);
    for (let i = 0; i < ids.length; i += 10) {
      const results = await Promise.all(ids.slice(i, i + 10).map((variantId) => stack.run(AddToCartDocument, { variantId, quantity: 1 }, userFor(size))));
      for (const r of results) expect(r.data?.addToCart.userErrors).toEqual([]);
    }
  }

  countRequests(stack.cart.server.httpServer, requests.cart);
  countRequests(stack.catalog.server.httpServer, requests.catalog);
});
afterAll(() => stack?.stop());

interface Cost {
  cart: number;
  catalog: number;
  requests: { cart: Record<string, number>; catalog: Record<string, number> };
}

/** Runs MyCart for the user whose cart has `size` lines and returns what it cost each subgraph. */
async function costOfMyCart(size: number): Promise<Cost> {
  const cartStatements = stack.cart.server.database.statements;
  const catalogStatements = stack.catalog.server.database.statements;
  requests.cart.clear();
  requests.catalog.clear();
  const before = { cart: cartStatements.count, catalog: catalogStatements.count };

  const response = await stack.run(MyCartDocument, {}, userFor(size));

  const cost: Cost = {
    cart: cartStatements.count - before.cart,
    catalog: catalogStatements.count - before.catalog,
    requests: { cart: Object.fromEntries(requests.cart), catalog: Object.fromEntries(requests.catalog) },
  };
  expect(response.errors).toBeUndefined();
  const cart = response.data!.me!.cart;
  // The whole cart resolved: every line with its catalog data, so nothing was skipped to look cheap.
  expect(cart.lines).toHaveLength(size);
  expect(cart.lines.map((l) => l.variant.id).sort()).toEqual(variantIds.slice(0, size).sort());
  for (const line of cart.lines) {
    expect(line.variant.sku).toEqual(expect.any(String));
    expect(line.variant.attributes.__typename).toMatch(/Attributes$/);
    expect(line.variant.product.name).toEqual(expect.any(String));
    expect(line.unitPrice.amount).toBeGreaterThan(0);
    expect(line.lineTotal).toEqual(line.unitPrice);
    expect(line.available).toBe(true);
  }
  expect(cart.totalQuantity).toBe(size);
  expect(cart.subtotal!.amount).toBe(cart.lines.reduce((sum, l) => sum + l.unitPrice.amount, 0));
  return cost;
}

test('MyCart costs the same statements in the cart and catalog databases for 1, 10 and 100 lines', async () => {
  // Warm up once, so nothing a first request may do (a driver's first-connection queries) counts against the 1-line cart.
  await costOfMyCart(1);
  const one = await costOfMyCart(1);
  const ten = await costOfMyCart(10);
  const hundred = await costOfMyCart(100);

  expect(ten.cart).toBe(one.cart);
  expect(hundred.cart).toBe(one.cart);
  expect(ten.catalog).toBe(one.catalog);
  expect(hundred.catalog).toBe(one.catalog);

  // Cart database, 2: the user's cart by user id (`me.cart`), then the lines of that cart (one IN query for
  // `lines`, `totalQuantity` and `subtotal`, through the per-request loader).
  expect(one.cart).toBe(2);
  // Catalog database, 4: the cart's one internal lookup for prices and availability (variants by id, then
  // their products), and the gateway's one `_entities` call for the lines' variants (variants by id, then
  // their products for `product.name`).
  expect(one.catalog).toBe(4);
});

test('each MyCart is one request to the cart and, for all its lines, one lookup and one _entities call to the catalog', async () => {
  for (const size of SIZES) {
    const { requests: seen } = await costOfMyCart(size);
    // The gateway's fetch to the cart; the cart's one batched price lookup; the gateway's one `_entities`
    // fetch for every line's variant (the MyCart plan sends the catalog nothing else).
    expect(seen).toEqual({ cart: { '/graphql': 1 }, catalog: { '/internal/variants/lookup': 1, '/graphql': 1 } });
  }
});
