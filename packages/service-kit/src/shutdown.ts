import type express from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ConfigError } from './config';

/**
 * How a service stops on SIGTERM: `graceMs` of serving while reporting not ready (what a load balancer
 * or Kubernetes needs to take it out of rotation), then stop accepting and drain in-flight requests, all
 * within `timeoutMs`, after which the process exits anyway.
 */
export interface ShutdownConfig {
  graceMs: number;
  timeoutMs: number;
}

/** Drain gets at least this long after the grace period; anything less would cut in-flight requests. */
const MIN_DRAIN_MS = 1_000;
/** Left after the HTTP drain for closing the database and flushing logs before the hard exit. */
const CLOSE_MARGIN_MS = 500;

const millis = (fallback: number) =>
  z.coerce.number().int('must be a whole number of milliseconds').min(0, 'must be 0 or more').max(600_000, 'must be at most 600000').default(fallback);

/** The environment variables every service (gateway and subgraphs) reads for its shutdown. */
export function shutdownEnvShape() {
  return {
    SHUTDOWN_GRACE_MS: millis(5_000),
    SHUTDOWN_TIMEOUT_MS: millis(25_000),
  };
}

/** Reads the parsed shutdown variables; grace plus a useful drain must fit in the timeout. */
export function shutdownConfigFrom(raw: Record<string, unknown>): ShutdownConfig {
  const config = { graceMs: raw.SHUTDOWN_GRACE_MS as number, timeoutMs: raw.SHUTDOWN_TIMEOUT_MS as number };
  if (config.graceMs + MIN_DRAIN_MS > config.timeoutMs) {
    throw new ConfigError([
      `SHUTDOWN_TIMEOUT_MS (${config.timeoutMs}): must leave at least ${MIN_DRAIN_MS} ms to drain after SHUTDOWN_GRACE_MS (${config.graceMs})`,
    ]);
  }
  return config;
}

/** How long in-flight requests may take once the service stops accepting, before sockets are cut. */
export function drainBudgetMs(config: ShutdownConfig): number {
  return Math.max(config.timeoutMs - config.graceMs - CLOSE_MARGIN_MS, MIN_DRAIN_MS - CLOSE_MARGIN_MS);
}

/**
 * Whether the service is shutting down. Once it is, `/ready` answers 503 and every response carries
 * `Connection: close`, so clients drop their keep-alive sockets after their current request instead of
 * writing the next one on a socket the server is about to close.
 */
export class DrainState {
  private drainingSince?: number;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  begin(): void {
    this.drainingSince ??= Date.now();
  }

  /** Mount first, before every route. */
  readonly middleware: express.RequestHandler = (_req, res, next) => {
    if (this.draining) res.setHeader('Connection', 'close');
    next();
  };
}

/** What `exitOnSignals` stops: a gateway or subgraph server. */
export interface Stoppable {
  /** Report not ready and close connections after each response; keeps serving. */
  beginShutdown(): void;
  /** Stop accepting, finish in-flight requests, close idle sockets and the database. */
  stop(): Promise<void>;
}

/**
 * SIGTERM (a load balancer, Kubernetes, docker stop): not ready at once, serve through the grace period,
 * then drain and exit. SIGINT (Ctrl-C, test teardown) skips the grace period. A second signal, or a stop
 * that overruns `timeoutMs`, exits at once.
 */
export function exitOnSignals(server: Stoppable, logger: Logger, config: ShutdownConfig): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    const graceMs = signal === 'SIGTERM' ? config.graceMs : 0;
    const how = graceMs > 0 ? 'not ready, serving through the grace period' : 'no grace period (SIGINT), draining now';
    logger.info({ signal, graceMs, timeoutMs: config.timeoutMs }, `shutting down: ${how}`);
    server.beginShutdown();
    const timer = setTimeout(() => {
      logger.error('shutdown timed out');
      process.exit(1);
    }, config.timeoutMs);
    timer.unref();
    const stop = async () => {
      if (graceMs > 0) await new Promise((resolve) => setTimeout(resolve, graceMs));
      logger.info('grace period over: no new connections, draining in-flight requests');
      await server.stop();
    };
    stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
