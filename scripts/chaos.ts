/**
 * `npm run chaos -- [--minutes M] [--rate R]`: against a running `npm run cluster`, a mixed workload at R
 * operations per second while one replica of each service is killed with SIGKILL, then every replica is
 * restarted with SIGTERM, in turn, again until M minutes have passed; then checks through the API and in
 * the databases that no read failed and nothing acknowledged was lost or done twice. Exits 1 if not.
 */
import { runChaos } from '@storefront/testing';
import { parseCommandLine, positiveInteger } from './lib/args';
import { CLUSTER_DATABASE_NAMES, CLUSTER_DATABASE_URL, runningCluster } from './lib/running-cluster';

const USAGE = `Usage: npm run chaos -- [--minutes M] [--rate R]

  --minutes M  keep going through the faults until M minutes have passed (default 0: once)
  --rate R     operations started per second (default 20)

Needs a running cluster (npm run cluster): it reads data/cluster/replicas.json and secrets.json, and the
databases storefront_cluster_* on DATABASE_URL (default mysql://root@127.0.0.1:3306).`;

async function main(): Promise<void> {
  const flags = parseCommandLine(USAGE, { minutes: { type: 'string' }, rate: { type: 'string' } });
  const minutes = flags.minutes === undefined ? 0 : positiveInteger(USAGE, 'minutes', flags.minutes, 1);
  const rate = positiveInteger(USAGE, 'rate', flags.rate, 20);
  const cluster = runningCluster();
  const result = await runChaos({
    target: { url: cluster.url, token: (userId) => cluster.token(userId), adminToken: () => cluster.token('chaos-admin', true) },
    replicasFile: cluster.replicasFile,
    balancerView: cluster.balancerView,
    databases: { url: CLUSTER_DATABASE_URL, catalog: CLUSTER_DATABASE_NAMES.catalog, order: CLUSTER_DATABASE_NAMES.order },
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
