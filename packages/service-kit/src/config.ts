import { z } from 'zod';
import { SUBGRAPH_MAX_DEPTH_ENV } from './query-limits';
import { shutdownConfigFrom, shutdownEnvShape, type ShutdownConfig } from './shutdown';

/** Thrown at start when the environment is invalid; lists every bad variable, not only the first. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Reads `env` through a zod object whose keys are environment variable names. Empty strings count as
 * unset so that `FOO= npm start` falls back to the default instead of failing on "".
 */
export function loadEnv<S extends z.ZodRawShape>(shape: S, env: Env = process.env): z.infer<z.ZodObject<S>> {
  const present: Env = {};
  for (const key of Object.keys(shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') present[key] = value.trim();
  }
  const parsed = z.object(shape).safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0]);
        const shown = present[key] === undefined ? 'unset' : JSON.stringify(present[key]);
        return `${key} (${shown}): ${issue.message}`;
      }),
    );
  }
  return parsed.data as z.infer<z.ZodObject<S>>;
}

export const port = (fallback: number) =>
  z.coerce.number().int().min(0, 'must be a port number (0-65535)').max(65535, 'must be a port number (0-65535)').default(fallback);

export const httpUrl = () =>
  z.string().refine((v) => /^https?:\/\/[^\s]+$/.test(v), 'must be an http(s) URL');

export const logLevel = () =>
  z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

export const logFormat = () => z.enum(['json', 'pretty']).default('json');

export const nodeEnv = () => z.enum(['development', 'production', 'test']).default('development');

/**
 * How to reach subgraph `name`: `<NAME>_URL` and `<NAME>_SUBGRAPH_SECRET`. The gateway reads it for
 * every subgraph; services that call another's internal routes (cart -> catalog) read the same names.
 */
export function subgraphClientEnvShape(name: string, defaultPort: number) {
  const p = envPrefix(name);
  return {
    [`${p}_URL`]: httpUrl().default(`http://127.0.0.1:${defaultPort}/graphql`),
    // Same rule as the subgraph's own config, so a secret one side accepts the other accepts too.
    [`${p}_SUBGRAPH_SECRET`]: z.string().min(16, 'must be at least 16 characters').default(devSecret(name)),
  };
}

/** Configuration every subgraph reads; each service adds its own keys on top. */
export interface SubgraphConfig {
  service: string;
  host: string;
  port: number;
  secret: string;
  databaseUrl?: string;
  databaseName: string;
  dataDir: string;
  logLevel: string;
  logFormat: 'json' | 'pretty';
  nodeEnv: 'development' | 'production' | 'test';
  /** Deepest operation `/graphql` runs (SUBGRAPH_MAX_DEPTH): internal callers reach it without the gateway's limits. */
  maxDepth: number;

  shutdown: ShutdownConfig;
  /**
   * Run pending migrations at start (MIGRATE_ON_START). Off where a job migrates once per release
   * (Kubernetes): the service then starts without touching the schema and stays not ready until it is current.
   */
  migrateOnStart: boolean;
  /** How long one call to another service's internal routes may take (below the gateway's subgraph timeout). */
  internalCallTimeoutMs: number;
}

/** The environment variables every subgraph reads, with their defaults and rules. */
export function subgraphEnvShape(service: string, defaultPort: number) {
  const p = envPrefix(service);
  return {
    [`${p}_HOST`]: z.string().default('127.0.0.1'),
    [`${p}_PORT`]: port(defaultPort),
    [`${p}_SUBGRAPH_SECRET`]: z.string().min(16, 'must be at least 16 characters').default(devSecret(service)),
    [`${p}_DATABASE_NAME`]: z
      .string()
      .regex(/^[A-Za-z0-9_]{1,64}$/, 'must be 1-64 letters, digits or underscores')
      .default(`storefront_${service}`),
    DATABASE_URL: z
      .string()
      .refine((v) => /^(mysql|mariadb):\/\/[^\s]+$/.test(v), 'must be a mysql:// URL (leave unset for embedded SQLite)')
      .optional(),
    DATA_DIR: z.string().default('data'),
    LOG_LEVEL: logLevel(),
    LOG_FORMAT: logFormat(),
    NODE_ENV: nodeEnv(),
    ...SUBGRAPH_MAX_DEPTH_ENV,

    ...shutdownEnvShape(),
    MIGRATE_ON_START: z.enum(['true', 'false'], { message: 'must be true or false' }).default('true'),
    INTERNAL_CALL_TIMEOUT_MS: z.coerce
      .number()
      .int('must be a whole number of milliseconds')
      .min(100, 'must be at least 100')
      .max(60_000, 'must be at most 60000')
      .default(2_500),
  };
}

/**
 * Loads a subgraph's configuration. Variables are prefixed with the service name (`CATALOG_PORT`,
 * `CATALOG_SUBGRAPH_SECRET`) so that one shell, one `.env` or one compose file can configure every
 * service at once without them sharing a secret; `DATABASE_URL`, `DATA_DIR` and `LOG_LEVEL` are common.
 */
export function loadSubgraphConfig(service: string, defaultPort: number, env: Env = process.env): SubgraphConfig {
  const p = envPrefix(service);
  const raw = loadEnv(subgraphEnvShape(service, defaultPort), env) as Record<string, unknown>;
  const config: SubgraphConfig = {
    service,
    host: raw[`${p}_HOST`] as string,
    port: raw[`${p}_PORT`] as number,
    secret: raw[`${p}_SUBGRAPH_SECRET`] as string,
    databaseName: raw[`${p}_DATABASE_NAME`] as string,
    databaseUrl: raw.DATABASE_URL as string | undefined,
    dataDir: raw.DATA_DIR as string,
    logLevel: raw.LOG_LEVEL as string,
    logFormat: raw.LOG_FORMAT as SubgraphConfig['logFormat'],
    nodeEnv: raw.NODE_ENV as SubgraphConfig['nodeEnv'],
    maxDepth: raw.SUBGRAPH_MAX_DEPTH as number,

    shutdown: shutdownConfigFrom(raw),
    migrateOnStart: raw.MIGRATE_ON_START === 'true',
    internalCallTimeoutMs: raw.INTERNAL_CALL_TIMEOUT_MS as number,
  };
  if (config.nodeEnv === 'production' && config.secret === devSecret(service)) {
    throw new ConfigError([`${p}_SUBGRAPH_SECRET (unset): must be set in production; the development default is public`]);
  }
  return config;
}

/** `catalog` -> `CATALOG`: the prefix of a service's own environment variables. */
export function envPrefix(service: string): string {
  return service.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** The secret a subgraph shares with the gateway when none is configured (refused in production). */
export function devSecret(service: string): string {
  return `dev-only-${service}-secret`;
}
