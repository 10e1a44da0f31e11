import { z } from 'zod';
import { badInput } from './errors';
import { INPUT_LIMITS } from './input-bounds';

/** Opaque Relay cursors: base64url JSON of the sort key of the row they point at. */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * The sort key a cursor of `shape` encodes, or BAD_USER_INPUT on `after`: anything we did not make
 * (too long, not base64url JSON, a key of another shape, a number past the safe range such as 1e400,
 * which JSON.parse reads as Infinity) is refused before it reaches a query.
 */
export function decodeCursor<T extends readonly unknown[]>(cursor: string, shape: z.ZodType<T>): T {
  if (cursor.length <= INPUT_LIMITS.cursor) {
    try {
      const key = shape.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
      if (key.success) return key.data;
    } catch {
      // fall through: not JSON, so not a cursor we made
    }
  }
  throw badInput('`after` is not a cursor returned by this API.', 'after');
}

/** Parts cursors are made of, bounded like the columns they come from. */
export const CURSOR_PARTS = {
  id: z.string().max(INPUT_LIMITS.id),
  /** A product name. */
  name: z.string().max(200),
  /** An auto-increment sequence number (zod's `int()` refuses numbers past the safe range, 1e400 too). */
  sequence: z.number().int().positive(),
};

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
