import type http from 'node:http';
import type { Socket } from 'node:net';
import express from 'express';
import type { Logger } from 'pino';

/**
 * HTTP-level failures (a body that is not JSON, too large, compressed or encoded in a way we do not
 * read, an unknown path, a wrong method) answered in the GraphQL error shape every client already
 * parses, `{"errors":[{"message", "extensions":{"code"}}]}`, with the matching status. Messages are
 * ours and fixed: nothing from the request, the parser or the stack reaches the client (Express's
 * default handler sends an HTML page with the stack trace and file paths).
 */

/** The largest JSON body a service reads, after decompression (a gzip bomb stops here too). */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpErrorBody {
  errors: { message: string; extensions: Record<string, unknown> & { code: string } }[];
}

export function httpErrorBody(code: string, message: string, extensions: Record<string, unknown> = {}): HttpErrorBody {
  return { errors: [{ message, extensions: { code, ...extensions } }] };
}

export function sendHttpError(
  res: express.Response,
  status: number,
  code: string,
  message: string,
  extensions: Record<string, unknown> = {},
): void {
  res.status(status).type('application/json').send(JSON.stringify(httpErrorBody(code, message, extensions)));
}

/** What body-parser and the router report (their `type`s), turned into our status, code and words. */
const KNOWN_FAILURES: Record<string, { status: number; code: string; message: string }> = {
  'entity.parse.failed': { status: 400, code: 'BAD_REQUEST', message: 'The request body is not valid JSON.' },
  'entity.too.large': {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: `The request body is larger than ${MAX_BODY_BYTES} bytes (after decompression).`,
  },
  'encoding.unsupported': {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Unsupported Content-Encoding: send identity, gzip, deflate or br.',
  },
  'charset.unsupported': { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported charset: send JSON as UTF-8.' },
  'request.aborted': { status: 400, code: 'BAD_REQUEST', message: 'The request body ended early.' },
  'request.size.invalid': { status: 400, code: 'BAD_REQUEST', message: 'The request body does not match its Content-Length.' },
};

const GENERIC: Record<number, { code: string; message: string }> = {
  400: { code: 'BAD_REQUEST', message: 'The request is malformed.' },
  404: { code: 'NOT_FOUND', message: 'No such route.' },
  405: { code: 'METHOD_NOT_ALLOWED', message: 'Method not allowed.' },
  409: { code: 'CONFLICT', message: 'The request conflicts with the current state.' },
  408: { code: 'REQUEST_TIMEOUT', message: 'The request took too long to arrive.' },
  413: { code: 'PAYLOAD_TOO_LARGE', message: 'The request is too large.' },
  415: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported media type.' },
  431: { code: 'REQUEST_HEADER_FIELDS_TOO_LARGE', message: 'The request headers are too large.' },
};

/** A JSON body parser with our limit; its failures reach `httpErrorHandler`. */
export function jsonBody(): express.RequestHandler {
  return express.json({ limit: MAX_BODY_BYTES });
}

/** Last in the chain: any path no route answered. */
export function notFound(): express.RequestHandler {
  return (_req, res) => sendHttpError(res, 404, GENERIC[404].code, GENERIC[404].message);
}

/** Before a handler that takes only `allowed` methods (GraphQL: GET and POST): any other gets 405. */
export function onlyMethods(allowed: string[]): express.RequestHandler {
  const refuse = methodNotAllowed(allowed);
  return (req, res, next) => (allowed.includes(req.method) ? next() : refuse(req, res, next));
}

/** After a path's routes: any other method on it. */
export function methodNotAllowed(allowed: string[]): express.RequestHandler {
  return (_req, res) => {
    res.setHeader('allow', allowed.join(', '));
    sendHttpError(res, 405, GENERIC[405].code, `Method not allowed: use ${allowed.join(' or ')}.`);
  };
}

/**
 * Express error handler: a refused request (status below 500) answers its status with a fixed message;
 * anything else is logged with its details and answers 500 INTERNAL_SERVER_ERROR, nothing more.
 */
export function httpErrorHandler(logger: Logger): express.ErrorRequestHandler {
  return (err, req, res, next) => {
    // Mid-response there is no status left to set: let Express close the connection.
    if (res.headersSent) return next(err);
    const status: unknown = err?.status ?? err?.statusCode;
    const refused = typeof status === 'number' && status >= 400 && status < 500;
    const log = (req as { log?: Logger }).log ?? logger;
    if (!refused) {
      log.error({ err }, 'request failed');
      sendHttpError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      return;
    }
    log.warn({ err: { type: err.type, message: err.message }, status }, 'request refused');
    const known = typeof err.type === 'string' ? KNOWN_FAILURES[err.type] : undefined;
    if (known) return sendHttpError(res, known.status, known.code, known.message);
    const generic = GENERIC[status] ?? { code: 'BAD_REQUEST', message: GENERIC[400].message };
    // Our own refusals (an internal route's CheckoutRejected) carry a status and a message written for
    // the caller; errors from libraries (the router's URIError for a malformed path) get fixed words.
    const ours = err instanceof Error && err.constructor !== URIError && err.constructor !== SyntaxError && !('expose' in err);
    sendHttpError(res, status, generic.code, ours ? err.message : generic.message);
  };
}

/**
 * Node's own HTTP parser refusals (malformed request line, headers too large, a request that never
 * finishes arriving) happen before Express sees anything; Node answers them with an empty body. Answer
 * in the same JSON shape, then close: the connection's framing can no longer be trusted.
 */
export function answerClientErrors(server: http.Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    // A reset peer cannot read an answer; a socket with a response under way cannot take a second one.
    if (err.code === 'ECONNRESET' || !socket.writable || (socket as Socket & { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const { code, message } = GENERIC[status];
    const body = JSON.stringify(httpErrorBody(code, message));
    const reason = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' }[status];
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
