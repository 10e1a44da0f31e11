import path from 'node:path';
import { SUBGRAPHS } from '@storefront/contracts';
import { ConfigError, devSecret, envPrefix } from '@storefront/service-kit';
import { DEFAULT_SUPERGRAPH_PATH, DEV_JWT_SECRET, gatewayEnvShape, loadGatewayConfig } from '../src/config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadGatewayConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

const SUBGRAPH_SECRETS = Object.fromEntries(
  Object.keys(SUBGRAPHS).map((name) => [`${envPrefix(name)}_SUBGRAPH_SECRET`, `a-production-${name}-secret`]),
);

const PRODUCTION_SECRETS = {
  NODE_ENV: 'production',
  JWT_SECRET: 'a-production-secret-of-at-least-32-chars',
  ...SUBGRAPH_SECRETS,
};

test('defaults run a local gateway against local subgraphs', () => {
  const config = loadGatewayConfig({});
  expect(config).toMatchObject({
    host: '127.0.0.1',
    port: 4000,
    jwt: { secret: DEV_JWT_SECRET },
    subgraphs: { catalog: { url: 'http://127.0.0.1:4001/graphql', secret: devSecret('catalog') } },
    explorer: true,
    apolloTelemetry: false,
    nodeEnv: 'development',
    logLevel: 'info',
  });
  expect(config.supergraphPath).toBe(DEFAULT_SUPERGRAPH_PATH);
  expect(path.basename(config.supergraphPath)).toBe('supergraph.graphql');
  expect(config.jwt.jwksUrl).toBeUndefined();
});

test('every subgraph in SUBGRAPHS has its URL and secret variables', () => {
  expect(Object.keys(gatewayEnvShape())).toEqual(expect.arrayContaining(['CATALOG_URL', 'CATALOG_SUBGRAPH_SECRET']));
});

test('reads every variable', () => {
  const config = loadGatewayConfig({
    GATEWAY_HOST: '0.0.0.0',
    GATEWAY_PORT: '8080',
    JWT_JWKS_URL: 'https://idp.example.test/.well-known/jwks.json',
    JWT_ISSUER: 'https://idp.example.test/',
    JWT_AUDIENCE: 'storefront',
    CATALOG_URL: 'http://catalog:4001/graphql',
    CATALOG_SUBGRAPH_SECRET: 'catalog-secret-from-env',
    GATEWAY_EXPLORER: 'false',
    GATEWAY_APOLLO_TELEMETRY: 'true',
    SUPERGRAPH_PATH: path.relative(process.cwd(), DEFAULT_SUPERGRAPH_PATH),
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
  });
  expect(config).toMatchObject({
    host: '0.0.0.0',
    port: 8080,
    jwt: { jwksUrl: 'https://idp.example.test/.well-known/jwks.json', issuer: 'https://idp.example.test/', audience: 'storefront' },
    subgraphs: { catalog: { url: 'http://catalog:4001/graphql', secret: 'catalog-secret-from-env' } },
    explorer: false,
    apolloTelemetry: true,
    supergraphPath: DEFAULT_SUPERGRAPH_PATH,
    logLevel: 'warn',
    nodeEnv: 'test',
  });
});

test('reports every bad variable at once, each by name', () => {
  const problems = problemsOf({
    GATEWAY_PORT: '99999',
    JWT_SECRET: 'too-short',
    CATALOG_URL: 'catalog:4001',
    CATALOG_SUBGRAPH_SECRET: 'short',
    JWT_JWKS_URL: 'ftp://idp/jwks',
    GATEWAY_EXPLORER: 'yes',
  });
  for (const name of ['GATEWAY_PORT', 'JWT_SECRET', 'CATALOG_URL', 'CATALOG_SUBGRAPH_SECRET', 'JWT_JWKS_URL', 'GATEWAY_EXPLORER']) {
    expect(problems.filter((p) => p.startsWith(`${name} (`))).toHaveLength(1);
  }
  expect(problems.join('\n')).toContain('JWT_SECRET ("too-short"): must be at least 32 characters');
});

test('a missing supergraph file is a configuration error', () => {
  expect(problemsOf({ SUPERGRAPH_PATH: '/nonexistent/supergraph.graphql' })).toEqual([
    expect.stringMatching(/^SUPERGRAPH_PATH \("\/nonexistent\/supergraph.graphql"\): no such file/),
  ]);
});

describe('production', () => {
  test('refuses the public development secrets', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toEqual([
      expect.stringMatching(/^JWT_SECRET /),
      ...Object.keys(SUBGRAPH_SECRETS).map((key) => expect.stringMatching(new RegExp(`^${key} `))),
    ]);
    // Setting a variable to the default value is no better than leaving it unset.
    expect(problemsOf({ ...PRODUCTION_SECRETS, JWT_SECRET: DEV_JWT_SECRET })).toEqual([expect.stringMatching(/^JWT_SECRET /)]);
    expect(problemsOf({ ...PRODUCTION_SECRETS, CATALOG_SUBGRAPH_SECRET: devSecret('catalog') })).toEqual([
      expect.stringMatching(/^CATALOG_SUBGRAPH_SECRET /),
    ]);
  });

  test('accepts its own secrets, or a JWKS instead of a JWT secret; the explorer is off unless asked for', () => {
    expect(loadGatewayConfig(PRODUCTION_SECRETS).explorer).toBe(false);
    const withJwks = loadGatewayConfig({
      NODE_ENV: 'production',
      ...SUBGRAPH_SECRETS,
      JWT_JWKS_URL: 'https://idp.example.test/jwks.json',
    });
    expect(withJwks.jwt.jwksUrl).toBe('https://idp.example.test/jwks.json');
    expect(loadGatewayConfig({ ...PRODUCTION_SECRETS, GATEWAY_EXPLORER: 'true' }).explorer).toBe(true);
  });
});

describe('HTTP hardening settings (CORS, rate limits, token lifetime)', () => {
  test('development defaults: local origins, loopback not limited, 24 h tokens, 30 s skew', () => {
    const config = loadGatewayConfig({});
    expect(config.corsOrigins).toEqual(['http://localhost:*', 'http://127.0.0.1:*', 'http://[::1]:*']);
    expect(config.rateLimit).toEqual({ windowSeconds: 60, requests: 600, sensitive: 30, limitLoopback: false, trustedProxies: [] });
    expect(config.jwt).toMatchObject({ maxLifetimeSeconds: 86_400, clockSkewSeconds: 30 });
  });

  test('production defaults: no origin, loopback limited like anyone', () => {
    const config = loadGatewayConfig(PRODUCTION_SECRETS);
    expect(config.corsOrigins).toEqual([]);
    expect(config.rateLimit.limitLoopback).toBe(true);
  });

  test('set values are read', () => {
    const config = loadGatewayConfig({
      GATEWAY_CORS_ORIGINS: 'https://shop.example,http://localhost:*',
      GATEWAY_TRUSTED_PROXIES: '10.0.0.0/8, loopback, ::1',
      GATEWAY_RATE_LIMIT_REQUESTS: '0',
      GATEWAY_RATE_LIMIT_LOOPBACK: 'true',
      JWT_MAX_TOKEN_LIFETIME: '7d',
      JWT_CLOCK_SKEW_SECONDS: '0',
    });
    expect(config.corsOrigins).toEqual(['https://shop.example', 'http://localhost:*']);
    expect(config.rateLimit).toMatchObject({ requests: 0, limitLoopback: true, trustedProxies: ['10.0.0.0/8', 'loopback', '::1'] });
    expect(config.jwt).toMatchObject({ maxLifetimeSeconds: 7 * 86_400, clockSkewSeconds: 0 });
    expect(loadGatewayConfig({ GATEWAY_CORS_ORIGINS: 'none' }).corsOrigins).toEqual([]);
  });

  test.each([
    ['GATEWAY_CORS_ORIGINS', '*'],
    ['GATEWAY_CORS_ORIGINS', 'https://shop.example/'],
    ['GATEWAY_CORS_ORIGINS', 'https://Shop.example'],
    ['GATEWAY_CORS_ORIGINS', 'https://shop.example:443'],
    ['GATEWAY_CORS_ORIGINS', 'shop.example'],
    ['GATEWAY_TRUSTED_PROXIES', '10.0.0.0/33'],
    ['GATEWAY_TRUSTED_PROXIES', 'proxy.internal'],
    ['GATEWAY_RATE_LIMIT_REQUESTS', '-1'],
    ['GATEWAY_RATE_LIMIT_WINDOW_SECONDS', '0'],
    ['JWT_MAX_TOKEN_LIFETIME', 'forever'],
    ['JWT_MAX_TOKEN_LIFETIME', '0'],
    ['JWT_CLOCK_SKEW_SECONDS', '3600'],
  ])('%s=%s is refused at start, naming the variable', (name, value) => {
    expect(problemsOf({ [name]: value }).join('\n')).toContain(name);
  });
});
