import { readFileSync } from 'node:fs';
import type http from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { type SubgraphName } from '@storefront/contracts';
import {
  createHttpServer,
  createLogger,
  drainBudgetMs,
  DrainState,
  formatQueryLimitErrors,
  httpErrorHandler,
  jsonBody,
  listen,
  maskUnexpectedErrors,
  methodNotAllowed,
  notFound,
  onlyMethods,
  requestLogging,
  serviceBaseUrl,
  urlOf,
  type Logger,
} from '@storefront/service-kit';
import express from 'express';
import { createTokenVerifier } from './auth';
import type { GatewayConfig, SubgraphEndpoint } from './config';
import { corsMiddleware } from './cors';
import { mountExplorer } from './explorer';
import { operationResolutionPlugin } from './operation-resolution';
import { queryLimitsOptions } from './query-limits';
import { RateLimits } from './rate-limit';
import { withoutSchemaSuggestions } from './schema-details';
import { SubgraphDataSource, subgraphConnections, type SubgraphRequestContext } from './subgraph-fetch';
import { applyApolloTelemetryChoice } from './telemetry';

/**
 * What the gateway keeps per request. Deliberately not the incoming headers: subgraph requests are built
 * from this alone, so nothing a client sends can reach a subgraph as identity.
 */
export interface GatewayContext extends SubgraphRequestContext {
  /** The client's address (from X-Forwarded-For only behind a trusted proxy): what rate limits count anonymously. */
  clientAddress: string;
}

export interface GatewayServer {
  app: express.Express;
  httpServer: http.Server;
  /** Starts listening; port 0 picks a free port. Returns the GraphQL endpoint URL (ends in '/'). */
  listen(port: number, host: string): Promise<string>;
  /** Reports not ready (`/ready` 503) and closes each connection after its response; keeps serving. */
  beginShutdown(): void;
  /** Stops accepting, drains in-flight requests, closes idle sockets and stops the gateway. */
  stop(): Promise<void>;
}

const READY_PROBE_TIMEOUT_MS = 2_000;

async function probeReady(url: string): Promise<'ready' | 'unavailable'> {
  try {
    const response = await fetch(`${serviceBaseUrl(url)}/ready`, { signal: AbortSignal.timeout(READY_PROBE_TIMEOUT_MS) });
    await response.body?.cancel();
    return response.ok ? 'ready' : 'unavailable';
  } catch {
    return 'unavailable';
  }
}

/**
 * The gateway's HTTP surface, built without listening: `/health`, `/ready`, the explorer and GraphQL at
 * `/`. It plans queries over the committed supergraph.graphql, so it starts even when subgraphs are down;
 * their URLs and secrets come from the configuration, not from the file.
 */
export async function createGatewayServer(
  config: GatewayConfig,
  logger: Logger = createLogger('gateway', config.logLevel),
): Promise<GatewayServer> {
  const app = express();
  app.disable('x-powered-by');
  // req.ip: the peer, or the client a trusted proxy names in X-Forwarded-For; never a client's own claim.
  app.set('trust proxy', config.rateLimit.trustedProxies.length > 0 ? config.rateLimit.trustedProxies : false);
  const httpServer = createHttpServer(app);
  const drain = new DrainState();
  app.use(drain.middleware);
  const verifyToken = createTokenVerifier(config);
  const rateLimits = new RateLimits(config.rateLimit, logger);
  const production = config.nodeEnv === 'production';

  // Must precede the constructor, which starts Apollo's telemetry (and its cloud probes) unless told not to.
  applyApolloTelemetryChoice(config.apolloTelemetry);
  const connections = subgraphConnections(config.subgraphFetch.connectionTtlMs);
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(config.supergraphPath, 'utf8'),
    logger,
    buildService({ name }) {
      const endpoint = config.subgraphs[name as SubgraphName] as SubgraphEndpoint | undefined;
      if (!endpoint) {
        throw new Error(`${config.supergraphPath} names subgraph "${name}", which is not in SUBGRAPHS (@storefront/contracts)`);
      }
      return new SubgraphDataSource(name as SubgraphName, endpoint, config.subgraphFetch.timeoutMs[name as SubgraphName], config.subgraphFetch.breaker, logger, connections);
    },
  });

  // Refuses oversized operations before planning, so no subgraph ever receives them.
  const { plugin: queryCost, ...queryLimits } = queryLimitsOptions<GatewayContext>(config.queryLimits);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    ...queryLimits,
    introspection: config.explorer || !production,
    includeStacktraceInErrorResponses: false,
    // Production: no "Did you mean ...?" naming fields, types or enum values a client did not ask for.
    hideSchemaDetailsFromClientErrors: production,
    // Limit refusals keep their own codes; everything else is masked, and in production stripped of hints.
    formatError: formatQueryLimitErrors(production ? withoutSchemaSuggestions(maskUnexpectedErrors(logger)) : maskUnexpectedErrors(logger)),
    // index.ts owns SIGTERM/SIGINT (exitOnSignals); Apollo's own handler would race it and re-kill the process.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: drainBudgetMs(config.shutdown) }),
      operationResolutionPlugin<GatewayContext>(),
      // Counts guest-cart, merge and checkout fields after validation, before any subgraph is called.
      rateLimits.plugin<GatewayContext>(),
      queryCost,
      // Apollo's landing page loads from a CDN; ours (explorer.ts) is served locally.
      ApolloServerPluginLandingPageDisabled(),
      // An APOLLO_KEY in the environment would otherwise turn on reporting to Apollo's servers.
      ...(config.apolloTelemetry ? [] : [ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginSchemaReportingDisabled()]),
    ],
  });
  await apollo.start();

  app.use(corsMiddleware(config.corsOrigins));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: 'gateway' });
  });
  // Ready as soon as the supergraph is loaded: subgraphs are reported, not required, because a gateway
  // taken out of rotation for one subgraph's outage would also stop serving the others.
  app.get('/ready', async (_req, res) => {
    const names = Object.keys(config.subgraphs) as SubgraphName[];
    const states = await Promise.all(names.map((name) => probeReady(config.subgraphs[name].url)));
    res.status(drain.draining ? 503 : 200).json({
      status: drain.draining ? 'shutting-down' : 'ready',
      service: 'gateway',
      subgraphs: Object.fromEntries(names.map((name, i) => [name, states[i]])),
    });
  });

  if (config.explorer) mountExplorer(app);

  app.all(
    '/',
    requestLogging(logger),
    onlyMethods(['GET', 'POST']),
    jsonBody(),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const clientAddress = req.ip ?? req.socket.remoteAddress ?? 'unknown';
        // A bad token still costs its sender a request, so guessing tokens is rate limited too.
        const viewer = await verifyToken(req.headers.authorization).catch(async (error: unknown) => {
          await rateLimits.countRequest({ userId: null, address: clientAddress });
          throw error;
        });
        await rateLimits.countRequest({ userId: viewer.userId, address: clientAddress });
        return { viewer, requestId: String(req.id), logger: req.log, clientAddress };
      },
    }),
  );

  // HTTP-level failures answer in the GraphQL error shape, never Express's HTML page with its stack.
  app.all(['/health', '/ready'], methodNotAllowed(['GET', 'HEAD']));
  app.use(notFound());
  app.use(httpErrorHandler(logger));

  return {
    app,
    httpServer,
    async listen(port, host) {
      const address = await listen(httpServer, port, host);
      return urlOf(address, '/');
    },
    beginShutdown() {
      drain.begin();
    },
    async stop() {
      drain.begin();
      await apollo.stop();
      await connections.close();
    },
  };
}
