import { rmSync } from 'node:fs';
import path from 'node:path';
import { dropDatabase, HEADERS, type SubgraphConfig, type SubgraphServer } from '@storefront/service-kit';
import { TEST_DIR_PREFIX } from './databases';

/**
 * In-process stacks run the gateway and every subgraph on this one event loop, and their race tests queue
 * a hundred writes on one row on purpose: on a loaded 2-core machine that outlasts the production
 * timeouts, which these tests are not about. Timeouts and breakers are tested on real processes with
 * their defaults (gateway/test/subgraph-breaker.process.test.ts). An explicit `env` still wins.
 */
export const RELAXED_TIMEOUTS = { INTERNAL_CALL_TIMEOUT_MS: '30000', GATEWAY_SUBGRAPH_TIMEOUT_MS: '30000', GATEWAY_BREAKER_WINDOW_MS: '60000' };

export interface InProcessSubgraph<C extends SubgraphConfig, S extends SubgraphServer> {
  /** Its GraphQL endpoint. */
  url: string;
  config: C;
  server: S;
  /** Headers the gateway would add: the subgraph secret, and identity when given. */
  headers(identity?: { userId: string; roles?: string[] }): Record<string, string>;
  /** Stops it and drops its database. */
  stop(): Promise<void>;
}

/** Builds a subgraph in this process and listens on a free loopback port. */
export async function runInProcess<C extends SubgraphConfig, S extends SubgraphServer>(
  config: C,
  create: (config: C) => Promise<S>,
): Promise<InProcessSubgraph<C, S>> {
  const server = await create(config);
  const url = await server.listen(0, '127.0.0.1');
  return {
    url,
    config,
    server,
    headers: (identity) => ({
      [HEADERS.secret]: config.secret,
      ...(identity ? { [HEADERS.userId]: identity.userId, [HEADERS.roles]: (identity.roles ?? []).join(',') } : {}),
    }),
    async stop() {
      await server.stop();
      await dropDatabase(config);
      if (path.basename(config.dataDir).startsWith(TEST_DIR_PREFIX)) rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}
