import { userErrorsFor, type Outcome as KitOutcome, type Refuse, type UserError } from '@storefront/service-kit';
import type { CartErrorCode } from '../generated/resolvers-types';

/** The kit's typed refusals, for the cart's error codes (generated from its schema). */
const errors = userErrorsFor<CartErrorCode>();
export type CartUserError = UserError<CartErrorCode>;
export type Outcome<T> = KitOutcome<T, CartErrorCode>;
export const refuse: Refuse<CartErrorCode> = errors.refuse;
export const { refusable } = errors;
