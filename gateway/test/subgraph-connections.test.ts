import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { startCatalog, startGateway, type RunningCatalog, type RunningGateway } from '@storefront/testing';

/**
 * The gateway closes its connections to a subgraph after GATEWAY_SUBGRAPH_CONNECTION_TTL_MS, so behind
 * a balancer that spreads connections rather than requests (a Kubernetes Service), a replica added
 * later gets traffic. Here: two real catalog subgraphs behind a round-robin TCP relay, the second one
 * added while the gateway is already sending queries.
 */
let replicas: RunningCatalog[];
let relay: net.Server;
let relayUrl: string;
/** The replicas the relay sends new connections to, in turn, and how many each got. */
const backends: { port: number; connections: number }[] = [];
let turn = 0;

beforeAll(async () => {
  // Replicas of one service share its secret.
  const env = { CATALOG_SUBGRAPH_SECRET: 'catalog-replicas-secret-0123456789' };
  replicas = [await startCatalog(env), await startCatalog(env)];
  relay = net.createServer((client) => {
    const backend = backends[turn++ % backends.length];
    backend.connections += 1;
    const upstream = net.connect(backend.port, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  relay?.close();
  await Promise.all((replicas ?? []).map((r) => r.stop()));
});

const portOf = (replica: RunningCatalog) => Number(new URL(replica.url).port);

/** Sends queries one after another for `ms` through a gateway made with `env`; returns the connections each replica got. */
async function spreadOver(env: Record<string, string>, ms: number): Promise<number[]> {
  backends.length = 0;
  backends.push({ port: portOf(replicas[0]), connections: 0 });
  turn = 0;
  const gateway: RunningGateway = await startGateway({ catalog: { url: relayUrl, secret: replicas[0].config.secret } }, env);
  try {
    const query = async () => {
      const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ products(first: 1) { totalCount } }"}' });
      expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    };
    await query();
    // A second replica joins the balancer (both catalogs share the subgraph secret the gateway sends).
    backends.push({ port: portOf(replicas[1]), connections: 0 });
    for (const deadline = Date.now() + ms; Date.now() < deadline; ) await query();
    return backends.map((b) => b.connections);
  } finally {
    await gateway.stop();
  }
}

test('with a 1 s connection lifetime, the replica added later gets connections within a few seconds', async () => {
  const [first, added] = await spreadOver({ GATEWAY_SUBGRAPH_CONNECTION_TTL_MS: '1000' }, 3_500);
  expect(first).toBeGreaterThanOrEqual(1);
  expect(added).toBeGreaterThanOrEqual(1);
});

test('with the default lifetime (30 s), the one connection stays on the first replica meanwhile', async () => {
  const [first, added] = await spreadOver({}, 3_500);
  expect([first, added]).toEqual([1, 0]);
});
