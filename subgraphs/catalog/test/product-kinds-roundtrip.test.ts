import { CreateProductDocument, ProductDocument, type CreateProductInput } from '@storefront/client';
import { PRODUCT_KINDS } from '@storefront/product-kinds';
import { ADMIN, startCatalogStack, type CatalogStack } from '@storefront/testing';

let stack: CatalogStack;
beforeAll(async () => (stack = await startCatalogStack()));
afterAll(() => stack?.stop());

/**
 * The proof that a kind is one module plus one registry line: every registered kind, including one
 * added tomorrow, is created through GraphQL from its own samples and read back as its union member.
 */
describe.each(PRODUCT_KINDS.map((k) => [k.kind, k] as const))('kind %s through GraphQL', (_, kind) => {
  const sample = kind.samples[0];
  const input = (skuPrefix: string, attributesFor: (a: object) => object): CreateProductInput => ({
    name: sample.name,
    description: sample.description,
    kind: kind.kind as CreateProductInput['kind'],
    price: { amount: sample.price, currencyCode: sample.currencyCode },
    variants: sample.variants.map((v, i) => ({
      sku: `${skuPrefix}-${kind.kind}-${i}`,
      stock: v.stock,
      attributes: attributesFor(v.attributes) as CreateProductInput['variants'] extends (infer V)[] | null | undefined ? V extends { attributes: infer A } ? A : never : never,
    })),
  });

  test('sample attributes round-trip as the kind’s union member', async () => {
    const created = await stack.run(CreateProductDocument, { input: input('RT', (a) => ({ [kind.inputField]: a })) }, ADMIN);
    expect(created.data?.createProduct.userErrors).toEqual([]);
    const product = (await stack.run(ProductDocument, { id: created.data!.createProduct.product!.id })).data!.product!;
    expect(product.kind).toBe(kind.kind);
    expect(product.kindLabel).toBe(kind.label);
    expect(product.variants.map((v) => v.attributes)).toEqual(sample.variants.map((v) => ({ __typename: kind.typeName, ...v.attributes })));
  });

  test('attributes under another kind’s field are refused', async () => {
    const other = PRODUCT_KINDS.find((k) => k.kind !== kind.kind)!;
    const otherAttributes = other.samples[0].variants[0].attributes;
    const refused = await stack.run(CreateProductDocument, { input: input('BAD', () => ({ [other.inputField]: otherAttributes })) }, ADMIN);
    expect(refused.data?.createProduct.product).toBeNull();
    expect(refused.data?.createProduct.userErrors[0].code).toBe('ATTRIBUTES_KIND_MISMATCH');
  });
});
