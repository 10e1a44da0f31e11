import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type JWTPayload, type KeyLike } from 'jose';
import { createTokenVerifier, signDevToken } from '../src/auth';
import type { JwtConfig } from '../src/config';

/**
 * The gateway's token rules, called directly: no gateway, no subgraph, no database. Tokens are signed
 * with jose for real; key sets are served by a local HTTP server on the loopback interface.
 */

const SECRET = 'unit-test-secret-of-a-reasonable-length-0123456789';
const HS: JwtConfig = { secret: SECRET, maxLifetimeSeconds: 3600, clockSkewSeconds: 30 };
const verify = createTokenVerifier({ jwt: HS });

const now = () => Math.floor(Date.now() / 1000);

/** A token with exactly these claims (no defaults, so a test can leave `iat`, `exp` or `sub` out). */
function sign(claims: JWTPayload, { alg = 'HS256', secret = SECRET }: { alg?: string; secret?: string } = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg }).sign(new TextEncoder().encode(secret));
}

/** A valid claim set for the default verifier; tests override one claim at a time. */
const valid = (over: JWTPayload = {}): JWTPayload => ({ sub: 'alice', iat: now(), exp: now() + 600, ...over });

/** The error a verifier throws, so its message, code and status are compared exactly. */
async function refusal(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the token to be refused');
}

async function expectUnauthenticated(promise: Promise<unknown>, message: string): Promise<void> {
  const error = await refusal(promise);
  expect(error).toBeInstanceOf(GraphQLError);
  expect((error as GraphQLError).message).toBe(message);
  expect((error as GraphQLError).extensions).toEqual({ code: 'UNAUTHENTICATED', http: { status: 401 } });
}

const INVALID = 'The token is invalid.';
const HEADER = 'The Authorization header must be "Bearer <token>".';

describe('the Authorization header', () => {
  test.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['a blank header (GraphiQL sends one)', '   '],
    ['a header of tabs', '\t\t'],
  ])('%s is an anonymous visitor', async (_name, header) => {
    await expect(verify(header)).resolves.toStrictEqual({ userId: null, roles: [] });
  });

  test.each([
    ['a token without a scheme', (t: string) => t],
    ['Basic credentials', () => 'Basic YWxpY2U6c2VjcmV0'],
    ['Bearer and nothing else', () => 'Bearer'],
    ['Bearer and spaces', () => 'Bearer    '],
    ['no space after Bearer', (t: string) => `Bearer${t}`],
    ['something before Bearer', (t: string) => `xBearer ${t}`],
    ['a second word after the token', (t: string) => `Bearer ${t} extra`],
    ['two tokens', (t: string) => `Bearer ${t} ${t}`],
    ['a leading space', (t: string) => ` Bearer ${t}`],
  ])('%s is refused as a malformed header', async (_name, header) => {
    await expectUnauthenticated(verify(header(await sign(valid()))), HEADER);
  });

  test.each([
    ['Bearer', (t: string) => `Bearer ${t}`],
    ['lowercase bearer', (t: string) => `bearer ${t}`],
    ['upper case BEARER', (t: string) => `BEARER ${t}`],
    ['several spaces after Bearer', (t: string) => `Bearer   ${t}`],
    ['a tab after Bearer', (t: string) => `Bearer\t${t}`],
    ['trailing spaces', (t: string) => `Bearer ${t}   `],
    ['a trailing newline', (t: string) => `Bearer ${t}\n`],
  ])('%s is accepted', async (_name, header) => {
    await expect(verify(header(await sign(valid({ roles: ['ops'] }))))).resolves.toStrictEqual({ userId: 'alice', roles: ['ops'] });
  });

  test('a token that is not a JWT is invalid', async () => {
    await expectUnauthenticated(verify('Bearer not-a-jwt'), INVALID);
    await expectUnauthenticated(verify('Bearer x'), INVALID);
  });
});

describe('HS256 with the shared secret', () => {
  test('a token without roles is a user without roles', async () => {
    await expect(verify(`Bearer ${await sign(valid())}`)).resolves.toStrictEqual({ userId: 'alice', roles: [] });
  });

  test.each([
    ['HS384 with the same secret', () => sign(valid(), { alg: 'HS384' })],
    ['HS512 with the same secret', () => sign(valid(), { alg: 'HS512' })],
    ['HS256 with another secret', () => sign(valid(), { secret: `${SECRET}-other` })],
    ['alg none', async () => new UnsecuredJWT(valid()).encode()],
    ['RS256 with a key of its own', async () => new SignJWT(valid()).setProtectedHeader({ alg: 'RS256' }).sign((await generateKeyPair('RS256')).privateKey)],
    [
      'a tampered payload',
      async () => {
        const [header, , signature] = (await sign(valid())).split('.');
        return [header, Buffer.from(JSON.stringify(valid({ sub: 'mallory' }))).toString('base64url'), signature].join('.');
      },
    ],
  ])('%s is refused as invalid', async (_name, token) => {
    await expectUnauthenticated(verify(`Bearer ${await token()}`), INVALID);
  });

  test.each([
    ['no sub', { sub: undefined }],
    ['no exp', { exp: undefined }],
    ['an iat that is not a number', { iat: 'yesterday' as unknown as number }],
    ['an exp that is not a number', { exp: 'tomorrow' as unknown as number }],
    ['a nbf in the future beyond the skew', { nbf: now() + 120 }],
  ])('%s is refused as invalid', async (_name, over) => {
    await expectUnauthenticated(verify(`Bearer ${await sign(valid(over))}`), INVALID);
  });

  test('a nbf in the future within the skew is accepted', async () => {
    await expect(verify(`Bearer ${await sign(valid({ nbf: now() + 10 }))}`)).resolves.toStrictEqual({ userId: 'alice', roles: [] });
  });

  test('no iat is refused with its own message', async () => {
    await expectUnauthenticated(verify(`Bearer ${await sign(valid({ iat: undefined }))}`), 'The token has no "iat" (issued at) claim.');
  });
});

describe('issuer and audience', () => {
  const checked = createTokenVerifier({ jwt: { ...HS, issuer: 'https://idp.example.test/', audience: 'storefront-api' } });
  const both = { iss: 'https://idp.example.test/', aud: 'storefront-api' };

  test('a token with both is accepted', async () => {
    await expect(checked(`Bearer ${await sign(valid(both))}`)).resolves.toStrictEqual({ userId: 'alice', roles: [] });
  });

  test.each([
    ['another issuer', { ...both, iss: 'https://evil.example.test/' }],
    ['another audience', { ...both, aud: 'someone-else' }],
    ['no issuer', { aud: both.aud }],
    ['no audience', { iss: both.iss }],
  ])('%s is refused as invalid', async (_name, claims) => {
    await expectUnauthenticated(checked(`Bearer ${await sign(valid(claims))}`), INVALID);
  });

  test('unchecked when not configured: any issuer and audience pass', async () => {
    await expect(verify(`Bearer ${await sign(valid({ iss: 'anyone', aud: 'anything' }))}`)).resolves.toStrictEqual({ userId: 'alice', roles: [] });
  });
});

describe('expiry, issue time and lifetime (skew 30 s, at most 3600 s)', () => {
  test('expired beyond the skew: "The token has expired."', async () => {
    await expectUnauthenticated(verify(`Bearer ${await sign(valid({ iat: now() - 600, exp: now() - 60 }))}`), 'The token has expired.');
  });

  test('expired within the skew is accepted', async () => {
    await expect(verify(`Bearer ${await sign(valid({ iat: now() - 600, exp: now() - 10 }))}`)).resolves.toStrictEqual({ userId: 'alice', roles: [] });
  });

  test('iat in the future beyond the skew is refused', async () => {
    await expectUnauthenticated(verify(`Bearer ${await sign(valid({ iat: now() + 120, exp: now() + 600 }))}`), 'The token is issued in the future.');
  });

  test('iat in the future within the skew is accepted', async () => {
    await expect(verify(`Bearer ${await sign(valid({ iat: now() + 10, exp: now() + 600 }))}`)).resolves.toStrictEqual({ userId: 'alice', roles: [] });
  });

  test('a lifetime of exactly the maximum is accepted; one second more is refused, naming the maximum', async () => {
    const iat = now();
    await expect(verify(`Bearer ${await sign(valid({ iat, exp: iat + 3600 }))}`)).resolves.toStrictEqual({ userId: 'alice', roles: [] });
    await expectUnauthenticated(
      verify(`Bearer ${await sign(valid({ iat, exp: iat + 3601 }))}`),
      'The token lives longer than the 3600 s the gateway accepts (exp - iat).',
    );
  });

  test('no skew configured: a token expired a few seconds ago is refused', async () => {
    const strict = createTokenVerifier({ jwt: { ...HS, clockSkewSeconds: 0 } });
    await expectUnauthenticated(strict(`Bearer ${await sign(valid({ iat: now() - 600, exp: now() - 5 }))}`), 'The token has expired.');
  });
});

describe('the subject', () => {
  const PRINTABLE = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)).join('');

  test.each([
    ['one character', 'a'],
    ['255 printable characters', 'x'.repeat(255)],
    ['every printable character from ! to ~', PRINTABLE],
    ['case kept as signed', 'Victim-49DE'],
  ])('%s is accepted exactly as signed', async (_name, sub) => {
    await expect(verify(`Bearer ${await sign(valid({ sub }))}`)).resolves.toStrictEqual({ userId: sub, roles: [] });
  });

  test.each([
    ['an empty subject', ''],
    ['256 characters', 'x'.repeat(256)],
    ['a space inside', 'alice smith'],
    ['a trailing space', 'alice '],
    ['a leading space', ' alice'],
    ['a tab', 'alice\t'],
    ['a DEL character', 'alice\x7f'],
    ['a non-ASCII letter', 'ali\u00e9'],
    ['a number', 12345],
    ['a list', ['alice']],
    ['an object', { id: 'alice' }],
  ])('%s is refused', async (_name, sub) => {
    await expectUnauthenticated(verify(`Bearer ${await sign(valid({ sub: sub as string }))}`), 'The token has no valid subject.');
  });
});

describe('the roles claim', () => {
  const ROLES_MESSAGE = 'The token\'s "roles" claim must be a list of strings.';

  test.each([
    ['a string', 'admin'],
    ['a number', 7],
    ['an object', { admin: true }],
    ['null', null],
    ['a list with a number', ['admin', 1]],
    ['a list of one number', [1]],
    ['a list with null', [null, 'admin']],
  ])('%s is refused', async (_name, roles) => {
    await expectUnauthenticated(verify(`Bearer ${await sign(valid({ roles }))}`), ROLES_MESSAGE);
  });

  test('an empty list is no roles', async () => {
    await expect(verify(`Bearer ${await sign(valid({ roles: [] }))}`)).resolves.toStrictEqual({ userId: 'alice', roles: [] });
  });

  test('roles that could forge another role in a header are dropped; the others are kept in order', async () => {
    const roles = ['support,admin', 'a b', '', 'r'.repeat(65), 'r'.repeat(64), 'ops:read', 'admin', 'x', 'AZaz09_.:-', 'tab\t', 'caf\u00e9', ' admin', 'admin '];
    await expect(verify(`Bearer ${await sign(valid({ roles }))}`)).resolves.toStrictEqual({
      userId: 'alice',
      roles: ['r'.repeat(64), 'ops:read', 'admin', 'x', 'AZaz09_.:-'],
    });
  });

  test.each(['A', 'Z', 'a', 'z', '0', '9', '_', '.', ':', '-'])('the one-character role %s is kept', async (role) => {
    await expect(verify(`Bearer ${await sign(valid({ roles: [role] }))}`)).resolves.toStrictEqual({ userId: 'alice', roles: [role] });
  });

  test.each(['@', '/', '[', '`', '{', '~', ',', ';', '+', '*', '!'])('the one-character role %s is dropped', async (role) => {
    await expect(verify(`Bearer ${await sign(valid({ roles: [role] }))}`)).resolves.toStrictEqual({ userId: 'alice', roles: [] });
  });
});

describe('signDevToken', () => {
  const FIXED_MS = 1_700_000_000_750;
  const FIXED = 1_700_000_000;
  beforeEach(() => {
    // Only the clock: promises and the crypto behind jose keep running.
    jest.useFakeTimers({ now: FIXED_MS, doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
  });
  afterEach(() => jest.useRealTimers());

  test('by default: an hour, no roles, the subject, HS256 JWT, no issuer or audience', async () => {
    const token = await signDevToken({ userId: 'alice', secret: SECRET });
    expect(decodeProtectedHeader(token)).toStrictEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decodeJwt(token)).toStrictEqual({ roles: [], sub: 'alice', iat: FIXED, exp: FIXED + 3600 });
  });

  test('roles, a time span, issuer and audience as given', async () => {
    const token = await signDevToken({ userId: 'bob', secret: SECRET, roles: ['admin', 'ops'], expiresIn: '2h', issuer: 'https://idp.example.test/', audience: 'storefront-api' });
    expect(decodeJwt(token)).toStrictEqual({
      roles: ['admin', 'ops'],
      sub: 'bob',
      iat: FIXED,
      exp: FIXED + 7200,
      iss: 'https://idp.example.test/',
      aud: 'storefront-api',
    });
  });

  test('a number is seconds from now, not an absolute time', async () => {
    expect(decodeJwt(await signDevToken({ userId: 'alice', secret: SECRET, expiresIn: 600 }))).toStrictEqual({ roles: [], sub: 'alice', iat: FIXED, exp: FIXED + 600 });
  });

  test('an issuer alone, or an audience alone', async () => {
    expect(decodeJwt(await signDevToken({ userId: 'a', secret: SECRET, issuer: 'me' }))).toStrictEqual({ roles: [], sub: 'a', iat: FIXED, exp: FIXED + 3600, iss: 'me' });
    expect(decodeJwt(await signDevToken({ userId: 'a', secret: SECRET, audience: 'you' }))).toStrictEqual({ roles: [], sub: 'a', iat: FIXED, exp: FIXED + 3600, aud: 'you' });
  });
});

test('signDevToken signs with the secret: the verifier accepts its token, one with another secret refuses it', async () => {
  const token = await signDevToken({ userId: 'alice', secret: SECRET, roles: ['admin'] });
  await expect(verify(`Bearer ${token}`)).resolves.toStrictEqual({ userId: 'alice', roles: ['admin'] });
  await expectUnauthenticated(createTokenVerifier({ jwt: { ...HS, secret: 'another' } })(`Bearer ${token}`), INVALID);
});

describe('a key set (JWKS) over HTTP', () => {
  const servers: http.Server[] = [];

  /** A loopback server answering every request with `handle`; closed after the tests. */
  async function serve(handle: http.RequestListener): Promise<string> {
    const server = http.createServer(handle);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  }

  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
  const keys = new Map<string, KeyLike>();
  let jwksUrl: string;
  let jwksVerify: ReturnType<typeof createTokenVerifier>;
  const ISSUER = 'https://idp.example.test/';
  const AUDIENCE = 'storefront-api';

  beforeAll(async () => {
    const jwks = [];
    for (const alg of ALGORITHMS) {
      const pair = await generateKeyPair(alg, { modulusLength: 2048 });
      keys.set(alg, pair.privateKey);
      jwks.push({ ...(await exportJWK(pair.publicKey)), kid: alg, alg, use: 'sig' });
    }
    const body = JSON.stringify({ keys: jwks });
    jwksUrl = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    jwksVerify = createTokenVerifier({ jwt: { secret: '', jwksUrl, issuer: ISSUER, audience: AUDIENCE, maxLifetimeSeconds: 3600, clockSkewSeconds: 30 } });
  });

  const idpToken = (alg: string, claims: JWTPayload = {}, key = keys.get(alg)!) =>
    new SignJWT(valid({ iss: ISSUER, aud: AUDIENCE, roles: ['admin'], ...claims })).setProtectedHeader({ alg, kid: alg }).sign(key);

  test.each(ALGORITHMS)('%s from the key set is accepted', async (alg) => {
    await expect(jwksVerify(`Bearer ${await idpToken(alg)}`)).resolves.toStrictEqual({ userId: 'alice', roles: ['admin'] });
  });

  test.each([
    ['an HS256 token signed with the (empty) secret', () => sign(valid({ iss: ISSUER, aud: AUDIENCE }), { secret: '' })],
    ['an HS256 token naming a key of the set', () => new SignJWT(valid({ iss: ISSUER, aud: AUDIENCE })).setProtectedHeader({ alg: 'HS256', kid: 'RS256' }).sign(new TextEncoder().encode(SECRET))],
    ['a bad signature from a key not in the set', async () => idpToken('RS256', {}, (await generateKeyPair('RS256')).privateKey)],
    ['a key id the set does not have', () => new SignJWT(valid({ iss: ISSUER, aud: AUDIENCE })).setProtectedHeader({ alg: 'RS256', kid: 'unknown' }).sign(keys.get('RS256')!)],
    ['another issuer', () => idpToken('ES256', { iss: 'https://evil.example.test/' })],
    ['another audience', () => idpToken('ES256', { aud: 'someone-else' })],
  ])('%s is a 401', async (_name, token) => {
    await expectUnauthenticated(jwksVerify(`Bearer ${await token()}`), INVALID);
  });

  test('an expired token from the key set is "The token has expired."', async () => {
    await expectUnauthenticated(jwksVerify(`Bearer ${await idpToken('RS256', { iat: now() - 600, exp: now() - 60 })}`), 'The token has expired.');
  });

  /** A key-set failure is ours: the raw error propagates (the gateway answers 500), never an UNAUTHENTICATED GraphQLError. */
  async function expectKeySetFailure(handle: http.RequestListener | string, expected: { name: string; code?: string }) {
    const url = typeof handle === 'string' ? handle : await serve(handle);
    const failing = createTokenVerifier({ jwt: { secret: '', jwksUrl: url, issuer: ISSUER, audience: AUDIENCE, maxLifetimeSeconds: 3600, clockSkewSeconds: 30 } });
    const error = (await refusal(failing(`Bearer ${await idpToken('RS256')}`))) as Error & { code?: string };
    expect(error).not.toBeInstanceOf(GraphQLError);
    expect({ name: error.name, code: error.code }).toEqual(expected);
  }

  test('a key set endpoint that answers 500 is a server error, not a 401', async () => {
    await expectKeySetFailure((_req, res) => {
      res.writeHead(500);
      res.end('down');
    }, { name: 'JOSEError', code: 'ERR_JOSE_GENERIC' });
  });

  test('a key set endpoint that answers something other than JSON is a server error', async () => {
    await expectKeySetFailure((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>maintenance</html>');
    }, { name: 'JOSEError', code: 'ERR_JOSE_GENERIC' });
  });

  test('a key set endpoint that answers JSON that is not a key set is a server error', async () => {
    await expectKeySetFailure((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"nokeys":true}');
    }, { name: 'JWKSInvalid', code: 'ERR_JWKS_INVALID' });
  });

  test('a key set endpoint that closes the connection is a server error (a network error, not a jose one)', async () => {
    await expectKeySetFailure((req) => req.socket.destroy(), { name: 'Error', code: 'ECONNRESET' });
  });

  test('a key set endpoint that refuses connections is a server error', async () => {
    const url = await serve(() => undefined);
    const server = servers.pop()!;
    await new Promise((resolve) => server.close(resolve));
    await expectKeySetFailure(url, { name: 'Error', code: 'ECONNREFUSED' });
  });

  test('a key set endpoint that never answers times out as a server error', async () => {
    await expectKeySetFailure(() => undefined, { name: 'JWKSTimeout', code: 'ERR_JWKS_TIMEOUT' });
  }, 20_000);
});
