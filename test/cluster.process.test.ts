import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CreateGuestCartDocument, execute, ProductsDocument } from '@storefront/client';
import { dropDatabase } from '@storefront/service-kit';
import { eventually, freePort, REPO_ROOT, startCluster, type Cluster, type ClusterOptions, type ClusterPorts, type ReplicaEntry } from '@storefront/testing';

/**
 * The scalable stage on real processes: HAProxy in front of two replicas of every service, each on its
 * own loopback address, on the MariaDB server this machine runs (databases of this test's own names).
 * The public ports are free ports, and the replicas' addresses a /16 of their own, so a developer's
 * `npm run cluster` or `npm start` is never touched.
 */
const DATABASE_URL = process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306';
const tag = randomBytes(3).toString('hex');
const dir = mkdtempSync(path.join(os.tmpdir(), 'storefront-cluster-'));
let options: ClusterOptions;
let cluster: Cluster;

async function freePorts(): Promise<ClusterPorts> {
  const [gateway, catalog, cart, order, https, stats] = await Promise.all(Array.from({ length: 6 }, () => freePort()));
  return { gateway, catalog, cart, order, https, stats };
}

beforeAll(async () => {
  options = {
    dir,
    counts: { gateway: 2, catalog: 2, cart: 2, order: 2 },
    databaseUrl: DATABASE_URL,
    databaseNames: { catalog: `cluster_${tag}_catalog`, cart: `cluster_${tag}_cart`, order: `cluster_${tag}_order` },
    ports: await freePorts(),
    net: 100 + (process.pid % 100),
    checkIntervalMs: 500,
    logLevel: 'warn',
  };
}, 30_000);

afterAll(async () => {
  await cluster?.stop();
  for (const databaseName of Object.values(options.databaseNames)) await dropDatabase({ databaseUrl: DATABASE_URL, databaseName, dataDir: dir });
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

const replicasFile = () => JSON.parse(readFileSync(path.join(dir, 'replicas.json'), 'utf8')) as ReplicaEntry[];
const commandOf = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);

test('it refuses to start, saying why, while a public port is taken', async () => {
  const squatter = net.createServer();
  await new Promise<void>((resolve) => squatter.listen(options.ports!.catalog, '127.0.0.1', resolve));
  try {
    await expect(startCluster(options)).rejects.toThrow(`127.0.0.1:${options.ports!.catalog} (catalog) is in use`);
  } finally {
    await new Promise((resolve) => squatter.close(resolve));
  }
  expect(existsSync(path.join(dir, 'replicas.json'))).toBe(false);
});

test('it starts every replica behind HAProxy, stopping what a killed run left, and lists each serving process', async () => {
  // What a killed run leaves: its replicas.json naming a process of this project that still runs.
  const leftover = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', path.join(REPO_ROOT, 'leftover-replica')], { stdio: 'ignore' });
  const leftoverExit = new Promise((resolve) => leftover.once('exit', resolve));
  writeFileSync(path.join(dir, 'replicas.json'), JSON.stringify([{ id: 'catalog-1', service: 'catalog', pid: leftover.pid, host: '127.0.0.51', port: 4001 }]));
  // and its HAProxy (here a stand-in whose command line names the cluster's configuration, as HAProxy's does)
  const balancer = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', path.join(dir, 'haproxy.cfg')], { stdio: 'ignore' });
  const balancerExit = new Promise((resolve) => balancer.once('exit', resolve));
  writeFileSync(path.join(dir, 'haproxy.pid'), `${balancer.pid}\n`);

  cluster = await startCluster({ ...options, fresh: true });
  await Promise.all([leftoverExit, balancerExit]);
  expect(readFileSync(path.join(dir, 'haproxy.pid'), 'utf8').trim()).toBe(String(cluster.haproxyPid()));

  const entries = replicasFile();
  expect(entries.map((e) => e.id).sort()).toEqual(['cart-1', 'cart-2', 'catalog-1', 'catalog-2', 'gateway-1', 'gateway-2', 'order-1', 'order-2']);
  expect(new Set(entries.map((e) => e.host)).size).toBe(entries.length);
  for (const entry of entries) {
    expect(Object.keys(entry).sort()).toEqual(['host', 'id', 'pid', 'port', 'service']);
    expect(entry.id.startsWith(`${entry.service}-`)).toBe(true);
    expect(entry.host).toMatch(new RegExp(`^127\\.${options.net}\\.\\d+\\.\\d+$`));
    // the serving process itself: node running the service's entry point, not npm, a shell or a wrapper
    const command = commandOf(entry.pid);
    expect(command[0]).toBe(process.execPath);
    expect(command.at(-1)).toBe(path.join(REPO_ROOT, entry.service === 'gateway' ? 'gateway' : `subgraphs/${entry.service}`, 'src/index.ts'));
    expect((await fetch(`http://${entry.host}:${entry.port}/ready`)).status).toBe(200);
  }

  // Through the balancer: the demo catalog (loaded once, by one replica), and TLS with HSTS.
  const products = await execute(cluster.url, ProductsDocument, { first: 100 });
  expect(products.errors).toBeUndefined();
  const names = products.data!.products.edges.map((e) => e.node.name);
  expect(names.length).toBeGreaterThan(0);
  expect(new Set(names).size).toBe(names.length);
}, 240_000);

test('HTTPS on its own port answers with HSTS and the security headers', async () => {
  const { status, headers } = await httpsPost(cluster.httpsUrl, '{"query":"{ __typename }"}');
  expect(status).toBe(200);
  expect(headers['strict-transport-security']).toMatch(/^max-age=\d{7,}/);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
});

test('a replica killed with SIGKILL leaves replicas.json at once and is back, under a new pid, while reads never fail', async () => {
  const victim = replicasFile().find((e) => e.id === 'catalog-1')!;
  const url = cluster.url;
  let reads = 0;
  let reading = true;
  const failures: string[] = [];
  const reader = (async () => {
    while (reading) {
      const answer = await execute(url, ProductsDocument, { first: 2 }).catch((error: unknown) => ({ errors: [{ message: String(error) }] }));
      reads += 1;
      if (answer.errors) failures.push(JSON.stringify(answer.errors));
    }
  })();
  const readsAfter = (more: number) => {
    const target = reads + more;
    return eventually(async () => (reads >= target ? true : undefined));
  };

  try {
    await readsAfter(5);
    process.kill(victim.pid, 'SIGKILL');
    const killedAt = Date.now();
    await eventually(async () => (replicasFile().every((e) => e.pid !== victim.pid) ? true : undefined), { intervalMs: 20 });
    expect(Date.now() - killedAt).toBeLessThan(1_000);

    await cluster.ready('catalog-1');
    const replacement = replicasFile().find((e) => e.id === 'catalog-1')!;
    expect(replacement.pid).not.toBe(victim.pid);
    expect({ host: replacement.host, port: replacement.port }).toEqual({ host: victim.host, port: victim.port });
    expect(commandOf(replacement.pid).at(-1)).toBe(path.join(REPO_ROOT, 'subgraphs/catalog/src/index.ts'));
    await readsAfter(5);
  } finally {
    reading = false;
    await reader;
  }
  expect(failures).toEqual([]);
}, 180_000);

/**
 * A request that reached a replica which then died: the replica is frozen (SIGSTOP) so requests the
 * balancer sends it wait there, and killed once HAProxy shows some on it. What the caller sees then is
 * HAProxy's retry policy alone.
 */
async function freezeThenKill<T>(id: string, backend: string, send: () => Promise<T>[]): Promise<T[]> {
  const victim = replicasFile().find((e) => e.id === id)!;
  process.kill(victim.pid, 'SIGSTOP');
  let sent: Promise<T>[] = [];
  try {
    sent = send();
    await eventually(async () => {
      const row = (await cluster.balancerView()).find((r) => r.backend === backend && r.server === id);
      return row && row.sessions > 0 ? true : undefined;
    }, { what: `requests waiting at the frozen ${id}` });
  } finally {
    process.kill(victim.pid, 'SIGKILL');
  }
  const answers = await Promise.all(sent);
  await cluster.ready(id);
  return answers;
}

test('reads caught in a replica that died are sent to another: marked subgraph fetches, and GETs to the gateway', async () => {
  const reads = await freezeThenKill('catalog-2', 'catalog', () => Array.from({ length: 6 }, () => execute(cluster.url, ProductsDocument, { first: 2 })));
  expect(reads.map((r) => r.errors ?? 'ok')).toEqual(reads.map(() => 'ok'));

  const url = `${cluster.url}?query=${encodeURIComponent('{ products(first: 2) { totalCount } }')}`;
  const get = () => fetch(url, { headers: { 'apollo-require-preflight': 'true' } }).then(async (r) => ({ status: r.status, body: await r.text() }));
  const viaGateway = await freezeThenKill('gateway-2', 'gateway', () => Array.from({ length: 6 }, get));
  for (const answer of viaGateway) {
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ data: { products: { totalCount: expect.any(Number) } } });
  }
}, 180_000);

test('a mutation caught in a replica that died is not sent again: its caller is told the outcome is unknown', async () => {
  const creates = await freezeThenKill('cart-2', 'cart', () => Array.from({ length: 6 }, () => execute(cluster.url, CreateGuestCartDocument, {})));
  const unknown = creates.filter((c) => c.errors);
  // round robin sent some to the frozen replica (the balancer showed them there) and the rest to the live one
  expect(unknown.length).toBeGreaterThan(0);
  expect(unknown.length).toBeLessThan(creates.length);
  for (const { errors } of unknown) {
    expect(errors).toEqual([
      expect.objectContaining({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'cart', outcome: 'UNKNOWN' } }),
    ]);
  }
}, 180_000);

test('stop() ends every process and removes replicas.json', async () => {
  const pids = [...replicasFile().map((e) => e.pid), cluster.haproxyPid()!];
  await cluster.stop();
  cluster = undefined as unknown as Cluster;
  for (const pid of pids) expect(existsSync(`/proc/${pid}`)).toBe(false);
  expect(existsSync(path.join(dir, 'replicas.json'))).toBe(false);
}, 120_000);

/** A POST over TLS to the cluster's self-signed certificate (trusted for this request only). */
function httpsPost(url: string, body: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const request = https.request(url, { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json' } }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
    });
    request.on('error', reject);
    request.end(body);
  });
}
