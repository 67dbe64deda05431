// Collects positioned findings while the compiler walks validated plan data.
import type { Dec, Finding, Percent } from './types.js';
import { parseDec, parsePercent } from './decimal.js';
import { displayPath, type Seg } from './path.js';
import type { Tree } from './yaml-tree.js';

/** Most decimals a unit price may have (SPEC §2.2). */
export const UNIT_PRICE_DECIMALS = 6;

export class Ctx {
  readonly findings: Finding[] = [];
  constructor(
    private readonly tree: Tree,
    readonly file: string,
  ) {}

  private add(segs: readonly Seg[], severity: Finding['severity'], message: string, onKey: boolean): void {
    const loc = this.tree.locate(segs);
    const line = loc ? (onKey ? loc.keyLine : loc.line) : 1;
    const column = loc ? (onKey ? loc.keyColumn : loc.column) : 1;
    this.findings.push({ file: this.file, line, column, path: displayPath(segs), severity, message });
  }
  error(segs: readonly Seg[], message: string, onKey = false): void {
    this.add(segs, 'error', message, onKey);
  }
  warn(segs: readonly Seg[], message: string, onKey = false): void {
    this.add(segs, 'warning', message, onKey);
  }
  get failed(): boolean {
    return this.findings.some((f) => f.severity === 'error');
  }

  /** The scalar's text as written in the file (so 49.10 stays "49.10"). */
  source(segs: readonly Seg[], value: unknown): string {
    if (typeof value === 'string') return value;
    return this.tree.source(segs) ?? String(value);
  }

  /**
   * An amount read from source text. `maxDecimals` null = no limit; `currency`
   * names the limit in the message.
   */
  money(segs: readonly Seg[], value: unknown, maxDecimals: number, why: string): Dec | null {
    const written = this.source(segs, value);
    const d = parseDec(written);
    if (!d || d.units < 0n) {
      this.error(segs, `write the amount as a plain decimal in major units like 49.00, not "${written}"`);
      return null;
    }
    if (d.scale > maxDecimals) {
      this.error(segs, `${written} has ${d.scale} decimals; ${why}`);
      return null;
    }
    return d;
  }

  percent(segs: readonly Seg[], value: string): Percent | null {
    const p = parsePercent(value);
    if (!p) this.error(segs, `expected a percentage like "12.5%", got "${value}"`);
    return p;
  }
}

/** "USD allows 2 decimals", "JPY allows no decimals". */
export function decimalsRule(currency: string, exponent: number): string {
  return `${currency} allows ${exponent === 0 ? 'no decimals' : exponent === 1 ? '1 decimal' : `${exponent} decimals`}`;
}

/** "(declared: a, b, c)" for messages on unknown references. */
export function declared(ids: Iterable<string>): string {
  const list = [...ids];
  return list.length ? `(declared: ${list.join(', ')})` : '(none declared)';
}
