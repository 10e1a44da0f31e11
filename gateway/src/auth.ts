import { USER_ID, type Viewer } from '@storefront/service-kit';
import { GraphQLError } from 'graphql';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { GatewayConfig } from './config';
import { lifetimeProblem } from './token-lifetime';

/** Asymmetric algorithms accepted from a JWKS; listing them stops a token from choosing a weaker one. */
const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** Roles travel comma-separated in `x-user-roles`: a role with a comma or space could forge another one. */
const ROLE = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * A user id travels in a header, so it must be printable and short; it is forwarded exactly as signed
 * (no trimming, no case folding: ids compare byte for byte). The subgraphs check the same rule.
 */
const SUBJECT = USER_ID;

/** Resolves who is asking from the Authorization header; throws UNAUTHENTICATED (HTTP 401) for a bad token. */
export type TokenVerifier = (authorization: string | undefined) => Promise<Viewer>;

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/**
 * Verifies `Authorization: Bearer <jwt>` with an HS256 secret, or with a remote JWKS when configured.
 * No header (or a blank one, which GraphiQL sends when the field is left empty) means an anonymous
 * visitor. Any token that does not verify fails the request: falling back to anonymous would hide an
 * expired session behind confusing "sign in" errors deeper down.
 */
export function createTokenVerifier(config: Pick<GatewayConfig, 'jwt'>): TokenVerifier {
  const { jwt } = config;
  const options = {
    issuer: jwt.issuer,
    audience: jwt.audience,
    algorithms: jwt.jwksUrl ? JWKS_ALGORITHMS : ['HS256'],
    // A token that never expires is a password that cannot be changed; without `iat` its lifetime is unknown.
    requiredClaims: ['sub', 'exp', 'iat'],
    clockTolerance: jwt.clockSkewSeconds,
  };
  // jose caches the key set and refetches it when a token names an unknown key id (key rotation).
  const jwks: JWTVerifyGetKey | null = jwt.jwksUrl ? createRemoteJWKSet(new URL(jwt.jwksUrl)) : null;
  const secret = new TextEncoder().encode(jwt.secret);

  return async (authorization) => {
    if (authorization === undefined || authorization.trim() === '') return { userId: null, roles: [] };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>".');

    let payload: JWTPayload;
    try {
      payload = (jwks ? await jwtVerify(match[1], jwks, options) : await jwtVerify(match[1], secret, options)).payload;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw unauthenticated('The token has expired.');
      if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'iat' && error.reason === 'missing') {
        throw unauthenticated('The token has no "iat" (issued at) claim.');
      }
      if (isKeySetFailure(error)) throw error;
      throw unauthenticated('The token is invalid.');
    }

    const problem = lifetimeProblem(payload, jwt);
    if (problem) throw unauthenticated(problem);
    if (typeof payload.sub !== 'string' || !SUBJECT.test(payload.sub)) throw unauthenticated('The token has no valid subject.');
    const roles = payload.roles;
    if (roles !== undefined && !(Array.isArray(roles) && roles.every((r) => typeof r === 'string'))) {
      throw unauthenticated('The token\'s "roles" claim must be a list of strings.');
    }
    return { userId: payload.sub, roles: ((roles as string[] | undefined) ?? []).filter((r) => ROLE.test(r)) };
  };
}

/**
 * The key set could not be fetched or read (identity provider down, bad response): our failure, not the
 * client's, so it surfaces as an internal error rather than a 401 that would make clients sign out.
 * jose reports those with a timeout, an invalid-JWKS error, its generic code, or a plain network error.
 */
function isKeySetFailure(error: unknown): boolean {
  if (!(error instanceof joseErrors.JOSEError)) return true;
  return error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid || error.code === 'ERR_JOSE_GENERIC';
}

export interface DevTokenOptions {
  userId: string;
  roles?: string[];
  /** The gateway's JWT_SECRET. */
  secret: string;
  /** A jose time span ("2h", "7d") or seconds; one hour by default. */
  expiresIn?: string | number;
  issuer?: string;
  audience?: string;
}

/** Signs an HS256 token the gateway accepts when it runs with `secret`: for local use and tests. */
export async function signDevToken(options: DevTokenOptions): Promise<string> {
  const expiresIn = options.expiresIn ?? '1h';
  // One clock reading for both claims, so `exp - iat` is exactly the lifetime asked for (the gateway caps it).
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ roles: options.roles ?? [] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.userId)
    .setIssuedAt(now)
    // jose reads a number as an absolute time, so turn seconds from now into one.
    .setExpirationTime(typeof expiresIn === 'number' ? now + expiresIn : expiresIn);
  if (options.issuer) jwt.setIssuer(options.issuer);
  if (options.audience) jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(options.secret));
}
