import { HEADERS } from './identity';

/** A call to another service's `/internal` routes failed; surfaces to clients as INTERNAL_SERVER_ERROR. */
export class InternalCallError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'InternalCallError';
  }
}

/**
 * Calls another service's internal routes with that service's secret, carrying the request id so one
 * request can be followed across services in the logs.
 */
export class InternalClient {
  private readonly base: string;

  constructor(
    /** The service's GraphQL URL (as configured for the gateway) or its base URL. */
    url: string,
    private readonly secret: string,
    private readonly timeoutMs = 10_000,
  ) {
    this.base = url.replace(/\/graphql\/?$/, '').replace(/\/$/, '');
  }

  async post<T>(path: string, body: unknown, requestId?: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.base}/internal${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [HEADERS.secret]: this.secret,
          ...(requestId ? { [HEADERS.requestId]: requestId } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new InternalCallError(`POST ${path} failed: ${(error as Error).message}`);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw new InternalCallError(`POST ${path} answered ${response.status}: ${text.slice(0, 200)}`, response.status);
    }
    return (await response.json()) as T;
  }
}
