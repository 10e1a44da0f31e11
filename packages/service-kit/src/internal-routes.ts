import type { Request, Router } from 'express';
import type { ServiceContext } from './service-context';
import type { z } from 'zod';
import { sendHttpError } from './http-errors';

/**
 * One route of a service's internal API, as its contract declares it (`@storefront/contracts`): the
 * path under `/internal`, and the schemas of the request body and of the answer. The serving route
 * validates requests with it and the calling client parses answers with it, so the two sides cannot
 * drift apart. The kit only knows this shape, never a service's routes.
 */
export interface InternalRoute<Request extends z.ZodType = z.ZodType, Response extends z.ZodType = z.ZodType> {
  path: string;
  request: Request;
  response: Response;
  /**
   * Whether a call may be sent again after it reached the service (a read, or a write applied once per
   * key): the client then marks it `x-retry-safe`, and a load balancer may retry it on another replica
   * when the one it reached died. Every route says so explicitly.
   */
  retrySafe: boolean;
}

/** Declares a route, keeping its schemas' types. */
export function internalRoute<Request extends z.ZodType, Response extends z.ZodType>(route: InternalRoute<Request, Response>): InternalRoute<Request, Response> {
  return route;
}

/** What a route's handler returns: the answer before its schema's defaults and transforms. */
export type RouteAnswer<R extends InternalRoute> = z.input<R['response']>;
/** A route's body as the handler gets it: validated, defaults applied. */
export type RouteBody<R extends InternalRoute> = z.output<R['request']>;

/**
 * How a service declares its internal API (`internalRoutes` of the subgraph server): `serve(route,
 * handler)` per route; the handler gets the call's service context first, then the validated body.
 */
export type ServeRoute = <R extends InternalRoute>(route: R, handle: (ctx: ServiceContext, body: RouteBody<R>) => Promise<RouteAnswer<R>>) => void;

/**
 * Serves `route` on `router`: the JSON body is checked against the route's request schema (a bad one
 * answers 400 and touches nothing), then `handle`'s result, typed by the response schema, is the JSON
 * answer. An error with an HTTP `status` below 500 (a refused call) answers that status with its
 * message, through the subgraph server's error handler.
 */
export function serveRoute<R extends InternalRoute>(router: Router, route: R, handle: (req: Request, body: RouteBody<R>) => Promise<RouteAnswer<R>>): void {
  router.post(route.path, async (req, res) => {
    const body = route.request.safeParse(req.body);
    if (!body.success) {
      const issue = body.error.issues[0];
      sendHttpError(res, 400, 'BAD_REQUEST', issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message);
      return;
    }
    res.json(await handle(req, body.data as RouteBody<R>)); // parsed by the route's own request schema
  });
}
