import { randomUUID } from 'node:crypto';
import {
  AddToCartDocument,
  CheckoutDocument,
  MyCartDocument,
  MyOrdersDocument,
  ProductsDocument,
  VariantDocument,
  type ProductKind,
  type ProductsQuery,
} from '@storefront/client';
import { DEV_JWT_SECRET, signDevToken } from '@storefront/gateway';
import { demoSamples } from '@storefront/catalog';
import { getKind, PRODUCT_KINDS } from '@storefront/product-kinds';
import { OWN_LOOPBACK_ADDRESSES, SHOP_PROCESS_NAMES, type ShopProcesses, startShopProcesses } from '@storefront/testing';

/**
 * "End to end": the shop as it is deployed — catalog, cart, order and gateway each their own process,
 * each on its own loopback address, each subgraph with its own database and secret, the gateway with its
 * own JWT secret, the catalog loaded with the demo catalog — used only through the gateway with the
 * typed operations clients use, from browsing to the order in the purchase history.
 */

type Product = ProductsQuery['products']['edges'][number]['node'];
type Variant = Product['variants'][number];
type Choice = { product: Product; variant: Variant; quantity: number };

const SHOPPER = 'walkthrough-shopper';

let shop: ShopProcesses;

beforeAll(async () => {
  shop = await startShopProcesses({ hosts: true, env: { catalog: { CATALOG_SEED_DEMO: 'true' } } });
}, 300_000);

afterAll(() => shop?.stop(), 120_000);

test('every service answers /ready on its own loopback address, and only there', async () => {
  const hosts = SHOP_PROCESS_NAMES.map((name) => shop.endpoints[name].host);
  expect(hosts).toEqual(SHOP_PROCESS_NAMES.map((name) => OWN_LOOPBACK_ADDRESSES[name]));
  expect(new Set(hosts).size).toBe(SHOP_PROCESS_NAMES.length);
  for (const name of SHOP_PROCESS_NAMES) {
    const { host, port, baseUrl } = shop.endpoints[name];
    expect(baseUrl).toBe(`http://${host}:${port}`);
    const response = await fetch(`${baseUrl}/ready`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; service: string; subgraphs?: Record<string, string> };
    expect(body).toMatchObject({ status: 'ready', service: name });
    // The gateway reaches every subgraph at its own address; a subgraph reports only itself.
    expect(body.subgraphs).toEqual(name === 'gateway' ? { catalog: 'ready', cart: 'ready', order: 'ready' } : undefined);
    // Bound to its address, not to every interface: the same port on 127.0.0.1 has nobody listening.
    await expect(fetch(`http://127.0.0.1:${port}/ready`)).rejects.toThrow();
  }
});

test('browse, sign in, fill the cart, sign out, come back to the same cart, check out, find the order', async () => {
  // Browse, anonymously: the whole demo catalog, every variant with its kind's typed attributes.
  const browse = await shop.run(ProductsDocument, { first: 50 });
  expect(browse.errors).toBeUndefined();
  const products = browse.data!.products.edges.map((e) => e.node);
  expect(browse.data!.products.totalCount).toBe(demoSamples().length);
  expect(products).toHaveLength(demoSamples().length);
  expect(new Set(products.map((p) => p.kind))).toEqual(new Set(PRODUCT_KINDS.map((k) => k.kind)));
  for (const product of products) {
    expect(product.variants.length).toBeGreaterThan(0);
    const kind = getKind(product.kind);
    for (const { attributes } of product.variants) {
      // Its kind's union member, with exactly the fields the kind's validator accepts as they are.
      const { __typename, ...fields } = attributes;
      expect(__typename).toBe(kind.typeName);
      expect(kind.validator.parse(fields)).toEqual(fields);
    }
  }
  const hats = await shop.run(ProductsDocument, { first: 50, filter: { kind: 'HAT' } });
  expect(hats.data!.products.edges.map((e) => e.node.id)).toEqual(products.filter((p) => p.kind === 'HAT').map((p) => p.id));

  // One variant of each kind, in stock for the quantity wanted.
  const pick = (kind: ProductKind, quantity: number): Choice => {
    for (const product of products.filter((p) => p.kind === kind)) {
      const variant = product.variants.find((v) => v.inStock && v.stock >= quantity);
      if (variant) return { product, variant, quantity };
    }
    throw new Error(`no ${kind} with ${quantity} in stock`);
  };
  const picks = PRODUCT_KINDS.map((k, i) => pick(k.kind as ProductKind, (i % 3) + 1));
  const quantity = picks.reduce((sum, p) => sum + p.quantity, 0);
  const total = picks.reduce((sum, p) => sum + p.variant.price.amount * p.quantity, 0);

  // Sign in and fill the cart.
  const signedIn = await shop.token(SHOPPER);
  for (const { variant, quantity } of picks) {
    const added = await shop.run(AddToCartDocument, { variantId: variant.id, quantity }, signedIn);
    expect(added.errors).toBeUndefined();
    expect(added.data?.addToCart.userErrors).toEqual([]);
  }
  const cartResponse = await shop.run(MyCartDocument, {}, signedIn);
  expect(cartResponse.errors).toBeUndefined();
  const cart = cartResponse.data!.me!.cart;
  expect(cart.lines.map((l) => [l.variant.id, l.variant.product.name, l.quantity, l.unitPrice.amount, l.variant.attributes])).toEqual(
    picks.map((p) => [p.variant.id, p.product.name, p.quantity, p.variant.price.amount, p.variant.attributes]),
  );
  expect(cart.totalQuantity).toBe(quantity);
  expect(cart.subtotal).toEqual({ amount: total, currencyCode: picks[0].variant.price.currencyCode });

  // Sign out: without the token there is no cart to see.
  const anonymous = await shop.run(MyCartDocument, {});
  expect(anonymous.data?.me ?? null).toBeNull();
  expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  // The gateway runs with its own JWT secret: a token signed with the public development default is refused.
  const forged = await shop.run(MyCartDocument, {}, await signDevToken({ userId: SHOPPER, secret: DEV_JWT_SECRET }));
  expect(forged.data?.me ?? null).toBeNull();
  expect(forged.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

  // Come back later with a new token for the same user: the same cart.
  const backAgain = await shop.token(SHOPPER, { expiresIn: '2h' });
  expect(backAgain).not.toBe(signedIn);
  const again = await shop.run(MyCartDocument, {}, backAgain);
  expect(again.errors).toBeUndefined();
  expect(again.data!.me!.cart).toEqual(cart);

  const stockBefore = await Promise.all(picks.map(async (p) => (await shop.run(VariantDocument, { id: p.variant.id })).data!.variant!.stock));

  // Check out with an idempotency key.
  const idempotencyKey = randomUUID();
  const checkout = await shop.run(CheckoutDocument, { input: { idempotencyKey } }, backAgain);
  expect(checkout.errors).toBeUndefined();
  expect(checkout.data!.checkout.userErrors).toEqual([]);
  const order = checkout.data!.checkout.order!;
  expect(order.number).toMatch(/^SF-\d{6}$/);
  expect(order.status).toBe('PLACED');

  // The order in the purchase history: a line per variant, with its kind's typed attributes, and the right total.
  const history = await shop.run(MyOrdersDocument, { first: 10 }, backAgain);
  expect(history.errors).toBeUndefined();
  const orders = history.data!.me!.orders;
  expect(orders.totalCount).toBe(1);
  expect(orders.edges[0].node).toEqual(order);
  expect(order.lines.map((l) => [l.productId, l.productName, l.kind, l.sku, l.quantity, l.unitPrice.amount, l.lineTotal.amount, l.attributes])).toEqual(
    picks.map((p) => [
      p.product.id,
      p.product.name,
      p.product.kind,
      p.variant.sku,
      p.quantity,
      p.variant.price.amount,
      p.variant.price.amount * p.quantity,
      p.variant.attributes,
    ]),
  );
  expect(order.lines.map((l) => l.attributes.__typename)).toEqual(PRODUCT_KINDS.map((k) => k.typeName));
  expect(order.totalQuantity).toBe(quantity);
  expect(order.total).toEqual({ amount: total, currencyCode: picks[0].variant.price.currencyCode });

  // The cart is empty, and the stock was taken once.
  const emptied = await shop.run(MyCartDocument, {}, backAgain);
  expect(emptied.data!.me!.cart).toMatchObject({ id: cart.id, lines: [], totalQuantity: 0 });
  const stockAfter = await Promise.all(picks.map(async (p) => (await shop.run(VariantDocument, { id: p.variant.id })).data!.variant!.stock));
  expect(stockAfter).toEqual(stockBefore.map((stock, i) => stock - picks[i].quantity));

  // A retry with the same key (the answer lost on a flaky network) answers the same order and changes nothing.
  const retry = await shop.run(CheckoutDocument, { input: { idempotencyKey } }, backAgain);
  expect(retry.data!.checkout.order).toEqual(order);
  expect((await shop.run(MyOrdersDocument, { first: 10 }, backAgain)).data!.me!.orders.totalCount).toBe(1);
});
