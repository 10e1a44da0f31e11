import { startGateway, type RunningGateway } from '@storefront/testing';
import { SignJWT } from 'jose';
import { DEV_JWT_SECRET } from '../src/config';

/**
 * Token lifetime rules through the real gateway over HTTP: `iat` required, not in the future beyond the
 * clock skew, and `exp - iat` at most JWT_MAX_TOKEN_LIFETIME. Both limits are configuration.
 */
let gateway: RunningGateway;
let strict: RunningGateway;
beforeAll(async () => {
  gateway = await startGateway({});
  strict = await startGateway({}, { JWT_MAX_TOKEN_LIFETIME: '10m', JWT_CLOCK_SKEW_SECONDS: '0' });
});
afterAll(async () => {
  await gateway?.stop();
  await strict?.stop();
});

const now = () => Math.floor(Date.now() / 1000);

function sign(claims: { iat?: number; exp: number }): Promise<string> {
  const jwt = new SignJWT({ roles: [] }).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setExpirationTime(claims.exp);
  if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
  return jwt.sign(new TextEncoder().encode(DEV_JWT_SECRET));
}

/** `me` needs the token; no subgraph runs, so an accepted token fails later, at the subgraph, never as UNAUTHENTICATED. */
async function ask(target: RunningGateway, token: string) {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions: { code: string } }[] } };
}

test.each([
  ['no iat', { exp: now() + 600 }, 'The token has no "iat" (issued at) claim.'],
  ['iat a minute ahead (skew 30 s)', { iat: now() + 60, exp: now() + 600 }, 'The token is issued in the future.'],
  ['a lifetime of 24 h + 1 s', { iat: now(), exp: now() + 86_401 }, 'The token lives longer than the 86400 s the gateway accepts (exp - iat).'],
  ['a lifetime of a year', { iat: now() - 10, exp: now() + 365 * 86_400 }, 'The token lives longer than the 86400 s the gateway accepts (exp - iat).'],
])('refused with 401 UNAUTHENTICATED: %s', async (_name, claims, message) => {
  const { status, body } = await ask(gateway, await sign(claims));
  expect(status).toBe(401);
  expect(body.errors).toEqual([{ message, extensions: { code: 'UNAUTHENTICATED' } }]);
});

test.each([
  ['a lifetime of exactly 24 h', { iat: now(), exp: now() + 86_400 }],
  ['iat 20 s ahead, within the 30 s skew', { iat: now() + 20, exp: now() + 600 }],
  ['an hour, as npm run token signs by default', { iat: now(), exp: now() + 3600 }],
])('accepted: %s', async (_name, claims) => {
  const { status, body } = await ask(gateway, await sign(claims));
  expect(body.errors).toBeUndefined();
  expect(status).toBe(200);
});

test('both limits are configuration: 10 minutes and no skew', async () => {
  expect((await ask(strict, await sign({ iat: now(), exp: now() + 600 }))).status).toBe(200);
  expect((await ask(strict, await sign({ iat: now(), exp: now() + 601 }))).body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  expect((await ask(strict, await sign({ iat: now() + 5, exp: now() + 300 }))).body.errors?.[0].message).toBe('The token is issued in the future.');
  // The default gateway takes the same future iat.
  expect((await ask(gateway, await sign({ iat: now() + 5, exp: now() + 300 }))).status).toBe(200);
});
