import { isIP } from 'node:net';
import { HeaderMap, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import type { Logger, Viewer } from '@storefront/service-kit';
import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';

/**
 * Per-client rate limits, in memory (rate-limiter-flexible): a replica counts its own clients, so with N
 * replicas behind a load balancer a client gets up to N times the budget; the cost limits still bound
 * each operation. Two buckets per client, both refilled every window:
 *
 * - `requests`: every GraphQL request, counted before its token is even checked.
 * - `sensitive`: each root field that can guess, spend or create something another shopper has:
 *   a guest cart by its token (read or changed), a guest cart created, a merge, a checkout. Counted per
 *   selection, so a hundred aliases of `guestCart(token:)` in one request cost a hundred.
 *
 * The client is the signed-in user (after the token verifies), otherwise the client address:
 * `X-Forwarded-For` is believed only from a configured trusted proxy (express's `trust proxy`).
 */

export interface RateLimitConfig {
  windowSeconds: number;
  /** Requests per window per client; 0 turns the bucket off. */
  requests: number;
  /** Sensitive root fields per window per client; 0 turns the bucket off. */
  sensitive: number;
  /** Count clients on a loopback address too (development and tests exempt them unless told). */
  limitLoopback: boolean;
  /** Proxies whose `X-Forwarded-For` names the client: addresses, CIDR ranges, or loopback/linklocal/uniquelocal. */
  trustedProxies: string[];
}

/** Root fields in the `sensitive` bucket; also any root field given a `guestCartToken`. */
export const SENSITIVE_ROOT_FIELDS = new Set(['guestCart', 'createGuestCart', 'mergeGuestCart', 'checkout']);
const GUEST_TOKEN_ARGUMENT = 'guestCartToken';

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

const count = (fallback: number) => z.coerce.number().int().min(0, 'must be 0 (off) or more').default(fallback);

export function rateLimitEnvShape() {
  return {
    GATEWAY_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    GATEWAY_RATE_LIMIT_REQUESTS: count(600),
    GATEWAY_RATE_LIMIT_SENSITIVE: count(30),
    GATEWAY_RATE_LIMIT_LOOPBACK: z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
    GATEWAY_TRUSTED_PROXIES: z
      .string()
      .refine(
        (value) => value.split(',').every((entry) => isProxyEntry(entry.trim())),
        'must be comma-separated IP addresses, CIDR ranges (10.0.0.0/8) or loopback, linklocal, uniquelocal',
      )
      .optional(),
  };
}

export function rateLimitConfig(raw: Record<string, unknown>, production: boolean): RateLimitConfig {
  const trusted = raw.GATEWAY_TRUSTED_PROXIES as string | undefined;
  return {
    windowSeconds: raw.GATEWAY_RATE_LIMIT_WINDOW_SECONDS as number,
    requests: raw.GATEWAY_RATE_LIMIT_REQUESTS as number,
    sensitive: raw.GATEWAY_RATE_LIMIT_SENSITIVE as number,
    // `npm start`, the tests and the benchmark run from this machine: no limits unless asked for.
    limitLoopback: raw.GATEWAY_RATE_LIMIT_LOOPBACK === undefined ? production : raw.GATEWAY_RATE_LIMIT_LOOPBACK === 'true',
    trustedProxies: trusted ? trusted.split(',').map((entry) => entry.trim()) : [],
  };
}

/** Who is counted: the signed-in user, or the address of an anonymous client (or of a bad token's sender). */
export interface RateLimitClient {
  userId: string | null;
  address: string;
}

/**
 * The part of an address one client controls: an IPv4 address whole, an IPv6 address by its /64 (one
 * home or host gets a whole /64, so counting single IPv6 addresses would hand out 2^64 budgets).
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1];
  if (isIP(address) !== 6) return address;
  const [head, tail = ''] = address.toLowerCase().split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = address.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = address.includes('::') ? [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups] : headGroups;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

function isLoopback(address: string): boolean {
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}

function rateLimited(bucket: string, maximum: number, windowSeconds: number, res: RateLimiterRes): GraphQLError {
  const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new GraphQLError(
    `Rate limit exceeded: at most ${maximum} ${bucket === 'requests' ? 'requests' : 'sensitive operations (guest carts, merges, checkouts)'} per ${windowSeconds} s. Retry after ${retryAfterSeconds} s.`,
    {
      extensions: {
        code: 'RATE_LIMITED',
        limit: bucket,
        maximum,
        windowSeconds,
        retryAfterSeconds,
        http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) },
      },
    },
  );
}

/** Root fields selected by the operation, through fragments, each alias counted once. */
function rootFields(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()) {
  const fields: { name: string; hasGuestToken: boolean }[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const hasGuestToken = (selection.arguments ?? []).some((a) => a.name.value === GUEST_TOKEN_ARGUMENT && a.value.kind !== Kind.NULL);
      fields.push({ name: selection.name.value, hasGuestToken });
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      fields.push(...rootFields(selection.selectionSet, fragments, seen));
    } else {
      const fragment = fragments.get(selection.name.value);
      // Validation already refused cycles; `seen` keeps this safe regardless.
      if (fragment && !seen.has(fragment.name.value)) {
        seen.add(fragment.name.value);
        fields.push(...rootFields(fragment.selectionSet, fragments, seen));
      }
    }
  }
  return fields;
}

export function sensitiveFieldCount(document: DocumentNode, selectionSet: SelectionSetNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return rootFields(selectionSet, fragments).filter((f) => SENSITIVE_ROOT_FIELDS.has(f.name) || f.hasGuestToken).length;
}

export class RateLimits {
  private readonly requests: RateLimiterMemory | null;
  private readonly sensitive: RateLimiterMemory | null;

  constructor(
    private readonly config: RateLimitConfig,
    private readonly logger: Logger,
  ) {
    const bucket = (points: number) => (points > 0 ? new RateLimiterMemory({ points, duration: config.windowSeconds }) : null);
    this.requests = bucket(config.requests);
    this.sensitive = bucket(config.sensitive);
  }

  /** Counts one request; throws RATE_LIMITED (HTTP 429 with Retry-After) when the client's bucket is empty. */
  async countRequest(client: RateLimitClient): Promise<void> {
    await this.consume(this.requests, 'requests', this.config.requests, client, 1);
  }

  /** Counts the operation's sensitive root fields, after validation and before any subgraph is called. */
  plugin<TContext extends BaseContext & { viewer: Viewer; clientAddress: string }>(): ApolloServerPlugin<TContext> {
    return {
      requestDidStart: async () => ({
        didResolveOperation: async ({ document, operation, contextValue }) => {
          const points = operation ? sensitiveFieldCount(document, operation.selectionSet) : 0;
          if (points === 0) return;
          await this.consume(this.sensitive, 'sensitive', this.config.sensitive, { userId: contextValue.viewer.userId, address: contextValue.clientAddress }, points);
        },
      }),
    };
  }

  private async consume(limiter: RateLimiterMemory | null, bucket: string, maximum: number, client: RateLimitClient, points: number) {
    if (!limiter || (!this.config.limitLoopback && isLoopback(client.address))) return;
    const key = client.userId !== null ? `user:${client.userId}` : `address:${addressKey(client.address)}`;
    try {
      await limiter.consume(key, points);
    } catch (rejection) {
      // rate-limiter-flexible rejects with a RateLimiterRes when the bucket is empty; anything else is a bug.
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      this.logger.warn({ client: key, bucket, maximum }, 'rate limited');
      throw rateLimited(bucket, maximum, this.config.windowSeconds, rejection);
    }
  }
}
