// Exact rational numbers on BigInt. Every intermediate billing amount is one
// of these (250 × 22 / 31 stays 5500/31) until it is rounded once, at the end,
// to the currency's minor unit (money.ts). Values are always normalized:
// denominator > 0 and gcd(num, den) = 1, so structural equality is equality.
import { decimalParts, percentParts, unitsToDecimal, type Dec, type Percent, type Rounding } from './decimal.js';

export interface Rat {
  readonly n: bigint;
  readonly d: bigint;
}

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function rat(n: bigint, d: bigint = 1n): Rat {
  if (d === 0n) throw new RangeError('rational with a zero denominator');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}

export const ZERO: Rat = { n: 0n, d: 1n };
export const ONE: Rat = { n: 1n, d: 1n };

export const int = (n: number | bigint): Rat => rat(BigInt(n));
export const add = (a: Rat, b: Rat): Rat => rat(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Rat, b: Rat): Rat => rat(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Rat, b: Rat): Rat => rat(a.n * b.n, a.d * b.d);
export const div = (a: Rat, b: Rat): Rat => rat(a.n * b.d, a.d * b.n);
export const neg = (a: Rat): Rat => ({ n: -a.n, d: a.d });
export const cmp = (a: Rat, b: Rat): number => {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
};
export const isZero = (a: Rat): boolean => a.n === 0n;
export const min = (a: Rat, b: Rat): Rat => (cmp(a, b) <= 0 ? a : b);
export const max = (a: Rat, b: Rat): Rat => (cmp(a, b) >= 0 ? a : b);
export const sum = (xs: Iterable<Rat>): Rat => {
  let s = ZERO;
  for (const x of xs) s = add(s, x);
  return s;
};

/** A compiled plan decimal (units / 10^scale), exactly. */
export const fromDec = (d: Dec): Rat => rat(d.units, 10n ** BigInt(d.scale));
/** A compiled percentage as a fraction of one ("12.5%" -> 1/8). */
export const fromPercent = (p: Percent): Rat => rat(p.num, p.den);

/** Parses "1250.50", "-3", "+0.125" exactly; null when it is not a plain decimal. */
export function parseDecimal(text: string): Rat | null {
  const p = decimalParts(text, true);
  return p ? rat(BigInt(p.int + p.frac) * (p.negative ? -1n : 1n), 10n ** BigInt(p.frac.length)) : null;
}

/** Parses "12.5%" (up to 4 decimals, SPEC §1) into a fraction of one; null if malformed. */
export function parsePercent(text: string): Rat | null {
  const p = percentParts(text);
  return p ? rat(p.num, p.den) : null;
}

/**
 * Rounds to an integer count of 10^-exponent units.
 * half-up rounds a tie away from zero on both sides (-0.005 -> -0.01), so a
 * credit or discount is the exact mirror of the charge it reverses.
 * half-even rounds a tie to the even neighbour (banker's rounding).
 */
export function roundToUnits(x: Rat, exponent: number, mode: Rounding): bigint {
  const scaled = mul(x, rat(10n ** BigInt(exponent)));
  const negative = scaled.n < 0n;
  const n = abs(scaled.n);
  const q = n / scaled.d;
  const r2 = (n % scaled.d) * 2n; // compare the remainder with half the denominator
  let out = q;
  if (r2 > scaled.d) out = q + 1n;
  else if (r2 === scaled.d) out = mode === 'half-even' ? (q % 2n === 0n ? q : q + 1n) : q + 1n;
  return negative ? -out : out;
}

/** Smallest integer >= x. */
export function ceil(x: Rat): bigint {
  const q = x.n / x.d; // truncates toward zero
  return x.n > 0n && x.n % x.d !== 0n ? q + 1n : q;
}

/** The exact decimal text of x if it has one with at most `maxScale` decimals, else null. */
export function toExactDecimal(x: Rat, minScale = 0, maxScale = 12): string | null {
  for (let s = 0; s <= maxScale; s++) {
    const p = 10n ** BigInt(s);
    if ((x.n * p) % x.d === 0n) return unitsToDecimal((x.n * p) / x.d, Math.max(s, minScale), s);
  }
  return null;
}

// decimal text is src/decimal.ts's; billing callers keep importing it from here
export { unitsToDecimal };

/** x rounded half-up to `digits` decimals, as text (for ratios shown to people, e.g. margin %). */
export function toFixed(x: Rat, digits: number, mode: Rounding = 'half-up'): string {
  return unitsToDecimal(roundToUnits(x, digits, mode), digits);
}

/** A decimal if exact (up to 6 decimals), else "n/d": how quantities are written on lines. */
export function toQuantity(x: Rat): string {
  return toExactDecimal(x, 0, 6) ?? `${x.n}/${x.d}`;
}
