import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CART_ENV, loadCartConfig } from '@storefront/cart';
import { CATALOG_ENV, loadCatalogConfig } from '@storefront/catalog';
import { loadOrderConfig, ORDER_ENV } from '@storefront/order';
import { gatewayEnvShape, loadGatewayConfig } from '@storefront/gateway';
import { SUBGRAPHS, type SubgraphName } from '@storefront/contracts';
import { subgraphEnvShape } from '@storefront/service-kit';

/**
 * docker compose cannot run on this machine, so this keeps docker-compose.yml honest another way:
 * every variable it sets is one the code reads, every service's configuration loads (in production
 * mode, so no development secret slips through), and ports, URLs and secrets agree across services.
 */
interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  stop_grace_period?: string;
}

const root = path.resolve(__dirname, '..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
const services = compose.services;

/** Compose's `${VAR:-default}` interpolation, with nothing set in the environment. */
function interpolate(value: string): string {
  return value.replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_, _name, fallback) => fallback ?? '');
}

function envOf(service: string): Record<string, string> {
  return Object.fromEntries(Object.entries(services[service].environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]));
}

function healthPort(service: string): number {
  const test = services[service].healthcheck?.test.join(' ') ?? '';
  const match = /127\.0\.0\.1:(\d+)\/(ready|health)/.exec(test);
  if (!match) throw new Error(`${service} has no HTTP health check`);
  return Number(match[1]);
}

const SUBGRAPH_ENV_EXTRA: Record<SubgraphName, Record<string, unknown>> = { catalog: CATALOG_ENV, cart: CART_ENV, order: ORDER_ENV };
const SUBGRAPH_LOADERS: Record<SubgraphName, (env: Record<string, string>) => { port: number; secret: string; databaseUrl?: string; shutdown: { timeoutMs: number } }> = {
  catalog: loadCatalogConfig,
  cart: loadCartConfig,
  order: loadOrderConfig,
};

test('the database is MariaDB 10.11, the tested production target, with a byte-for-byte default collation', () => {
  expect(services.mysql).toBeUndefined();
  expect(services.mariadb.image).toMatch(/^mariadb:10\.11(\.|$)/);
  expect(services.mariadb.command).toContain('--collation-server=utf8mb4_nopad_bin');
});

test('Docker waits for a whole graceful shutdown before it kills a service', () => {
  for (const name of [...Object.keys(SUBGRAPHS), 'gateway']) {
    const grace = /^(\d+)s$/.exec(services[name].stop_grace_period ?? '');
    expect(grace).not.toBeNull();
    const loaded = name === 'gateway' ? loadGatewayConfig(envOf(name)) : SUBGRAPH_LOADERS[name as SubgraphName](envOf(name));
    expect(Number(grace![1]) * 1000).toBeGreaterThan(loaded.shutdown.timeoutMs);
  }
});

test('every subgraph and the gateway run the compiled form of their start file, on plain Node', () => {
  for (const name of [...Object.keys(SUBGRAPHS), 'gateway']) {
    expect(services[name]).toBeDefined();
    const [node, entry, ...rest] = services[name].command ?? [];
    expect([node, rest]).toEqual(['node', []]);
    // `npm run build` compiles <package>/src into <package>/dist: the source start file and the
    // package's build configuration must exist for the image to have that file.
    const match = /^(.+)\/dist\/index\.js$/.exec(entry);
    expect(match).not.toBeNull();
    expect(existsSync(path.join(root, match![1], 'src', 'index.ts'))).toBe(true);
    expect(existsSync(path.join(root, match![1], 'tsconfig.build.json'))).toBe(true);
  }
});

describe.each(Object.keys(SUBGRAPHS) as SubgraphName[])('subgraph %s', (name) => {
  const env = envOf(name);

  test('sets only variables the service reads, and its configuration loads in production', () => {
    const known = new Set([...Object.keys(subgraphEnvShape(name, SUBGRAPHS[name].port)), ...Object.keys(SUBGRAPH_ENV_EXTRA[name])]);
    expect(Object.keys(env).filter((key) => !known.has(key))).toEqual([]);
    expect(env.NODE_ENV).toBe('production');
    const config = SUBGRAPH_LOADERS[name](env);
    expect(healthPort(name)).toBe(config.port);
  });

  test('runs on the compose MariaDB with its credentials, after it is healthy', () => {
    const url = new URL(SUBGRAPH_LOADERS[name](env).databaseUrl!);
    expect(url.protocol).toBe('mysql:');
    expect(url.hostname).toBe('mariadb');
    expect(decodeURIComponent(url.password)).toBe(envOf('mariadb').MARIADB_ROOT_PASSWORD);
    expect(services[name].depends_on?.mariadb?.condition).toBe('service_healthy');
    expect(services.mariadb.healthcheck).toBeDefined();
  });
});

test('the gateway reads only its variables, loads in production, and reaches every subgraph with its secret', () => {
  const env = envOf('gateway');
  const known = new Set(Object.keys(gatewayEnvShape()));
  expect(Object.keys(env).filter((key) => !known.has(key))).toEqual([]);
  const config = loadGatewayConfig(env);
  expect(healthPort('gateway')).toBe(config.port);
  expect(services.gateway.ports).toContain(`${config.port}:${config.port}`);
  for (const name of Object.keys(SUBGRAPHS) as SubgraphName[]) {
    const subgraph = SUBGRAPH_LOADERS[name](envOf(name));
    const url = new URL(config.subgraphs[name].url);
    expect(url.hostname).toBe(name);
    expect(Number(url.port)).toBe(subgraph.port);
    expect(config.subgraphs[name].secret).toBe(subgraph.secret);
    expect(services.gateway.depends_on?.[name]?.condition).toBe('service_healthy');
  }
});

/** Internal calls between services: who calls whom, and the callee's config says where it listens. */
const INTERNAL_CALLS: [caller: string, callee: SubgraphName, endpoint: (env: Record<string, string>) => { url: string; secret: string }][] = [
  ['cart', 'catalog', (env) => loadCartConfig(env).catalog],
  ['order', 'catalog', (env) => loadOrderConfig(env).catalog],
  ['order', 'cart', (env) => loadOrderConfig(env).cart],
];

test.each(INTERNAL_CALLS)('%s reaches %s where it listens, with its secret, once it is healthy', (caller, callee, endpoint) => {
  const target = endpoint(envOf(caller));
  const config = SUBGRAPH_LOADERS[callee](envOf(callee));
  const url = new URL(target.url);
  expect([url.hostname, Number(url.port)]).toEqual([callee, config.port]);
  expect(target.secret).toBe(config.secret);
  expect(services[caller].depends_on?.[callee]?.condition).toBe('service_healthy');
});
