import { createHash, timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';

/**
 * Headers the gateway sets on every subgraph request. Only the gateway may set them: it deletes any a
 * client sends, and subgraphs only trust them on requests that carry their secret.
 */
export const HEADERS = {
  userId: 'x-user-id',
  roles: 'x-user-roles',
  secret: 'x-subgraph-secret',
  requestId: 'x-request-id',
  /**
   * Set on a request that may be sent again after it reached a replica that then died (a read, or a
   * write idempotent by its key): the load balancer retries only those on another replica. Others are
   * retried only when the connection could not be made.
   */
  retrySafe: 'x-retry-safe',
} as const;

export const IDENTITY_HEADERS: readonly string[] = [HEADERS.userId, HEADERS.roles, HEADERS.secret];

export const ADMIN_ROLE = 'admin';

/** Who is asking: a signed-in user (with roles) or an anonymous visitor. */
export interface Viewer {
  userId: string | null;
  roles: string[];
}

/** Nobody: an anonymous visitor, or background work and service calls acting for no one in particular. */
export const NO_VIEWER: Viewer = Object.freeze({ userId: null, roles: [] as string[] });

type HeaderBag = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A user id as the gateway accepts it (a token's `sub`): printable ASCII without spaces, at most 255.
 * Compared byte for byte everywhere, so it is taken exactly as given: never trimmed or case-folded.
 */
export const USER_ID = /^[\x21-\x7e]{1,255}$/;

/** Who the gateway says is asking. A user id that breaks `USER_ID` is no user at all, never a neighbour's. */
export function viewerFromHeaders(headers: HeaderBag): Viewer {
  const given = first(headers[HEADERS.userId]);
  const userId = given !== undefined && USER_ID.test(given) ? given : null;
  const roles = (first(headers[HEADERS.roles]) ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  return { userId, roles: userId ? roles : [] };
}

/** Constant-time comparison; hashing first makes the lengths equal so length leaks nothing either. */
export function secretMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function requireUser(viewer: Viewer): string {
  if (!viewer.userId) {
    throw new GraphQLError('You must be signed in.', { extensions: { code: 'UNAUTHENTICATED', http: { status: 200 } } });
  }
  return viewer.userId;
}

export function requireAdmin(viewer: Viewer): void {
  requireUser(viewer);
  if (!viewer.roles.includes(ADMIN_ROLE)) {
    throw new GraphQLError('This operation needs the admin role.', { extensions: { code: 'FORBIDDEN' } });
  }
}

/**
 * What belongs to a user is theirs alone (and admins', where `admins` says so). Other subgraphs may hand
 * the gateway any user reference, so every resolver of user data checks this.
 */
export function requireOwner(viewer: Viewer, ownerId: string, what: string, { admins = false } = {}): void {
  if (viewer.userId === ownerId || (admins && viewer.roles.includes(ADMIN_ROLE))) return;
  throw new GraphQLError(`You cannot see another user's ${what}.`, { extensions: { code: 'FORBIDDEN' } });
}
