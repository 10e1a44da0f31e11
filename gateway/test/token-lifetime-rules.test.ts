import { z } from 'zod';
import { DEFAULT_MAX_TOKEN_LIFETIME, durationSeconds, lifetimeProblem, tokenLifetimeConfig, tokenLifetimeEnvShape } from '../src/token-lifetime';

/**
 * The token lifetime rules called directly (token-lifetime.test.ts checks them through a real gateway,
 * which is slow to start): durations, the environment's shape and defaults, and `lifetimeProblem`.
 */

describe('durationSeconds', () => {
  test.each([
    ['90', 90],
    ['0', 0],
    ['1', 1],
    ['123456789', 123_456_789],
    ['007', 7],
    ['90s', 90],
    ['1 sec', 1],
    ['2 secs', 2],
    ['1 second', 1],
    ['3 seconds', 3],
    ['30m', 1800],
    ['1 min', 60],
    ['2 mins', 120],
    ['1 minute', 60],
    ['5 minutes', 300],
    ['12h', 43_200],
    ['1 hr', 3600],
    ['2 hrs', 7200],
    ['1 hour', 3600],
    ['3 hours', 10_800],
    ['7d', 604_800],
    ['1 day', 86_400],
    ['2 days', 172_800],
    ['2w', 1_209_600],
    ['1 week', 604_800],
    ['3 weeks', 1_814_400],
    ['24H', 86_400],
    ['30M', 1800],
    ['5 Minutes', 300],
    ['2 HOURS', 7200],
    ['10S', 10],
    ['1 Week', 604_800],
    ['3 DAYS', 259_200],
    ['  30m  ', 1800],
    ['\t2h\n', 7200],
    ['30   m', 1800],
    ['30\tmin', 1800],
  ])('%j is %d seconds', (text, seconds) => {
    expect(durationSeconds(text)).toBe(seconds);
  });

  test.each([
    '',
    '   ',
    'm',
    'h',
    '1234567890',
    '-5',
    '+5',
    '1.5h',
    '5x',
    '5mx',
    'x5m',
    '5 m x',
    '5 mm',
    '5 minutess',
    '5 hourss',
    '5 ms',
    '5 y',
    '5 months',
    'five',
    '1e3',
    '5,000',
    '2 h 30 m',
    'h5',
  ])('%j is not a duration', (text) => {
    expect(durationSeconds(text)).toBeNull();
  });
});

describe('the environment', () => {
  const schema = z.object(tokenLifetimeEnvShape());
  const MESSAGE = 'must be a duration such as 3600, 30m, 24h or 7d';

  test('defaults: a day and 30 seconds of skew', () => {
    expect(DEFAULT_MAX_TOKEN_LIFETIME).toBe('24h');
    expect(schema.parse({})).toStrictEqual({ JWT_MAX_TOKEN_LIFETIME: '24h', JWT_CLOCK_SKEW_SECONDS: 30 });
    expect(tokenLifetimeConfig(schema.parse({}))).toStrictEqual({ maxLifetimeSeconds: 86_400, clockSkewSeconds: 30 });
  });

  test.each([
    ['10m', '0', { maxLifetimeSeconds: 600, clockSkewSeconds: 0 }],
    ['3600', '300', { maxLifetimeSeconds: 3600, clockSkewSeconds: 300 }],
    ['1s', '1', { maxLifetimeSeconds: 1, clockSkewSeconds: 1 }],
    ['7 days', '45', { maxLifetimeSeconds: 604_800, clockSkewSeconds: 45 }],
  ])('JWT_MAX_TOKEN_LIFETIME=%s JWT_CLOCK_SKEW_SECONDS=%s', (lifetime, skew, config) => {
    const parsed = schema.parse({ JWT_MAX_TOKEN_LIFETIME: lifetime, JWT_CLOCK_SKEW_SECONDS: skew });
    expect(parsed).toStrictEqual({ JWT_MAX_TOKEN_LIFETIME: lifetime, JWT_CLOCK_SKEW_SECONDS: Number(skew) });
    expect(tokenLifetimeConfig(parsed)).toStrictEqual(config);
  });

  /** Every issue's path and message, so a refusal is pinned to its variable and its words. */
  function issues(env: Record<string, string>) {
    const result = schema.safeParse(env);
    expect(result.success).toBe(false);
    return result.success ? [] : result.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
  }

  test.each(['0', '0s', '0 days', 'junk', '', '1234567890', '-1h', 'forever'])('JWT_MAX_TOKEN_LIFETIME=%j is refused', (value) => {
    expect(issues({ JWT_MAX_TOKEN_LIFETIME: value })).toStrictEqual([{ path: ['JWT_MAX_TOKEN_LIFETIME'], message: MESSAGE }]);
  });

  test('JWT_CLOCK_SKEW_SECONDS above 300 is refused with its message', () => {
    expect(issues({ JWT_CLOCK_SKEW_SECONDS: '301' })).toStrictEqual([{ path: ['JWT_CLOCK_SKEW_SECONDS'], message: 'must be at most 300 seconds' }]);
  });

  test.each(['-1', '1.5', 'soon'])('JWT_CLOCK_SKEW_SECONDS=%j is refused', (value) => {
    expect(issues({ JWT_CLOCK_SKEW_SECONDS: value }).map((issue) => issue.path)).toStrictEqual([['JWT_CLOCK_SKEW_SECONDS']]);
  });
});

describe('lifetimeProblem (now 1000, skew 30, at most 3600 s)', () => {
  const config = { maxLifetimeSeconds: 3600, clockSkewSeconds: 30 };
  const NOW = 1000;
  const problem = (payload: { iat?: unknown; exp?: unknown }) => lifetimeProblem(payload as { iat?: number; exp?: number }, config, NOW);

  test.each([
    ['issued now, an hour', { iat: 1000, exp: 4600 }],
    ['exactly the maximum', { iat: 500, exp: 4100 }],
    ['issued in the past', { iat: 0, exp: 10 }],
    ['issued exactly at the edge of the skew', { iat: 1030, exp: 1100 }],
    ['issued within the skew', { iat: 1010, exp: 1100 }],
    ['no exp (jose requires one; nothing to compare)', { iat: 1000 }],
    ['an exp that is not a number is not compared', { iat: 0, exp: '99999' }],
    ['exp before iat', { iat: 1000, exp: 900 }],
  ])('acceptable: %s', (_name, payload) => {
    expect(problem(payload)).toBeNull();
  });

  test.each([
    [{}],
    [{ exp: 2000 }],
    [{ iat: '1000', exp: 2000 }],
    [{ iat: null, exp: 2000 }],
  ])('no numeric iat: %j', (payload) => {
    expect(problem(payload)).toBe('The token has no "iat" (issued at) claim.');
  });

  test.each([
    [{ iat: 1031, exp: 2000 }],
    [{ iat: 5000, exp: 6000 }],
  ])('issued in the future beyond the skew: %j', (payload) => {
    expect(problem(payload)).toBe('The token is issued in the future.');
  });

  test.each([
    [{ iat: 500, exp: 4101 }],
    [{ iat: 0, exp: 1_000_000 }],
  ])('longer than the maximum: %j', (payload) => {
    expect(problem(payload)).toBe('The token lives longer than the 3600 s the gateway accepts (exp - iat).');
  });

  test('the message names the configured maximum', () => {
    expect(lifetimeProblem({ iat: 0, exp: 601 }, { maxLifetimeSeconds: 600, clockSkewSeconds: 0 }, 0)).toBe('The token lives longer than the 600 s the gateway accepts (exp - iat).');
    expect(lifetimeProblem({ iat: 0, exp: 600 }, { maxLifetimeSeconds: 600, clockSkewSeconds: 0 }, 0)).toBeNull();
  });

  test('no skew: one second ahead is in the future', () => {
    expect(lifetimeProblem({ iat: 1001, exp: 1002 }, { maxLifetimeSeconds: 600, clockSkewSeconds: 0 }, 1000)).toBe('The token is issued in the future.');
    expect(lifetimeProblem({ iat: 1000, exp: 1002 }, { maxLifetimeSeconds: 600, clockSkewSeconds: 0 }, 1000)).toBeNull();
  });

  test('the clock defaults to now, in seconds', () => {
    const now = Math.floor(Date.now() / 1000);
    expect(lifetimeProblem({ iat: now + 60, exp: now + 120 }, config)).toBe('The token is issued in the future.');
    expect(lifetimeProblem({ iat: now + 10, exp: now + 120 }, config)).toBeNull();
    expect(lifetimeProblem({ iat: now - 10, exp: now + 120 }, config)).toBeNull();
  });
});
