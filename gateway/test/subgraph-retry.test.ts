import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGateway, type RunningGateway } from '@storefront/testing';
import { HEADERS, transportFailureOf } from '@storefront/service-kit';
import { deadUrl } from './helpers';

/**
 * The gateway sends a subgraph request again only when that is safe: a query whose connection broke
 * with no response is retried once; a mutation never is (the subgraph may have made the change).
 * A stand-in subgraph on a real socket breaks the first connection of each operation it receives, or
 * answers as a load balancer in front of it would (`proxyAnswers`).
 */
let gateway: RunningGateway;
let subgraph: http.Server;
const received: string[] = [];
/** The `x-retry-safe` mark of each request received. */
const marks: (string | undefined)[] = [];
/** Statuses to answer, in turn, as the proxy in front of a subgraph would (before any cut-off). */
const proxyAnswers: number[] = [];
/** Operations whose first delivery has been cut off already. */
const cut = new Set<string>();

beforeAll(async () => {
  subgraph = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const { query } = JSON.parse(body) as { query: string };
      const operation = query.trimStart().startsWith('mutation') ? 'mutation' : 'query';
      received.push(operation);
      marks.push(req.headers[HEADERS.retrySafe] as string | undefined);
      const proxyStatus = proxyAnswers.shift();
      if (proxyStatus) {
        res.writeHead(proxyStatus, { 'content-type': 'text/html' }).end('<html><body><h1>proxy error</h1></body></html>');
        return;
      }
      if (!cut.has(operation)) {
        cut.add(operation);
        req.socket.destroy(); // connection reset, no response
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(operation === 'mutation' ? { data: { createGuestCart: { guestCartToken: 'tok' } } } : { data: { products: { totalCount: 3 } } }));
    });
  });
  await new Promise<void>((resolve) => subgraph.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(subgraph.address() as AddressInfo).port}/graphql`;
  gateway = await startGateway({ catalog: { url, secret: 'stand-in-secret-0123' }, cart: { url, secret: 'stand-in-secret-0123' } });
});

afterAll(async () => {
  await gateway?.stop();
  await new Promise((resolve) => subgraph?.close(resolve));
});

async function run(query: string) {
  const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

test('a query cut off with no response is sent once more and answers', async () => {
  received.length = 0;
  expect(await run('{ products(first: 1) { totalCount } }')).toEqual({ data: { products: { totalCount: 3 } } });
  expect(received).toEqual(['query', 'query']);
  expect(marks).toEqual(['1', '1']);
});

test('a mutation cut off with no response is not sent again, and says the outcome is unknown', async () => {
  received.length = 0;
  const body = await run('mutation { createGuestCart { guestCartToken } }');
  expect(received).toEqual(['mutation']);
  expect(body.errors).toEqual([
    {
      message: 'The cart service broke off before answering; the change may or may not have been made.',
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'cart', outcome: 'UNKNOWN' },
    },
  ]);
  expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNRESET|socket/i);
});

test('only queries carry the retry-safe mark a load balancer honours; a client cannot set it on a mutation', async () => {
  received.length = 0;
  marks.length = 0;
  cut.add('query').add('mutation'); // answer at once
  await run('{ products(first: 1) { totalCount } }');
  await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [HEADERS.retrySafe]: '1' },
    body: JSON.stringify({ query: 'mutation { createGuestCart { guestCartToken } }' }),
  });
  expect(received).toEqual(['query', 'mutation']);
  expect(marks).toEqual(['1', undefined]);
});

describe('a load balancer answering for the subgraph', () => {
  beforeAll(() => cut.add('query').add('mutation'));
  afterEach(() => (proxyAnswers.length = 0));

  test.each([502, 504])('%i to a mutation (it reached a replica that broke off or hung): outcome UNKNOWN', async (status) => {
    proxyAnswers.push(status);
    const body = await run('mutation { createGuestCart { guestCartToken } }');
    expect(body.errors).toEqual([
      {
        message: 'The cart service broke off before answering; the change may or may not have been made.',
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'cart', outcome: 'UNKNOWN' },
      },
    ]);
  });

  test('503 to a mutation (no replica took it): unavailable, with nothing made', async () => {
    proxyAnswers.push(503);
    const body = await run('mutation { createGuestCart { guestCartToken } }');
    expect(body.errors).toEqual([{ message: 'The cart service could not be reached.', extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'cart' } }]);
  });

  test.each([502, 503, 504])('%i to a query: unavailable (a read has no outcome to doubt)', async (status) => {
    proxyAnswers.push(status);
    const body = await run('{ products(first: 1) { totalCount } }');
    expect(body.errors).toEqual([
      expect.objectContaining({ message: 'The catalog service could not be reached.', extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'catalog' } }),
    ]);
    expect(JSON.stringify(body)).not.toMatch(/proxy error|<html/);
  });
});

test('transport failures are told apart from real sockets: refused, reset, timed out', async () => {
  const refused = await fetch(await deadUrl()).catch((error: unknown) => error);
  expect(transportFailureOf(refused)).toBe('connect');

  const resetting = http.createServer((req) => req.socket.destroy());
  await new Promise<void>((resolve) => resetting.listen(0, '127.0.0.1', resolve));
  const resetUrl = `http://127.0.0.1:${(resetting.address() as AddressInfo).port}/`;
  const reset = await fetch(resetUrl, { method: 'POST', body: '{}' }).catch((error: unknown) => error);
  expect(transportFailureOf(reset)).toBe('reset');

  const hanging = http.createServer(() => undefined);
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  const hangUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/`;
  const timedOut = await fetch(hangUrl, { signal: AbortSignal.timeout(200) }).catch((error: unknown) => error);
  expect(transportFailureOf(timedOut)).toBe('timeout');

  // A subgraph that answered (even with an error status) is not a transport failure.
  expect(transportFailureOf(new Error('500: Internal Server Error'))).toBeUndefined();
  hanging.closeAllConnections();
  await Promise.all([resetting, hanging].map((server) => new Promise((resolve) => server.close(resolve))));
});
