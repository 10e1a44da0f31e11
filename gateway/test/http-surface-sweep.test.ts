import zlib from 'node:zlib';
import { internalsIn, startCatalog, startGateway, type RunningCatalog, type RunningGateway } from '@storefront/testing';

/**
 * Beyond the named failures: a deterministic sweep over methods x paths x content types x encodings x
 * bodies, against the real gateway and the real catalog subgraph behind it. Whatever a client sends at
 * the HTTP level, the answer is never a 5xx, and any body is JSON in the GraphQL shape (`data` or
 * `errors` with a code) with nothing internal in it.
 */
let catalog: RunningCatalog;
let gateway: RunningGateway;
beforeAll(async () => {
  catalog = await startCatalog();
  gateway = await startGateway({ catalog: { url: catalog.url, secret: catalog.config.secret } });
});
afterAll(async () => {
  await gateway?.stop();
  await catalog?.stop();
});

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];
const PATHS = ['', '?query=%7B__typename%7D', '?query=%7B', 'graphql', 'health', 'ready', 'internal/stock/reserve', 'explorer/assets/nope.js', '%ZZ', 'a/b/../c', '.env'];
const CONTENT_TYPES = [
  undefined,
  'application/json',
  'application/json; charset=utf-16',
  'application/json; charset=iso-8859-1',
  'text/plain',
  'application/graphql',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
];
const BODIES = ['', '{', 'null', '[]', '"text"', '{"query":"{ __typename }"}', '{"query":1}', '{"query":"{ products(first: 1) { totalCount } }","variables":[]}', '\u0000\u0001'];
const ENCODINGS: (undefined | string)[] = [undefined, 'gzip', 'gzip-corrupt', 'deflate', 'br', 'x-unknown', 'gzip, gzip'];

/** A small seeded generator (mulberry32): the same 700 combinations on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function encode(body: string, encoding: string | undefined): { body: Uint8Array | string; header?: string } {
  switch (encoding) {
    case undefined:
      return { body };
    case 'gzip':
      return { body: new Uint8Array(zlib.gzipSync(body)), header: 'gzip' };
    case 'gzip-corrupt':
      return { body: new Uint8Array(zlib.gzipSync(body).subarray(0, 5)), header: 'gzip' };
    case 'deflate':
      return { body: new Uint8Array(zlib.deflateSync(body)), header: 'deflate' };
    case 'br':
      return { body: new Uint8Array(zlib.brotliCompressSync(body)), header: 'br' };
    case 'gzip, gzip':
      return { body: new Uint8Array(zlib.gzipSync(zlib.gzipSync(body))), header: 'gzip, gzip' };
    default:
      return { body, header: encoding };
  }
}

const COMBINATIONS = 700;

test.each([
  ['the gateway', () => gateway.url, {}],
  ['the catalog subgraph (with its secret)', () => catalog.url.replace(/graphql$/, ''), { secret: true }],
])(`%s: ${COMBINATIONS} seeded HTTP requests, no 5xx, only GraphQL-shaped JSON, no internals`, async (_name, base, options) => {
  const next = random(20261203);
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)];
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  for (let i = 0; i < COMBINATIONS; i++) {
    const method = pick(METHODS);
    const path = pick(PATHS);
    const contentType = pick(CONTENT_TYPES);
    const encoded = encode(pick(BODIES), pick(ENCODINGS));
    const headers: Record<string, string> = { accept: 'application/json' };
    if ((options as { secret?: boolean }).secret) headers['x-subgraph-secret'] = catalog.config.secret;
    if (contentType) headers['content-type'] = contentType;
    if (encoded.header) headers['content-encoding'] = encoded.header;
    const sendsBody = method !== 'GET' && method !== 'HEAD';
    const url = `${base()}${path}`;
    const response = await fetch(url, { method, headers, body: sendsBody ? encoded.body : undefined });
    const text = await response.text();
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    const what = `${method} /${path} ${contentType ?? '-'} ${encoded.header ?? '-'} -> ${response.status} ${text.slice(0, 160)}`;
    if (response.status >= 500) failures.push(`5xx: ${what}`);
    const leaks = internalsIn(text);
    if (leaks.length > 0) failures.push(`internals ${leaks.join(' ')}: ${what}`);
    if (text === '') continue; // HEAD, 204 preflights
    let body: { data?: unknown; errors?: { message?: unknown; extensions?: { code?: unknown } }[]; status?: unknown };
    try {
      body = JSON.parse(text);
    } catch {
      failures.push(`not JSON: ${what}`);
      continue;
    }
    // /health and /ready answer their own small JSON ({ status: ... }); everything else is GraphQL-shaped.
    const graphqlShaped =
      body.data !== undefined ||
      (Array.isArray(body.errors) && body.errors.every((e) => typeof e.message === 'string' && typeof e.extensions?.code === 'string'));
    if (!graphqlShaped && typeof body.status !== 'string') failures.push(`not GraphQL-shaped: ${what}`);
  }
  expect(failures).toEqual([]);
  // The sweep really covered refusals of many kinds, and successes.
  expect([...statuses.keys()]).toEqual(expect.arrayContaining([200, 400, 404, 405, 415]));
}, 60_000);
