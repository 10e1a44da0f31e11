import { AddVariantDocument, CreateProductDocument, execute, RemoveVariantDocument, type VariantInput } from '@storefront/client';
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
