import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { SUBGRAPH_NAMES, type SubgraphName } from '@storefront/contracts';
import {
  type BreakerConfig,
  ConfigError,
  createCircuitBreaker,
  envPrefix,
  HEADERS,
  IDENTITY_HEADERS,
  isBreakerRejection,
  type Logger,
  transportFailureOf,
  type Viewer,
  wholeNumber,
} from '@storefront/service-kit';
import { GraphQLError } from 'graphql';
import { Agent, fetch } from 'undici';

type SubgraphResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

/** What the gateway keeps per request (see server.ts); subgraph requests are built from this alone. */
export interface SubgraphRequestContext {
  viewer: Viewer;
  requestId: string;
  logger: Logger;
}

export interface SubgraphFetchConfig {
  /** How long one attempt at a subgraph may take, per subgraph. */
  timeoutMs: Record<SubgraphName, number>;
  breaker: BreakerConfig;
  /** How long a connection to a subgraph is used before it is closed and a new one made. */
  connectionTtlMs: number;
}


/** The gateway's variables for subgraph timeouts and breakers: one default timeout, one override per subgraph. */
export function subgraphFetchEnvShape() {
  return {
    GATEWAY_SUBGRAPH_TIMEOUT_MS: wholeNumber(100, 60_000).default(3_000),
    ...Object.fromEntries(SUBGRAPH_NAMES.map((name) => [`GATEWAY_${envPrefix(name)}_TIMEOUT_MS`, wholeNumber(100, 60_000).optional()])),
    GATEWAY_BREAKER_ERROR_PERCENT: wholeNumber(1, 100).default(50),
    GATEWAY_BREAKER_MIN_REQUESTS: wholeNumber(1, 10_000).default(5),
    GATEWAY_BREAKER_RESET_MS: wholeNumber(100, 600_000).default(2_000),
    GATEWAY_BREAKER_WINDOW_MS: wholeNumber(1_000, 600_000).default(10_000),
    GATEWAY_SUBGRAPH_CONNECTION_TTL_MS: wholeNumber(1_000, 3_600_000).default(30_000),
  };
}

export function subgraphFetchConfigFrom(raw: Record<string, unknown>): SubgraphFetchConfig {
  const fallback = raw.GATEWAY_SUBGRAPH_TIMEOUT_MS as number;
  const config: SubgraphFetchConfig = {
    timeoutMs: Object.fromEntries(
      SUBGRAPH_NAMES.map((name) => [name, (raw[`GATEWAY_${envPrefix(name)}_TIMEOUT_MS`] as number | undefined) ?? fallback]),
    ) as Record<SubgraphName, number>,
    breaker: {
      errorPercent: raw.GATEWAY_BREAKER_ERROR_PERCENT as number,
      minRequests: raw.GATEWAY_BREAKER_MIN_REQUESTS as number,
      resetMs: raw.GATEWAY_BREAKER_RESET_MS as number,
      windowMs: raw.GATEWAY_BREAKER_WINDOW_MS as number,
    },
    connectionTtlMs: raw.GATEWAY_SUBGRAPH_CONNECTION_TTL_MS as number,
  };
  // The breaker counts a call when it starts and its failure when it ends: a call outliving the window
  // has left it by then, and a frozen subgraph would never open its breaker.
  const longest = Math.max(...Object.values(config.timeoutMs));
  if (config.breaker.windowMs <= longest) {
    throw new ConfigError([`GATEWAY_BREAKER_WINDOW_MS (${config.breaker.windowMs}): must be longer than the longest subgraph timeout (${longest} ms)`]);
  }
  return config;
}

/**
 * Statuses a proxy in front of a subgraph answers for it: 503 when no healthy replica took the request
 * (it never arrived), 502 when the replica it went to broke off, 504 when that replica did not answer in
 * time (in both it may have acted on it).
 */
const PROXY_STATUSES = new Set([502, 503, 504]);

function proxyStatusOf(error: unknown): number | undefined {
  const status = ((error as GraphQLError | undefined)?.extensions?.response as { status?: number } | undefined)?.status;
  return typeof status === 'number' && PROXY_STATUSES.has(status) ? status : undefined;
}

/** What the breaker counts against a subgraph: it could not be reached, broke off, hung, or a proxy said it is down. */
function countsAgainstSubgraph(error: unknown): boolean {
  return transportFailureOf(error) !== undefined || proxyStatusOf(error) !== undefined;
}

/**
 * The gateway's connections to subgraphs, each closed after `ttlMs` (once its request is done) and made
 * anew. Behind a balancer that spreads connections rather than requests (a Kubernetes Service), a
 * connection kept forever would keep going to the same replica, and replicas added later would get none.
 */
export function subgraphConnections(ttlMs: number): Agent {
  return new Agent({ clientTtl: ttlMs });
}

/** Only `mutation` fetches change data; the query planner writes the operation keyword first. */
function isMutation(query: string | undefined): boolean {
  return /^\s*mutation\b/.test(query ?? '');
}

/**
 * Sends each subgraph request to the configured URL with the gateway's headers (and only those), within
 * a per-subgraph timeout, through a per-subgraph circuit breaker, retrying once when that is provably
 * safe. Failures reach clients as `SUBGRAPH_UNAVAILABLE` / `SUBGRAPH_TIMEOUT` with the service's name and
 * never its address.
 *
 * undici's fetch, not Apollo's default agent that keeps idle sockets a fixed 15 s: undici keeps one a
 * little less than the server's `Keep-Alive: timeout=`, drops it when a draining subgraph answers
 * `Connection: close` (so it never writes on a socket the subgraph is closing), and closes any after
 * the connection lifetime (see `subgraphConnections`).
 *
 * Queries are marked safe to retry (`x-retry-safe`): a load balancer in front of the subgraph may send
 * one again to another replica when the first died under it; a mutation only when it never arrived.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<SubgraphRequestContext> {
  private readonly breaker;
  private readonly secret: string;

  constructor(
    private readonly service: SubgraphName,
    endpoint: { url: string; secret: string },
    private readonly timeoutMs: number,
    breaker: BreakerConfig,
    private readonly logger: Logger,
    connections: Agent,
  ) {
    super({
      url: endpoint.url,
      fetcher: (url, init) => fetch(url, { ...init, dispatcher: connections, signal: AbortSignal.timeout(timeoutMs) }),
    });
    this.secret = endpoint.secret;
    this.breaker = createCircuitBreaker(service, breaker, countsAgainstSubgraph, logger);
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<SubgraphRequestContext>): void {
    const headers = options.request.http!.headers;
    // The gateway never copies client headers here; clearing them anyway keeps that true if a plugin ever did.
    for (const name of IDENTITY_HEADERS) headers.delete(name);
    headers.set(HEADERS.secret, this.secret);
    // Health checks and schema loading have no incoming request, hence no viewer.
    const context = options.context as Partial<SubgraphRequestContext>;
    const viewer = context.viewer;
    if (viewer?.userId) {
      headers.set(HEADERS.userId, viewer.userId);
      headers.set(HEADERS.roles, viewer.roles.join(','));
    }
    if (context.requestId) headers.set(HEADERS.requestId, context.requestId);
    if (isMutation(options.request.query)) headers.delete(HEADERS.retrySafe);
    else headers.set(HEADERS.retrySafe, '1');
  }

  override async process(options: GraphQLDataSourceProcessOptions<SubgraphRequestContext>): Promise<SubgraphResponse> {
    const mutation = isMutation(options.request.query);
    const context = options.context as Partial<SubgraphRequestContext>;
    try {
      return (await this.breaker.fire(() => this.processWithRetry(options, mutation, context))) as SubgraphResponse;
    } catch (error) {
      throw this.publicError(error, mutation, context);
    }
  }

  /** A second attempt only when the first provably never arrived, or broke off with no answer to a query. */
  private async processWithRetry(
    options: GraphQLDataSourceProcessOptions<SubgraphRequestContext>,
    mutation: boolean,
    context: Partial<SubgraphRequestContext>,
  ): Promise<SubgraphResponse> {
    try {
      return await super.process(options);
    } catch (error) {
      const failure = transportFailureOf(error);
      if (failure !== 'connect' && !(failure === 'reset' && !mutation)) throw error;
      (context.logger ?? this.logger).warn({ subgraph: this.service, failure, mutation }, 'subgraph request failed in transport; retrying once');
      return await super.process(options);
    }
  }

  private publicError(error: unknown, mutation: boolean, context: Partial<SubgraphRequestContext>): unknown {
    const extensions = { code: 'SUBGRAPH_UNAVAILABLE', service: this.service };
    if (isBreakerRejection(error)) {
      return new GraphQLError(`The ${this.service} service is unavailable; try again in a few seconds.`, { extensions });
    }
    const proxyStatus = proxyStatusOf(error);
    if (proxyStatus) {
      (context.logger ?? this.logger).warn({ subgraph: this.service, status: proxyStatus, mutation }, 'subgraph request failed at the proxy');
      if (proxyStatus !== 503 && mutation) return unknownOutcome(this.service, extensions);
      return new GraphQLError(`The ${this.service} service could not be reached.`, { extensions });
    }
    const failure = transportFailureOf(error);
    if (!failure) return error;
    // The message, not the error: a DOMException serializes with every one of its constants.
    (context.logger ?? this.logger).warn({ subgraph: this.service, failure, reason: (error as Error).message }, 'subgraph request failed');
    if (failure === 'timeout') {
      return new GraphQLError(`The ${this.service} service did not answer within ${this.timeoutMs} ms.`, {
        extensions: { ...extensions, code: 'SUBGRAPH_TIMEOUT' },
      });
    }
    if (failure === 'reset' && mutation) return unknownOutcome(this.service, extensions);
    return new GraphQLError(`The ${this.service} service could not be reached.`, { extensions });
  }
}

/**
 * A mutation that reached the service, which broke off before answering: the change may or may not have
 * been made. `outcome: UNKNOWN` tells clients so (retry a checkout with the same idempotency key; read a
 * cart before adding to it again).
 */
function unknownOutcome(service: SubgraphName, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(`The ${service} service broke off before answering; the change may or may not have been made.`, {
    extensions: { ...extensions, outcome: 'UNKNOWN' },
  });
}
