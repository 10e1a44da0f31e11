import { badInput } from './errors';

/** Opaque Relay cursors: base64url JSON of the sort key of the row they point at. */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, length: number): unknown[] {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === length) return key;
  } catch {
    // fall through: a cursor we did not make
  }
  throw badInput('`after` is not a cursor returned by this API.', 'after');
}

/** Validates Relay `first` once for every connection. */
export function pageSize(first: number | null | undefined, fallback = 20, max = 100): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 0 || n > max) throw badInput(`\`first\` must be between 0 and ${max}.`, 'first');
  return n;
}

/** A Relay connection as resolvers return it; `totalCount` runs only when a client selects it. */
export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: () => Promise<number>;
}

/**
 * A page from up to `first + 1` rows read in sort order: the extra row only tells that more follow.
 * `keyOf` gives the sort key a row's cursor encodes (what the next page's keyset condition compares).
 */
export function connectionFrom<T>(rows: T[], first: number, keyOf: (row: T) => unknown[], totalCount: () => Promise<number>): Connection<T> {
  const edges = rows.slice(0, first).map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null }, totalCount };
}
