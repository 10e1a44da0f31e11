import CircuitBreaker from 'opossum';
import type { Logger } from 'pino';

export interface BreakerConfig {
  /** Share of failed calls in the window, in percent, above which the breaker opens. */
  errorPercent: number;
  /** Calls the window must hold before the share counts (one slow call alone never opens it). */
  minRequests: number;
  /** How long the breaker stays open before letting one probe call through (half-open). */
  resetMs: number;
  /** The rolling window over which failures are counted. */
  windowMs: number;
}

/**
 * One breaker per called service (the gateway's subgraphs, a service's internal clients), wrapping whatever call it is given. It counts only failures `counts` accepts
 * (transport failures: the subgraph unreachable, frozen or too slow), so a subgraph answering with errors
 * never trips it. Open, it rejects at once (`CircuitBreaker.isOurError`); after `resetMs` one call probes,
 * and its success closes the breaker. Every state change is logged with the service's name.
 */
export function createCircuitBreaker(
  service: string,
  config: BreakerConfig,
  counts: (error: unknown) => boolean,
  logger?: Logger,
): CircuitBreaker<[() => Promise<unknown>], unknown> {
  const breaker = new CircuitBreaker((call: () => Promise<unknown>) => call(), {
    name: service,
    // Each call carries its own abort timeout (the fetch is cancelled, not just abandoned).
    timeout: false,
    errorThresholdPercentage: config.errorPercent,
    volumeThreshold: config.minRequests,
    resetTimeout: config.resetMs,
    rollingCountTimeout: config.windowMs,
    errorFilter: (error: unknown) => !counts(error),
  });
  if (!logger) return breaker;
  breaker.on('open', () => logger.warn({ subgraph: service, breaker: 'open', retryInMs: config.resetMs }, `circuit breaker for ${service} opened`));
  breaker.on('halfOpen', () => logger.info({ subgraph: service, breaker: 'half-open' }, `circuit breaker for ${service} half-open: probing`));
  breaker.on('close', () => logger.info({ subgraph: service, breaker: 'closed' }, `circuit breaker for ${service} closed`));
  return breaker;
}

export const isBreakerRejection = (error: unknown): boolean => error instanceof Error && CircuitBreaker.isOurError(error);
