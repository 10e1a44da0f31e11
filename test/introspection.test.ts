import { HEADERS, type SubgraphConfig, type SubgraphServer } from '@storefront/service-kit';
import { startCart, startCatalog, startGateway, startOrder, type InProcessSubgraph } from '@storefront/testing';

/**
 * Introspection is for development: in production no subgraph describes its schema, even to a caller
 * holding its secret (a leaked secret must not hand out the internal API), and neither does the gateway
 * (also tested on its production process: gateway/test/production-mode.test.ts). Each service runs here
 * in this process, once per mode, with the secrets production requires.
 */

/** Nothing listens here: the subgraphs' peers are never called by these tests. */
const NOWHERE = 'http://127.0.0.1:9/graphql';

type Mode = 'production' | 'development';

function envFor(mode: Mode): Record<string, string> {
  return {
    NODE_ENV: mode,
    CATALOG_SUBGRAPH_SECRET: 'catalog-secret-for-this-test',
    CART_SUBGRAPH_SECRET: 'cart-secret-for-this-test-0',
    ORDER_SUBGRAPH_SECRET: 'order-secret-for-this-test-0',
  };
}

type Subgraph = InProcessSubgraph<SubgraphConfig, SubgraphServer>;

const peers = { url: NOWHERE, secret: 'unused' };
const SUBGRAPHS: Record<string, (env: Record<string, string>) => Promise<Subgraph>> = {
  catalog: (env) => startCatalog(env),
  cart: (env) => startCart(peers, { ...env, CATALOG_URL: NOWHERE }),
  order: (env) => startOrder({ catalog: peers, cart: peers }, { ...env, CATALOG_URL: NOWHERE, CART_URL: NOWHERE }),
};

const QUERIES = ['{ __schema { queryType { name } } }', '{ __type(name: "Query") { name } }'];

async function ask(subgraph: Subgraph, query: string) {
  const response = await fetch(subgraph.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [HEADERS.secret]: subgraph.config.secret },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } };
}

/** Starts `name` in `mode` and runs `check` on the answer to each introspection query. */
async function introspect(name: string, mode: Mode, check: (answer: Awaited<ReturnType<typeof ask>>) => void) {
  const subgraph = await SUBGRAPHS[name](envFor(mode));
  try {
    expect(subgraph.config.nodeEnv).toBe(mode);
    for (const query of QUERIES) check(await ask(subgraph, query));
  } finally {
    await subgraph.stop();
  }
}

describe.each(Object.keys(SUBGRAPHS))('the %s subgraph', (name) => {
  test('refuses introspection in production, to a caller with its secret too', () =>
    introspect(name, 'production', ({ status, body }) => {
      expect(status).toBe(400);
      expect(body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(body.data).toBeUndefined();
    }));

  test('answers introspection in development', () =>
    introspect(name, 'development', ({ status, body }) => {
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(JSON.stringify(body.data)).toContain('"Query"');
    }));
});

describe('the gateway', () => {
  async function gatewayIntrospection(mode: Mode) {
    const env = envFor(mode);
    const catalog = await startCatalog(env);
    const gateway = await startGateway(
      { catalog: { url: catalog.url, secret: catalog.config.secret } },
      { ...env, JWT_SECRET: 'a-production-secret-for-this-test-0123456789' },
    );
    try {
      expect(gateway.config.nodeEnv).toBe(mode);
      const answers = [];
      for (const query of QUERIES) {
        const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
        answers.push({ status: response.status, body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } });
      }
      return answers;
    } finally {
      await gateway.stop();
      await catalog.stop();
    }
  }

  test('refuses introspection in production', async () => {
    for (const { status, body } of await gatewayIntrospection('production')) {
      expect(status).toBe(400);
      expect(body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(body.data).toBeUndefined();
    }
  });

  test('answers introspection in development', async () => {
    for (const { status, body } of await gatewayIntrospection('development')) {
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(JSON.stringify(body.data)).toContain('"Query"');
    }
  });
});
