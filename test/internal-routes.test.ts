import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CART_API, CATALOG_API } from '@storefront/contracts';
import { startShopStack, type ShopStack } from '@storefront/testing';

let stack: ShopStack;
beforeAll(async () => (stack = await startShopStack()));
afterAll(() => stack?.stop());

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** Stock, cart snapshots and clearing are service-to-service only: never public, always behind a secret. */
describe('internal steps of checkout', () => {
  const internal = () => [
    { base: stack.catalog.url, routes: Object.values(CATALOG_API).map((r) => r.path), secret: stack.catalog.config.secret },
    { base: stack.cart.url, routes: Object.values(CART_API).map((r) => r.path), secret: stack.cart.config.secret },
  ];
  const body = { reservationId: 'x', items: [{ variantId: 'v', quantity: 1 }], userId: 'u', checkoutId: 'c', lines: [], ids: [] };

  test('are not reachable through the gateway', async () => {
    for (const { routes } of internal()) {
      for (const route of routes) {
        const response = await post(new URL(`/internal${route}`, stack.url).toString(), body);
        expect(response.status).toBe(404);
      }
    }
  });

  test('are not part of the public schema', () => {
    const api = readFileSync(path.join(__dirname, '..', 'clients', 'schema.graphql'), 'utf8');
    expect(api).not.toMatch(/reserve|claim|_entities|completeCheckout|releaseCheckout/i);
  });

  test('need the service’s own secret, even with identity headers', async () => {
    for (const { base, routes, secret } of internal()) {
      for (const route of routes) {
        const url = base.replace(/\/graphql$/, `/internal${route}`);
        const attempts: Record<string, string>[] = [{}, { 'x-subgraph-secret': 'a-guess-at-the-secret', 'x-user-id': 'u', 'x-user-roles': 'admin' }];
        for (const headers of attempts) {
          expect((await post(url, body, headers)).status).toBe(401);
        }
        // Another service's secret does not open these routes either.
        const other = internal().find((s) => s.secret !== secret)!.secret;
        expect((await post(url, body, { 'x-subgraph-secret': other })).status).toBe(401);
      }
    }
  });
});
