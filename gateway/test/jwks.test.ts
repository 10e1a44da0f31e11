import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateProductDocument, execute, ProductsDocument, type CreateProductMutationVariables } from '@storefront/client';
import { startCatalog, startGateway, tokenFor, type RunningCatalog, type RunningGateway } from '@storefront/testing';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { deadUrl, post } from './helpers';

/**
 * A real identity provider's setup: the gateway verifies RS256 tokens against a JWKS it fetches over
 * HTTP (served here by a tiny local server), and checks issuer and audience.
 */
const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'storefront-api';

let catalog: RunningCatalog;
let gateway: RunningGateway;
let jwksServer: http.Server;
let privateKey: KeyLike;

async function serveJwks(body: unknown): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json` };
}

function signRs256(claims: Record<string, unknown>, key: KeyLike = privateKey, kid = 'key-1') {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(key);
}

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
  const jwks = await serveJwks({ keys: [jwk] });
  jwksServer = jwks.server;
  catalog = await startCatalog();
  gateway = await startGateway(
    { catalog: { url: catalog.url, secret: catalog.config.secret } },
    { JWT_JWKS_URL: jwks.url, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE },
  );
});
afterAll(async () => {
  await gateway?.stop();
  await catalog?.stop();
  jwksServer?.closeAllConnections();
  await new Promise((resolve) => jwksServer?.close(resolve));
});

const NEW_PRODUCT: CreateProductMutationVariables = {
  input: { name: 'IdP Hat', kind: 'HAT', price: { amount: 2500, currencyCode: 'EUR' } },
};

test('an RS256 token from the key set carries the user and roles to the subgraph', async () => {
  const token = await signRs256({ sub: 'idp-admin', roles: ['admin'], iss: ISSUER, aud: AUDIENCE });
  const result = await execute(gateway.url, CreateProductDocument, NEW_PRODUCT, { token });
  expect(result.errors).toBeUndefined();
  expect(result.data!.createProduct.product!.name).toBe('IdP Hat');

  const shopper = await signRs256({ sub: 'idp-shopper', iss: ISSUER, aud: AUDIENCE });
  const refused = await execute(gateway.url, CreateProductDocument, NEW_PRODUCT, { token: shopper });
  expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

test.each([
  ['a development HS256 token', () => tokenFor('admin-1', { admin: true })],
  ['another issuer', () => signRs256({ sub: 'u', roles: ['admin'], iss: 'https://evil.example.test/', aud: AUDIENCE })],
  ['another audience', () => signRs256({ sub: 'u', roles: ['admin'], iss: ISSUER, aud: 'someone-else' })],
  ['no issuer or audience', () => signRs256({ sub: 'u', roles: ['admin'] })],
  [
    'a key that is not in the set',
    async () => signRs256({ sub: 'u', roles: ['admin'], iss: ISSUER, aud: AUDIENCE }, (await generateKeyPair('RS256')).privateKey),
  ],
])('refuses %s with 401', async (_name, makeToken) => {
  const response = await post(gateway.url, CreateProductDocument, NEW_PRODUCT, { authorization: `Bearer ${await makeToken()}` });
  expect(response.status).toBe(401);
  expect(response.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
});

test('when the identity provider is unreachable, tokens fail as a server error (not 401) and anonymous reads still work', async () => {
  const isolated = await startGateway(
    { catalog: { url: catalog.url, secret: catalog.config.secret } },
    { JWT_JWKS_URL: await deadUrl('/jwks.json'), JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE },
  );
  try {
    const token = await signRs256({ sub: 'idp-admin', roles: ['admin'], iss: ISSUER, aud: AUDIENCE });
    const response = await post(isolated.url, ProductsDocument, { first: 1 }, { authorization: `Bearer ${token}` });
    expect(response.status).toBe(500);
    expect(response.body.errors?.[0]).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    const anonymous = await execute(isolated.url, ProductsDocument, { first: 1 });
    expect(anonymous.errors).toBeUndefined();
  } finally {
    await isolated.stop();
  }
});
