import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AddToCartDocument, CheckoutDocument, MyOrdersDocument, ProductsDocument } from '@storefront/client';
import { REPO_ROOT, SHOP_PROCESS_NAMES, type ShopProcesses, startShopProcesses } from '@storefront/testing';

/**
 * What the production image runs: `npm run build` compiles every workspace package into its dist/, and
 * each service starts from its compiled `dist/index.js` on plain Node — no tsx, no `development` export
 * condition, so every `@storefront/*` import resolves to compiled JavaScript through the packages'
 * `exports` maps. A shopper then buys through the gateway, which crosses every internal contract.
 */

let shop: ShopProcesses;

beforeAll(async () => {
  execFileSync('npm', ['run', '-s', 'build'], { cwd: REPO_ROOT, stdio: 'pipe' });
  shop = await startShopProcesses({ compiled: true, env: { catalog: { CATALOG_SEED_DEMO: 'true' } } });
}, 600_000);

afterAll(() => shop?.stop(), 120_000);

test('every service runs its compiled entry point, without tsx', () => {
  for (const name of SHOP_PROCESS_NAMES) {
    const args = shop.process(name).child.spawnargs;
    expect(args.slice(1)).toHaveLength(1);
    expect(args[1]).toMatch(/\/dist\/index\.js$/);
    expect(existsSync(args[1])).toBe(true);
    expect(path.relative(REPO_ROOT, args[1]).startsWith('..')).toBe(false);
  }
});

test('a shopper browses, adds to the cart and checks out through the compiled services', async () => {
  const browse = await shop.run(ProductsDocument, { first: 5 });
  expect(browse.errors).toBeUndefined();
  const variant = browse.data!.products.edges.flatMap((e) => e.node.variants).find((v) => v.stock > 0)!;
  const token = await shop.token(`compiled-${randomUUID()}`);
  const added = await shop.run(AddToCartDocument, { variantId: variant.id, quantity: 1 }, token);
  expect(added.data?.addToCart.userErrors).toEqual([]);
  const checkout = await shop.run(CheckoutDocument, { input: { idempotencyKey: randomUUID() } }, token);
  expect(checkout.errors).toBeUndefined();
  expect(checkout.data?.checkout.order?.lines.map((l) => [l.sku, l.quantity])).toEqual([[variant.sku, 1]]);
  const history = await shop.run(MyOrdersDocument, { first: 5 }, token);
  expect(history.data?.me?.orders.edges.map((e) => e.node.id)).toEqual([checkout.data!.checkout.order!.id]);
});
