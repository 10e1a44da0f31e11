import { z } from 'zod';

/**
 * The services of the shop and their default ports: the one list of them. The gateway, `npm start`,
 * the compose script, the test harness and docker-compose.yml all read it, so a service is added here.
 */
export const SUBGRAPHS = {
  catalog: { port: 4001 },
  cart: { port: 4002 },
  order: { port: 4003 },
} as const;

export type SubgraphName = keyof typeof SUBGRAPHS;

export const SUBGRAPH_NAMES = Object.keys(SUBGRAPHS) as SubgraphName[];

export const GATEWAY_DEFAULT_PORT = 4000;

/** An id as the services store it (varchar(64) columns): what every internal API accepts as one. */
export const internalId = z.string().min(1).max(64);
