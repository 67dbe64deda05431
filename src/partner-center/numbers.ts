// Exact figures of Partner Center lines: decimals as (units, scale) on
// BigInt, sums as fractions that stay exact until a record is rounded once
// (see import.ts). A daily usage file is a million lines, so sums of decimals
// of one scale take a fast path with no gcd; only the invoice file's
// Subtotal × UnitPrice / EffectiveUnitPrice makes a real fraction.
import { rat, type Rat } from '../rational.js';

const POW10: bigint[] = [];
export function pow10(scale: number): bigint {
  let p = POW10[scale];
  if (p === undefined) POW10[scale] = p = 10n ** BigInt(scale);
  return p;
}

/** A decimal read exactly: units / 10^scale. */
export interface Dec {
  readonly units: bigint;
  readonly scale: number;
}

// Plain decimals ("-12.50", ".5", "3.") and the exponent form some exports use ("1.2E-05").
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,3}))?$/;

/** A cell as an exact decimal; null when it is not a number (empty included). */
export function parseDec(text: string): Dec | null {
  const m = DECIMAL.exec(text);
  if (!m) return null;
  const int = m[2]!;
  const frac = m[3] ?? '';
  if (int === '' && frac === '') return null;
  let units = BigInt(int + frac);
  if (m[1] === '-') units = -units;
  let scale = frac.length - (m[4] ? Number(m[4]) : 0);
  if (scale < 0) {
    units *= pow10(-scale);
    scale = 0;
  }
  return { units, scale };
}

export const decToRat = (d: Dec): Rat => rat(d.units, pow10(d.scale));

/** An exact running sum n / d (d > 0), not kept in lowest terms between additions. */
export class Sum {
  n = 0n;
  d = 1n;

  addDec(units: bigint, scale: number): void {
    this.addFrac(units, pow10(scale));
  }

  addFrac(n: bigint, d: bigint): void {
    if (d === this.d) this.n += n;
    else if (this.d % d === 0n) this.n += n * (this.d / d);
    else if (d % this.d === 0n) {
      this.n = this.n * (d / this.d) + n;
      this.d = d;
    } else {
      // a true fraction (invoice retail): keep lowest terms so denominators do not grow line by line
      const r = rat(this.n * d + n * this.d, this.d * d); // rat reduces to lowest terms
      this.n = r.n;
      this.d = r.d;
    }
  }

  addSum(s: Sum): void {
    this.addFrac(s.n, s.d);
  }

  rat(): Rat {
    return rat(this.n, this.d);
  }
}

/**
 * The exact decimal text of a sum of decimals (its denominator divides a
 * power of ten) with at least `minScale` decimals: "-0.125", "12", "12.00"
 * (minScale 2).
 */
export function sumText(s: Sum, minScale = 0): string {
  const r = s.rat();
  let scale = minScale;
  while (pow10(scale) % r.d !== 0n) {
    scale++;
    if (scale > 40) return `${r.n}/${r.d}`; // not a decimal: cannot happen for sums of decimals
  }
  const units = (r.n * pow10(scale)) / r.d;
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const body = scale > 0 ? `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}` : digits;
  return negative ? `-${body}` : body;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const MDY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The month ("YYYY-MM") of a calendar date written M/D/YYYY or YYYY-MM-DD,
 * or null when the cell is not a real date. Dates are calendar dates: no time
 * zone is involved.
 */
export function monthOf(text: string): string | null {
  let y: number, m: number, d: number;
  let x = ISO.exec(text);
  if (x) {
    y = Number(x[1]);
    m = Number(x[2]);
    d = Number(x[3]);
  } else if ((x = MDY.exec(text))) {
    y = Number(x[3]);
    m = Number(x[1]);
    d = Number(x[2]);
  } else return null;
  if (m < 1 || m > 12 || d < 1) return null;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > (m === 2 && leap ? 29 : DAYS[m - 1]!)) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
}
