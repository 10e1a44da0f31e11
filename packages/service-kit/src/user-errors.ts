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

/** Refuses a change with one error: rolls back what it did so far (declared so `never` narrows). */
export type Refuse<C extends string> = (code: C, field: string[], message: string) => never;
/** Refuses a change with every error found. */
export type RefuseAll<C extends string> = (errors: UserError<C>[]) => never;

/**
 * One service's typed refusals, for the error-code enum its schema declares (the generated type):
 * every service builds its `userErrors` this one way. A service's errors module re-exports these,
 * `refuse` and `refuseAll` with their types written out, which TypeScript needs to narrow on `never`.
 */
export function userErrorsFor<C extends string>(): {
  userError: (code: C, field: string[], message: string) => UserError<C>;
  refuse: Refuse<C>;
  refuseAll: RefuseAll<C>;
  refusable: <T>(work: () => Promise<T>) => Promise<Outcome<T, C>>;
} {
  return {
    userError: (code, field, message) => ({ code, field, message }),
    refuse: (code, field, message) => {
      throw new Refusal<C>([{ code, field, message }]);
    },
    refuseAll: (errors) => {
      throw new Refusal<C>(errors);
    },
    refusable: (work) => refusable(work),
  };
}
