// Exact decimals and percentages, parsed from text only: a float never touches
// money (SPEC §1).
import type { Dec, Percent } from './types.js';
import { decimalParts, percentParts } from '../decimal.js';

/** "049.10" -> { text: "49.10", units: 4910n, scale: 2 }; null when not a plain decimal. */
export function parseDec(text: string): Dec | null {
  const p = decimalParts(text);
  if (!p) return null;
  const int = p.int.replace(/^0+(?=\d)/, '');
  const frac = p.frac;
  const units = BigInt(int + frac) * (p.negative ? -1n : 1n);
  const sign = p.negative && units !== 0n ? '-' : '';
  return Object.freeze({ text: sign + int + (frac ? '.' + frac : ''), units, scale: frac.length });
}

/** "12.5%" -> { text: "12.5%", num: 125n, den: 1000n } (0.125); null when malformed. */
export function parsePercent(text: string): Percent | null {
  const p = percentParts(text);
  return p ? Object.freeze({ text: text.trim(), num: p.num, den: p.den }) : null;
}

/** Number of decimals as written ("49.10" -> 2). */
export function decimals(d: Dec): number {
  return d.scale;
}
