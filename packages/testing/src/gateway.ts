import { SUBGRAPHS, type SubgraphName } from '@storefront/contracts';
import { envPrefix } from '@storefront/service-kit';
import { createGatewayServer, DEV_JWT_SECRET, type GatewayConfig, type GatewayServer, loadGatewayConfig, signDevToken } from '@storefront/gateway';
import { RELAXED_TIMEOUTS } from './in-process';

export interface RunningGateway {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:54321/`. */
  url: string;
  config: GatewayConfig;
  server: GatewayServer;
  stop(): Promise<void>;
}

/**
 * The gateway in this process on a free port, pointed at the given subgraphs (`startCatalog()` gives
 * `url` and `config.secret`). Subgraphs left out point at a port nothing listens on, so a test never
 * reaches a developer's running services by accident.
 * `env` overrides anything, e.g. `JWT_JWKS_URL` or `GATEWAY_EXPLORER`.
 */
export async function startGateway(
  subgraphs: Partial<Record<SubgraphName, { url: string; secret: string }>>,
  env: Record<string, string> = {},
): Promise<RunningGateway> {
  const subgraphEnv: Record<string, string> = {};
  for (const name of Object.keys(SUBGRAPHS)) subgraphEnv[`${envPrefix(name)}_URL`] = 'http://127.0.0.1:1/graphql';
  for (const [name, endpoint] of Object.entries(subgraphs)) {
    subgraphEnv[`${envPrefix(name)}_URL`] = endpoint.url;
    subgraphEnv[`${envPrefix(name)}_SUBGRAPH_SECRET`] = endpoint.secret;
  }
  const config = loadGatewayConfig({
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
    GATEWAY_SUBGRAPH_TIMEOUT_MS: RELAXED_TIMEOUTS.GATEWAY_SUBGRAPH_TIMEOUT_MS,
    GATEWAY_BREAKER_WINDOW_MS: RELAXED_TIMEOUTS.GATEWAY_BREAKER_WINDOW_MS,
    ...subgraphEnv,
    ...env,
  });
  const server = await createGatewayServer(config);
  const url = await server.listen(0, '127.0.0.1');
  return { url, config, server, stop: () => server.stop() };
}

/** A token the test gateway accepts (it runs with the development JWT secret unless `env` changes it). */
export function tokenFor(userId: string, options: { admin?: boolean; roles?: string[] } = {}): Promise<string> {
  const roles = [...(options.roles ?? []), ...(options.admin ? ['admin'] : [])];
  return signDevToken({ userId, roles, secret: DEV_JWT_SECRET });
}
