import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dropDatabase } from '@storefront/service-kit';
import { freePort, runChaos, startCluster, type Cluster, type ClusterOptions } from '@storefront/testing';

/**
 * `npm run chaos` in small: a mixed workload through a two-replica cluster while one replica of each
 * service is killed with SIGKILL, then every replica is restarted with SIGTERM, one after another. Then,
 * through the API and in the databases: no read failed, no acknowledged cart write was lost or applied
 * beyond what clients may not know of, exactly one order per answered checkout key, stock conserved.
 */
const DATABASE_URL = process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306';
const tag = randomBytes(3).toString('hex');
const dir = mkdtempSync(path.join(os.tmpdir(), 'storefront-chaos-'));
let options: ClusterOptions;
let cluster: Cluster | undefined;

beforeAll(async () => {
  const [gateway, catalog, cart, order, https, stats] = await Promise.all(Array.from({ length: 6 }, () => freePort()));
  options = {
    dir,
    counts: { gateway: 2, catalog: 2, cart: 2, order: 2 },
    databaseUrl: DATABASE_URL,
    databaseNames: { catalog: `chaos_${tag}_catalog`, cart: `chaos_${tag}_cart`, order: `chaos_${tag}_order` },
    ports: { gateway, catalog, cart, order, https, stats },
    net: 200 + (process.pid % 50),
    checkIntervalMs: 500,
    logLevel: 'warn',
    fresh: true,
    // Long enough for HAProxy to see /ready fail twice (2 × 500 ms) before the replica stops accepting.
    env: { SHUTDOWN_GRACE_MS: '1500' },
  };
  cluster = await startCluster(options);
}, 240_000);

afterAll(async () => {
  await cluster?.stop();
  for (const databaseName of Object.values(options.databaseNames)) await dropDatabase({ databaseUrl: DATABASE_URL, databaseName, dataDir: dir });
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

test('replicas killed and restarted under load: no read fails, nothing acknowledged is lost, nothing is done twice', async () => {
  const running = cluster!;
  const result = await runChaos({
    target: { url: running.url, token: (userId) => running.token(userId), adminToken: () => running.token('chaos-admin', { admin: true }) },
    replicasFile: running.replicasFile,
    balancerView: () => running.balancerView(),
    databases: { url: DATABASE_URL, catalog: options.databaseNames.catalog, order: options.databaseNames.order },
    ratePerSecond: 12,
    settleMs: 3_000,
    convergenceMs: 120_000,
  });
  console.log(result.report);
  expect(result.verdict.problems).toEqual([]);
  expect(result.failedReads).toBe(0);
  // the workload really did each kind of thing
  expect(result.verdict.orders).toBeGreaterThan(0);
  expect(result.verdict.carts).toBeGreaterThan(0);
}, 600_000);
