import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SUBGRAPHS, type SubgraphName } from '@storefront/contracts';
import { dropDatabase, envPrefix, pingDatabaseServer } from '@storefront/service-kit';
import { signDevToken } from '@storefront/gateway';
import { REPO_ROOT, spawnService, type ServiceProcess } from '../processes';
import { eventually, SHOP_PROCESS_NAMES, type ShopProcessName } from '../shop-processes';
import { haproxyConfig } from './haproxy-config';
import { CLUSTER_PORTS, replicaSpecs, type ClusterPorts, type ReplicaSpec } from './topology';

const ENTRIES: Record<ShopProcessName, string> = {
  catalog: 'subgraphs/catalog/src/index.ts',
  cart: 'subgraphs/cart/src/index.ts',
  order: 'subgraphs/order/src/index.ts',
  gateway: 'gateway/src/index.ts',
};
const SUBGRAPH_NAMES = Object.keys(SUBGRAPHS) as SubgraphName[];

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

/** A server of one of HAProxy's backends: `status` is `UP`, `DOWN`, ...; `sessions` are requests on it now. */
export interface BalancerRow {
  backend: string;
  server: string;
  status: string;
  sessions: number;
}

/** One entry of `replicas.json`: a running process. */
export interface ReplicaEntry {
  id: string;
  service: ShopProcessName;
  pid: number;
  host: string;
  port: number;
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

interface Secrets {
  jwt: string;
  subgraphs: Record<SubgraphName, string>;
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
        entry: options.compiled ? ENTRIES[spec.service].replace(/src\/index\.ts$/, 'dist/index.js') : ENTRIES[spec.service],
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
    running: () => JSON.parse(readFileSync(files.replicas, 'utf8')) as ReplicaEntry[],
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

/**
 * One replica under supervision: started, and started again whenever its process ends while the
 * cluster is not stopping (after a short back-off that grows while it keeps failing).
 */
class SupervisedReplica {
  private current: ServiceProcess | undefined;
  private pid: number | undefined;
  /** Resolved when the current process is ready; replaced by a pending one whenever a process ends. */
  private readiness = deferred();
  private loop: Promise<void> | undefined;

  constructor(
    readonly spec: ReplicaSpec,
    private readonly how: {
      entry: string;
      env: Record<string, string>;
      log: WriteStream;
      readyTimeoutMs: number;
      changed: () => void;
      event: (message: string) => void;
      stopping: () => boolean;
    },
  ) {}

  entry(): ReplicaEntry | undefined {
    const { id, service, host, port } = this.spec;
    return this.pid === undefined ? undefined : { id, service, pid: this.pid, host, port };
  }

  ready(): Promise<void> {
    return this.readiness.promise;
  }

  /** Resolves once the first process is ready; supervision goes on in the background. */
  start(): Promise<void> {
    let firstReady!: () => void;
    let firstFailed!: (error: unknown) => void;
    const first = new Promise<void>((resolve, reject) => ((firstReady = resolve), (firstFailed = reject)));
    this.loop = this.supervise(firstReady, firstFailed);
    return first;
  }

  private async supervise(firstReady: () => void, firstFailed: (error: unknown) => void): Promise<void> {
    let failures = 0;
    let started = false;
    while (!this.how.stopping()) {
      try {
        this.current = await this.spawn();
      } catch (error) {
        this.forget();
        if (!started) return firstFailed(error);
        failures += 1;
        this.how.event(`${this.spec.id} did not become ready (${(error as Error).message.split('\n')[0]}); trying again`);
        await delay(Math.min(5_000, 250 * 2 ** failures));
        continue;
      }
      if (this.how.stopping()) {
        // Became ready while the cluster was stopping: stop() saw the previous process, not this one.
        await this.current.stop();
        this.forget();
        return;
      }
      this.readiness.resolve();
      if (!started) firstReady();
      else this.how.event(`${this.spec.id} is ready again (pid ${this.pid})`);
      started = true;
      failures = 0;
      const how = await this.current.exited;
      this.readiness = deferred();
      this.forget();
      if (this.how.stopping()) return;
      this.how.event(`${this.spec.id} (pid ${this.current.child.pid}) exited (${how}); starting it again`);
      await delay(200);
    }
  }

  private spawn(): Promise<ServiceProcess> {
    return spawnService({
      name: this.spec.service,
      entry: this.how.entry,
      env: this.how.env,
      readyUrl: `http://${this.spec.host}:${this.spec.port}/ready`,
      timeoutMs: this.how.readyTimeoutMs,
      onOutput: (text) => this.how.log.write(text),
      keepOutputChars: 20_000,
      ownProcessGroup: true,
      onSpawn: (child) => {
        this.pid = child.pid;
        this.how.changed();
      },
    });
  }

  /** The process is gone: its entry leaves `replicas.json` at once. */
  private forget(): void {
    this.pid = undefined;
    this.how.changed();
  }

  async stop(): Promise<void> {
    await this.current?.stop();
    await this.loop?.catch(() => undefined);
    this.how.log.end();
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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

/** The cluster's secrets, made once and kept (tokens stay valid across restarts of the cluster). */
function loadOrMakeSecrets(file: string): Secrets {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Secrets;
  const secret = (bytes: number) => randomBytes(bytes).toString('base64url');
  const secrets: Secrets = { jwt: secret(36), subgraphs: Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, secret(24)])) as Record<SubgraphName, string> };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** A self-signed certificate for localhost and 127.0.0.1, made once with openssl. */
function makeCertificateIfMissing(pem: string): void {
  if (existsSync(pem)) return;
  const key = `${pem}.key`;
  const cert = `${pem}.crt`;
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '825', '-subj', '/CN=localhost'];
  args.push('-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert);
  if (spawnSync('openssl', args, { stdio: 'ignore' }).status !== 0) throw new Error('openssl could not make the certificate (is openssl installed?)');
  writeFileSync(pem, readFileSync(cert, 'utf8') + readFileSync(key, 'utf8'), { mode: 0o600 });
  rmSync(key);
  rmSync(cert);
}

function startHaproxy(config: string, pidFile: string, logFile: string, event: (message: string) => void): ChildProcess {
  // `-db`: in the foreground, one process, so it is this child and stops with it. HAProxy writes no pid
  // file in the foreground: this one is ours, for the next start to find it if this run is killed.
  const child = spawn('haproxy', ['-db', '-f', config], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  writeFileSync(pidFile, `${child.pid}\n`);
  const log = createWriteStream(logFile, { flags: 'a' });
  let pending = '';
  const collect = (chunk: Buffer) => {
    log.write(chunk);
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    // Server state changes are what an operator watching the cluster wants to see.
    // (stderr's copy: the `log stdout` copy of each line carries a syslog header instead)
    for (const line of lines) {
      const change = /^\[(?:WARNING|ALERT)\]\s+\(\d+\) : (.*(?: is (?:UP|DOWN)|has no server available).*)$/.exec(line);
      if (change) event(`haproxy: ${change[1]}`);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.once('exit', () => log.end());
  return child;
}

/** HAProxy's `show stat` over its runtime API at `socket`, the servers' rows (not the FRONTEND/BACKEND totals). */
export function balancerViewAt(socket: string): Promise<BalancerRow[]> {
  return new Promise((resolve, reject) => {
    let text = '';
    const connection = net.connect(socket, () => connection.end('show stat\n'));
    connection.on('data', (chunk) => (text += chunk));
    connection.on('error', reject);
    connection.on('end', () => {
      const [header, ...rows] = text.trim().split('\n');
      const columns = header.replace(/^# /, '').split(',');
      const at = (name: string) => columns.indexOf(name);
      resolve(
        rows
          .map((row) => row.split(','))
          .filter((cells) => !['FRONTEND', 'BACKEND'].includes(cells[at('svname')]))
          .map((cells) => ({ backend: cells[at('pxname')], server: cells[at('svname')], status: cells[at('status')], sessions: Number(cells[at('scur')]) })),
      );
    });
  });
}

/** A cluster this machine still runs from a run that was killed: its processes are ended first. */
async function stopLeftovers(replicasFile: string, haproxyPidFile: string, event: (message: string) => void): Promise<void> {
  const pids: number[] = [];
  if (existsSync(replicasFile)) {
    try {
      pids.push(...(JSON.parse(readFileSync(replicasFile, 'utf8')) as ReplicaEntry[]).map((e) => e.pid));
    } catch {
      // half a file from a crash mid-write cannot be: it is renamed into place whole
    }
  }
  if (existsSync(haproxyPidFile)) pids.push(...readFileSync(haproxyPidFile, 'utf8').split(/\s+/).filter(Boolean).map(Number));
  // Only processes that are still this project's (a pid may have been reused by anything since).
  const ours = pids.filter((pid) => {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return command.includes(REPO_ROOT) || command.includes(path.dirname(haproxyPidFile));
    } catch {
      return false;
    }
  });
  for (const pid of ours) {
    event(`stopping pid ${pid}, left running by an earlier cluster`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  await eventually(async () => (ours.every((pid) => !existsSync(`/proc/${pid}`)) ? true : undefined), { timeoutMs: 10_000, what: 'leftover processes to end' });
  rmSync(replicasFile, { force: true });
  rmSync(haproxyPidFile, { force: true });
}

/** Refuses to start while anything (`npm start`, another cluster) holds a public port. */
async function refuseBusyPorts(ports: ClusterPorts): Promise<void> {
  for (const [name, port] of Object.entries(ports)) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (!free) {
      throw new Error(`127.0.0.1:${port} (${name}) is in use: is \`npm start\` or another cluster running? Stop it first.`);
    }
  }
}
