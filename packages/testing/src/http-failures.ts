import net from 'node:net';
import zlib from 'node:zlib';

/** One HTTP-level failure a client can cause, and how a service must answer it. */
export interface HttpFailureCase {
  name: string;
  /** Path relative to the service's base URL (no leading slash), e.g. `graphql`. */
  path: string;
  init: RequestInit;
  status: number;
  code: string;
}

const JSON_TYPE = { 'content-type': 'application/json' };

let bomb: Buffer | undefined;
/** 64 MB of spaces compresses to about 64 kB: small on the wire, far over the limit once inflated. Made once. */
function theGzipBomb(): Buffer {
  bomb ??= zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024, 32));
  return bomb;
}

/**
 * The failures every service answers the same way (gateway at `/`, subgraphs at `/graphql` and
 * `/internal/...`): `graphqlPath` is where the service reads JSON bodies, `headers` what it needs to get
 * that far (a subgraph's secret).
 */
export function httpFailureCases(graphqlPath: string, headers: Record<string, string> = {}): HttpFailureCase[] {
  const post = (extra: Record<string, string>, body: string | Buffer): RequestInit => ({
    method: 'POST',
    headers: { ...JSON_TYPE, ...headers, ...extra },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  const gzipBomb = theGzipBomb();
  return [
    { name: 'malformed JSON', path: graphqlPath, init: post({}, '{"query": "{ __typename }"'), status: 400, code: 'BAD_REQUEST' },
    { name: 'JSON null body', path: graphqlPath, init: post({}, 'null'), status: 400, code: 'BAD_REQUEST' },
    {
      name: '2 MB body',
      path: graphqlPath,
      init: post({}, JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(2 * 1024 * 1024) } })),
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    },
    { name: 'gzip bomb', path: graphqlPath, init: post({ 'content-encoding': 'gzip' }, gzipBomb), status: 413, code: 'PAYLOAD_TOO_LARGE' },
    { name: 'corrupt gzip', path: graphqlPath, init: post({ 'content-encoding': 'gzip' }, 'not gzip at all'), status: 400, code: 'BAD_REQUEST' },
    { name: 'unsupported encoding', path: graphqlPath, init: post({ 'content-encoding': 'compress' }, '{}'), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    {
      name: 'unsupported charset',
      path: graphqlPath,
      init: post({ 'content-type': 'application/json; charset=latin9' }, '{}'),
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
    { name: 'unknown path', path: 'no/such/route', init: { method: 'GET' }, status: 404, code: 'NOT_FOUND' },
    { name: 'undecodable path', path: 'explorer/assets/%E0%A4%A', init: { method: 'GET' }, status: 400, code: 'BAD_REQUEST' },
    { name: 'PUT on the GraphQL endpoint', path: graphqlPath, init: { method: 'PUT', headers: { ...JSON_TYPE, ...headers }, body: '{}' }, status: 405, code: 'METHOD_NOT_ALLOWED' },
    { name: 'wrong method on /health', path: 'health', init: { method: 'POST' }, status: 405, code: 'METHOD_NOT_ALLOWED' },
    { name: 'wrong method on /ready', path: 'ready', init: { method: 'DELETE' }, status: 405, code: 'METHOD_NOT_ALLOWED' },
  ];
}

/**
 * What an answer must never contain: a stack frame, a file path, an address, an HTML error page, an
 * error class name from a library.
 */
export const INTERNALS = [
  /\bat \S+ \(/, // stack frame
  /\/(work|home|usr|tmp|app)\//, // file path
  /node_modules|\.[jt]s:\d+/,
  /\b\d{1,3}(\.\d{1,3}){3}\b/, // IPv4 address
  /localhost|\[::1\]/,
  /<html|<pre>|<!DOCTYPE/i,
  /\b\w+Error\b/, // SyntaxError, PayloadTooLargeError, URIError...
];

export function internalsIn(text: string): string[] {
  return INTERNALS.filter((pattern) => pattern.test(text)).map(String);
}

/**
 * Sends raw bytes and returns the raw answer: for requests Node's own HTTP parser refuses before any
 * framework sees them (fetch cannot send those).
 */
export function rawHttp(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname.replace(/^\[|\]$/g, ''));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.write(bytes);
  });
}
