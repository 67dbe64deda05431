// Exact decimals and percentages, parsed from text only: a float never touches
// money (SPEC §1).
import type { Dec, Percent } from './types.js';

const DEC = /^(-?)(\d+)(?:\.(\d+))?$/;
const PCT = /^(\d+)(?:\.(\d{1,4}))?%$/;

/** "049.10" -> { text: "49.10", units: 4910n, scale: 2 }; null when not a plain decimal. */
export function parseDec(text: string): Dec | null {
  const m = DEC.exec(text.trim());
  if (!m) return null;
  const int = m[2].replace(/^0+(?=\d)/, '');
  const frac = m[3] ?? '';
  const units = BigInt(int + frac) * (m[1] ? -1n : 1n);
  const sign = m[1] && units !== 0n ? '-' : '';
  return Object.freeze({ text: sign + int + (frac ? '.' + frac : ''), units, scale: frac.length });
}

/** "12.5%" -> { text: "12.5%", num: 125n, den: 1000n } (0.125); null when malformed. */
export function parsePercent(text: string): Percent | null {
  const m = PCT.exec(text.trim());
  if (!m) return null;
  const frac = m[2] ?? '';
  return Object.freeze({ text: text.trim(), num: BigInt(m[1] + frac), den: 100n * 10n ** BigInt(frac.length) });
}

/** Number of decimals as written ("49.10" -> 2). */
export function decimals(d: Dec): number {
  return d.scale;
}

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
