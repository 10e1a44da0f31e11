import { GATEWAY_DEFAULT_PORT, SUBGRAPHS, type SubgraphName } from '@storefront/contracts';
import { z } from 'zod';
import { SHOP_PROCESS_NAMES, type ShopProcessName } from '../shop-processes';

/**
 * Where everything in the cluster listens. The public addresses are the load balancer's: the gateway
 * on 4000 (4443 with TLS) and one frontend per subgraph on its usual port, all on 127.0.0.1, so every
 * service is configured with the same URLs as under `npm start` and never learns a replica's address
 * (discovery is configuration, as with Kubernetes Services). Each replica listens on its own loopback
 * address, `127.<net>.0.<base + n>` (gateways from .11, catalogs from .51, carts from .91, orders from
 * .131; `net` is 0 but in tests), on its service's port.
 */
export interface ClusterPorts {
  gateway: number;
  catalog: number;
  cart: number;
  order: number;
  https: number;
  stats: number;
}

export const CLUSTER_PORTS: ClusterPorts = {
  gateway: GATEWAY_DEFAULT_PORT,
  ...(Object.fromEntries(Object.entries(SUBGRAPHS).map(([name, { port }]) => [name, port])) as Record<SubgraphName, number>),
  https: 4443,
  stats: 8404,
};

/**
 * Where each service's replica addresses start (the last octet): room for MAX_REPLICAS each, clear of
 * 127.0.0.1-5, which `npm start` and the tests' own-address shops use.
 */
const ADDRESS_BASE: Record<ShopProcessName, number> = { gateway: 10, catalog: 50, cart: 90, order: 130 };
const MAX_REPLICAS = 32;

export interface ReplicaSpec {
  /** `catalog-1`, `gateway-2`, ...: stable across restarts of the replica. */
  id: string;
  service: ShopProcessName;
  host: string;
  port: number;
}

/** Every replica of the cluster, in start order (subgraphs first, then gateways). */
export function replicaSpecs(counts: Record<ShopProcessName, number>, ports: ClusterPorts, net = 0): ReplicaSpec[] {
  return SHOP_PROCESS_NAMES.flatMap((service) =>
    Array.from({ length: counts[service] }, (_, i) => ({
      id: `${service}-${i + 1}`,
      service,
      host: `127.${net}.0.${ADDRESS_BASE[service] + i + 1}`,
      port: ports[service],
    })),
  );
}

const replicaCount = z.coerce.number().int().min(1).max(MAX_REPLICAS);

/**
 * Replicas per service: `CLUSTER_REPLICAS` (default 2) for every service, `CLUSTER_<SERVICE>_REPLICAS`
 * for one (e.g. `CLUSTER_GATEWAY_REPLICAS=3`). Throws naming every bad variable.
 */
export function replicaCounts(env: Record<string, string | undefined>): Record<ShopProcessName, number> {
  const problems: string[] = [];
  const read = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const parsed = replicaCount.safeParse(raw);
    if (parsed.success) return parsed.data;
    problems.push(`${name} (${raw}): must be a whole number from 1 to ${MAX_REPLICAS}`);
    return fallback;
  };
  const all = read('CLUSTER_REPLICAS', 2);
  const counts = Object.fromEntries(SHOP_PROCESS_NAMES.map((service) => [service, read(`CLUSTER_${service.toUpperCase()}_REPLICAS`, all)])) as Record<
    ShopProcessName,
    number
  >;
  if (problems.length > 0) throw new Error(`Invalid cluster configuration:\n  ${problems.join('\n  ')}`);
  return counts;
}
