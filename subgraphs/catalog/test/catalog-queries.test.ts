import { CreateProductDocument, ProductDocument, ProductKindsDocument, ProductsDocument, VariantBySkuDocument, type ProductFilter } from '@storefront/client';
import { PRODUCT_KINDS } from '@storefront/product-kinds';
import { ADMIN, startCatalogStack, testContext, type CatalogStack } from '@storefront/testing';
import { demoSamples, seedCatalog } from '../src/services/catalog-seeder';
import { ProductRepository } from '../src/repositories';

let stack: CatalogStack;
const demo = demoSamples();

beforeAll(async () => {
  stack = await startCatalogStack();
  await seedCatalog(stack.catalog.server.database, demo.length);
});
afterAll(() => stack?.stop());

async function list(filter?: ProductFilter, first = 100, after?: string) {
  const response = await stack.run(ProductsDocument, { first, after, filter });
  expect(response.errors).toBeUndefined();
  return response.data!.products;
}

/** What the demo data says should match, computed from the samples rather than hard-coded. */
function expectedNames(match: (kind: string, attributes: Record<string, unknown>) => boolean): string[] {
  return demo
    .filter(({ kind, sample }) => sample.variants.some((v) => match(kind, v.attributes as Record<string, unknown>)))
    .map(({ sample }) => sample.name)
    .sort();
}

function namesOf(page: Awaited<ReturnType<typeof list>>): string[] {
  return page.edges.map((e) => e.node.name).sort();
}

test('variants resolve their attributes as typed union members', async () => {
  const page = await list();
  expect(page.totalCount).toBe(demo.length);
  const typenames = new Set(page.edges.flatMap((e) => e.node.variants.map((v) => v.attributes.__typename)));
  expect([...typenames].sort()).toEqual(PRODUCT_KINDS.map((k) => k.typeName).sort());
  for (const edge of page.edges) {
    const kind = PRODUCT_KINDS.find((k) => k.kind === edge.node.kind)!;
    for (const variant of edge.node.variants) expect(variant.attributes.__typename).toBe(kind.typeName);
  }
  const tee = page.edges.find((e) => e.node.kind === 'TSHIRT')!.node.variants[0].attributes;
  if (tee.__typename !== 'TShirtAttributes') throw new Error('expected a t-shirt');
  expect(['XS', 'S', 'M', 'L', 'XL', 'XXL']).toContain(tee.size);
});

test('filters by kind', async () => {
  for (const kind of PRODUCT_KINDS) {
    const page = await list({ kind: kind.kind as ProductFilter['kind'] });
    expect(namesOf(page)).toEqual(expectedNames((k) => k === kind.kind));
    expect(page.totalCount).toBe(kind.samples.length);
  }
});

test('filters by name text, case-insensitively, treating % and _ literally', async () => {
  const page = await list({ search: 'TEE' });
  expect(namesOf(page)).toEqual(demo.map((d) => d.sample.name).filter((n) => n.toLowerCase().includes('tee')).sort());
  expect((await list({ search: '%' })).totalCount).toBe(0);
  expect((await list({ search: '_' })).totalCount).toBe(0);
  // what a search box sends, spaces around the words included
  expect(namesOf(await list({ search: '  tee  ' }))).toEqual(namesOf(page));
});

test('filters by attribute values; several values must hold on one variant', async () => {
  const sizeM = await list({ attributes: [{ name: 'size', value: 'm' }] });
  expect(namesOf(sizeM)).toEqual(expectedNames((_, a) => a.size === 'M'));
  expect(sizeM.totalCount).toBeGreaterThan(0);

  const redM = await list({ attributes: [{ name: 'size', value: 'M' }, { name: 'color', value: 'Red' }] });
  expect(namesOf(redM)).toEqual(expectedNames((_, a) => a.size === 'M' && a.color === 'red'));

  const redHats = await list({ kind: 'HAT', attributes: [{ name: 'color', value: 'red' }] });
  expect(namesOf(redHats)).toEqual(expectedNames((k, a) => k === 'HAT' && a.color === 'red'));

  const sugarFree = await list({ attributes: [{ name: 'sugarFree', value: 'true' }] });
  expect(namesOf(sugarFree)).toEqual(expectedNames((_, a) => a.sugarFree === true));
  expect(sugarFree.totalCount).toBeGreaterThan(0);
});

test('an attribute no kind can filter on is a BAD_USER_INPUT error', async () => {
  const response = await stack.run(ProductsDocument, { first: 5, filter: { attributes: [{ name: 'weightGrams', value: '100' }] } });
  expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const wrongKind = await stack.run(ProductsDocument, { first: 5, filter: { kind: 'CANDY', attributes: [{ name: 'size', value: 'M' }] } });
  expect(wrongKind.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});

test('pages walk the whole listing in name order without gaps or repeats', async () => {
  const seen: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await list(undefined, 5, after);
    expect(page.totalCount).toBe(demo.length);
    // Full pages of 5 until the last, which holds exactly what is left.
    expect(page.edges).toHaveLength(page.pageInfo.hasNextPage ? 5 : demo.length - seen.length);
    seen.push(...page.edges.map((e) => e.node.name));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor!;
  }
  expect(seen).toHaveLength(demo.length);
  expect(new Set(seen).size).toBe(demo.length);
  const sorted = await list(undefined, 100);
  expect(seen).toEqual(sorted.edges.map((e) => e.node.name));
});

test('filters and pagination combine', async () => {
  const all = await list({ kind: 'TSHIRT' });
  const first = await list({ kind: 'TSHIRT' }, 3);
  const second = await list({ kind: 'TSHIRT' }, 3, first.pageInfo.endCursor!);
  expect([...first.edges, ...second.edges].map((e) => e.node.id)).toEqual(all.edges.slice(0, 6).map((e) => e.node.id));
});

test('bad paging arguments are BAD_USER_INPUT errors', async () => {
  for (const variables of [{ first: -1 }, { first: 101 }, { first: 5, after: 'not-a-cursor' }]) {
    const response = await stack.run(ProductsDocument, variables);
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  }
});

test('product, variantBySku and productKinds', async () => {
  const { edges } = await list(undefined, 1);
  const product = (await stack.run(ProductDocument, { id: edges[0].node.id })).data!.product!;
  expect(product.name).toBe(edges[0].node.name);
  const sku = product.variants[0].sku;
  const bySku = await stack.run(VariantBySkuDocument, { sku: sku.toLowerCase() });
  expect(bySku.data?.variantBySku).toMatchObject({ id: product.variants[0].id, product: { id: product.id } });
  expect((await stack.run(ProductDocument, { id: 'missing' })).data?.product).toBeNull();
  // the repository reads exactly the products asked for (its loader would hide extra rows)
  const asked = edges[0].node.id;
  expect((await new ProductRepository().byIds(testContext(stack.catalog.server.database), [asked])).map((p) => p.id)).toEqual([asked]);
  expect((await stack.run(VariantBySkuDocument, { sku: 'MISSING' })).data?.variantBySku).toBeNull();
  const kinds = (await stack.run(ProductKindsDocument, {})).data!.productKinds;
  expect(kinds).toEqual(PRODUCT_KINDS.map((k) => ({ kind: k.kind, label: k.label })));
});

/** A refused query: exactly one BAD_USER_INPUT error naming `field`, with a message that names it too, and no data. */
function expectRefusedOn(response: { data?: unknown; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }, field: string) {
  expect(response.errors).toHaveLength(1);
  const [error] = response.errors!;
  expect({ code: error.extensions?.code, field: error.extensions?.field }).toEqual({ code: 'BAD_USER_INPUT', field });
  expect(error.message).toContain(`\`${field}\``);
  expect(response.data ?? null).toBeNull();
}

/** A products cursor holding `key` as JSON, after `pad` spaces (still a key we made, only longer). */
const productCursor = (key: unknown[], pad = 0) => Buffer.from(`[${' '.repeat(pad)}${JSON.stringify(key).slice(1)}`).toString('base64url');

test('first: 0 has no edges and a null endCursor; hasNextPage says whether any product follows, from the start or after a cursor', async () => {
  const all = await list(undefined, 100);
  const none = await list(undefined, 0);
  expect(none.edges).toEqual([]);
  expect(none.pageInfo).toEqual({ hasNextPage: true, endCursor: null });
  expect(none.totalCount).toBe(demo.length);
  // After the second-to-last product one is left; after the last, none.
  const [secondToLast, last] = all.edges.slice(-2);
  expect((await list(undefined, 0, secondToLast.cursor)).pageInfo).toEqual({ hasNextPage: true, endCursor: null });
  expect((await list(undefined, 0, last.cursor)).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  // A filter nothing matches: no product at all.
  const nothing = await list({ search: 'no product is called this' }, 0);
  expect(nothing).toMatchObject({ edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 });
});

test('first is 0 to 100: exactly 100 answers, -1 and 101 are refused on first with a message naming it', async () => {
  const hundred = await list(undefined, 100);
  expect(hundred.edges).toHaveLength(Math.min(100, demo.length));
  expect(hundred.pageInfo.hasNextPage).toBe(demo.length > 100);
  for (const first of [-1, 101]) {
    const response = await stack.run(ProductsDocument, { first });
    expectRefusedOn(response, 'first');
    expect(response.errors![0].message).toContain('100');
  }
});

test('an after cursor of up to 1,024 characters is read; one longer, even of a valid key, is refused on after', async () => {
  const page = await list(undefined, 3);
  const key = JSON.parse(Buffer.from(page.pageInfo.endCursor!, 'base64url').toString('utf8')) as unknown[];
  const expected = (await list(undefined, 3, page.pageInfo.endCursor!)).edges.map((e) => e.node.id);
  expect(expected).toHaveLength(3);
  // 768 bytes of JSON are exactly 1,024 base64url characters; 769 bytes are 1,026.
  const pad = 768 - Buffer.byteLength(JSON.stringify(key));
  const longest = productCursor(key, pad);
  expect(longest).toHaveLength(1024);
  expect((await list(undefined, 3, longest)).edges.map((e) => e.node.id)).toEqual(expected);
  const tooLong = productCursor(key, pad + 1);
  expect(tooLong.length).toBeGreaterThan(1024);
  expectRefusedOn(await stack.run(ProductsDocument, { first: 3, after: tooLong }), 'after');
});

test('cursor parts are bounded like their columns: a 200-character name and a 36-character id are read; 201 or 37 are refused on after', async () => {
  const [name, id] = ['z'.repeat(200), 'f'.repeat(36)];
  const read = await stack.run(ProductsDocument, { first: 3, after: productCursor([name, id]) });
  expect(read.errors).toBeUndefined();
  expect(read.data!.products.totalCount).toBe(demo.length);
  for (const key of [[`${name}z`, id], [name, `${id}f`]]) {
    expectRefusedOn(await stack.run(ProductsDocument, { first: 3, after: productCursor(key) }), 'after');
  }
});

// Last in this file: it adds products the counts above do not expect.
test('equal names across a page boundary: no gap, no repeat; hasNextPage false when exactly `first` are left', async () => {
  const ids: string[] = [];
  for (const color of ['red', 'blue', 'green']) {
    const created = await stack.run(
      CreateProductDocument,
      {
        input: {
          name: 'Twin Name Tee',
          kind: 'TSHIRT',
          price: { amount: 1000, currencyCode: 'USD' },
          variants: [{ sku: `TWIN-${color}`, stock: 1, attributes: { tshirt: { size: 'M', color } } }],
        },
      },
      ADMIN,
    );
    ids.push(created.data!.createProduct.product!.id);
  }
  const filter = { search: 'Twin Name' };
  const first = await list(filter, 2);
  expect(first.pageInfo.hasNextPage).toBe(true);
  const second = await list(filter, 2, first.pageInfo.endCursor!);
  expect(second.pageInfo.hasNextPage).toBe(false);
  const walked = [...first.edges, ...second.edges].map((e) => e.node.id);
  expect(walked).toHaveLength(3);
  expect([...walked].sort()).toEqual([...ids].sort());
  // Ties on the name are ordered by id.
  expect(walked).toEqual([...ids].sort());
  expect((await list(filter, 3)).pageInfo.hasNextPage).toBe(false);
  const afterOne = await list(filter, 1);
  expect((await list(filter, 2, afterOne.pageInfo.endCursor!)).pageInfo.hasNextPage).toBe(false);
});
