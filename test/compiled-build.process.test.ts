import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AddToCartDocument, CheckoutDocument, MyOrdersDocument, ProductsDocument } from '@storefront/client';
import { SUBGRAPHS, type SubgraphName } from '@storefront/contracts';
import {
  AS_IN_PRODUCTION_IMAGE,
  copiesOf,
  readRepositoryDockerfile,
  REPO_ROOT,
  SHOP_PROCESS_NAMES,
  type ShopProcesses,
  startShopProcesses,
  testDatabaseEnv,
} from '@storefront/testing';

/**
 * What the production image runs: `npm run build` compiles every workspace package into its dist/, and
 * each service starts from its compiled `dist/index.js` on plain Node — no tsx, no `development` export
 * condition, so every `@storefront/*` import resolves to compiled JavaScript through the packages'
 * `exports` maps — and without any devDependency, which the image does not install (AS_IN_PRODUCTION_IMAGE).
 * As in Kubernetes, each subgraph's compiled migrate command prepares its database first and the
 * services start with MIGRATE_ON_START=false. A shopper then buys through the gateway, which crosses
 * every internal contract. test/dockerfile.test.ts checks the Dockerfile itself.
 */

const SUBGRAPH_NAMES = Object.keys(SUBGRAPHS) as SubgraphName[];
let shop: ShopProcesses;

beforeAll(async () => {
  execFileSync('npm', ['run', '-s', 'build'], { cwd: REPO_ROOT, stdio: 'pipe' });
  const databases = {} as Record<SubgraphName, Record<string, string>>;
  for (const name of SUBGRAPH_NAMES) {
    databases[name] = testDatabaseEnv(name);
    // The migration Job's command; the catalog's also loads the demo catalog (the services will not, without migrations at start).
    execFileSync(process.execPath, [path.join(REPO_ROOT, `subgraphs/${name}/dist/migrate.js`)], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...databases[name], NODE_OPTIONS: AS_IN_PRODUCTION_IMAGE, CATALOG_SEED_DEMO: 'true' },
      stdio: 'pipe',
    });
  }
  shop = await startShopProcesses({ compiled: true, databases, commonEnv: { NODE_OPTIONS: AS_IN_PRODUCTION_IMAGE, MIGRATE_ON_START: 'false' } });
}, 600_000);

afterAll(() => shop?.stop(), 120_000);

test('every file the image copies from its build stage is in the build output', () => {
  const stages = readRepositoryDockerfile();
  const build = stages.find((stage) => stage.name === 'build')!;
  const copied = copiesOf(stages.at(-1)!).filter((copy) => copy.from === 'build').flatMap((copy) => copy.sources);
  expect(copied.length).toBeGreaterThan(0);
  for (const source of copied) {
    const repoPath = path.posix.relative(build.workdir, source);
    expect([repoPath, existsSync(path.join(REPO_ROOT, repoPath))]).toEqual([repoPath, true]);
  }
});

test('a devDependency does not load where the services run, as in the image', () => {
  let refused = '';
  try {
    execFileSync(process.execPath, ['-e', "require('tsx')"], { env: { ...process.env, NODE_OPTIONS: AS_IN_PRODUCTION_IMAGE }, stdio: 'pipe' });
  } catch (error) {
    refused = String((error as { stderr?: Buffer }).stderr);
  }
  expect(refused).toMatch(/node_modules\/tsx is a devDependency/);
});

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
