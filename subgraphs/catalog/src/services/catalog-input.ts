import { MAX_STOCK } from '@storefront/contracts';
import { hasUnstorableCharacters, isCurrencyCode, MAX_MONEY_AMOUNT } from '@storefront/service-kit';
import { userError, type CatalogUserError } from './catalog-errors';

/** Field-level checks shared by product and variant changes. Each returns the errors it found. */

/** Names are one line; descriptions (`multiline`) may break lines. Neither may hold other control characters. */
export function checkText(value: string, field: string[], max: number, required = true, multiline = !required): CatalogUserError[] {
  const trimmed = value.trim();
  if (hasUnstorableCharacters(value, multiline)) {
    return [userError('INVALID_INPUT', field, `${field.join('.')} must not contain control characters.`)];
  }
  if (required && trimmed.length === 0) return [userError('INVALID_INPUT', field, `${field.join('.')} must not be empty.`)];
  if (trimmed.length > max) return [userError('INVALID_INPUT', field, `${field.join('.')} must be at most ${max} characters.`)];
  return [];
}

export function checkAmount(amount: number, field: string[]): CatalogUserError[] {
  if (!Number.isInteger(amount) || amount < 0 || amount > MAX_MONEY_AMOUNT) {
    return [userError('INVALID_PRICE', field, `${field.join('.')} must be a whole number of minor units from 0 to ${MAX_MONEY_AMOUNT}.`)];
  }
  return [];
}

export function checkMoney(
  money: { amount: number; currencyCode: string },
  field: string[],
  expectedCurrency?: string,
): CatalogUserError[] {
  const errors = checkAmount(money.amount, [...field, 'amount']);
  if (!isCurrencyCode(money.currencyCode)) {
    errors.push(userError('INVALID_CURRENCY', [...field, 'currencyCode'], `${money.currencyCode} is not an ISO 4217 currency code.`));
  } else if (expectedCurrency && money.currencyCode !== expectedCurrency) {
    errors.push(
      userError('INVALID_CURRENCY', [...field, 'currencyCode'], `The product is priced in ${expectedCurrency}; got ${money.currencyCode}.`),
    );
  }
  return errors;
}


export function checkStock(stock: number, field: string[]): CatalogUserError[] {
  if (!Number.isInteger(stock) || stock < 0 || stock > MAX_STOCK) {
    return [userError('INVALID_STOCK', field, `${field.join('.')} must be a whole number from 0 to ${MAX_STOCK}.`)];
  }
  return [];
}

const SKU = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function checkSku(sku: string, field: string[]): CatalogUserError[] {
  if (SKU.test(sku)) return [];
  // Echo only what could be a SKU: a megabyte of input does not belong in the answer.
  const shown = sku.length <= 64 && !hasUnstorableCharacters(sku) ? `SKU "${sku}"` : 'The SKU';
  return [userError('INVALID_INPUT', field, `${shown} must be 1-64 letters, digits, - or _.`)];
}

/** SKUs are stored upper case: MySQL compares them case-insensitively and SQLite does not. */
export function normalizeSku(sku: string): string {
  return sku.trim().toUpperCase();
}

/** The cap the gateway's cost estimate relies on: a product never lists more variants than this. */
export function tooManyVariants(field: string[], count: number, max: number): CatalogUserError {
  return userError('TOO_MANY_VARIANTS', field, `A product can have at most ${max} variants for sale; this would make ${count}.`);
}
