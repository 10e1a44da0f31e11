import { ProductDocument, ProductsDocument, execute } from '@storefront/client';
import { startCatalog, type RunningCatalog } from '@storefront/testing';
import { seedCatalog } from '../src/services/catalog-seeder';

let catalog: RunningCatalog;

beforeAll(async () => {
  catalog = await startCatalog();
  await seedCatalog(catalog.server.database, 22);
});
afterAll(() => catalog?.stop());

test('refuses requests without the subgraph secret', async () => {
  const response = await execute(catalog.url, ProductsDocument, { first: 1 });
  expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  expect(response.data).toBeUndefined();
});

test('lists products with typed attributes directly on the subgraph', async () => {
  const result = await execute(catalog.url, ProductsDocument, { first: 5 }, { headers: catalog.headers() });
  expect(result.errors).toBeUndefined();
  expect(result.data?.products.totalCount).toBe(22);
  const node = result.data!.products.edges[0].node;
  const product = await execute(catalog.url, ProductDocument, { id: node.id }, { headers: catalog.headers() });
  expect(product.data?.product?.name).toBe(node.name);
});
