/** Money is an integer number of minor units (cents) plus an ISO 4217 code. Never a float. */
export interface Money {
  amount: number;
  currencyCode: string;
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && CURRENCIES.has(code);
}

/** Largest amount we accept: stays exact in JS numbers and fits a GraphQL Int after multiplying by 99. */
export const MAX_MONEY_AMOUNT = 10_000_000;
