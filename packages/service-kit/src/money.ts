/** Money is an integer number of minor units (cents) plus an ISO 4217 code. Never a float. */
export interface Money {
  amount: number;
  currencyCode: string;
}

/** ISO 4217 codes as the runtime knows them: three capital letters each, so membership is the whole check. */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export function isCurrencyCode(code: string): boolean {
  return CURRENCIES.has(code);
}

/** Largest amount we accept: stays exact in JS numbers and fits a GraphQL Int after multiplying by 99. */
export const MAX_MONEY_AMOUNT = 10_000_000;

/**
 * Largest total one cart or order may reach: a GraphQL Int (signed 32 bits), which is also the range of
 * the `int` columns that store totals. A price times a line's quantity fits (MAX_MONEY_AMOUNT x 99), a
 * whole cart may not, so carts and checkout refuse a total above this with a typed code rather than
 * fail to serialize or store it.
 */
export const MAX_TOTAL_AMOUNT = 2_147_483_647;

/** Sum of unit price times quantity over `lines`, skipping variants without a known price. */
export function totalAmount(lines: Iterable<{ variantId: string; quantity: number }>, prices: ReadonlyMap<string, Money>): number {
  let total = 0;
  for (const { variantId, quantity } of lines) total += (prices.get(variantId)?.amount ?? 0) * quantity;
  return total;
}
