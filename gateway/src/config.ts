import { existsSync } from 'node:fs';
import path from 'node:path';
import { GATEWAY_DEFAULT_PORT, SUBGRAPH_NAMES, SUBGRAPHS, type SubgraphName } from '@storefront/contracts';
import {
  ConfigError,
  devSecret,
  envPrefix,
  httpUrl,
  loadEnv,
  logFormat,
  logLevel,
  nodeEnv,
  port,
  shutdownConfigFrom,
  shutdownEnvShape,
  subgraphClientEnvShape,
  type ShutdownConfig,
} from '@storefront/service-kit';
import { z } from 'zod';
import { corsEnvShape, corsOrigins } from './cors';
import { rateLimitConfig, rateLimitEnvShape, type RateLimitConfig } from './rate-limit';
import { tokenLifetimeConfig, tokenLifetimeEnvShape, type TokenLifetimeConfig } from './token-lifetime';

import { QUERY_LIMITS_ENV, queryLimitsFrom, type QueryLimits } from './query-limits';

import { subgraphFetchConfigFrom, subgraphFetchEnvShape, type SubgraphFetchConfig } from './subgraph-fetch';

/**
 * Signs and verifies tokens when no JWT_SECRET is configured: `npm run token`, the tests and a gateway
 * started without configuration all agree on it. Public, so refused in production.
 */
export const DEV_JWT_SECRET = 'dev-only-gateway-jwt-secret-do-not-use-in-production';

/** The committed, statically composed supergraph at the repository root, whatever the working directory. */
export const DEFAULT_SUPERGRAPH_PATH = path.resolve(__dirname, '..', '..', 'supergraph.graphql');

export interface JwtConfig extends TokenLifetimeConfig {
  /** HS256 secret; used only when `jwksUrl` is not set. */
  secret: string;
  /** A real identity provider's key set (RS256, ES256, ...); replaces the secret when set. */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

export interface SubgraphEndpoint {
  url: string;
  secret: string;
}

export interface GatewayConfig {
  host: string;
  port: number;
  jwt: JwtConfig;
  /** Where each subgraph answers and the secret it shares with the gateway; overrides supergraph.graphql. */
  subgraphs: Record<SubgraphName, SubgraphEndpoint>;
  /** Origins browsers may call from (cors.ts). */
  corsOrigins: string[];
  rateLimit: RateLimitConfig;
  /** Serve the GraphiQL explorer on GET / for browsers. */
  explorer: boolean;
  /** The operator's opt-in to Apollo's anonymous telemetry and usage reporting (off: nothing leaves). */
  apolloTelemetry: boolean;
  supergraphPath: string;
  logLevel: string;
  /** `pretty` for a terminal (`npm start`), JSON otherwise. */
  logFormat: 'json' | 'pretty';
  nodeEnv: 'development' | 'production' | 'test';
  /** Size and cost limits on one operation (query-limits.ts). */
  queryLimits: QueryLimits;

  /** Per-subgraph timeouts and circuit breakers. */
  subgraphFetch: SubgraphFetchConfig;
  shutdown: ShutdownConfig;
}

type Env = Record<string, string | undefined>;

/** The environment variables the gateway reads, with their defaults and rules (one per subgraph in `SUBGRAPHS`). */
export function gatewayEnvShape() {
  const subgraphShape = Object.assign({}, ...SUBGRAPH_NAMES.map((name) => subgraphClientEnvShape(name, SUBGRAPHS[name].port)));
  return {
    GATEWAY_HOST: z.string().default('127.0.0.1'),
    GATEWAY_PORT: port(GATEWAY_DEFAULT_PORT),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters (HS256 needs a 256-bit key)').default(DEV_JWT_SECRET),
    JWT_JWKS_URL: httpUrl().optional(),
    JWT_ISSUER: z.string().optional(),
    JWT_AUDIENCE: z.string().optional(),
    ...tokenLifetimeEnvShape(),
    ...corsEnvShape(),
    ...rateLimitEnvShape(),
    GATEWAY_EXPLORER: z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
    GATEWAY_APOLLO_TELEMETRY: z.enum(['true', 'false'], { message: 'must be true or false' }).default('false'),
    SUPERGRAPH_PATH: z.string().default(DEFAULT_SUPERGRAPH_PATH),
    LOG_LEVEL: logLevel(),
    LOG_FORMAT: logFormat(),
    NODE_ENV: nodeEnv(),
    ...QUERY_LIMITS_ENV,

    ...subgraphFetchEnvShape(),
    ...shutdownEnvShape(),
    ...subgraphShape,
  };
}

/**
 * Reads the gateway's configuration. Every subgraph in the kit's `SUBGRAPHS` table gets `<NAME>_URL`
 * and `<NAME>_SUBGRAPH_SECRET`, so adding a subgraph needs no change here. Malformed values are all
 * reported together; then production is refused while any public development default is in use.
 */
export function loadGatewayConfig(env: Env = process.env): GatewayConfig {
  const raw = loadEnv(gatewayEnvShape(), env) as Record<string, unknown>;

  const nodeEnvValue = raw.NODE_ENV as GatewayConfig['nodeEnv'];
  const subgraphs = {} as Record<SubgraphName, SubgraphEndpoint>;
  for (const name of SUBGRAPH_NAMES) {
    const p = envPrefix(name);
    subgraphs[name] = { url: raw[`${p}_URL`] as string, secret: raw[`${p}_SUBGRAPH_SECRET`] as string };
  }
  const config: GatewayConfig = {
    host: raw.GATEWAY_HOST as string,
    port: raw.GATEWAY_PORT as number,
    jwt: {
      secret: raw.JWT_SECRET as string,
      jwksUrl: raw.JWT_JWKS_URL as string | undefined,
      issuer: raw.JWT_ISSUER as string | undefined,
      audience: raw.JWT_AUDIENCE as string | undefined,
      ...tokenLifetimeConfig(raw),
    },
    corsOrigins: corsOrigins(raw.GATEWAY_CORS_ORIGINS as string | undefined, nodeEnvValue === 'production'),
    rateLimit: rateLimitConfig(raw, nodeEnvValue === 'production'),
    subgraphs,
    explorer: raw.GATEWAY_EXPLORER ? raw.GATEWAY_EXPLORER === 'true' : nodeEnvValue !== 'production',
    apolloTelemetry: raw.GATEWAY_APOLLO_TELEMETRY === 'true',
    // Relative to where the user runs the command, like any path they type.
    supergraphPath: path.resolve(raw.SUPERGRAPH_PATH as string),
    logLevel: raw.LOG_LEVEL as string,
    logFormat: raw.LOG_FORMAT as GatewayConfig['logFormat'],
    nodeEnv: nodeEnvValue,
    queryLimits: queryLimitsFrom(raw),

    subgraphFetch: subgraphFetchConfigFrom(raw),
    shutdown: shutdownConfigFrom(raw),
  };

  const problems: string[] = [];
  if (!existsSync(config.supergraphPath)) {
    problems.push(`SUPERGRAPH_PATH (${JSON.stringify(config.supergraphPath)}): no such file (run \`npm run compose\`)`);
  }
  if (config.nodeEnv === 'production') {
    // With a JWKS the secret is never used, so its default is harmless.
    if (!config.jwt.jwksUrl && config.jwt.secret === DEV_JWT_SECRET) {
      problems.push('JWT_SECRET (development default): must be set in production, or JWT_JWKS_URL used; the default is public');
    }
    for (const name of SUBGRAPH_NAMES) {
      if (subgraphs[name].secret === devSecret(name)) {
        problems.push(`${envPrefix(name)}_SUBGRAPH_SECRET (development default): must be set in production; the default is public`);
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
