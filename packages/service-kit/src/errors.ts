import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from 'pino';
import { QUERY_LIMIT_CODES } from './query-limits';

import { InternalCallError } from './internal-client';

/** A client mistake outside the typed `userErrors` (a malformed cursor, `first` out of range). */
export function badInput(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}) } });
}

const PUBLIC_CODES = new Set([
  'BAD_USER_INPUT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'RATE_LIMITED',
  // A cart whose prices rose past what a total may hold (the cart's writes refuse reaching it).
  'CART_TOTAL_LIMIT',

  ...Object.values(QUERY_LIMIT_CODES),

  // A subgraph down, frozen or too slow (the gateway's breaker and timeouts); they name the service, never its address.
  'SUBGRAPH_UNAVAILABLE',
  'SUBGRAPH_TIMEOUT',
]);

/**
 * Apollo `formatError`: errors we raised on purpose keep their message and code; anything else (a
 * database error, a bug) is logged with its stack and reaches the client only as INTERNAL_SERVER_ERROR,
 * with no SQL, hostnames or stack.
 */
export function maskUnexpectedErrors(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && PUBLIC_CODES.has(code)) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      const field = code === 'BAD_USER_INPUT' && !extensions.field ? variableAtFault(formatted.message) : undefined;
      return { ...formatted, extensions: field ? { ...extensions, field } : extensions };
    }
    const original = unwrapResolverError(error);
    // A service this one depends on is down, frozen or behind an open breaker: say which, not where.
    if (original instanceof InternalCallError && original.unavailable) {
      logger.warn({ err: original, path: formatted.path }, 'dependency unavailable');
      const { service } = original.unavailable;
      return {
        message: `The ${service} service is unavailable; try again in a few seconds.`,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', service },
      };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error');
    return {
      message: 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

/**
 * The argument a variable-coercion error is about, as the dotted path our own BAD_USER_INPUT errors
 * carry in `extensions.field`: graphql-js names it only in the message (`Variable "$input" got invalid
 * value ... at "input.price.amount"; ...`), so clients get one shape for every refused argument.
 */
export function variableAtFault(message: string): string | undefined {
  const match = /^Variable "\$([\w]+)" (?:got invalid value .*? at "([^"]+)";|got invalid value|of required type|of non-null type)/s.exec(message);
  if (!match) return undefined;
  return (match[2] ?? match[1]).replace(/\[(\d+)\]/g, '.$1');
}
