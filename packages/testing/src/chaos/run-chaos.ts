import { SetStockDocument, execute } from '@storefront/client';
import type { BalancerRow } from '../cluster/haproxy-process';
import { checkChaos, type ChaosDatabases, type ChaosVerdict } from './checks';
import { readReplicas } from '../cluster/cluster-state';
import { faultSchedule } from './faults';
import { shoppingList, Workload, type ChaosTarget } from './workload';

export interface ChaosOptions {
  target: ChaosTarget & { adminToken(): Promise<string> };
  /** The cluster's `replicas.json`: which processes to kill. */
  replicasFile: string;
  /** What the load balancer sees (a replica is back when it is UP there). */
  balancerView: () => Promise<BalancerRow[]>;
  databases: ChaosDatabases;
  ratePerSecond: number;
  /** Steady load before the first fault and after each step. */
  settleMs: number;
  /** Go through the fault schedule again until this much time has passed (once at least). */
  minutes?: number;
  /** How long checkouts and the outbox may take to settle once the load stops (recovery runs every 30 s). */
  convergenceMs?: number;
  log?: (line: string) => void;
}

export interface ChaosResult {
  verdict: ChaosVerdict;
  failedReads: number;
  report: string;
}

/** The stock every shopped variant is set to at the start: what conservation is checked against. */
const INITIAL_STOCK = 100_000;

/**
 * A mixed workload through the cluster's public endpoint while replicas are killed and restarted (see
 * faults.ts), then the checks of checks.ts. Reads must never fail; writes may end unknown, never lost.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const log = options.log ?? (() => undefined);
  const runId = `chaos-${Date.now().toString(36)}`;
  const { variantIds, productIds } = await shoppingList(options.target.url);
  const admin = await options.target.adminToken();
  const initialStock = new Map<string, number>();
  for (const variantId of variantIds) {
    const set = await execute(options.target.url, SetStockDocument, { variantId, stock: INITIAL_STOCK }, { token: admin });
    if (set.errors || set.data?.setStock.userErrors.length) throw new Error(`could not set stock: ${JSON.stringify(set)}`);
    initialStock.set(variantId, INITIAL_STOCK);
  }

  const workload = new Workload(options.target, { ratePerSecond: options.ratePerSecond, variantIds, productIds, runId });
  const settle = () => new Promise((resolve) => setTimeout(resolve, options.settleMs));
  const started = Date.now();
  workload.enter('steady');
  workload.start();
  try {
    await settle();
    // What replicas.json says at each step: ours or a user's cluster, with the pids of its last restarts.
    const replicas = () => readReplicas(options.replicasFile);
    do {
      for (const step of faultSchedule(replicas, options.balancerView)) {
        log(`${step.phase} ...`);
        workload.enter(step.phase);
        await step.run();
        await settle();
      }
    } while (Date.now() - started < (options.minutes ?? 0) * 60_000);
    workload.enter('after');
    await settle();
  } finally {
    await workload.stop();
  }
  log('load stopped; waiting for checkouts to finish, then checking');
  const verdict = await checkChaos(options.target, workload.ledger, options.databases, runId, initialStock, options.convergenceMs ?? 120_000);
  const failedReads = [...workload.phases.values()].reduce((n, p) => n + p.failedReads, 0);
  if (failedReads > 0) verdict.problems.unshift(`${failedReads} reads failed`);
  return { verdict, failedReads, report: report(workload, verdict, Date.now() - started) };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function report(workload: Workload, verdict: ChaosVerdict, ms: number): string {
  const rows = [['phase', 'operations', 'p50 ms', 'p99 ms', 'failed reads', 'unknown writes', 'refused writes', 'shed']];
  for (const [phase, s] of workload.phases) {
    const sorted = [...s.latenciesMs].sort((a, b) => a - b);
    rows.push([phase, s.operations, percentile(sorted, 50), percentile(sorted, 99), s.failedReads, s.unknownWrites, s.refusedWrites, s.shed].map(String));
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const table = rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')).join('\n');
  const samples = [...workload.phases].flatMap(([phase, s]) => s.samples.map((sample) => `  ${phase}: ${sample}`));
  const conserved = verdict.stock.map((s) => `${s.initial} = ${s.remaining} + ${s.ordered}`).join('; ');
  return [
    `chaos run of ${Math.round(ms / 1000)} s`,
    table,
    `carts checked: ${verdict.carts}; checkout keys: ${verdict.checkoutKeys}; orders: ${verdict.orders}`,
    `stock (initial = remaining + ordered): ${conserved}`,
    verdict.problems.length === 0 ? 'nothing lost, nothing doubled' : `PROBLEMS:\n  ${verdict.problems.join('\n  ')}`,
    ...(samples.length > 0 ? ['sample failures (writes may fail with an unknown outcome; reads must not):', ...samples] : []),
  ].join('\n');
}
