/**
 * The subgraphs of the supergraph and their default ports. The gateway, `npm start`, the compose
 * script and docker-compose.yml all read this one table, so a service is added in one place.
 */
export const SUBGRAPHS = {
  catalog: { port: 4001 },
  cart: { port: 4002 },
  order: { port: 4003 },
} as const;

export type SubgraphName = keyof typeof SUBGRAPHS;

export const GATEWAY_DEFAULT_PORT = 4000;

/** `catalog` -> `CATALOG`: the prefix of a service's own environment variables. */
export function envPrefix(service: string): string {
  return service.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** The secret a subgraph shares with the gateway when none is configured (refused in production). */
export function devSecret(service: string): string {
  return `dev-only-${service}-secret`;
}
