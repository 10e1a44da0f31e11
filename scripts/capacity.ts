/**
 * `npm run capacity -- [--seconds S] [--rate R]`: how many machines for how much traffic. Against a
 * running `npm run cluster`, the chaos workload's mix without faults at a fixed rate; each process's CPU
 * time is read from /proc/<pid>/stat before and after, and the database server's statements from its
 * status counters. Prints CPU milliseconds per request for each service, HAProxy and MariaDB, and the
 * replicas needed for 1,000 and 10,000 requests per second of the same mix.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connectToDatabase } from '@storefront/service-kit';
import { readReplicas, shoppingList, Workload } from '@storefront/testing';
import { parseCommandLine, positiveInteger } from './lib/args';
import { CLUSTER_DATABASE_URL, runningCluster } from './lib/running-cluster';

const USAGE = `Usage: npm run capacity -- [--seconds S] [--rate R]

  --seconds S  how long to measure (default 60)
  --rate R     operations started per second (default 40; merges and checkouts take several requests)

Needs a running cluster (npm run cluster).`;

/** How busy a replica may run: headroom for bursts and for the loss of a machine. */
const TARGET_UTILIZATION = 0.6;
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

/** CPU seconds a process has used: user + system time from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

async function main(): Promise<void> {
  const flags = parseCommandLine(USAGE, { seconds: { type: 'string' }, rate: { type: 'string' } });
  const seconds = positiveInteger(USAGE, 'seconds', flags.seconds, 60);
  const rate = positiveInteger(USAGE, 'rate', flags.rate, 40);
  const cluster = runningCluster();
  const workload = new Workload(
    { url: cluster.url, token: (userId) => cluster.token(userId) },
    { ratePerSecond: rate, ...(await shoppingList(cluster.url)), runId: `capacity-${Date.now().toString(36)}` },
  );

  const processes = readReplicas(cluster.replicasFile).map((r): { name: string; pid: number } => ({ name: r.service, pid: r.pid }));
  processes.push({ name: 'haproxy', pid: cluster.haproxyPid() });
  const mariadb = execFileSync('pgrep', ['-o', '-x', 'mariadbd']).toString().trim();
  if (mariadb) processes.push({ name: 'database', pid: Number(mariadb) });
  const database = await connectToDatabase(CLUSTER_DATABASE_URL);
  const statements = async () => Number(((await database.query("SHOW GLOBAL STATUS LIKE 'Questions'")) as unknown as [{ Value: string }[]])[0][0].Value);

  // Warm up (connections, caches, JIT), then measure.
  workload.enter('warm-up');
  workload.start();
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  const before = processes.map((p) => cpuSeconds(p.pid));
  const statementsBefore = await statements();
  workload.enter('measure');
  const started = Date.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = processes.map((p) => cpuSeconds(p.pid));
  const statementsAfter = await statements();
  const elapsed = (Date.now() - started) / 1000;
  const requests = workload.phases.get('measure')?.operations ?? 0;
  await workload.stop();
  await database.end();

  const byName = new Map<string, number>();
  processes.forEach((p, i) => byName.set(p.name, (byName.get(p.name) ?? 0) + after[i] - before[i]));
  const perRequestMs = (cpu: number) => (cpu * 1000) / requests;
  const replicasFor = (rps: number, cpu: number) => Math.max(2, Math.ceil((rps * (cpu / requests)) / TARGET_UTILIZATION));
  const rows = [...byName].map(([name, cpu]) => `| ${name} | ${perRequestMs(cpu).toFixed(2)} | ${replicasFor(1_000, cpu)} | ${replicasFor(10_000, cpu)} |`);
  const perRequestStatements = (statementsAfter - statementsBefore) / requests;
  console.log(`Measured ${requests} requests in ${elapsed.toFixed(0)} s (${(requests / elapsed).toFixed(1)}/s), mix: 40% browse, 25% cart adds,
10% cart reads, 10% history, 10% checkouts (add + checkout), 5% guest cart + merge (4 requests).

| process | CPU ms per request | replicas (cores) at 1,000 req/s | at 10,000 req/s |
| --- | --: | --: | --: |
${rows.join('\n')}

Cores: CPU per request × rate / ${TARGET_UTILIZATION} (target utilization), at least 2 per service; a Node replica uses one core.
Database: ${perRequestStatements.toFixed(1)} statements per request: ${Math.round(perRequestStatements * 1_000)}/s at 1,000 req/s, ${Math.round(perRequestStatements * 10_000)}/s at 10,000 req/s.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
