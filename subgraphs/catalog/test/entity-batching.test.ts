import { startCatalog, type RunningCatalog } from '@storefront/testing';
import { ProductVariantSchema } from '../src/entities';
import { seedCatalog } from '../src/services/catalog-seeder';

let catalog: RunningCatalog;
let variantIds: string[];

const ENTITIES = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on ProductVariant {
        id
        sku
        price { amount currencyCode }
        attributes { __typename ... on TShirtAttributes { size color } ... on HatAttributes { style } ... on CandyAttributes { flavor } }
        product { id name kindLabel }
      }
      ... on Product { id name variants { id sku } }
    }
  }
`;

beforeAll(async () => {
  catalog = await startCatalog();
  await seedCatalog(catalog.server.database, 120);
  variantIds = (await catalog.server.database.manager.find(ProductVariantSchema, { select: { id: true }, take: 100 })).map((v) => v.id);
  expect(variantIds).toHaveLength(100);
});
afterAll(() => catalog?.stop());

/** Sends one `_entities` call (as the gateway would) and returns how many SQL statements it cost. */
async function statementsFor(representations: object[]): Promise<number> {
  const statements = catalog.server.database.statements;
  const before = statements.count;
  const response = await fetch(catalog.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...catalog.headers() },
    body: JSON.stringify({ query: ENTITIES, variables: { representations } }),
  });
  const body = (await response.json()) as { data?: { _entities: ({ id: string } | null)[] }; errors?: unknown };
  expect(body.errors).toBeUndefined();
  expect(body.data!._entities).toHaveLength(representations.length);
  expect(body.data!._entities.every((e) => e !== null)).toBe(true);
  return statements.count - before;
}

test('one _entities call costs one query per type, for 1, 10 or 100 variants', async () => {
  const variants = (n: number) => variantIds.slice(0, n).map((id) => ({ __typename: 'ProductVariant', id }));
  const one = await statementsFor(variants(1));
  const ten = await statementsFor(variants(10));
  const hundred = await statementsFor(variants(100));
  // variants by id, then their products: two queries however many representations
  expect(one).toBe(2);
  expect(ten).toBe(one);
  expect(hundred).toBe(one);
});

describe('mixed product and variant references batch per type too', () => {
  // Variants grouped by product, so a prefix of them names few products and leaves the rest unreferenced.
  // Which products the representations name decides whether variant.product is a query of its own, so both
  // cases are built on purpose rather than left to the order a table happens to return.
  async function mixedRepresentations(n: number, products: 'the variants own' | 'others') {
    const all = await catalog.server.database.manager.find(ProductVariantSchema, {
      select: { id: true, productId: true },
      order: { productId: 'ASC', id: 'ASC' },
    });
    const variants = all.slice(0, n);
    const owners = [...new Set(variants.map((v) => v.productId))];
    const others = [...new Set(all.map((v) => v.productId))].filter((id) => !owners.includes(id)).slice(0, n);
    const referenced = products === 'the variants own' ? owners : others;
    expect(referenced.length).toBeGreaterThan(0);
    return [
      ...variants.map((v) => ({ __typename: 'ProductVariant', id: v.id })),
      ...referenced.map((id) => ({ __typename: 'Product', id })),
    ];
  }

  test('products apart from the variants: four statements for 2 or 50 of each', async () => {
    const small = await statementsFor(await mixedRepresentations(2, 'others'));
    const large = await statementsFor(await mixedRepresentations(50, 'others'));
    // variants; the referenced products; variant.product (which waits on the variants); variants of the
    // referenced products
    expect(small).toBe(4);
    expect(large).toBe(small);
  });

  test('products the variants own: variant.product comes from the same request\'s loader, three statements', async () => {
    const small = await statementsFor(await mixedRepresentations(2, 'the variants own'));
    const large = await statementsFor(await mixedRepresentations(50, 'the variants own'));
    expect(small).toBe(3);
    expect(large).toBe(small);
  });
});
