/**
 * The cluster `npm run cluster` runs on this machine, as the scripts that work against it see it: its
 * state folder, its databases, its public endpoint, and tokens its gateways accept.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { signDevToken } from '@storefront/gateway';
import { balancerViewAt, CLUSTER_PORTS, REPO_ROOT } from '@storefront/testing';

export const CLUSTER_DIR = path.join(REPO_ROOT, 'data', 'cluster');
export const CLUSTER_DATABASE_URL = process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306';
/** The cluster's own databases on that server, never the tests' or `npm start`'s. */
export const CLUSTER_DATABASE_NAMES = { catalog: 'storefront_cluster_catalog', cart: 'storefront_cluster_cart', order: 'storefront_cluster_order' };

/** The running cluster; exits saying how to start one when there is none. */
export function runningCluster() {
  const replicasFile = path.join(CLUSTER_DIR, 'replicas.json');
  if (!existsSync(replicasFile)) {
    console.error('No cluster is running (data/cluster/replicas.json is missing): start one with `npm run cluster`.');
    process.exit(1);
  }
  const { jwt } = JSON.parse(readFileSync(path.join(CLUSTER_DIR, 'secrets.json'), 'utf8')) as { jwt: string };
  return {
    url: `http://127.0.0.1:${CLUSTER_PORTS.gateway}/`,
    replicasFile,
    haproxyPid: () => Number(readFileSync(path.join(CLUSTER_DIR, 'haproxy.pid'), 'utf8').trim()),
    balancerView: () => balancerViewAt(path.join(CLUSTER_DIR, 'haproxy.sock')),
    token: (userId: string, admin = false) => signDevToken({ userId, roles: admin ? ['admin'] : [], secret: jwt }),
  };
}
