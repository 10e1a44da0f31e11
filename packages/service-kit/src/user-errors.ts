/** A refused change, returned as `userErrors` (a result, not an exception: clients switch on `code`). */
export interface UserError<C extends string = string> {
  code: C;
  field: string[];
  message: string;
}

/**
 * Thrown inside a transaction to roll it back and return typed errors, so a change refused half-way
 * (the third variant's SKU is taken) leaves nothing of the first two behind.
 */
export class Refusal<C extends string = string> extends Error {
  constructor(readonly errors: UserError<C>[]) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'Refusal';
  }
}

export type Outcome<T, C extends string = string> = { ok: true; value: T } | { ok: false; errors: UserError<C>[] };

/** Runs a change; a `Refusal` becomes a typed outcome, any other error stays an error. */
export async function refusable<T, C extends string = string>(work: () => Promise<T>): Promise<Outcome<T, C>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, errors: error.errors as UserError<C>[] };
    throw error;
  }
}
