// The module itself rather than the package index: the index loads every service-kit module (databases
// included), which every mutation-testing run of this file would pay for.
import {
  ADMIN_ROLE,
  HEADERS,
  IDENTITY_HEADERS,
  requireAdmin,
  requireOwner,
  requireUser,
  secretMatches,
  USER_ID,
  viewerFromHeaders,
  type Viewer,
} from '../src/identity';
import { GraphQLError } from 'graphql';

/** User ids compare byte for byte, so the subgraphs take the gateway's header exactly as given. */
test('a user id is taken exactly as given: never trimmed or case-folded; one that breaks the subject rule is no user', () => {
  expect(viewerFromHeaders({ 'x-user-id': 'Victim-49de', 'x-user-roles': 'admin' })).toEqual({ userId: 'Victim-49de', roles: ['admin'] });
  expect(viewerFromHeaders({ 'x-user-id': 'VICTIM-49DE' }).userId).toBe('VICTIM-49DE');
  for (const bad of ['Victim-49de ', ' Victim-49de', 'Victim 49de', 'Victim-49de\t', '', 'x'.repeat(256), 'vi\u00e9'])
    expect(viewerFromHeaders({ 'x-user-id': bad, 'x-user-roles': 'admin' })).toEqual({ userId: null, roles: [] });
});

/**
 * The identity rules called directly: the headers' names, how a viewer is read from them, the secret
 * comparison and the three guards (codes, exact messages, HTTP status where set).
 */

/** The error `run` throws, compared as message and extensions. */
function thrown(run: () => unknown): { message: string; extensions: unknown } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return { message: (error as GraphQLError).message, extensions: (error as GraphQLError).extensions };
  }
  throw new Error('expected a GraphQLError');
}

test('the header names, the ones a client may never send, and the admin role', () => {
  expect(HEADERS).toStrictEqual({ userId: 'x-user-id', roles: 'x-user-roles', secret: 'x-subgraph-secret', requestId: 'x-request-id', retrySafe: 'x-retry-safe' });
  expect(IDENTITY_HEADERS).toStrictEqual(['x-user-id', 'x-user-roles', 'x-subgraph-secret']);
  expect(ADMIN_ROLE).toBe('admin');
});

describe('USER_ID', () => {
  const PRINTABLE = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)).join('');
  test.each(['a', '!', '~', PRINTABLE, 'x'.repeat(255), 'Victim-49DE', 'auth0|5f7c8ec7c33c6c004bbafe82'])('%j is a user id', (id) => {
    expect(USER_ID.test(id)).toBe(true);
  });
  test.each(['', ' ', 'a b', ' a', 'a ', '\x20', '\x7f', 'a\x7f', 'x'.repeat(256), 'caf\u00e9', 'a\n', '\na', 'a\tb'])('%j is not', (id) => {
    expect(USER_ID.test(id)).toBe(false);
  });
});

describe('viewerFromHeaders', () => {
  test('no headers: anonymous', () => {
    expect(viewerFromHeaders({})).toStrictEqual({ userId: null, roles: [] });
    expect(viewerFromHeaders({ 'x-user-roles': 'admin' })).toStrictEqual({ userId: null, roles: [] });
  });

  test('a user without a roles header has no roles', () => {
    expect(viewerFromHeaders({ 'x-user-id': 'alice' })).toStrictEqual({ userId: 'alice', roles: [] });
    expect(viewerFromHeaders({ 'x-user-id': 'alice', 'x-user-roles': undefined })).toStrictEqual({ userId: 'alice', roles: [] });
    expect(viewerFromHeaders({ 'x-user-id': 'alice', 'x-user-roles': '' })).toStrictEqual({ userId: 'alice', roles: [] });
  });

  test('roles are split on commas and trimmed; empty entries are dropped; order is kept', () => {
    expect(viewerFromHeaders({ 'x-user-id': 'alice', 'x-user-roles': ' admin , ops:read,,support ,, ' })).toStrictEqual({
      userId: 'alice',
      roles: ['admin', 'ops:read', 'support'],
    });
    expect(viewerFromHeaders({ 'x-user-id': 'alice', 'x-user-roles': 'admin' })).toStrictEqual({ userId: 'alice', roles: ['admin'] });
    expect(viewerFromHeaders({ 'x-user-id': 'alice', 'x-user-roles': ',' })).toStrictEqual({ userId: 'alice', roles: [] });
  });

  test('array-valued headers: the first value is used', () => {
    expect(viewerFromHeaders({ 'x-user-id': ['alice', 'bob'], 'x-user-roles': ['admin,ops', 'support'] })).toStrictEqual({
      userId: 'alice',
      roles: ['admin', 'ops'],
    });
    expect(viewerFromHeaders({ 'x-user-id': ['bad id', 'bob'], 'x-user-roles': ['admin'] })).toStrictEqual({ userId: null, roles: [] });
    expect(viewerFromHeaders({ 'x-user-id': [], 'x-user-roles': ['admin'] })).toStrictEqual({ userId: null, roles: [] });
  });

  test.each([
    ['a space', 'alice smith'],
    ['256 characters', 'x'.repeat(256)],
    ['empty', ''],
    ['a control character', 'alice\x01'],
  ])('an invalid user id (%s) is no user, and its roles are dropped', (_name, id) => {
    expect(viewerFromHeaders({ 'x-user-id': id, 'x-user-roles': 'admin,ops' })).toStrictEqual({ userId: null, roles: [] });
  });

  test('255 printable characters are a user id', () => {
    const id = 'x'.repeat(255);
    expect(viewerFromHeaders({ 'x-user-id': id, 'x-user-roles': 'admin' })).toStrictEqual({ userId: id, roles: ['admin'] });
  });

  test('other headers are not read', () => {
    expect(viewerFromHeaders({ 'x-user-ids': 'alice', 'x-user-role': 'admin', userId: 'alice' })).toStrictEqual({ userId: null, roles: [] });
  });
});

describe('secretMatches', () => {
  test.each([
    ['no secret given', undefined, 'subgraph-secret', false],
    ['an empty secret', '', 'subgraph-secret', false],
    ['an empty secret against an empty expected one', '', '', false],
    ['a wrong secret', 'guess', 'subgraph-secret', false],
    ['a prefix of the secret', 'subgraph-secre', 'subgraph-secret', false],
    ['the secret with more after it', 'subgraph-secret!', 'subgraph-secret', false],
    ['the secret in another case', 'SUBGRAPH-SECRET', 'subgraph-secret', false],
    ['the secret', 'subgraph-secret', 'subgraph-secret', true],
    ['a one-character secret', 'x', 'x', true],
  ])('%s: %j vs %j is %s', (_name, given, expected, matches) => {
    expect(secretMatches(given, expected)).toBe(matches);
  });
});

describe('guards', () => {
  const anonymous: Viewer = { userId: null, roles: [] };
  const alice: Viewer = { userId: 'alice', roles: [] };
  const admin: Viewer = { userId: 'root', roles: ['ops', 'admin'] };
  const SIGN_IN = { message: 'You must be signed in.', extensions: { code: 'UNAUTHENTICATED', http: { status: 200 } } };
  const NOT_ADMIN = { message: 'This operation needs the admin role.', extensions: { code: 'FORBIDDEN' } };

  test('requireUser returns the user id, or refuses an anonymous visitor as UNAUTHENTICATED (HTTP 200)', () => {
    expect(requireUser(alice)).toBe('alice');
    expect(requireUser(admin)).toBe('root');
    expect(thrown(() => requireUser(anonymous))).toStrictEqual(SIGN_IN);
    expect(thrown(() => requireUser({ userId: '', roles: [] }))).toStrictEqual(SIGN_IN);
  });

  test('requireAdmin: signed in first, then the admin role', () => {
    expect(requireAdmin(admin)).toBeUndefined();
    expect(requireAdmin({ userId: 'a', roles: ['admin'] })).toBeUndefined();
    expect(thrown(() => requireAdmin(anonymous))).toStrictEqual(SIGN_IN);
    expect(thrown(() => requireAdmin({ userId: null, roles: ['admin'] }))).toStrictEqual(SIGN_IN);
    expect(thrown(() => requireAdmin(alice))).toStrictEqual(NOT_ADMIN);
    expect(thrown(() => requireAdmin({ userId: 'a', roles: ['Admin', 'admins', 'support,admin'] }))).toStrictEqual(NOT_ADMIN);
  });

  test('requireOwner: the owner passes; anyone else is FORBIDDEN naming what they asked for', () => {
    const OTHERS_CART = { message: "You cannot see another user's cart.", extensions: { code: 'FORBIDDEN' } };
    expect(requireOwner(alice, 'alice', 'cart')).toBeUndefined();
    expect(thrown(() => requireOwner(alice, 'bob', 'cart'))).toStrictEqual(OTHERS_CART);
    expect(thrown(() => requireOwner(alice, 'ALICE', 'cart'))).toStrictEqual(OTHERS_CART);
    expect(thrown(() => requireOwner(anonymous, 'alice', 'order history'))).toStrictEqual({
      message: "You cannot see another user's order history.",
      extensions: { code: 'FORBIDDEN' },
    });
  });

  test('requireOwner: admins pass only where `admins` says so', () => {
    const OTHERS_ORDERS = { message: "You cannot see another user's orders.", extensions: { code: 'FORBIDDEN' } };
    expect(thrown(() => requireOwner(admin, 'alice', 'orders'))).toStrictEqual(OTHERS_ORDERS);
    expect(thrown(() => requireOwner(admin, 'alice', 'orders', {}))).toStrictEqual(OTHERS_ORDERS);
    expect(thrown(() => requireOwner(admin, 'alice', 'orders', { admins: false }))).toStrictEqual(OTHERS_ORDERS);
    expect(requireOwner(admin, 'alice', 'orders', { admins: true })).toBeUndefined();
    expect(thrown(() => requireOwner(alice, 'bob', 'orders', { admins: true }))).toStrictEqual(OTHERS_ORDERS);
    expect(requireOwner(alice, 'alice', 'orders', { admins: true })).toBeUndefined();
  });
});
