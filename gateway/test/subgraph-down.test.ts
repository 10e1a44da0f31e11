import { ProductsDocument } from '@storefront/client';
import { devSecret } from '@storefront/service-kit';
import { startGateway, tokenFor, type RunningGateway } from '@storefront/testing';
import { deadUrl, post } from './helpers';

/** Static composition: the gateway needs the supergraph file, not the subgraphs, to start. */
let gateway: RunningGateway;
let catalogUrl: string;

beforeAll(async () => {
  catalogUrl = await deadUrl();
  gateway = await startGateway({ catalog: { url: catalogUrl, secret: devSecret('catalog') } }, { GATEWAY_EXPLORER: 'false' });
});
afterAll(() => gateway?.stop());

test('starts, is ready, and reports the subgraph as unavailable', async () => {
  const response = await fetch(new URL('/ready', gateway.url));
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ status: 'ready', service: 'gateway', subgraphs: { catalog: 'unavailable' } });
});

test('a query returns an error without internals, and the gateway keeps serving', async () => {
  for (const headers of [{}, { authorization: `Bearer ${await tokenFor('shopper-1')}` }] as Record<string, string>[]) {
    const response = await post(gateway.url, ProductsDocument, { first: 1 }, headers);
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors?.length).toBeGreaterThan(0);
    const text = JSON.stringify(response.body);
    expect(text).not.toContain(new URL(catalogUrl).port);
    expect(text).not.toContain('ECONNREFUSED');
    expect(text).not.toMatch(/stack/i);
  }
  expect((await fetch(new URL('/health', gateway.url))).status).toBe(200);
});

test('with GATEWAY_EXPLORER=false a browser gets no explorer page or assets', async () => {
  const page = await fetch(gateway.url, { headers: { accept: 'text/html' } });
  expect(await page.text()).not.toContain('GraphiQL');
  expect((await fetch(new URL('/explorer/assets/graphiql.min.js', gateway.url))).status).toBe(404);
});
