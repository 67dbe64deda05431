// The one decimal module: what a decimal looks like as text, its parts, and
// units written back as text. Plans (Dec), billing (exact rationals) and
// documents all read decimals here; no float ever holds one (SPEC §1).
// Partner Center files have their own number forms (exponents, ".5"): see
// src/partner-center/numbers.ts.

/**
 * An exact decimal: value = units / 10^scale. `text` is the normalized source
 * text ("250.00", "4", "0.125"). Never converted through a float.
 */
export interface Dec {
  readonly text: string;
  readonly units: bigint;
  readonly scale: number;
}

/** A percentage as an exact fraction: "12.5%" -> num 125, den 1000 (0.125). */
export interface Percent {
  readonly text: string; // as written, e.g. "12.5%"
  readonly num: bigint;
  readonly den: bigint;
}

export type Rounding = 'half-up' | 'half-even';

/** Exact comparison of two decimals: -1, 0 or 1. */
export function compareDec(a: Dec, b: Dec): number {
  const s = Math.max(a.scale, b.scale);
  const x = a.units * 10n ** BigInt(s - a.scale);
  const y = b.units * 10n ** BigInt(s - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** True when the percentage is more than 100%. */
export function percentOver100(p: Percent): boolean {
  return p.num > p.den;
}

/** A plain decimal as text: optional minus, digits, optional fraction ("-12.50", "3", "0.125"). */
export const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

export function isPlainDecimal(text: string): boolean {
  return PLAIN_DECIMAL.test(text);
}

/** Decimals as written ("49.10" -> 2, "3" -> 0). */
export function scaleOf(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

export interface DecimalParts {
  readonly negative: boolean;
  /** integer digits as written (leading zeros kept) */
  readonly int: string;
  /** fraction digits as written ('' when none) */
  readonly frac: string;
}

const SIGNED = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/** Sign and digits of a plain decimal (surrounding space ignored); a leading `+` only when `plus`; null otherwise. */
export function decimalParts(text: string, plus = false): DecimalParts | null {
  const m = SIGNED.exec(text.trim());
  if (!m || (m[1] === '+' && !plus)) return null;
  return { negative: m[1] === '-', int: m[2]!, frac: m[3] ?? '' };
}

const PERCENT = /^(\d+)(?:\.(\d{1,4}))?%$/;

/** "12.5%" (at most 4 decimals, SPEC §1) as the fraction num/den of one (125/1000); null when malformed. */
export function percentParts(text: string): { readonly num: bigint; readonly den: bigint } | null {
  const m = PERCENT.exec(text.trim());
  if (!m) return null;
  const frac = m[2] ?? '';
  return { num: BigInt(m[1]! + frac), den: 100n * 10n ** BigInt(frac.length) };
}

/** units / 10^scale written with exactly `digits` decimals (digits >= scale): (12345n, 2) -> "123.45". */
export function unitsToDecimal(units: bigint, digits: number, scale = digits): string {
  const v = units * 10n ** BigInt(digits - scale);
  const negative = v < 0n;
  const s = (negative ? -v : v).toString().padStart(digits + 1, '0');
  const body = digits > 0 ? `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}` : s;
  return negative ? `-${body}` : body;
}
