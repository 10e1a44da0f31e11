import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT, RUN_FROM_SOURCE } from '@storefront/testing';
import { createTokenVerifier } from '../src/auth';
import { loadGatewayConfig } from '../src/config';

/** `npm run token` as a person runs it: a real process, whose stdout is only the token. */
function runTokenScript(args: string[], env: Record<string, string> = {}) {
  const { JWT_SECRET: _s, JWT_JWKS_URL: _j, JWT_ISSUER: _i, JWT_AUDIENCE: _a, NODE_ENV: _n, ...inherited } = process.env;
  return spawnSync(process.execPath, [...RUN_FROM_SOURCE, path.join(REPO_ROOT, 'scripts', 'token.ts'), ...args], {
    cwd: REPO_ROOT,
    env: { ...inherited, ...env },
    encoding: 'utf8',
  });
}

test('prints only a token the gateway with the same configuration accepts', async () => {
  const env = { JWT_SECRET: 'a-secret-only-this-test-knows-0123456789', JWT_ISSUER: 'local', NODE_ENV: 'development' };
  const result = runTokenScript(['alice', '--admin', '--roles', 'support,beta', '--expires', '2h'], env);
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);

  const viewer = await createTokenVerifier(loadGatewayConfig(env))(`Bearer ${result.stdout.trim()}`);
  expect(viewer).toEqual({ userId: 'alice', roles: ['support', 'beta', 'admin'] });
  // A gateway with another secret refuses it.
  await expect(createTokenVerifier(loadGatewayConfig({}))(`Bearer ${result.stdout.trim()}`)).rejects.toMatchObject({
    extensions: { code: 'UNAUTHENTICATED' },
  });
});

test.each([[[]], [['alice', '--expires', 'soon']], [['alice', '--roles', 'a b']]])(
  'usage errors go to stderr with exit code 2: %j',
  (args) => {
    const result = runTokenScript(args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Usage: npm run token');
  },
);

test('with its defaults it signs a token the default gateway accepts; past JWT_MAX_TOKEN_LIFETIME it refuses and says why', async () => {
  const env = { NODE_ENV: 'development' };
  const longest = runTokenScript(['alice', '--expires', '24h'], env);
  expect(longest.status).toBe(0);
  await expect(createTokenVerifier(loadGatewayConfig(env))(`Bearer ${longest.stdout.trim()}`)).resolves.toMatchObject({ userId: 'alice' });

  const tooLong = runTokenScript(['alice', '--expires', '7d'], env);
  expect(tooLong.status).toBe(2);
  expect(tooLong.stdout).toBe('');
  expect(tooLong.stderr).toContain('JWT_MAX_TOKEN_LIFETIME');

  // Raised for both, the same span is signed and accepted.
  const raised = { ...env, JWT_MAX_TOKEN_LIFETIME: '7d' };
  const week = runTokenScript(['alice', '--expires', '7d'], raised);
  expect(week.status).toBe(0);
  await expect(createTokenVerifier(loadGatewayConfig(raised))(`Bearer ${week.stdout.trim()}`)).resolves.toMatchObject({ userId: 'alice' });
});
