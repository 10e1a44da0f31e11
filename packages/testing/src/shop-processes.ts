import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { execute, type GraphQLResponse } from '@storefront/client';
import { SUBGRAPHS } from '@storefront/contracts';
import { dropDatabase, envPrefix, loadSubgraphConfig } from '@storefront/service-kit';
import { loadGatewayConfig, signDevToken } from '@storefront/gateway';
import { testDatabaseEnv } from './databases';
import { freePort, spawnService, type ServiceProcess } from './processes';

/** The services of the shop, in start order: each runs as its own process. */
export const SHOP_PROCESS_NAMES = ['catalog', 'cart', 'order', 'gateway'] as const;
export type ShopProcessName = (typeof SHOP_PROCESS_NAMES)[number];
export type SubgraphProcessName = Exclude<ShopProcessName, 'gateway'>;

/** One loopback address per service (all of 127.0.0.0/8 is the loopback interface on Linux). */
export const OWN_LOOPBACK_ADDRESSES: Record<ShopProcessName, string> = {
  catalog: '127.0.0.2',
  cart: '127.0.0.3',
  order: '127.0.0.4',
  gateway: '127.0.0.5',
};

const ENTRIES: Record<ShopProcessName, string> = {
  catalog: 'subgraphs/catalog/src/index.ts',
  cart: 'subgraphs/cart/src/index.ts',
  order: 'subgraphs/order/src/index.ts',
  gateway: 'gateway/src/index.ts',
};

/** The file that starts service `name`: its TypeScript entry, or the compiled one `npm run build` makes. */
export function entryOf(name: ShopProcessName, compiled = false): string {
  return compiled ? ENTRIES[name].replace(/src\/index\.ts$/, 'dist/index.js') : ENTRIES[name];
}

export interface ShopProcessesOptions {
  /** Which services run (default all); the gateway reaches one that does not at a port nobody listens on. */
  services?: readonly ShopProcessName[];
  /**
   * Each subgraph's database environment (`DATABASE_URL`, `DATA_DIR`, `<SERVICE>_DATABASE_NAME`);
   * default: a fresh database per subgraph, dropped by `stop()`.
   */
  databases?: Partial<Record<SubgraphProcessName, Record<string, string>>>;
  /** Leave the databases in place at `stop()` (the benchmark reuses its seeded catalog). */
  keepDatabases?: boolean;
  /** Environment for every service, over the defaults (`NODE_ENV=test`, JSON logs). */
  commonEnv?: Record<string, string>;
  /**
   * Runs the services as the environment configures them (what `npm start` does): addresses, databases
   * and secrets from the inherited variables and each service's defaults, none of the harness's own.
   */
  asConfigured?: boolean;
  /** Called with every chunk a service prints, as it comes (`npm start` shows them prefixed). */
  onOutput?: (name: ShopProcessName, text: string) => void;
  /** Keep at most this many characters of each service's output for `output()` (default: all of it). */
  keepOutputChars?: number;
  /** Each service in its own process group, stopping itself if this process dies (see spawnService). */
  ownProcessGroup?: boolean;
  /**
   * Where each service listens: `true` binds each to its own loopback address (`OWN_LOOPBACK_ADDRESSES`),
   * a map picks addresses per service; unset, everything listens on 127.0.0.1.
   */
  hosts?: boolean | Partial<Record<ShopProcessName, string>>;
  /** Extra environment per service for every start of it, e.g. `{ catalog: { CATALOG_SEED_DEMO: 'true' } }`. */
  env?: Partial<Record<ShopProcessName, Record<string, string>>>;
  /** LOG_LEVEL of every process; `output()` keeps what they print, for assertions and failure messages. */
  logLevel?: string;
  /** Runs the compiled JavaScript of `npm run build` (`<package>/dist/index.js`) on plain Node, as the image does. */
  compiled?: boolean;
  /** How long a start may take to answer `/ready` (two cores, tsx compiling: be generous). */
  readyTimeoutMs?: number;
}

/** Where a service listens; the same across restarts. */
export interface ShopEndpoint {
  name: ShopProcessName;
  host: string;
  port: number;
  /** `http://host:port`: `/health` and `/ready` live here. */
  baseUrl: string;
  /** The GraphQL endpoint: `<baseUrl>/graphql` for a subgraph, `<baseUrl>/` for the gateway. */
  url: string;
  /** The subgraph's secret (shared with the gateway and its internal callers); the JWT secret for the gateway. */
  secret: string;
}

export interface ShopProcesses {
  /** The gateway's GraphQL endpoint: what clients use. */
  url: string;
  /** The gateway's HS256 secret (explicit, not the development default). */
  jwtSecret: string;
  endpoints: Record<ShopProcessName, ShopEndpoint>;
  /** The service's current process (replaced by `restart`). */
  process(name: ShopProcessName): ServiceProcess;
  /** The processes running now, in start order (services not started in this shop left out). */
  started(): ServiceProcess[];
  /** A token the gateway accepts for `userId`; `expiresIn` makes a token that differs from an earlier one. */
  token(userId: string, options?: { admin?: boolean; roles?: string[]; expiresIn?: string | number }): Promise<string>;
  /** Runs a typed operation through the gateway, anonymously or with `token`. */
  run<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables, token?: string): Promise<GraphQLResponse<TData>>;
  /**
   * Starts `name` again on the same address, port and database: stops the running process first
   * (SIGINT; nothing to do when it already died) and starts a new one with its usual environment plus
   * `env`, for this start only (e.g. `{ ORDER_FAULT_AT: 'order-placed' }`; restart without it to clear).
   */
  restart(name: ShopProcessName, env?: Record<string, string>): Promise<ServiceProcess>;
  /** Stops every process (SIGINT, then SIGKILL after a grace period) and drops every database. */
  stop(): Promise<void>;
}

/**
 * Polls `probe` until it returns something other than `undefined`, or fails after `timeoutMs` with the
 * last value seen and `describe()` (e.g. a process's output). For waiting on real processes without
 * fixed sleeps: the wait is as short as the system allows and bounded when it never converges.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  options: { timeoutMs?: number; intervalMs?: number; what?: string; describe?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      last = undefined;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const why = last instanceof Error ? last.message : String(last ?? 'condition not met');
      throw new Error(`Timed out waiting for ${options.what ?? 'a condition'}: ${why}${options.describe ? `\n${options.describe()}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}

/** The last `chars` characters a process printed, for failure messages. */
export function tailOf(service: ServiceProcess | undefined, chars = 4_000): string {
  if (!service) return '';
  const out = service.output();
  return `--- ${service.name} (last ${Math.min(chars, out.length)} of ${out.length} chars) ---\n${out.slice(-chars)}`;
}

const secret = (bytes: number) => randomBytes(bytes).toString('base64url');

/**
 * The whole shop as real child processes (`node --import tsx <entry>`, or the compiled entries): catalog, cart, order and the
 * gateway, each on a free port, optionally each on its own loopback address, each subgraph with its own
 * database (SQLite in a temp folder, or MySQL with DATABASE_URL) and its own secret, and the gateway with
 * its own JWT secret. The catalog starts empty unless `env.catalog.CATALOG_SEED_DEMO` is `'true'`.
 * Always `stop()` it (afterAll): that ends every process and drops every database.
 */
export async function startShopProcesses(options: ShopProcessesOptions = {}): Promise<ShopProcesses> {
  const names = options.services ?? SHOP_PROCESS_NAMES;
  const { endpoints, baseEnv, databases, jwtSecret } = options.asConfigured ? configuredPlan(options) : await harnessPlan(options, names);

  const running: Partial<Record<ShopProcessName, ServiceProcess>> = {};
  const everStarted = new Set<ServiceProcess>();
  // Last resort: if the test runner's process exits without stop(), take the children with it.
  const killOnExit = () => {
    for (const child of everStarted) if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const start = async (name: ShopProcessName, extra: Record<string, string> = {}): Promise<ServiceProcess> => {
    const service = await spawnService({
      name,
      entry: entryOf(name, options.compiled),
      env: { ...baseEnv[name], ...options.env?.[name], ...extra },
      readyUrl: `${endpoints[name].baseUrl}/ready`,
      timeoutMs: options.readyTimeoutMs ?? 120_000,
      onOutput: options.onOutput && ((text) => options.onOutput?.(name, text)),
      keepOutputChars: options.keepOutputChars,
      ownProcessGroup: options.ownProcessGroup,
    });
    everStarted.add(service);
    running[name] = service;
    return service;
  };

  const dropAll = async () => {
    for (const name of Object.keys(databases) as SubgraphProcessName[]) {
      const env = databases[name]!;
      await dropDatabase({ databaseUrl: env.DATABASE_URL, databaseName: env[`${envPrefix(name)}_DATABASE_NAME`], dataDir: env.DATA_DIR });
      rmSync(env.DATA_DIR, { recursive: true, force: true });
    }
  };

  const stopAll = async () => {
    const problems: unknown[] = [];
    // The gateway first, then the order service (its stop drains the relay into the cart), then the rest.
    for (const name of ['gateway', 'order', 'cart', 'catalog'] as const) {
      try {
        await running[name]?.stop();
      } catch (error) {
        problems.push(error);
      }
    }
    for (const child of everStarted) await child.kill().catch((error: unknown) => problems.push(error));
    try {
      await dropAll();
    } catch (error) {
      problems.push(error);
    }
    process.removeListener('exit', killOnExit);
    if (problems.length > 0) throw problems[0];
  };

  // Independent at start (calls between them happen per request), so all four start together.
  const started = await Promise.allSettled(names.map((name) => start(name)));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await stopAll().catch(() => undefined);
    throw failed.reason;
  }

  return {
    url: endpoints.gateway.url,
    jwtSecret,
    endpoints,
    process(name) {
      const service = running[name];
      if (!service) throw new Error(`${name} is not started`);
      return service;
    },
    started: () => names.flatMap((name) => running[name] ?? []),
    token: (userId, tokenOptions = {}) =>
      signDevToken({
        userId,
        roles: [...(tokenOptions.roles ?? []), ...(tokenOptions.admin ? ['admin'] : [])],
        secret: jwtSecret,
        expiresIn: tokenOptions.expiresIn,
      }),
    run: (document, variables, token) => execute(endpoints.gateway.url, document, variables, { token }),
    async restart(name, env = {}) {
      const previous = running[name];
      running[name] = undefined;
      await previous?.stop();
      return start(name, env);
    },
    stop: stopAll,
  };
}

/** Where each service listens and with what environment it starts. */
interface Plan {
  endpoints: Record<ShopProcessName, ShopEndpoint>;
  baseEnv: Record<ShopProcessName, Record<string, string>>;
  /** The databases `stop()` drops (none when they are kept or not the harness's own). */
  databases: Partial<Record<SubgraphProcessName, Record<string, string>>>;
  jwtSecret: string;
}

function endpointOf(name: ShopProcessName, host: string, port: number, secret: string): ShopEndpoint {
  // A service bound to every interface is reached on loopback.
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const baseUrl = `http://${reachable}:${port}`;
  return { name, host: reachable, port, baseUrl, url: name === 'gateway' ? `${baseUrl}/` : `${baseUrl}/graphql`, secret };
}

/** The harness's own shop: free ports, fresh databases and secrets, nothing from the developer's setup. */
async function harnessPlan(options: ShopProcessesOptions, names: readonly ShopProcessName[]): Promise<Plan> {
  const hostOf = (name: ShopProcessName): string => {
    if (options.hosts === true) return OWN_LOOPBACK_ADDRESSES[name];
    if (options.hosts) return options.hosts[name] ?? '127.0.0.1';
    return '127.0.0.1';
  };
  const endpoints = {} as Record<ShopProcessName, ShopEndpoint>;
  for (const name of SHOP_PROCESS_NAMES) {
    const host = hostOf(name);
    endpoints[name] = endpointOf(name, host, await freePort(host), secret(name === 'gateway' ? 36 : 18));
  }
  const jwtSecret = endpoints.gateway.secret;

  const common = { LOG_LEVEL: options.logLevel ?? 'info', LOG_FORMAT: 'json', NODE_ENV: 'test', ...options.commonEnv };
  const peer = (name: SubgraphProcessName) => ({
    [`${envPrefix(name)}_URL`]: endpoints[name].url,
    [`${envPrefix(name)}_SUBGRAPH_SECRET`]: endpoints[name].secret,
  });
  const own = (name: SubgraphProcessName) => ({
    [`${envPrefix(name)}_HOST`]: endpoints[name].host,
    [`${envPrefix(name)}_PORT`]: String(endpoints[name].port),
    [`${envPrefix(name)}_SUBGRAPH_SECRET`]: endpoints[name].secret,
  });
  const databases: Partial<Record<SubgraphProcessName, Record<string, string>>> = {};
  for (const name of names) if (name !== 'gateway') databases[name] = options.databases?.[name] ?? testDatabaseEnv(name);

  // Every subgraph the gateway knows is configured explicitly; one this helper does not run points at a
  // port nothing listens on, never at a developer's service on the default port.
  const gatewaySubgraphs: Record<string, string> = {};
  for (const name of Object.keys(SUBGRAPHS)) {
    const p = envPrefix(name);
    if (name in databases) Object.assign(gatewaySubgraphs, peer(name as SubgraphProcessName));
    else Object.assign(gatewaySubgraphs, { [`${p}_URL`]: 'http://127.0.0.1:1/graphql', [`${p}_SUBGRAPH_SECRET`]: secret(18) });
  }

  const baseEnv: Record<ShopProcessName, Record<string, string>> = {
    catalog: { ...databases.catalog, ...common, ...own('catalog'), CATALOG_SEED_DEMO: 'false' },
    cart: { ...databases.cart, ...common, ...own('cart'), ...peer('catalog') },
    // Explicitly empty (= unset), so a fault configured in the test runner's environment never leaks in.
    order: { ...databases.order, ...common, ...own('order'), ...peer('catalog'), ...peer('cart'), ORDER_FAULT_AT: '' },
    gateway: {
      ...common,
      GATEWAY_HOST: endpoints.gateway.host,
      GATEWAY_PORT: String(endpoints.gateway.port),
      JWT_SECRET: jwtSecret,
      ...gatewaySubgraphs,
    },
  };
  return { endpoints, baseEnv, databases: options.keepDatabases ? {} : databases, jwtSecret };
}

/**
 * The shop as its environment configures it (`npm start`): every address, database and secret comes
 * from the inherited variables and the services' own defaults, read with the services' own loaders so
 * the launcher waits where they listen. Nothing is dropped at `stop()`.
 */
function configuredPlan(options: ShopProcessesOptions): Plan {
  const envOf = (name: ShopProcessName) => ({ ...process.env, ...options.commonEnv, ...options.env?.[name] });
  const endpoints = {} as Record<ShopProcessName, ShopEndpoint>;
  for (const name of Object.keys(SUBGRAPHS) as SubgraphProcessName[]) {
    const config = loadSubgraphConfig(name, SUBGRAPHS[name].port, envOf(name));
    endpoints[name] = endpointOf(name, config.host, config.port, config.secret);
  }
  const gateway = loadGatewayConfig(envOf('gateway'));
  const jwtSecret = gateway.jwt.secret ?? ''; // none with a JWKS: `token()` is then of no use
  endpoints.gateway = endpointOf('gateway', gateway.host, gateway.port, jwtSecret);
  const common = { ...options.commonEnv };
  return { endpoints, baseEnv: { catalog: common, cart: common, order: common, gateway: common }, databases: {}, jwtSecret };
}
