import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs, one logger per service; request loggers are children carrying the request id. */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: service, level, base: { service } });
}
