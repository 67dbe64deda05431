// The one currency table: ISO 4217 minor units as dinero.js lists them (166
// codes: USD 2, JPY 0, KWD 3, HUF 2, IDR 2, COP 2, MRU 1). Plans, billing
// and documents all read it here. Intl is not asked: its digits are CLDR's
// display digits, which differ for 17 codes (HUF, IDR, COP print 0 there),
// so a statement would show fewer decimals than it is priced in.
import * as iso from 'dinero.js/currencies';

const table = iso as unknown as Readonly<Record<string, { readonly code: string; readonly exponent: number } | undefined>>;

/** Minor units (decimals) of an ISO 4217 code; null when the table does not list it. */
export function currencyExponent(code: string): number | null {
  const c = Object.hasOwn(table, code) ? table[code] : undefined;
  return c && typeof c === 'object' && c.code === code && typeof c.exponent === 'number' ? c.exponent : null;
}

/** Decimals a document shows for an amount in `code` at least: its minor units, 2 for a code not listed. */
export function currencyDigits(code: string): number {
  return currencyExponent(code) ?? 2;
}
