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
