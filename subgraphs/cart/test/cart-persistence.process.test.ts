import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { AddToCartDocument, execute, MyCartDocument, ProductsDocument, UpdateCartLineDocument } from '@storefront/client';
import { devSecret, dropDatabase } from '@storefront/service-kit';
import { freePort, type RunningCatalog, type RunningGateway, type ServiceProcess, spawnService, startCatalog, startGateway, testDatabaseEnv, tokenFor } from '@storefront/testing';
import { DEV_JWT_SECRET, signDevToken } from '@storefront/gateway';
import { seedCatalog } from '@storefront/catalog';

/**
 * "Proof of persistence": the cart subgraph runs as a real process on a real database (SQLite file, or
 * MySQL with DATABASE_URL). A cart filled through the gateway survives the process being SIGKILLed (no
 * chance to flush anything) and comes back identical on restart; a clean stop exits 0.
 */

const env = testDatabaseEnv('cart');
let catalog: RunningCatalog;
let gateway: RunningGateway;
let cart: ServiceProcess | undefined;
let port: number;
let variants: { id: string; kind: string }[];

const USER = 'persistent-shopper';

function startCartProcess(): Promise<ServiceProcess> {
  return spawnService({
    name: 'cart',
    entry: 'subgraphs/cart/src/index.ts',
    env: {
      ...env,
      CART_PORT: String(port),
      CATALOG_URL: catalog.url,
      CATALOG_SUBGRAPH_SECRET: catalog.config.secret,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
    },
    readyUrl: `http://127.0.0.1:${port}/ready`,
  });
}

/** A typed operation through the gateway, signed in with `token`. */
function run<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables, token: string) {
  return execute(gateway.url, document, variables, { token });
}

async function myCart(token: string) {
  const response = await run(MyCartDocument, {}, token);
  expect(response.errors).toBeUndefined();
  return response.data!.me!.cart;
}

beforeAll(async () => {
  catalog = await startCatalog();
  await seedCatalog(catalog.server.database, 12);
  port = await freePort();
  cart = await startCartProcess();
  gateway = await startGateway({
    catalog: { url: catalog.url, secret: catalog.config.secret },
    cart: { url: `http://127.0.0.1:${port}/graphql`, secret: devSecret('cart') },
  });
  const products = await execute(gateway.url, ProductsDocument, { first: 12 });
  expect(products.errors).toBeUndefined();
  variants = products.data!.products.edges.flatMap((e) =>
    e.node.variants.filter((v) => v.stock >= 10).map((v) => ({ id: v.id, kind: e.node.kind as string })),
  );
});

afterAll(async () => {
  await cart?.kill();
  await gateway?.stop();
  await catalog?.stop();
  await dropDatabase({ databaseUrl: env.DATABASE_URL, databaseName: env.CART_DATABASE_NAME, dataDir: env.DATA_DIR });
});

test('a cart survives SIGKILL of the cart process and is the same on every device; a clean stop exits 0', async () => {
  const token = await tokenFor(USER);

  // Fill the cart through the gateway: variants of every kind, an increment and a quantity change.
  const [tee, tee2, hat, candy] = [
    variants.find((v) => v.kind === 'TSHIRT')!,
    variants.filter((v) => v.kind === 'TSHIRT')[1],
    variants.find((v) => v.kind === 'HAT')!,
    variants.find((v) => v.kind === 'CANDY')!,
  ];
  expect([tee, tee2, hat, candy].every(Boolean)).toBe(true);
  for (const [variant, quantity] of [
    [tee, 2],
    [hat, 1],
    [candy, 4],
    [tee2, 1],
    [tee, 1],
  ] as const) {
    const response = await run(AddToCartDocument, { variantId: variant.id, quantity }, token);
    expect(response.data?.addToCart.userErrors).toEqual([]);
  }
  const candyLine = (await myCart(token)).lines.find((l) => l.variant.id === candy.id)!;
  const updated = await run(UpdateCartLineDocument, { lineId: candyLine.id, quantity: 3 }, token);
  expect(updated.data?.updateCartLine.userErrors).toEqual([]);

  const before = await myCart(token);
  expect(before.lines.map((l) => [l.variant.id, l.quantity])).toEqual([
    [tee.id, 3],
    [hat.id, 1],
    [candy.id, 3],
    [tee2.id, 1],
  ]);
  expect(before.lines.map((l) => l.variant.attributes.__typename)).toEqual([
    'TShirtAttributes',
    'HatAttributes',
    'CandyAttributes',
    'TShirtAttributes',
  ]);
  // A new cart starts at version 1; six writes.
  expect(before.version).toBe(7);

  // SIGKILL: the process gets no chance to close the database or finish anything.
  await cart!.kill();
  expect(await cart!.exited).toBe('SIGKILL');
  const down = await run(MyCartDocument, {}, token);
  expect(down.data?.me ?? null).toBeNull();
  expect(down.errors?.length).toBeGreaterThan(0);

  // Same port, same database: the identical cart, through the same gateway.
  cart = await startCartProcess();
  expect(await myCart(token)).toEqual(before);

  // Another device: another token for the same user sees the same cart, and its writes show on the first.
  const otherDevice = await signDevToken({ userId: USER, secret: DEV_JWT_SECRET, expiresIn: '2h' });
  expect(otherDevice).not.toBe(token);
  expect(await myCart(otherDevice)).toEqual(before);
  const fromPhone = await run(AddToCartDocument, { variantId: hat.id, quantity: 1 }, otherDevice);
  expect(fromPhone.data?.addToCart.userErrors).toEqual([]);
  const after = await myCart(token);
  expect(after).toMatchObject({ id: before.id, version: before.version + 1, totalQuantity: before.totalQuantity + 1 });
  expect(after.lines.map((l) => [l.id, l.quantity])).toEqual(before.lines.map((l) => [l.id, l.variant.id === hat.id ? 2 : l.quantity]));

  // A clean stop (SIGINT, as Ctrl-C: no grace period): drains, closes the database and exits 0; the cart is
  // still there on the next start. SIGTERM's grace period is test/graceful-shutdown.process.test.ts's business.
  await cart.stop();
  expect(await cart.exited).toBe(0);
  expect(cart.output()).toContain('"msg":"stopped"');
  cart = await startCartProcess();
  expect(await myCart(otherDevice)).toEqual(after);
});
