import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import express from 'express';
import { answerClientErrors } from './http-errors';
import { HEADERS } from './identity';

/**
 * The gateway's fetcher keeps idle sockets for 15 s; Node closes idle server sockets after 5 s, and a
 * request sent on a socket the server just closed fails with "socket hang up". Keep ours longer.
 */
const KEEP_ALIVE_MS = 65_000;

export function createHttpServer(app: express.Express): http.Server {
  const server = http.createServer(app);
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  answerClientErrors(server);
  return server;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A request id taken from the caller when well-formed (the gateway's), made up otherwise. */
export function requestIdOf(req: http.IncomingMessage): string {
  const given = req.headers[HEADERS.requestId];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Structured access log carrying the request id, which is echoed back to the caller too. */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = requestIdOf(req);
      res.setHeader(HEADERS.requestId, id);
      return id;
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    serializers: {
      req: (req) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res) => ({ statusCode: res.statusCode }),
    },
  });
}

export async function listen(server: http.Server, port: number, host: string): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}

export function urlOf(address: AddressInfo, pathname = '/'): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host === '0.0.0.0' || host === '[::]' ? 'localhost' : host}:${address.port}${pathname}`;
}
