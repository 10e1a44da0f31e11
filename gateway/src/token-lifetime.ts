import { z } from 'zod';

/**
 * How long a token may live and how far apart clocks may be. A token valid for a year is a password that
 * cannot be changed: the gateway refuses one whose lifetime (`exp - iat`) exceeds the maximum, one
 * without `iat` (its lifetime would be unknown), and one issued in the future beyond the skew (a
 * mis-set issuer clock would otherwise stretch every lifetime).
 */

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** `90`, `90s`, `30m`, `12h`, `7d`, `2w` (and the words: `30 min`, `2 hours`, `7 days`) in seconds; null otherwise. */
export function durationSeconds(text: string): number | null {
  const match = /^(\d{1,9})\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?|w|weeks?)?$/i.exec(text.trim());
  if (!match) return null;
  // Every unit the pattern takes is named by its first letter: s(ec), m(in), h(our), d(ay), w(eek).
  const unit = (match[2] ?? 's').toLowerCase();
  return Number(match[1]) * UNIT_SECONDS[unit[0]];
}

/** The default maximum lifetime: a day, what identity providers issue access tokens for by default. */
export const DEFAULT_MAX_TOKEN_LIFETIME = '24h';

export function tokenLifetimeEnvShape() {
  return {
    JWT_MAX_TOKEN_LIFETIME: z
      .string()
      .refine((value) => (durationSeconds(value) ?? 0) > 0, 'must be a duration such as 3600, 30m, 24h or 7d')
      .default(DEFAULT_MAX_TOKEN_LIFETIME),
    JWT_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300, 'must be at most 300 seconds').default(30),
  };
}

export interface TokenLifetimeConfig {
  /** Largest accepted `exp - iat`, in seconds. */
  maxLifetimeSeconds: number;
  /** Clock difference tolerated on `exp`, `nbf` and `iat`, in seconds. */
  clockSkewSeconds: number;
}

export function tokenLifetimeConfig(raw: Record<string, unknown>): TokenLifetimeConfig {
  return {
    maxLifetimeSeconds: durationSeconds(raw.JWT_MAX_TOKEN_LIFETIME as string)!,
    clockSkewSeconds: raw.JWT_CLOCK_SKEW_SECONDS as number,
  };
}

/** Why a verified token's `iat` and `exp` are still not acceptable, or null when they are. */
export function lifetimeProblem(payload: { iat?: number; exp?: number }, config: TokenLifetimeConfig, nowSeconds = Date.now() / 1000): string | null {
  if (typeof payload.iat !== 'number') return 'The token has no "iat" (issued at) claim.';
  if (payload.iat > nowSeconds + config.clockSkewSeconds) return 'The token is issued in the future.';
  if (typeof payload.exp === 'number' && payload.exp - payload.iat > config.maxLifetimeSeconds) {
    return `The token lives longer than the ${config.maxLifetimeSeconds} s the gateway accepts (exp - iat).`;
  }
  return null;
}
