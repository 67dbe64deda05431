// Money: dinero.js (bigint calculator) amounts in a currency's minor units.
// Exact intermediate results are rationals (rational.ts); they become Money
// exactly once, through roundMoney. Sums of rounded amounts stay in dinero,
// so no JavaScript number ever holds money.
import { dinero, add, toDecimal, toSnapshot, isNegative, type Dinero, type DineroCurrency } from 'dinero.js/bigint';
import type { Rounding } from '../plans/types.js';
import { currencyExponent } from '../currency.js';
import { Memo } from '../memo.js';
import { rat, roundToUnits, unitsToDecimal, type Rat } from '../rational.js';

export type Money = Dinero<bigint>;
export type Currency = DineroCurrency<bigint>;

const currencies = new Memo<string, Currency>(1024);

/**
 * The ISO 4217 currency (USD 2, JPY 0, KWD 3, ...) of the one currency table
 * (src/currency.ts). `exponent` is the plan's compiled exponent and only
 * serves a code the table does not list.
 */
export function currencyOf(code: string, exponent?: number): Currency {
  const e = currencyExponent(code) ?? exponent;
  if (e === undefined) throw new RangeError(`unknown currency ${code}`);
  const key = code + ' ' + e;
  return currencies.get(key) ?? currencies.set(key, { code, base: 10n, exponent: BigInt(e) });
}

export const exponentOf = (c: Currency): number => Number(c.exponent);

/** The single rounding of an exact amount to the currency's minor unit. */
export function roundMoney(x: Rat, currency: Currency, mode: Rounding): Money {
  return dinero({ amount: roundToUnits(x, exponentOf(currency), mode), currency });
}

export const zeroMoney = (currency: Currency): Money => dinero({ amount: 0n, currency });

export function sumMoney(amounts: readonly Money[], currency: Currency): Money {
  return amounts.reduce((s, a) => add(s, a), zeroMoney(currency));
}

/** Minor units of a rounded amount (dinero keeps the currency's scale). */
export function minorUnits(m: Money): bigint {
  const s = toSnapshot(m);
  return s.scale === s.currency.exponent ? s.amount : s.amount * 10n ** (s.currency.exponent - s.scale);
}

/** A rounded amount back as an exact rational (to compute a percentage of it). */
export function moneyToRat(m: Money): Rat {
  const s = toSnapshot(m);
  return rat(s.amount, 10n ** s.scale);
}

/** "177.42", "-0.05", "1500" (JPY), "12.345" (KWD): exactly the currency's exponent. */
export function formatMoney(m: Money): string {
  const s = toSnapshot(m);
  if (s.scale === s.currency.exponent) return toDecimal(m);
  return unitsToDecimal(minorUnits(m), exponentOf(s.currency));
}

export const isNegativeMoney = (m: Money): boolean => isNegative(m);

/** A price as written on a line: its own decimals, at least the currency's ("4" -> "4.00", "0.125"). */
export function formatPrice(x: Rat, currency: Currency): string {
  const e = exponentOf(currency);
  for (let s = e; s <= 12; s++) {
    const p = 10n ** BigInt(s);
    if ((x.n * p) % x.d === 0n) return unitsToDecimal((x.n * p) / x.d, s);
  }
  return unitsToDecimal(roundToUnits(x, 6, 'half-up'), 6);
}
