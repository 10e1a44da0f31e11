import { badInput } from './errors';

/**
 * Bounds on every argument a client can send that no typed `userErrors` code covers. A value outside
 * them is refused with BAD_USER_INPUT naming the argument (`extensions.field`, a dotted path) before
 * anything is read or written: it could never match a row anyway, and past these bounds a database
 * column, an internal route or a JSON number would fail instead, as an internal error.
 */
export const INPUT_LIMITS = {
  /** Ids are UUIDs we make, stored in varchar(36) columns; the catalog's internal routes take at most 64. */
  id: 36,
  /** Guest cart tokens are 43 base64url characters; a little room for a future format. */
  guestCartToken: 128,
  /** A cursor is base64url JSON of a sort key: a product name (at most 200 characters) and an id. */
  cursor: 1024,
  /** Same as the `sku` column and the catalog's SKU rule. */
  sku: 64,
  /** Product names are at most 200 characters: a longer search text cannot match one. */
  search: 200,
  /** One entry per filterable attribute is all a filter needs; the catalog adds one SQL condition each. */
  filterAttributes: 10,
  /** Attribute names are identifiers such as `size`. */
  attributeName: 64,
  /** Indexed attribute values are at most 40 characters (colours, flavours); the column holds 191. */
  attributeValue: 100,
} as const;

/** Characters no single-line identifier or search text holds: C0 controls (NUL included) and DEL. */
const CONTROL = /[\u0000-\u001f\u007f]/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Ids and guest cart tokens alike: letters, digits, - and _ (base64url). */
const WORD = /^[A-Za-z0-9_-]+$/;

/** True when `value` has a control character or an unpaired UTF-16 surrogate (no database can store it as sent). */
export function hasUnstorableCharacters(value: string, allowLineBreaks = false): boolean {
  const controls = allowLineBreaks ? value.replace(/[\t\n\r]/g, '') : value;
  return CONTROL.test(controls) || LONE_SURROGATE.test(value);
}

/** A single-line text argument (search text, attribute value): at most `max` characters, no control characters. */
export function checkedText(value: string, field: string, max: number): string {
  if (value.length > max) throw badInput(`\`${field}\` must be at most ${max} characters.`, field);
  if (hasUnstorableCharacters(value)) throw badInput(`\`${field}\` must not contain control characters or invalid Unicode.`, field);
  return value;
}

/** An id argument: 1-36 letters, digits, - or _. Well-formed ids that match nothing stay "not found". */
export function checkedId(value: string, field: string): string {
  if (value.length === 0 || value.length > INPUT_LIMITS.id || !WORD.test(value)) {
    throw badInput(`\`${field}\` is not an id: ids are 1-${INPUT_LIMITS.id} letters, digits, - or _.`, field);
  }
  return value;
}

/** An optional guest cart token: base64url, at most 128 characters. */
export function checkedToken<T extends string | null | undefined>(value: T, field: string): T {
  if (value == null) return value;
  if (value.length === 0 || value.length > INPUT_LIMITS.guestCartToken || !WORD.test(value)) {
    throw badInput(`\`${field}\` is not a guest cart token.`, field);
  }
  return value;
}

/** A list argument of at most `max` entries. */
export function checkedList<T>(list: readonly T[], field: string, max: number): readonly T[] {
  if (list.length > max) throw badInput(`\`${field}\` takes at most ${max} entries; got ${list.length}.`, field);
  return list;
}
