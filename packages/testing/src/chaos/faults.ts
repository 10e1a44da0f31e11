import type { BalancerRow } from '../cluster/haproxy-process';
import type { ReplicaEntry } from '../cluster/supervised-replica';
import { eventually, SHOP_PROCESS_NAMES, type ShopProcessName } from '../shop-processes';

/** Waits until replica `id` runs as a process other than `pid` and that process answers `/ready`. */
export async function replacedAndReady(replicas: () => ReplicaEntry[], id: string, pid: number, timeoutMs = 180_000): Promise<void> {
  await eventually(
    async () => {
      const entry = replicas().find((e) => e.id === id);
      if (!entry || entry.pid === pid) return undefined;
      const ready = await fetch(`http://${entry.host}:${entry.port}/ready`, { signal: AbortSignal.timeout(2_000) });
      return ready.ok ? true : undefined;
    },
    { timeoutMs, intervalMs: 200, what: `${id} to be replaced and ready` },
  );
}

export interface FaultStep {
  /** The phase name the workload reports under while the step runs and settles. */
  phase: string;
  run(): Promise<void>;
}

/**
 * The faults, in turn: SIGKILL one replica of each service (it is restarted by the supervisor), then a
 * rolling restart of every replica of every service with SIGTERM (each drains, is restarted, and is ready
 * before the next goes). Each step waits for the replica to be back before the next one starts.
 */
export function faultSchedule(
  replicas: () => ReplicaEntry[],
  balancerView: () => Promise<BalancerRow[]>,
  services: readonly ShopProcessName[] = SHOP_PROCESS_NAMES,
): FaultStep[] {
  const stop = async (entry: ReplicaEntry, signal: NodeJS.Signals) => {
    process.kill(entry.pid, signal);
    await replacedAndReady(replicas, entry.id, entry.pid);
    // Back in rotation, not just ready: taking the next replica down before the balancer has seen this one
    // come up would leave the service with none (what Kubernetes' readiness gates a rollout on).
    await eventually(async () => ((await balancerView()).some((r) => r.server === entry.id && r.status === 'UP') ? true : undefined), {
      timeoutMs: 60_000,
      what: `HAProxy to see ${entry.id} up`,
    });
  };
  const firstOf = (service: ShopProcessName) => {
    const entry = replicas().find((e) => e.service === service);
    if (!entry) throw new Error(`no ${service} replica is running`);
    return entry;
  };
  return [
    ...services.map((service) => ({ phase: `kill -9 ${service}`, run: () => stop(firstOf(service), 'SIGKILL') })),
    {
      phase: 'rolling restart',
      async run() {
        for (const service of services) {
          for (const id of replicas().filter((e) => e.service === service).map((e) => e.id)) {
            await stop(replicas().find((e) => e.id === id)!, 'SIGTERM');
          }
        }
      },
    },
  ];
}
