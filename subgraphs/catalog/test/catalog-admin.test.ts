import {
  AddVariantDocument,
  ArchiveProductDocument,
  CreateProductDocument,
  ProductDocument,
  ProductsDocument,
  RemoveVariantDocument,
  SetStockDocument,
  UpdateProductDocument,
  UpdateVariantDocument,
  VariantDocument,
  type CreateProductInput,
} from '@storefront/client';
import { ADMIN, CATALOG_TABLES, SHOPPER, expectUnchanged, startCatalogStack, type CatalogStack } from '@storefront/testing';

let stack: CatalogStack;
let productId: string;
let variantId: string;

function tee(overrides: Partial<CreateProductInput> = {}): CreateProductInput {
  return {
    name: 'Test Tee',
    description: 'For tests',
    kind: 'TSHIRT',
    price: { amount: 2500, currencyCode: 'USD' },
    variants: [
      { sku: 'tee-m-red', stock: 5, attributes: { tshirt: { size: 'M', color: 'Red' } } },
      { sku: 'TEE-L-RED', stock: 0, attributes: { tshirt: { size: 'L', color: 'red' } } },
    ],
    ...overrides,
  };
}

beforeAll(async () => {
  stack = await startCatalogStack();
  const created = await stack.run(CreateProductDocument, { input: tee() }, ADMIN);
  productId = created.data!.createProduct.product!.id;
  variantId = created.data!.createProduct.product!.variants[0].id;
});
afterAll(() => stack?.stop());

/** Runs `attempt` and asserts the catalog tables are exactly as before it. */
function unchanged<T>(attempt: () => Promise<T>): Promise<T> {
  return expectUnchanged(stack.catalog.server.database, CATALOG_TABLES, attempt);
}

describe('successful changes', () => {
  test('createProduct stores normalized variants with typed attributes', async () => {
    const { data } = await stack.run(ProductDocument, { id: productId }, SHOPPER);
    expect(data?.product).toMatchObject({
      name: 'Test Tee',
      kind: 'TSHIRT',
      kindLabel: 'T-shirt',
      price: { amount: 2500, currencyCode: 'USD' },
      archivedAt: null,
    });
    expect(data?.product?.variants.map((v) => [v.sku, v.stock, v.inStock, v.attributes])).toEqual([
      ['TEE-M-RED', 5, true, { __typename: 'TShirtAttributes', size: 'M', color: 'red' }],
      ['TEE-L-RED', 0, false, { __typename: 'TShirtAttributes', size: 'L', color: 'red' }],
    ]);
  });

  test('variants use the product price unless they override it', async () => {
    const added = await stack.run(
      AddVariantDocument,
      {
        productId,
        input: { sku: 'TEE-XL-RED', stock: 2, priceOverride: { amount: 2900, currencyCode: 'USD' }, attributes: { tshirt: { size: 'XL', color: 'red' } } },
      },
      ADMIN,
    );
    expect(added.data?.addVariant.userErrors).toEqual([]);
    expect(added.data?.addVariant.variant?.price).toEqual({ amount: 2900, currencyCode: 'USD' });
    const id = added.data!.addVariant.variant!.id;
    const cleared = await stack.run(UpdateVariantDocument, { id, input: { clearPriceOverride: true } }, ADMIN);
    expect(cleared.data?.updateVariant.variant?.price).toEqual({ amount: 2500, currencyCode: 'USD' });
    const repriced = await stack.run(UpdateProductDocument, { id: productId, input: { price: { amount: 2700, currencyCode: 'USD' } } }, ADMIN);
    expect(repriced.data?.updateProduct.userErrors).toEqual([]);
    const variant = await stack.run(VariantDocument, { id }, SHOPPER);
    expect(variant.data?.variant?.price).toEqual({ amount: 2700, currencyCode: 'USD' });
  });

  test('setStock, updateVariant attributes, removeVariant', async () => {
    const stocked = await stack.run(SetStockDocument, { variantId, stock: 42 }, ADMIN);
    expect(stocked.data?.setStock.variant).toMatchObject({ stock: 42, inStock: true });
    const updated = await stack.run(UpdateVariantDocument, { id: variantId, input: { attributes: { tshirt: { size: 'S', color: 'Blue' } } } }, ADMIN);
    expect(updated.data?.updateVariant.variant?.attributes).toEqual({ __typename: 'TShirtAttributes', size: 'S', color: 'blue' });
    const extra = await stack.run(AddVariantDocument, { productId, input: { sku: 'TEE-XS-RED', attributes: { tshirt: { size: 'XS', color: 'red' } } } }, ADMIN);
    const extraId = extra.data!.addVariant.variant!.id;
    const removed = await stack.run(RemoveVariantDocument, { id: extraId }, ADMIN);
    expect(removed.data?.removeVariant.variant?.removedAt).toEqual(expect.any(String));
    const product = await stack.run(ProductDocument, { id: productId }, SHOPPER);
    expect(product.data?.product?.variants.map((v) => v.id)).not.toContain(extraId);
    // Orders keep pointing at removed variants, so they still resolve by id.
    const stillThere = await stack.run(VariantDocument, { id: extraId }, SHOPPER);
    expect(stillThere.data?.variant).toMatchObject({ sku: 'TEE-XS-RED', inStock: false, removedAt: expect.any(String) });
  });

  test('archived products leave listings but still resolve by id', async () => {
    const created = await stack.run(CreateProductDocument, { input: tee({ name: 'Archive Me', variants: [] }) }, ADMIN);
    const id = created.data!.createProduct.product!.id;
    const listed = async () => (await stack.run(ProductsDocument, { first: 100, filter: { search: 'Archive Me' } })).data!.products;
    expect((await listed()).totalCount).toBe(1);
    const archived = await stack.run(ArchiveProductDocument, { id }, ADMIN);
    expect(archived.data?.archiveProduct.product?.archivedAt).toEqual(expect.any(String));
    expect((await listed()).totalCount).toBe(0);
    const byId = await stack.run(ProductDocument, { id });
    expect(byId.data?.product).toMatchObject({ name: 'Archive Me', archivedAt: expect.any(String) });
  });
});

describe('authorization', () => {
  test('admin mutations are refused without the admin role, and nothing changes', async () => {
    const asShopper = await unchanged(() => stack.run(CreateProductDocument, { input: tee({ name: 'Nope', variants: [] }) }, SHOPPER));
    expect(asShopper.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const anonymous = await unchanged(() => stack.run(SetStockDocument, { variantId, stock: 0 }));
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('bad input gets a typed error and changes nothing', () => {
  const refusals: [string, () => Promise<{ code: string; field?: string[] | null }[]>][] = [
    ['empty name', async () => (await stack.run(CreateProductDocument, { input: tee({ name: '  ' }) }, ADMIN)).data!.createProduct.userErrors],
    ['negative price', async () =>
      (await stack.run(CreateProductDocument, { input: tee({ price: { amount: -1, currencyCode: 'USD' } }) }, ADMIN)).data!.createProduct.userErrors],
    ['unknown currency', async () =>
      (await stack.run(CreateProductDocument, { input: tee({ price: { amount: 100, currencyCode: 'XYZ' } }) }, ADMIN)).data!.createProduct.userErrors],
    ['negative stock', async () =>
      (await stack.run(CreateProductDocument, { input: tee({ variants: [{ sku: 'NEG', stock: -3, attributes: { tshirt: { size: 'M', color: 'red' } } }] }) }, ADMIN)).data!
        .createProduct.userErrors],
    ['attributes of another kind', async () =>
      (await stack.run(CreateProductDocument, { input: tee({ variants: [{ sku: 'HAT-ON-TEE', attributes: { hat: { color: 'red', style: 'BEANIE' } } }] }) }, ADMIN)).data!
        .createProduct.userErrors],
    ['attributes of two kinds', async () =>
      (await stack.run(
        CreateProductDocument,
        { input: tee({ variants: [{ sku: 'TWO-KINDS', attributes: { tshirt: { size: 'M', color: 'red' }, hat: { color: 'red', style: 'BEANIE' } } }] }) },
        ADMIN,
      )).data!.createProduct.userErrors],
    ['an invalid attribute value', async () =>
      (await stack.run(CreateProductDocument, { input: tee({ variants: [{ sku: 'BAD-COLOUR', attributes: { tshirt: { size: 'M', color: '42!' } } }] }) }, ADMIN)).data!
        .createProduct.userErrors],
    ['a SKU given twice', async () =>
      (await stack.run(
        CreateProductDocument,
        {
          input: tee({
            variants: [
              { sku: 'TWICE', attributes: { tshirt: { size: 'M', color: 'red' } } },
              { sku: 'twice', attributes: { tshirt: { size: 'L', color: 'red' } } },
            ],
          }),
        },
        ADMIN,
      )).data!.createProduct.userErrors],
    ['a SKU another product has (third variant: the first two must not be written)', async () =>
      (await stack.run(
        CreateProductDocument,
        {
          input: tee({
            name: 'Half Written',
            variants: [
              { sku: 'FRESH-1', attributes: { tshirt: { size: 'S', color: 'red' } } },
              { sku: 'FRESH-2', attributes: { tshirt: { size: 'M', color: 'red' } } },
              { sku: 'tee-l-red', attributes: { tshirt: { size: 'L', color: 'red' } } },
            ],
          }),
        },
        ADMIN,
      )).data!.createProduct.userErrors],
    ['updateProduct of an unknown id', async () =>
      (await stack.run(UpdateProductDocument, { id: 'no-such-product', input: { name: 'x' } }, ADMIN)).data!.updateProduct.userErrors],
    ['updateProduct to another currency', async () =>
      (await stack.run(UpdateProductDocument, { id: productId, input: { price: { amount: 100, currencyCode: 'EUR' } } }, ADMIN)).data!.updateProduct.userErrors],
    ['addVariant to an unknown product', async () =>
      (await stack.run(AddVariantDocument, { productId: 'nope', input: { sku: 'ORPHAN', attributes: { tshirt: { size: 'M', color: 'red' } } } }, ADMIN)).data!
        .addVariant.userErrors],
    ['addVariant with a taken SKU', async () =>
      (await stack.run(AddVariantDocument, { productId, input: { sku: 'TEE-L-RED', attributes: { tshirt: { size: 'M', color: 'red' } } } }, ADMIN)).data!
        .addVariant.userErrors],
    ['updateVariant with attributes of another kind', async () =>
      (await stack.run(UpdateVariantDocument, { id: variantId, input: { attributes: { candy: { flavor: 'lemon', weightGrams: 10 } } } }, ADMIN)).data!
        .updateVariant.userErrors],
    ['updateVariant of an unknown id', async () =>
      (await stack.run(UpdateVariantDocument, { id: 'nope', input: { sku: 'X' } }, ADMIN)).data!.updateVariant.userErrors],
    ['setStock below zero', async () => (await stack.run(SetStockDocument, { variantId, stock: -1 }, ADMIN)).data!.setStock.userErrors],
    ['setStock of an unknown variant', async () => (await stack.run(SetStockDocument, { variantId: 'nope', stock: 1 }, ADMIN)).data!.setStock.userErrors],
    ['removeVariant of an unknown variant', async () => (await stack.run(RemoveVariantDocument, { id: 'nope' }, ADMIN)).data!.removeVariant.userErrors],
  ];

  const expected: Record<string, string> = {
    'empty name': 'INVALID_INPUT',
    'negative price': 'INVALID_PRICE',
    'unknown currency': 'INVALID_CURRENCY',
    'negative stock': 'INVALID_STOCK',
    'attributes of another kind': 'ATTRIBUTES_KIND_MISMATCH',
    'attributes of two kinds': 'ATTRIBUTES_KIND_MISMATCH',
    'an invalid attribute value': 'INVALID_ATTRIBUTES',
    'a SKU given twice': 'DUPLICATE_SKU',
    'a SKU another product has (third variant: the first two must not be written)': 'DUPLICATE_SKU',
    'updateProduct of an unknown id': 'PRODUCT_NOT_FOUND',
    'updateProduct to another currency': 'INVALID_CURRENCY',
    'addVariant to an unknown product': 'PRODUCT_NOT_FOUND',
    'addVariant with a taken SKU': 'DUPLICATE_SKU',
    'updateVariant with attributes of another kind': 'ATTRIBUTES_KIND_MISMATCH',
    'updateVariant of an unknown id': 'VARIANT_NOT_FOUND',
    'setStock below zero': 'INVALID_STOCK',
    'setStock of an unknown variant': 'VARIANT_NOT_FOUND',
    'removeVariant of an unknown variant': 'VARIANT_NOT_FOUND',
  };

  test.each(refusals)('%s', async (name, attempt) => {
    const errors = await unchanged(attempt);
    expect(errors.map((e) => e.code)).toEqual([expected[name]]);
    expect(errors.every((e) => e.field && e.field.length > 0)).toBe(true);
  });

  test('an unknown kind is rejected by the schema before any resolver runs', async () => {
    const response = await unchanged(() =>
      stack.run(CreateProductDocument, { input: { ...tee(), kind: 'SPACESHIP' as 'TSHIRT' } }, ADMIN),
    );
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0].message).toMatch(/SPACESHIP/);
  });

  test('a missing required attribute is rejected by the schema, naming the field', async () => {
    const response = await unchanged(() =>
      stack.run(
        CreateProductDocument,
        { input: tee({ variants: [{ sku: 'NO-SIZE', attributes: { tshirt: { color: 'red' } as never } }] }) },
        ADMIN,
      ),
    );
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0].message).toMatch(/size/);
  });
});

describe('an archived product is read-only', () => {
  test('updateProduct, addVariant and updateVariant are refused with PRODUCT_ARCHIVED and change nothing', async () => {
    const created = await stack.run(CreateProductDocument, { input: tee({ name: 'Archived Tee', variants: [{ sku: 'ARCH-1', stock: 3, attributes: { tshirt: { size: 'S', color: 'grey' } } }] }) }, ADMIN);
    const archivedId = created.data!.createProduct.product!.id;
    const archivedVariant = created.data!.createProduct.product!.variants[0].id;
    expect((await stack.run(ArchiveProductDocument, { id: archivedId }, ADMIN)).data!.archiveProduct.userErrors).toEqual([]);

    const update = await unchanged(() => stack.run(UpdateProductDocument, { id: archivedId, input: { name: 'Renamed' } }, ADMIN));
    expect(update.data!.updateProduct.userErrors.map((e) => [e.code, e.field])).toEqual([['PRODUCT_ARCHIVED', ['id']]]);
    const add = await unchanged(() =>
      stack.run(AddVariantDocument, { productId: archivedId, input: { sku: 'ARCH-2', stock: 1, attributes: { tshirt: { size: 'M', color: 'grey' } } } }, ADMIN),
    );
    expect(add.data!.addVariant.userErrors.map((e) => [e.code, e.field])).toEqual([['PRODUCT_ARCHIVED', ['productId']]]);
    const variant = await unchanged(() => stack.run(UpdateVariantDocument, { id: archivedVariant, input: { sku: 'ARCH-1B' } }, ADMIN));
    expect(variant.data!.updateVariant.userErrors.map((e) => [e.code, e.field])).toEqual([['PRODUCT_ARCHIVED', ['id']]]);
  });
});
