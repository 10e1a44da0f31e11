import type { Logger } from 'pino';
import type { z } from 'zod';
import { createCircuitBreaker, isBreakerRejection } from './circuit-breaker';
import { HEADERS } from './identity';
import type { InternalRoute } from './internal-routes';
import type { ServiceContext } from './service-context';
import { transportFailureOf } from './transport-failure';

/** `http://host:4001/graphql` -> `http://host:4001`: where a service's `/ready` and `/internal` routes live. */
export function serviceBaseUrl(url: string): string {
  return url.replace(/\/graphql\/?$/, '').replace(/\/$/, '');
}

export interface InternalClientOptions {
  /** The called service's name, for logs and errors. */
  service?: string;
  /**
   * How long one call may take. Below the gateway's subgraph timeout (3 s by default), so a slow callee
   * fails the caller's request with the caller's own error, and does not make the caller look frozen
   * to the gateway (whose breaker would then cut the caller's other fields too).
   */
  timeoutMs?: number;
  /** Where breaker state changes are logged; silent without one. */
  logger?: Logger;
}

/**
 * A breaker per called service, as at the gateway: once a callee is down or frozen, calls fail at once
 * instead of each waiting out the timeout; a probe after 2 s closes it again.
 */
const INTERNAL_BREAKER = { errorPercent: 50, minRequests: 5, resetMs: 2_000, windowMs: 10_000 };


/**
 * A call to another service's `/internal` routes failed. When that service could not be reached, hung or
 * its breaker is open (`unavailable`), clients see SUBGRAPH_UNAVAILABLE naming it; otherwise (it answered
 * with an error status) INTERNAL_SERVER_ERROR.
 */
export class InternalCallError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly unavailable?: { service: string },
  ) {
    super(message);
    this.name = 'InternalCallError';
  }
}

/**
 * Calls another service's internal routes with that service's secret, carrying the request id so one
 * request can be followed across services in the logs.
 */
/** Who makes an internal call: a service context, or anything else that carries the request id to pass on. */
export type CallerContext = Pick<ServiceContext, 'requestId'>;

export class InternalClient {
  private readonly base: string;
  private readonly service: string;
  private readonly timeoutMs: number;
  private readonly breaker;

  constructor(
    /** The service's GraphQL URL (as configured for the gateway) or its base URL. */
    url: string,
    private readonly secret: string,
    options: InternalClientOptions = {},
  ) {
    this.base = serviceBaseUrl(url);
    this.timeoutMs = options.timeoutMs ?? 2_500;
    const service = options.service ?? this.base;
    this.service = service;
    // The window must outlast a call: a call is counted when it starts and its failure when it ends.
    const breaker = { ...INTERNAL_BREAKER, windowMs: Math.max(INTERNAL_BREAKER.windowMs, 2 * this.timeoutMs) };
    this.breaker = createCircuitBreaker(service, breaker, (error) => transportFailureOf(error) !== undefined, options.logger);
  }

  /**
   * Calls `route` of the contract on behalf of `caller` (its request id travels with the call): the body is typed by its request schema, and the answer is parsed
   * with its response schema, so an answer the contract does not allow fails here, by name, rather than
   * somewhere downstream as a missing field.
   */
  async call<Request extends z.ZodType, Response extends z.ZodType>(
    caller: CallerContext,
    route: InternalRoute<Request, Response>,
    body: z.input<Request>,
  ): Promise<z.output<Response>> {
    const answer = route.response.safeParse(await this.post(route.path, body, caller.requestId, route.retrySafe));
    if (!answer.success) {
      const issue = answer.error.issues[0];
      throw new InternalCallError(`POST ${route.path} answered outside its contract: ${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    return answer.data as z.output<Response>; // what the schema parsed, which TypeScript cannot see through the generic
  }

  /** POSTs any JSON to `path` under `/internal`; `call` is the typed way. */
  async post(path: string, body: unknown, requestId?: string, retrySafe = false): Promise<unknown> {
    let response: Response;
    try {
      const send = () =>
        fetch(`${this.base}/internal${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [HEADERS.secret]: this.secret,
            ...(retrySafe ? { [HEADERS.retrySafe]: '1' } : {}),
            ...(requestId ? { [HEADERS.requestId]: requestId } : {}),
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      // A refused connection never arrived: safe to send again (another replica behind a balancer, or
      // a restart finishing), whatever the route does.
      const sendOnceMore = (error: unknown) => (transportFailureOf(error) === 'connect' ? send() : Promise.reject(error));
      response = (await this.breaker.fire(() => send().catch(sendOnceMore))) as Response;
    } catch (error) {
      const unavailable = { service: this.service };
      if (isBreakerRejection(error)) throw new InternalCallError(`POST ${path} refused: circuit open after repeated failures`, undefined, unavailable);
      throw new InternalCallError(`POST ${path} failed: ${(error as Error).message}`, undefined, transportFailureOf(error) ? unavailable : undefined);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw new InternalCallError(`POST ${path} answered ${response.status}: ${text.slice(0, 200)}`, response.status);
    }
    return response.json();
  }
}
