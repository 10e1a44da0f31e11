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

// Last in this file: it closes the catalog's database.
test('/ready answers 503 once the database is unreachable, while /health (alive) stays 200', async () => {
  const base = catalog.url.replace(/\/graphql$/, '');
  expect((await fetch(`${base}/ready`)).status).toBe(200);
  await catalog.server.database.close();
  const ready = await fetch(`${base}/ready`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toMatchObject({ status: 'unavailable', service: 'catalog' });
  expect((await fetch(`${base}/health`)).status).toBe(200);
});
