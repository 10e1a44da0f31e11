import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP relay in front of one service, for the calls another service makes to it: every request is
 * passed through, except to the paths told to `fail`, which answer 503 without reaching the service
 * (that route down, the rest of the service up), and the next request to a path told to `holdNext`,
 * which waits until `release` (a call in flight while the test acts). Counts the requests it passed on
 * per path, so a test can tell how often a route was really called.
 */
export interface RouteGate {
  /** The GraphQL URL to configure the caller with, in the form services are given (…/graphql). */
  url: string;
  /** Where requests go: the service's GraphQL URL. Set once the service is up (the caller may start first). */
  target: string;
  /** Requests to this path (e.g. `/internal/checkout/complete`) answer 503 until `pass`. */
  fail(path: string): void;
  pass(path: string): void;
  /** The next request to this path waits at the gate (later ones pass) until `release`. */
  holdNext(path: string): void;
  /** Resolves once a request to `path` is waiting at the gate. */
  holding(path: string): Promise<void>;
  /** Sends the waiting request on. */
  release(path: string): void;
  /** How many requests to `path` reached the service. */
  forwarded(path: string): number;
  stop(): Promise<void>;
}

export async function startRouteGate(): Promise<RouteGate> {
  const failing = new Set<string>();
  const counts = new Map<string, number>();
  /** Per path held: resolves the held request on its way (set once it arrives), and a signal of its arrival. */
  const holds = new Map<string, { arrived: Promise<void>; arrive: () => void; go?: () => void }>();
  const server: Server = createServer(async (incoming, outgoing) => {
    const path = incoming.url ?? '/';
    if (failing.has(path)) {
      incoming.resume();
      outgoing.writeHead(503, { 'content-type': 'application/json' }).end('{"errors":[{"message":"route gated by the test"}]}');
      return;
    }
    const hold = holds.get(path);
    if (hold && !hold.go) {
      await new Promise<void>((resolve) => {
        hold.go = resolve;
        hold.arrive();
      });
      holds.delete(path);
    }
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const target = new URL(gate.target);
    const upstream = request(
      { host: target.hostname, port: target.port, path, method: incoming.method, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const gate: RouteGate = {
    url: `http://127.0.0.1:${port}/graphql`,
    target: '',
    fail: (path) => failing.add(path),
    pass: (path) => failing.delete(path),
    holdNext: (path) => {
      let arrive!: () => void;
      const arrived = new Promise<void>((resolve) => (arrive = resolve));
      holds.set(path, { arrived, arrive });
    },
    holding: (path) => holds.get(path)?.arrived ?? Promise.reject(new Error(`${path} is not held`)),
    release: (path) => {
      const go = holds.get(path)?.go;
      if (!go) throw new Error(`no request to ${path} is waiting`);
      go();
    },
    forwarded: (path) => counts.get(path) ?? 0,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return gate;
}
