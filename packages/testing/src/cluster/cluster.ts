import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SUBGRAPH_NAMES, type SubgraphName } from '@storefront/contracts';
import { dropDatabase, envPrefix, pingDatabaseServer } from '@storefront/service-kit';
import { signDevToken } from '@storefront/gateway';
import { entryOf, eventually, type ShopProcessName } from '../shop-processes';
import { loadOrMakeSecrets, makeCertificateIfMissing, readReplicas, refuseBusyPorts, stopLeftovers, type Secrets } from './cluster-state';
import { haproxyConfig } from './haproxy-config';
import { balancerViewAt, startHaproxy, type BalancerRow } from './haproxy-process';
import { SupervisedReplica, type ReplicaEntry } from './supervised-replica';
import { CLUSTER_PORTS, replicaSpecs, type ClusterPorts, type ReplicaSpec } from './topology';


export interface ClusterOptions {
  /** Where the cluster keeps its state: secrets, certificate, HAProxy's configuration, logs, `replicas.json`. */
  dir: string;
  counts: Record<ShopProcessName, number>;
  /** The MySQL/MariaDB server (`mysql://root@127.0.0.1:3306`). */
  databaseUrl: string;
  /** Each subgraph's database on it. */
  databaseNames: Record<SubgraphName, string>;
  /** Drop the databases and forget the state first. */
  fresh?: boolean;
  ports?: ClusterPorts;
  /** The second octet of the replicas' loopback addresses (`127.<net>.x.y`): tests use their own. */
  net?: number;
  /** Run each package's compiled `dist/` (after `npm run build`) instead of its sources with tsx. */
  compiled?: boolean;
  logLevel?: string;
  /** How often HAProxy checks each replica's `/ready`. */
  checkIntervalMs?: number;
  /** What happens: replicas started, died, restarted; HAProxy's server state changes. */
  onEvent?: (message: string) => void;
  /** How long a start of one replica may take to be ready. */
  readyTimeoutMs?: number;
  /** Extra environment for every replica (e.g. a shorter SHUTDOWN_GRACE_MS in tests). */
  env?: Record<string, string>;
}

export interface Cluster {
  /** The public GraphQL endpoint (HAProxy, plain HTTP). */
  url: string;
  httpsUrl: string;
  statsUrl: string;
  ports: ClusterPorts;
  /** `<dir>/replicas.json`. */
  replicasFile: string;
  /** The replicas as configured, in start order. */
  specs: readonly ReplicaSpec[];
  /** What `replicas.json` says now: one entry per running process. */
  running(): ReplicaEntry[];
  /** Resolves once replica `id`'s current process (after a restart, the new one) answers `/ready`. */
  ready(id: string): Promise<void>;
  /** HAProxy's own process. */
  haproxyPid(): number | undefined;
  /** Each replica as HAProxy sees it now (its runtime API's `show stat`). */
  balancerView(): Promise<BalancerRow[]>;
  /** A token the gateways accept for `userId`. */
  token(userId: string, options?: { admin?: boolean }): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts the scalable stage on this machine: every replica its own process on its own loopback address,
 * a supervisor that restarts any that dies, and HAProxy in front of them all (see haproxy-config.ts).
 * `replicas.json` is written before HAProxy opens the public port, and rewritten whenever a replica dies
 * or is started again. The services run in development mode with the cluster's own generated secrets.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const ports = options.ports ?? CLUSTER_PORTS;
  const dir = path.resolve(options.dir);
  const event = options.onEvent ?? (() => undefined);
  const files = {
    replicas: path.join(dir, 'replicas.json'),
    haproxyPid: path.join(dir, 'haproxy.pid'),
    haproxyConfig: path.join(dir, 'haproxy.cfg'),
    adminSocket: path.join(dir, 'haproxy.sock'),
    tlsPem: path.join(dir, 'tls.pem'),
    secrets: path.join(dir, 'secrets.json'),
    logs: path.join(dir, 'logs'),
  };

  await stopLeftovers(files.replicas, files.haproxyPid, event);
  await refuseBusyPorts(ports);
  await pingDatabaseServer(options.databaseUrl).catch((error: unknown) => {
    throw new Error(`The database server at ${options.databaseUrl} cannot be reached: ${(error as Error).message}`);
  });
  if (options.fresh) {
    for (const name of SUBGRAPH_NAMES) await dropDatabase({ databaseUrl: options.databaseUrl, databaseName: options.databaseNames[name], dataDir: dir });
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(files.logs, { recursive: true });
  const secrets = loadOrMakeSecrets(files.secrets);
  makeCertificateIfMissing(files.tlsPem);

  const specs = replicaSpecs(options.counts, ports, options.net);
  const envOf = replicaEnvironment(options, ports, secrets);
  const supervised = new Map<string, SupervisedReplica>();
  let stopping = false;

  const writeReplicasFile = () => {
    const entries = specs.flatMap((spec) => supervised.get(spec.id)?.entry() ?? []);
    // Atomically: a reader sees the old list or the new one, never half of one.
    const temporary = `${files.replicas}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(entries, null, 2)}\n`);
    renameSync(temporary, files.replicas);
  };

  for (const spec of specs) {
    supervised.set(
      spec.id,
      new SupervisedReplica(spec, {
        entry: entryOf(spec.service, options.compiled),
        env: envOf(spec),
        log: createWriteStream(path.join(files.logs, `${spec.id}.log`), { flags: 'a' }),
        readyTimeoutMs: options.readyTimeoutMs ?? 120_000,
        changed: writeReplicasFile,
        event,
        stopping: () => stopping,
      }),
    );
  }

  let haproxy: ChildProcess | undefined;
  const stop = async () => {
    stopping = true;
    // The gateways first, then the order service (its stop drains the relay into the cart), then the rest,
    // and HAProxy last: the services reach each other through it until they are down.
    for (const service of ['gateway', 'order', 'cart', 'catalog'] as const) {
      await Promise.all(specs.filter((s) => s.service === service).map((s) => supervised.get(s.id)!.stop()));
    }
    if (haproxy && haproxy.exitCode === null && haproxy.signalCode === null) {
      const exited = new Promise((resolve) => haproxy!.once('exit', resolve));
      haproxy.kill('SIGTERM');
      await exited;
    }
    rmSync(files.replicas, { force: true });
    rmSync(files.haproxyPid, { force: true });
  };

  try {
    // Independent at start (calls between services go through HAProxy, per request).
    await Promise.all([...supervised.values()].map((replica) => replica.start()));
    writeReplicasFile();
    writeFileSync(
      files.haproxyConfig,
      haproxyConfig({ replicas: specs, ports, tlsPem: files.tlsPem, adminSocket: files.adminSocket, checkIntervalMs: options.checkIntervalMs }),
    );
    haproxy = startHaproxy(files.haproxyConfig, files.haproxyPid, path.join(files.logs, 'haproxy.log'), event);
    await eventually(
      async () => {
        if (haproxy!.exitCode !== null) throw new Error(`HAProxy exited (${haproxy!.exitCode}); see ${path.join(files.logs, 'haproxy.log')}`);
        const answers = await Promise.all(
          (['gateway', ...SUBGRAPH_NAMES] as const).map((name) => fetch(`http://127.0.0.1:${ports[name]}/ready`).then((r) => r.ok)),
        );
        return answers.every(Boolean) ? true : undefined;
      },
      { timeoutMs: 30_000, what: 'HAProxy to answer for every service' },
    );
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }

  return {
    url: `http://127.0.0.1:${ports.gateway}/`,
    httpsUrl: `https://127.0.0.1:${ports.https}/`,
    statsUrl: `http://127.0.0.1:${ports.stats}/`,
    ports,
    replicasFile: files.replicas,
    specs,
    running: () => readReplicas(files.replicas),
    ready: (id) => {
      const replica = supervised.get(id);
      if (!replica) throw new Error(`no replica ${id}`);
      return replica.ready();
    },
    haproxyPid: () => haproxy?.pid,
    balancerView: () => balancerViewAt(files.adminSocket),
    token: (userId, tokenOptions = {}) => signDevToken({ userId, roles: tokenOptions.admin ? ['admin'] : [], secret: secrets.jwt }),
    stop,
  };
}

/** Every replica's environment: its own address, and everything else through HAProxy's frontends. */
function replicaEnvironment(options: ClusterOptions, ports: ClusterPorts, secrets: Secrets) {
  const peers: Record<string, string> = {};
  for (const name of SUBGRAPH_NAMES) {
    peers[`${envPrefix(name)}_URL`] = `http://127.0.0.1:${ports[name]}/graphql`;
    peers[`${envPrefix(name)}_SUBGRAPH_SECRET`] = secrets.subgraphs[name];
  }
  const common = { NODE_ENV: 'development', LOG_FORMAT: 'json', LOG_LEVEL: options.logLevel ?? 'info', ...peers, ...options.env };
  return (spec: ReplicaSpec): Record<string, string> => {
    if (spec.service === 'gateway') {
      return {
        ...common,
        GATEWAY_HOST: spec.host,
        GATEWAY_PORT: String(spec.port),
        JWT_SECRET: secrets.jwt,
        // HAProxy names the client in X-Forwarded-For; limits and logs then see the client, not HAProxy.
        GATEWAY_TRUSTED_PROXIES: 'loopback',
      };
    }
    const p = envPrefix(spec.service);
    return {
      ...common,
      DATABASE_URL: options.databaseUrl,
      [`${p}_HOST`]: spec.host,
      [`${p}_PORT`]: String(spec.port),
      [`${p}_DATABASE_NAME`]: options.databaseNames[spec.service],
      // One replica loads the demo catalog into an empty database; the others never race it.
      ...(spec.service === 'catalog' ? { CATALOG_SEED_DEMO: String(spec.id === 'catalog-1') } : {}),
      ...(spec.service === 'order' ? { ORDER_FAULT_AT: '' } : {}),
    };
  };
}
