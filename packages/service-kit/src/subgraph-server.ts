import type http from 'node:http';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { SubgraphConfig } from './config';
import type { Database } from './data-source';
import { maskUnexpectedErrors } from './errors';
import { createHttpServer, listen, requestLogging, urlOf } from './http';
import { httpErrorHandler, jsonBody, methodNotAllowed, notFound, onlyMethods } from './http-errors';
import { depthLimitRule, formatQueryLimitErrors } from './query-limits';
import { HEADERS, NO_VIEWER, secretMatches, viewerFromHeaders, type Viewer } from './identity';
import { serveRoute, type ServeRoute } from './internal-routes';
import { serviceContext, type ServiceContext } from './service-context';
import { drainBudgetMs, DrainState } from './shutdown';

/**
 * What every subgraph resolver gets, before the service adds its own loaders and services: the request's
 * service context, which resolvers hand to service methods as their first parameter.
 */
export type BaseRequestContext = ServiceContext;

export interface SubgraphServerOptions<TContext extends BaseContext> {
  config: Pick<SubgraphConfig, 'service' | 'secret' | 'nodeEnv' | 'maxDepth' | 'shutdown'>;
  schema: GraphQLSchema;
  database: Database;
  logger: Logger;
  /** Builds the per-request context: fresh DataLoaders every request, so nothing is cached across users. */
  context: (base: BaseRequestContext) => TContext;
  plugins?: ApolloServerPlugin<TContext>[];
  /**
   * Service-to-service routes (stock, cart snapshots...), mounted under `/internal` behind the same
   * secret as `/graphql`. They are not part of the supergraph, so no client can reach them.
   */
  internalRoutes?: (serve: ServeRoute) => void;
  /**
   * Runs on `stop()` once no request is in flight any more, before the database closes: where a service
   * stops its background work (timers, relays) and finishes what in-flight requests left to it.
   */
  onDrained?: () => Promise<void>;
}

export interface SubgraphServer {
  app: express.Express;
  httpServer: http.Server;
  /** Starts listening; port 0 picks a free port. Returns the GraphQL endpoint URL. */
  listen(port: number, host: string): Promise<string>;
  /** Reports not ready (`/ready` 503) and closes each connection after its response; keeps serving. */
  beginShutdown(): void;
  /** Stops accepting, drains in-flight requests and closes idle sockets, runs `onDrained`, closes the database. */
  stop(): Promise<void>;
}

/**
 * Every subgraph's HTTP surface: `/health` (live), `/ready` (database reachable, migrations applied)
 * and `/graphql`, which only answers requests carrying this subgraph's secret: identity headers are
 * trusted because only the gateway knows it.
 */
export async function createSubgraphServer<TContext extends BaseContext>(
  options: SubgraphServerOptions<TContext>,
): Promise<SubgraphServer> {
  const { config, database, logger } = options;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createHttpServer(app);
  const drain = new DrainState();
  app.use(drain.middleware);

  const apollo = new ApolloServer<TContext>({
    schema: options.schema,
    introspection: config.nodeEnv !== 'production',
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: config.nodeEnv === 'production',
    // `exitOnSignals` owns SIGTERM/SIGINT: Apollo's own handler would re-raise the signal mid-shutdown
    // and the process would exit before the database is closed.
    stopOnTerminationSignals: false,
    formatError: formatQueryLimitErrors(maskUnexpectedErrors(logger)),
    // Internal callers reach subgraphs without the gateway's limits; this one guard keeps a deep
    // document from running here. Fragments add no depth, so query plans' `_entities` cost one level.
    validationRules: [depthLimitRule(config.maxDepth)],
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: drainBudgetMs(config.shutdown) }),
      ApolloServerPluginLandingPageDisabled(),
      // No Apollo Studio here: skip building per-field traces on every request.
      ApolloServerPluginInlineTraceDisabled(),
      // Nothing leaves the machine: an APOLLO_KEY in the environment must not turn on reporting.
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ...(options.plugins ?? []),
    ],
  });
  await apollo.start();

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: config.service });
  });
  app.get('/ready', async (_req, res) => {
    if (drain.draining) {
      res.status(503).json({ status: 'shutting-down', service: config.service });
      return;
    }
    const ready = await database.isReady();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', service: config.service });
  });

  const requireSecret: express.RequestHandler = (req, res, next) => {
    if (secretMatches(req.header(HEADERS.secret), config.secret)) return next();
    res.status(401).json({
      errors: [{ message: 'This subgraph only answers the gateway.', extensions: { code: 'UNAUTHENTICATED' } }],
    });
  };

  // The request's service context: the gateway's viewer and request id, a logger that carries the id.
  const contextOf = (req: express.Request, viewer: Viewer): ServiceContext =>
    serviceContext(database, { requestId: String(req.id), viewer, logger: logger.child({ requestId: String(req.id) }) });

  if (options.internalRoutes) {
    const router = express.Router();
    // Other services call these, on behalf of no viewer; the request id is the one their caller sent.
    options.internalRoutes((route, handle) => serveRoute(router, route, (req, body) => handle(contextOf(req, NO_VIEWER), body)));
    // Service calls are POSTs; anything else would get the router's plain-text answers (OPTIONS: "POST").
    app.use('/internal', requestLogging(logger), requireSecret, onlyMethods(['POST']), jsonBody(), router);
  }

  app.use(
    '/graphql',
    requestLogging(logger),
    requireSecret,
    onlyMethods(['GET', 'POST']),
    jsonBody(),
    expressMiddleware(apollo, {
      context: async ({ req }) => options.context(contextOf(req, viewerFromHeaders(req.headers))),
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
      return urlOf(address, '/graphql');
    },
    beginShutdown() {
      drain.begin();
    },
    async stop() {
      drain.begin();
      await apollo.stop();
      await options.onDrained?.();
      await database.close();
    },
  };
}
