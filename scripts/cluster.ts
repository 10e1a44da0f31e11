/**
 * `npm run cluster [-- --fresh]`: the scalable stage on this machine. Every service runs as several
 * replicas, each its own process on its own loopback address, behind HAProxy (the public endpoint on
 * 127.0.0.1:4000 and https://127.0.0.1:4443, one frontend per subgraph, a stats page on :8404), on the
 * MariaDB server this machine runs. A replica that dies is started again. Ctrl-C stops everything.
 */
import { spawnSync } from 'node:child_process';
import { replicaCounts, startCluster, type Cluster } from '@storefront/testing';
import { parseCommandLine } from './lib/args';
import { CLUSTER_DATABASE_NAMES, CLUSTER_DATABASE_URL, CLUSTER_DIR } from './lib/running-cluster';
import { stopOnce } from './lib/stop-once';

const USAGE = `Usage: npm run cluster -- [--fresh]

  --fresh   drop the cluster's databases and forget its secrets and certificate first

Replicas: CLUSTER_REPLICAS (default 2) per service, CLUSTER_<SERVICE>_REPLICAS for one
(CLUSTER_GATEWAY_REPLICAS, CLUSTER_CATALOG_REPLICAS, CLUSTER_CART_REPLICAS, CLUSTER_ORDER_REPLICAS).
Database server: DATABASE_URL (default mysql://root@127.0.0.1:3306); databases storefront_cluster_<service>.
State (secrets, certificate, HAProxy configuration, logs, replicas.json): data/cluster/.`;

/** Debian packages the cluster needs, by the command each provides. */
const TOOLS = { haproxy: 'haproxy', openssl: 'openssl' } as const;

function ensureTools(): void {
  const missing = Object.entries(TOOLS).filter(([command]) => spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0);
  if (missing.length === 0) return;
  const packages = missing.map(([, pkg]) => pkg).join(' ');
  if (process.getuid?.() !== 0) {
    console.error(`The cluster needs ${packages}. Install with:\n\n  sudo apt-get install -y ${packages}\n`);
    process.exit(1);
  }
  console.log(`Installing ${packages} (Debian packages) ...`);
  const installed = spawnSync('apt-get', ['install', '-y', '-q', ...missing.map(([, pkg]) => pkg)], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (installed.status !== 0) {
    console.error(`Could not install ${packages}; try: apt-get update && apt-get install -y ${packages}`);
    process.exit(1);
  }
}

const time = () => new Date().toISOString().slice(11, 19);

let cluster: Cluster | undefined;
const { stop: stopAll } = stopOnce(() => cluster);

async function main(): Promise<void> {
  const flags = parseCommandLine(USAGE, { fresh: { type: 'boolean' } });
  const counts = replicaCounts(process.env);
  ensureTools();
  const started = Date.now();
  console.log(`Starting ${Object.entries(counts).map(([service, n]) => `${n} × ${service}`).join(', ')} behind HAProxy ...`);
  process.on('SIGINT', () => stopAll(0));
  process.on('SIGTERM', () => stopAll(0));
  cluster = await startCluster({
    dir: CLUSTER_DIR,
    counts,
    databaseUrl: CLUSTER_DATABASE_URL,
    databaseNames: CLUSTER_DATABASE_NAMES,
    fresh: flags.fresh,
    onEvent: (message) => console.log(`${time()} ${message}`),
  });
  const rows = cluster.running().map((r) => `  ${r.id.padEnd(12)} pid ${String(r.pid).padEnd(8)} http://${r.host}:${r.port}`);
  console.log(`
The cluster is up in ${Math.round((Date.now() - started) / 1000)} s:
  GraphQL   ${cluster.url}  and  ${cluster.httpsUrl} (self-signed: curl -k)
  Stats     ${cluster.statsUrl}
  Replicas  ${cluster.replicasFile}
${rows.join('\n')}

Kill any replica (kill -9 <pid>): HAProxy stops sending it requests and the supervisor starts it again.
Ctrl-C stops everything.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
