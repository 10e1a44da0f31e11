import { userErrorsFor, type Outcome as KitOutcome, type Refuse, type RefuseAll, type UserError } from '@storefront/service-kit';
import type { CatalogErrorCode } from '../generated/resolvers-types';

/** The kit's typed refusals, for the catalog's error codes (generated from its schema). */
const errors = userErrorsFor<CatalogErrorCode>();
export type CatalogUserError = UserError<CatalogErrorCode>;
export type Outcome<T> = KitOutcome<T, CatalogErrorCode>;
export const refuse: Refuse<CatalogErrorCode> = errors.refuse;
export const refuseAll: RefuseAll<CatalogErrorCode> = errors.refuseAll;
export const { userError, refusable } = errors;
