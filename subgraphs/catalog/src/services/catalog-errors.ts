import type { CatalogErrorCode } from '../generated/resolvers-types';

/** A refused change, returned as `userErrors` (a result, not an exception: the client switches on `code`). */
export interface CatalogUserError {
  code: CatalogErrorCode;
  field: string[];
  message: string;
}

export function userError(code: CatalogErrorCode, field: string[], message: string): CatalogUserError {
  return { code, field, message };
}

/**
 * Thrown inside a transaction to roll it back and return the user error, so a change refused half-way
 * (the third variant's SKU is taken) leaves nothing of the first two behind.
 */
export class Refusal extends Error {
  constructor(readonly errors: CatalogUserError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: CatalogUserError[] };

/** Runs a change; a `Refusal` becomes a typed outcome, any other error stays an error. */
export async function refusable<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, errors: error.errors };
    throw error;
  }
}
