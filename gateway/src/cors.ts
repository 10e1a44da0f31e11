import { sendHttpError } from '@storefront/service-kit';
import cors from 'cors';
import type express from 'express';
import { z } from 'zod';

/**
 * Which web pages may call the gateway from a browser. Entries are origins written exactly
 * (`https://shop.example`, `http://localhost:5173`); a port of `*` allows any port of that host, which is
 * what local development needs. Tokens travel in the Authorization header, never in cookies, so the
 * gateway never allows credentials: a page gets only what it could get with its own token.
 */
export const DEV_CORS_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*', 'http://[::1]:*'];

/** What a browser may send on a cross-origin call: the token, JSON, and Apollo's CSRF preflight marker. */
const ALLOWED_HEADERS = ['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name', 'x-request-id'];
/** What a page may read from the answer: when to retry (rate limits) and the id to quote in a report. */
const EXPOSED_HEADERS = ['retry-after', 'x-request-id'];
/** Browsers cache a preflight this long (Chromium caps it at 2 hours). */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

const ORIGIN = /^https?:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:(\d{1,5}|\*))?$/;

/** `scheme://host[:port]` as a browser writes it in `Origin` (lower case, no default port, no path). */
function isOrigin(entry: string): boolean {
  if (!ORIGIN.test(entry)) return false;
  try {
    return new URL(entry.replace(/:\*$/, '')).origin === entry.replace(/:\*$/, '');
  } catch {
    return false;
  }
}

export function corsEnvShape() {
  return {
    GATEWAY_CORS_ORIGINS: z
      .string()
      .refine(
        (value) => value === 'none' || value.split(',').every((entry) => isOrigin(entry.trim())),
        'must be "none" or comma-separated origins such as https://shop.example or http://localhost:* (scheme, lower-case host, optional port or *, no path)',
      )
      .optional(),
  };
}

/** The allowed origins: the variable when set, else any local port in development and none in production. */
export function corsOrigins(value: string | undefined, production: boolean): string[] {
  if (value === undefined) return production ? [] : DEV_CORS_ORIGINS;
  if (value === 'none') return [];
  return value.split(',').map((entry) => entry.trim());
}

export function originAllowed(origin: string, allowed: string[]): boolean {
  return allowed.some((entry) => {
    if (!entry.endsWith(':*')) return origin === entry;
    const prefix = entry.slice(0, -2);
    return origin === prefix || (origin.startsWith(`${prefix}:`) && /^\d{1,5}$/.test(origin.slice(prefix.length + 1)));
  });
}

/**
 * CORS for every route, with `cors` doing the headers. A preflight from an origin not on the list is
 * refused outright (403, typed) rather than passed on to GraphQL, which would answer it as a malformed
 * operation; a plain request from such an origin is served without CORS headers, so the browser keeps
 * the answer from the page. Apollo's CSRF prevention stays on behind this.
 */
export function corsMiddleware(allowed: string[]): express.RequestHandler {
  const handle = cors({
    origin: (origin, callback) => callback(null, origin !== undefined && originAllowed(origin, allowed)),
    methods: ['GET', 'POST'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    credentials: false,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    optionsSuccessStatus: 204,
  });
  return (req, res, next) => {
    const origin = req.headers.origin;
    // Every answer depends on Origin, refused ones too: a shared cache must not hand one origin's
    // answer (with or without CORS headers) to another.
    res.vary('Origin');
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (preflight && (origin === undefined || !originAllowed(origin, allowed))) {
      sendHttpError(res, 403, 'CORS_ORIGIN_NOT_ALLOWED', 'This origin may not call the gateway from a browser.');
      return;
    }
    handle(req, res, next);
  };
}
