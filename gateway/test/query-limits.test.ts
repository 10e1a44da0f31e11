import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as client from '@storefront/client';
import { seedCatalog } from '@storefront/catalog';
import { HEADERS, QUERY_LIMIT_CODES } from '@storefront/service-kit';
import {
  startCart,
  startCatalog,
  startGateway,
  startOrder,
  tokenFor,
  type RunningCart,
  type RunningCatalog,
  type RunningGateway,
  type RunningOrder,
} from '@storefront/testing';
import {
  buildASTSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  parse,
  print,
  typeFromAST,
  type DocumentNode,
  type GraphQLInputType,
} from 'graphql';
import { startRecordingProxy, type RecordingProxy } from './helpers';

/**
 * The gateway's query limits against the whole shop over real HTTP: every subgraph sits behind a
 * recording proxy, so a test sees whether a refused operation reached any of them.
 */
let catalog: RunningCatalog;
let cart: RunningCart;
let order: RunningOrder;
let proxies: RecordingProxy[];
let gateway: RunningGateway;

beforeAll(async () => {
  catalog = await startCatalog();
  await seedCatalog(catalog.server.database, 22);
  const catalogEndpoint = { url: catalog.url, secret: catalog.config.secret };
  cart = await startCart(catalogEndpoint);
  const cartEndpoint = { url: cart.url, secret: cart.config.secret };
  order = await startOrder({ catalog: catalogEndpoint, cart: cartEndpoint });
  proxies = await Promise.all([catalog.url, cart.url, order.url].map((url) => startRecordingProxy(url)));
  gateway = await startGateway({
    catalog: { url: proxies[0].url, secret: catalog.config.secret },
    cart: { url: proxies[1].url, secret: cart.config.secret },
    order: { url: proxies[2].url, secret: order.config.secret },
  });
});
afterAll(async () => {
  await gateway?.stop();
  for (const proxy of proxies ?? []) await proxy.stop();
  await order?.stop();
  await cart?.stop();
  await catalog?.stop();
});

const subgraphRequests = () => proxies.reduce((sum, proxy) => sum + proxy.requests.length, 0);

interface Reply {
  status: number;
  ms: number;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function send(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Reply> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Reply['body'];
  return { status: response.status, ms: performance.now() - started, body };
}

const LIMIT_CODES = new Set(Object.values(QUERY_LIMIT_CODES));
const limitErrors = (reply: Reply) => (reply.body.errors ?? []).filter((e) => LIMIT_CODES.has(String(e.extensions?.code)));

/** A refusal: 400 within a second, one typed error naming the limit, and no subgraph saw anything. */
async function expectRefused(query: string, limit: keyof typeof QUERY_LIMIT_CODES, variables: Record<string, unknown> = {}) {
  const before = subgraphRequests();
  const reply = await send(gateway.url, query, variables);
  expect(reply.status).toBe(400);
  expect(reply.body.data).toBeUndefined();
  expect(reply.body.errors).toHaveLength(1);
  const extensions = reply.body.errors![0].extensions!;
  expect(extensions).toEqual({ code: QUERY_LIMIT_CODES[limit], limit, maximum: expect.any(Number), measured: expect.any(Number) });
  expect(extensions.measured as number).toBeGreaterThan(extensions.maximum as number);
  // Functional bound: the attacks took 30 s and more before the limits.
  expect(reply.ms).toBeLessThan(1_000);
  expect(subgraphRequests()).toBe(before);
  return extensions as { maximum: number; measured: number };
}

const schema = buildASTSchema(parse(readFileSync(path.resolve(__dirname, '../../clients/schema.graphql'), 'utf8')));

/** The smallest value of `type` that coerces: required fields only, empty lists, first enum value. */
function sampleValue(type: GraphQLInputType, name: string): unknown {
  if (name === 'first') return 100;
  if (isNonNullType(type)) return sampleValue(type.ofType, name);
  if (isListType(type)) return [];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0].value;
  if (isInputObjectType(named)) {
    const fields = Object.values(named.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return Object.fromEntries(fields.map((f) => [f.name, sampleValue(f.type, f.name)]));
  }
  return ({ Int: 1, Float: 1, Boolean: false } as Record<string, unknown>)[named.name] ?? 'sample';
}

function sampleVariables(document: DocumentNode): Record<string, unknown> {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)!;
  if (operation.kind !== Kind.OPERATION_DEFINITION) return {};
  return Object.fromEntries(
    (operation.variableDefinitions ?? [])
      .filter((v) => isNonNullType(typeFromAST(schema, v.type)!) || v.variable.name.value === 'first')
      .map((v) => [v.variable.name.value, sampleValue(typeFromAST(schema, v.type) as GraphQLInputType, v.variable.name.value)]),
  );
}

const documents = Object.entries(client).filter(([name]) => name.endsWith('Document')) as [string, DocumentNode][];

describe('defaults accept what clients send', () => {
  test.each(documents.map(([name, document]) => [name, document]))('%s, with first: 100 where it pages', async (_name, document) => {
    const reply = await send(gateway.url, print(document), sampleVariables(document), await tokenFor('limits-user', { admin: true }));
    expect(limitErrors(reply)).toEqual([]);
    // Variables that do not coerce would skip the cost estimate: these must coerce.
    expect((reply.body.errors ?? []).filter((e) => /Variable "\$/.test(e.message))).toEqual([]);
  });

  test('a full page of 100 products with variants and their attributes', async () => {
    const reply = await send(gateway.url, print(client.ProductsDocument), { first: 100 });
    expect(reply.status).toBe(200);
    expect(reply.body.errors).toBeUndefined();
    expect((reply.body.data as { products: { edges: unknown[] } }).products.edges).toHaveLength(22);
  });

  test("the explorer's introspection query, every option on", async () => {
    const query = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
    });
    const reply = await send(gateway.url, query);
    expect(reply.status).toBe(200);
    expect(reply.body.errors).toBeUndefined();
  });

  test("README's curl example", async () => {
    const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    const bodies = [...readme.matchAll(/-d '(\{"query".*?\})'/g)].map((m) => JSON.parse(m[1]) as { query: string });
    expect(bodies.length).toBeGreaterThan(0);
    for (const { query } of bodies) {
      const reply = await send(gateway.url, query);
      expect(reply.status).toBe(200);
      expect(reply.body.errors).toBeUndefined();
    }
  });
});

/** `variant -> product -> variants -> product -> ...`, `hops` edges long. */
function variantProductChain(hops: number): string {
  let inner = 'id';
  for (let hop = hops; hop >= 1; hop--) inner = `${hop % 2 === 1 ? 'product' : 'variants'} { id ${inner} }`;
  return `{ variant(id: "x") { id ${inner} } }`;
}

describe('the known attacks are refused before any subgraph sees them', () => {
  test('eight hops of variant -> product -> variants -> product: cost multiplies by variants per product', async () => {
    const query = variantProductChain(8);
    expect(query.length).toBeLessThan(300);
    await expectRefused(query, 'cost');
  });

  test('1,000 aliases of products(first: 100)', async () => {
    const aliases = Array.from({ length: 1_000 }, (_, i) => `p${i}: products(first: 100) { edges { node { id name } } }`);
    await expectRefused(`{ ${aliases.join(' ')} }`, 'tokens');
  });

  test('nesting 700 deep', async () => {
    const { measured } = await expectRefused(`{ ${'product(id: "x") { variants { '.repeat(350)}id${' } }'.repeat(350)} }`, 'tokens');
    expect(measured).toBeGreaterThan(3_500);
  });
});

describe('no other way in', () => {
  test('GET requests meet the same limits', async () => {
    const before = subgraphRequests();
    const aliases = Array.from({ length: 16 }, (_, i) => `k${i}: productKinds { kind }`).join(' ');
    const response = await fetch(`${gateway.url}?query=${encodeURIComponent(`{ ${aliases} }`)}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as Reply['body']).errors![0].extensions).toMatchObject({ code: 'ALIAS_LIMIT_EXCEEDED', measured: 16 });
    expect(subgraphRequests()).toBe(before);
  });

  test('batched requests (several operations in one body) are not accepted', async () => {
    const before = subgraphRequests();
    const one = { query: '{ products(first: 100) { edges { node { id } } } }' };
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Array.from({ length: 100 }, () => one)),
    });
    expect(response.status).toBe(400);
    await response.body?.cancel();
    expect(subgraphRequests()).toBe(before);
  });
});

describe('each limit, alone', () => {
  test('depth', async () => {
    const { maximum, measured } = await expectRefused(variantProductChain(10), 'depth');
    // variant, ten hops, then id: twelve levels of fields.
    expect({ maximum, measured }).toEqual({ maximum: 10, measured: 12 });
  });

  test('aliases', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `k${i}: productKinds { kind }`);
    const { measured } = await expectRefused(`{ ${aliases.join(' ')} }`, 'aliases');
    expect(measured).toBe(16);
  });

  test('directives', async () => {
    const { measured } = await expectRefused(`{ ${'__typename @include(if: true) '.repeat(51)}}`, 'directives');
    expect(measured).toBe(51);
  });

  test('tokens', async () => {
    const { maximum, measured } = await expectRefused(`{ ${'__typename '.repeat(1_000)}}`, 'tokens');
    expect({ maximum, measured }).toEqual({ maximum: 1_000, measured: 1_002 });
  });

  test('cost, with page sizes from variables', async () => {
    const query = 'query($n: Int) { products(first: $n) { edges { node { variants { product { variants { id } } } } } } }';
    const { maximum, measured } = await expectRefused(query, 'cost', { n: 100 });
    // Each field 1 plus its selection times its list size: products x100 (first), variants x100 (the
    // catalog's cap) twice; edges count once, the page size being applied already.
    const variants = (child: number) => 1 + 100 * child;
    const node = 1 + variants(1 + variants(1));
    expect({ maximum, measured }).toEqual({ maximum: 250_000, measured: 1 + 100 * (1 + node) });
    const before = subgraphRequests();
    const mistyped = await send(gateway.url, query, { n: 'a hundred' });
    expect(mistyped.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(subgraphRequests()).toBe(before);
    const smaller = await send(gateway.url, query, { n: 20 });
    expect(smaller.status).toBe(200);
    expect(smaller.body.errors).toBeUndefined();
  });

  test('fragments spread into each other many times over cannot hide cost', async () => {
    const fragments = ['fragment F0 on ProductKindInfo { kind label }'];
    for (let i = 1; i <= 16; i++) fragments.push(`fragment F${i} on ProductKindInfo { ...F${i - 1} ... on ProductKindInfo { ...F${i - 1} } }`);
    await expectRefused(`{ productKinds { ...F16 } } ${fragments.join(' ')}`, 'cost');
  });
});

describe('operators raise limits by configuration', () => {
  let raised: RunningGateway;
  let capped: RunningGateway;
  beforeAll(async () => {
    const subgraphs = { catalog: { url: catalog.url, secret: catalog.config.secret } };
    raised = await startGateway(subgraphs, { GATEWAY_MAX_ALIASES: '20', GATEWAY_MAX_COST: '2000000', GATEWAY_MAX_TOKENS: '1500' });
    capped = await startGateway(subgraphs, { CATALOG_MAX_VARIANTS_PER_PRODUCT: '10' });
  });
  afterAll(async () => {
    await raised?.stop();
    await capped?.stop();
  });

  test('what the defaults refuse, raised limits accept', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `k${i}: productKinds { kind }`).join(' ');
    expect((await send(raised.url, `{ ${aliases} }`)).body.errors).toBeUndefined();
    const costly = '{ products(first: 100) { edges { node { variants { product { variants { id } } } } } } }';
    expect((await send(raised.url, costly)).body.errors).toBeUndefined();
    // About 1,200 tokens in one list argument (graphql-js itself stops validating hundreds of identical fields).
    const values = Array.from({ length: 130 }, () => '{ name: "size", value: "M" }').join(' ');
    const long = `{ products(first: 1, filter: { attributes: [${values}] }) { totalCount } }`;
    expect((await send(gateway.url, long)).body.errors![0].extensions!.code).toBe('TOKEN_LIMIT_EXCEEDED');
    const reply = await send(raised.url, long);
    // Argument validation may refuse so many values; the token limit no longer does.
    expect(reply.body.errors?.map((e) => e.extensions?.code) ?? []).not.toContain('TOKEN_LIMIT_EXCEEDED');
    expect(reply.body.errors?.map((e) => e.extensions?.code) ?? []).not.toContain('GRAPHQL_VALIDATION_FAILED');
  });

  test('at the highest token limit allowed, the deepest document is still measured and refused', async () => {
    const most = await startGateway({ catalog: { url: catalog.url, secret: catalog.config.secret } }, { GATEWAY_MAX_TOKENS: '6000' });
    try {
      // Three tokens per level (name, braces): about 2,000 levels within 6,000 tokens.
      const reply = await send(most.url, `{ ${'productKinds { '.repeat(1_990)}kind${' }'.repeat(1_990)} }`);
      expect(reply.status).toBe(400);
      expect(reply.body.errors![0].extensions).toMatchObject({ code: 'DEPTH_LIMIT_EXCEEDED', measured: 1_991 });
    } finally {
      await most.stop();
    }
  });

  test('the cost of Product.variants follows CATALOG_MAX_VARIANTS_PER_PRODUCT, the cap the catalog enforces', async () => {
    // 8 hops, 4 variant lists: 100^4 by default, 10^4 with the catalog's cap at 10.
    const reply = await send(capped.url, variantProductChain(8));
    expect(reply.status).toBe(200);
    expect(limitErrors(reply)).toEqual([]);
  });
});

describe('subgraphs guard their own depth', () => {
  /** `product -> variants -> product -> ...` with `depth` levels of fields, the last one `id`. */
  function deep(depth: number): string {
    let inner = 'id';
    for (let level = depth - 1; level >= 2; level--) inner = `${level % 2 === 0 ? 'variants' : 'product'} { ${inner} }`;
    return `{ product(id: "x") { ${inner} } }`;
  }

  async function direct(query: string) {
    const response = await fetch(catalog.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [HEADERS.secret]: catalog.config.secret },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, body: (await response.json()) as Reply['body'] };
  }

  test('an internal caller without the gateway is refused past SUBGRAPH_MAX_DEPTH', async () => {
    const reply = await direct(deep(17));
    expect(reply.status).toBe(400);
    expect(reply.body.errors![0].extensions).toEqual({ code: 'DEPTH_LIMIT_EXCEEDED', limit: 'depth', maximum: 16, measured: 17 });
    expect((await direct(deep(16))).status).toBe(200);
  });

  test('a document too deep to even parse is refused as bad input, not a server error', async () => {
    const reply = await direct(deep(5_000));
    expect(reply.status).toBe(400);
    expect(reply.body.errors![0].extensions!.code).toBe('GRAPHQL_PARSE_FAILED');
    expect((await direct(deep(2))).status).toBe(200);
  });

  test('what the gateway forwards passes the subgraphs, _entities included', async () => {
    const variantId = await firstVariantId();
    // The cart's lines resolve their variants in the catalog through _entities, one level deeper there.
    const query = `mutation($v: ID!) { addToCart(variantId: $v) { cart { lines { variant { product { variants { product { price { amount } } } } } } } } }`;
    const before = proxies[0].requests.length;
    const reply = await send(gateway.url, query, { v: variantId }, await tokenFor('deep-user'));
    expect(reply.body.errors).toBeUndefined();
    expect(proxies[0].requests.length).toBeGreaterThan(before);
  });
});

async function firstVariantId(): Promise<string> {
  const reply = await send(gateway.url, '{ products(first: 1) { edges { node { variants { id } } } } }');
  return (reply.body.data as { products: { edges: { node: { variants: { id: string }[] } }[] } }).products.edges[0].node.variants[0].id;
}
