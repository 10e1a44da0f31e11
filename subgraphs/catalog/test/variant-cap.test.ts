import { randomUUID } from 'node:crypto';
import { ProductSchema, ProductVariantSchema } from '../src/entities';
import type { Database } from '@storefront/service-kit';
import { IsNull } from 'typeorm';
import {
  AddVariantDocument,
  CreateProductDocument,
  execute,
  RemoveVariantDocument,
  type AddVariantMutation,
  type GraphQLResponse,
  type VariantInput,
} from '@storefront/client';
import { CATALOG_TABLES, expectUnchanged, startCatalog, startGateway, tokenFor, type RunningCatalog, type RunningGateway } from '@storefront/testing';

/**
 * The catalog caps variants for sale per product, because the gateway's cost estimate multiplies by
 * that cap (CATALOG_MAX_VARIANTS_PER_PRODUCT, read by both). Lowered to 3 here so the cap is cheap to reach.
 */
const CAP = { CATALOG_MAX_VARIANTS_PER_PRODUCT: '3' };
let catalog: RunningCatalog;
let gateway: RunningGateway;
let token: string;

beforeAll(async () => {
  catalog = await startCatalog(CAP);
  gateway = await startGateway({ catalog: { url: catalog.url, secret: catalog.config.secret } }, CAP);
  token = await tokenFor('admin-cap', { admin: true });
});
afterAll(async () => {
  await gateway?.stop();
  await catalog?.stop();
});

const variant = (sku: string): VariantInput => ({ sku, stock: 1, attributes: { hat: { color: 'red', style: 'BASEBALL_CAP' } } });
const hat = (skus: string[]) => ({
  input: { name: 'Capped hat', kind: 'HAT' as const, price: { amount: 900, currencyCode: 'USD' }, variants: skus.map(variant) },
});

test('createProduct with more variants than the cap is refused with TOO_MANY_VARIANTS, nothing written', async () => {
  const result = await expectUnchanged(catalog.server.database, CATALOG_TABLES, () =>
    execute(gateway.url, CreateProductDocument, hat(['cap-a1', 'cap-a2', 'cap-a3', 'cap-a4']), { token }),
  );
  expect(result.errors).toBeUndefined();
  expect(result.data!.createProduct.product).toBeNull();
  expect(result.data!.createProduct.userErrors).toEqual([
    { code: 'TOO_MANY_VARIANTS', field: ['input', 'variants'], message: expect.stringContaining('at most 3') },
  ]);
});

test('addVariant past the cap is refused; a removed variant frees its place', async () => {
  const created = await execute(gateway.url, CreateProductDocument, hat(['cap-b1', 'cap-b2', 'cap-b3']), { token });
  expect(created.data!.createProduct.userErrors).toEqual([]);
  const product = created.data!.createProduct.product!;

  const refused = await expectUnchanged(catalog.server.database, CATALOG_TABLES, () =>
    execute(gateway.url, AddVariantDocument, { productId: product.id, input: variant('cap-b4') }, { token }),
  );
  expect(refused.data!.addVariant).toEqual({
    variant: null,
    userErrors: [{ code: 'TOO_MANY_VARIANTS', field: ['productId'], message: expect.stringContaining('at most 3') }],
  });

  const removed = await execute(gateway.url, RemoveVariantDocument, { id: product.variants[0].id }, { token });
  expect(removed.data!.removeVariant.userErrors).toEqual([]);
  const added = await execute(gateway.url, AddVariantDocument, { productId: product.id, input: variant('cap-b4') }, { token });
  expect(added.data!.addVariant.userErrors).toEqual([]);
  expect(added.data!.addVariant.variant!.sku).toBe('CAP-B4');
});

/**
 * MySQL: waits until another connection of this database is inside a write to the product or its
 * variants, which blocks while the test holds them: the interleaving to force.
 */
async function untilBlockedOnProduct(db: Database): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const [{ n }] = await db.dataSource.query(
      `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST
       WHERE DB = DATABASE() AND ID <> CONNECTION_ID() AND COMMAND = 'Query'
       AND (INFO LIKE 'UPDATE \`product\`%' OR INFO LIKE 'INSERT INTO \`product_variant\`%')`,
    );
    if (Number(n) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('addVariant never waited for the product row');
}

test('an add racing another on the same product waits for it and counts its variant', async () => {
  const created = await execute(gateway.url, CreateProductDocument, hat(['cap-c1', 'cap-c2']), { token });
  const productId = created.data!.createProduct.product!.id;
  const db = catalog.server.database;

  // A concurrent writer holds the product (as addVariant does first) and adds the third variant. The
  // add sent meanwhile must wait for it: SQLite serializes transactions, MySQL blocks on the row lock.
  let racing!: Promise<GraphQLResponse<AddVariantMutation>>;
  await db.transaction(async (manager) => {
    await manager.update(ProductSchema, { id: productId }, { updatedAt: new Date() });
    const template = await manager.findOneByOrFail(ProductVariantSchema, { productId });
    await manager.insert(ProductVariantSchema, { ...template, id: randomUUID(), sku: 'CAP-C3', position: 2 });
    racing = execute(gateway.url, AddVariantDocument, { productId, input: variant('cap-c4') }, { token });
    if (db.kind === 'mysql') await untilBlockedOnProduct(db);
  });

  const result = await racing;
  expect(result.data!.addVariant.userErrors.map((e) => e.code)).toEqual(['TOO_MANY_VARIANTS']);
  expect(await db.dataSource.manager.count(ProductVariantSchema, { where: { productId, removedAt: IsNull() } })).toBe(3);
});
