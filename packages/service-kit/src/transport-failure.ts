/**
 * How a call to another service failed below HTTP. `connect`: no connection was made, so the request never
 * arrived and any operation may be sent again. `reset`: the connection broke with no response; the
 * service may have run the operation, so only a query is sent again. `timeout`: our deadline passed.
 */
export type TransportFailure = 'connect' | 'reset' | 'timeout';

const CONNECT_CODES = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** Node's fetch wraps the socket error: `TypeError('fetch failed', { cause })`, sometimes an AggregateError. */
function errorCodes(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== 'object' || depth > 4) return [];
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  return [
    ...(typeof code === 'string' ? [code] : []),
    ...errorCodes(cause, depth + 1),
    ...(Array.isArray(errors) ? errors.flatMap((e) => errorCodes(e, depth + 1)) : []),
  ];
}

export function transportFailureOf(error: unknown): TransportFailure | undefined {
  // AbortSignal.timeout's DOMException: matched by name, as it is not an Error in every realm.
  if ((error as { name?: unknown } | undefined)?.name === 'TimeoutError') return 'timeout';
  const codes = errorCodes(error);
  if (codes.some((code) => CONNECT_CODES.has(code))) return 'connect';
  if (codes.some((code) => RESET_CODES.has(code))) return 'reset';
  return undefined;
}

