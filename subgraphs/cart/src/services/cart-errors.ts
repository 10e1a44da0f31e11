import { Refusal as KitRefusal, refusable as kitRefusable, type Outcome as KitOutcome, type UserError } from '@storefront/service-kit';
import type { CartErrorCode } from '../generated/resolvers-types';

/** The kit's typed refusals, specialised to the cart's error codes. */
export type CartUserError = UserError<CartErrorCode>;
export type Outcome<T> = KitOutcome<T, CartErrorCode>;
export const Refusal = KitRefusal<CartErrorCode>;
export const refusable = <T>(work: () => Promise<T>): Promise<Outcome<T>> => kitRefusable<T, CartErrorCode>(work);

export function refuse(code: CartErrorCode, field: string[], message: string): never {
  throw new Refusal([{ code, field, message }]);
}
