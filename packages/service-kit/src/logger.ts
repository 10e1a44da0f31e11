import pino, { type Logger } from 'pino';

export type { Logger };

export type LogFormat = 'json' | 'pretty';

/**
 * Structured JSON logs, one logger per service; request loggers are children carrying the request id.
 * `pretty` (what `npm start` uses) renders the same records as readable lines for a terminal.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info', format: LogFormat = 'json'): Logger {
  const options = { name: service, level, base: { service } };
  if (format === 'pretty') {
    return pino(options, pino.transport({ target: 'pino-pretty', options: { ignore: 'pid,hostname,service', translateTime: 'HH:MM:ss' } }));
  }
  return pino(options);
}
