/**
 * `npm run chaos -- [--minutes M] [--rate R]`: against a running `npm run cluster`, a mixed workload at R
 * operations per second while one replica of each service is killed with SIGKILL, then every replica is
 * restarted with SIGTERM, in turn, again until M minutes have passed; then checks through the API and in
 * the databases that no read failed and nothing acknowledged was lost or done twice. Exits 1 if not.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { signDevToken } from '@storefront/gateway';
import { balancerViewAt, REPO_ROOT, runChaos } from '@storefront/testing';
import { parseCommandLine, positiveInteger } from './lib/args';

const USAGE = `Usage: npm run chaos -- [--minutes M] [--rate R]

  --minutes M  keep going through the faults until M minutes have passed (default 0: once)
  --rate R     operations started per second (default 20)

Needs a running cluster (npm run cluster): it reads data/cluster/replicas.json and secrets.json, and the
databases storefront_cluster_* on DATABASE_URL (default mysql://root@127.0.0.1:3306).`;

async function main(): Promise<void> {
  const flags = parseCommandLine(USAGE, { minutes: { type: 'string' }, rate: { type: 'string' } });
  const minutes = flags.minutes === undefined ? 0 : positiveInteger(USAGE, 'minutes', flags.minutes, 1);
  const rate = positiveInteger(USAGE, 'rate', flags.rate, 20);
  const dir = path.join(REPO_ROOT, 'data', 'cluster');
  const replicasFile = path.join(dir, 'replicas.json');
  if (!existsSync(replicasFile)) {
    console.error('No cluster is running (data/cluster/replicas.json is missing): start one with `npm run cluster`.');
    process.exit(1);
  }
  const { jwt } = JSON.parse(readFileSync(path.join(dir, 'secrets.json'), 'utf8')) as { jwt: string };
  const token = (userId: string, admin = false) => signDevToken({ userId, roles: admin ? ['admin'] : [], secret: jwt });
  const result = await runChaos({
    target: { url: 'http://127.0.0.1:4000/', token: (userId) => token(userId), adminToken: () => token('chaos-admin', true) },
    replicasFile,
    balancerView: () => balancerViewAt(path.join(dir, 'haproxy.sock')),
    databases: { url: process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306', catalog: 'storefront_cluster_catalog', order: 'storefront_cluster_order' },
    ratePerSecond: rate,
    settleMs: 10_000,
    minutes,
    log: (line) => console.log(`${new Date().toISOString().slice(11, 19)} ${line}`),
  });
  console.log(`\n${result.report}`);
  process.exitCode = result.verdict.problems.length === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
