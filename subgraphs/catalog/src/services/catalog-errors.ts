import { Refusal as KitRefusal, refusable as kitRefusable, type Outcome as KitOutcome, type UserError } from '@storefront/service-kit';
import type { CatalogErrorCode } from '../generated/resolvers-types';

/** The kit's typed refusals, specialised to the catalog's error codes. */
export type CatalogUserError = UserError<CatalogErrorCode>;
export type Outcome<T> = KitOutcome<T, CatalogErrorCode>;
export const Refusal = KitRefusal<CatalogErrorCode>;
export const refusable = <T>(work: () => Promise<T>): Promise<Outcome<T>> => kitRefusable<T, CatalogErrorCode>(work);

export function userError(code: CatalogErrorCode, field: string[], message: string): CatalogUserError {
  return { code, field, message };
}
