// Where the nodes of a parsed plan came from, kept as source offsets per
// container and turned into line:column only when a finding or a money value
// asks (most nodes of a valid plan are never asked about).
import type { Seg } from './path.js';

/** Where one value sits: its own position, its key's position, its scalar source text. */
export interface Located {
  readonly line: number;
  readonly column: number;
  readonly keyLine: number;
  readonly keyColumn: number;
  readonly segs: readonly Seg[];
  readonly source?: string;
}

/**
 * Offsets of one map or list. Maps: `keys` in document order (an object's own
 * key order differs for integer-like keys) and `offs` = [keyOffset,
 * valueOffset] per key; lists: `keys` null and `offs` = valueOffset per item.
 * `src` holds the text of scalars that are not strings (numbers, booleans,
 * null), so amounts are read as written.
 */
export interface Meta {
  readonly keys: string[] | null;
  readonly offs: number[];
  src: (string | undefined)[] | null;
}

export type LinePos = (offset: number) => { line: number; col: number };

/** Line starts of `source` (0 and every offset after a newline), as yaml's LineCounter has them. */
export function lineStarts(source: string): number[] {
  const out = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

/** yaml's LineCounter.linePos over a line-start table (same results, same edge cases). */
export function linePosOf(starts: readonly number[]): LinePos {
  return (offset) => {
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (starts[mid] < offset) low = mid + 1;
      else high = mid;
    }
    if (starts[low] === offset) return { line: low + 1, col: 1 };
    if (low === 0) return { line: 0, col: offset };
    return { line: low, col: offset - starts[low - 1] + 1 };
  };
}

export class Positions {
  readonly metas = new Map<object, Meta>();
  rootOff = 0;
  rootSrc: string | undefined = undefined;
  private linePos: LinePos | null = null;

  constructor(
    private readonly sourceLength: number,
    private readonly makeLinePos: () => LinePos,
  ) {}

  /** Line and column of an offset, clamped to the text and to 1 as the loader always did. */
  pos(offset: number): { line: number; column: number } {
    this.linePos ??= this.makeLinePos();
    const p = this.linePos(Math.max(0, Math.min(offset, this.sourceLength)));
    return { line: Math.max(1, p.line), column: Math.max(1, p.col) };
  }

  /** The node at `segs` under `data`, or undefined when there is none. */
  locate(data: unknown, segs: readonly Seg[]): Located | undefined {
    const w = this.walk(data, segs, []);
    if (!w) return undefined;
    const at = this.pos(w.off);
    const k = w.keyOff === w.off ? at : this.pos(w.keyOff);
    return { line: at.line, column: at.column, keyLine: k.line, keyColumn: k.column, segs: w.out!, source: w.source };
  }

  /** Just the scalar text at `segs` (no line:column): what money values are read from. */
  source(data: unknown, segs: readonly Seg[]): string | undefined {
    return this.walk(data, segs, null)?.source;
  }

  private walk(data: unknown, segs: readonly Seg[], out: Seg[] | null) {
    let node = data;
    let off = this.rootOff;
    let keyOff = this.rootOff;
    let src = this.rootSrc;
    for (const seg of segs) {
      const meta = node !== null && typeof node === 'object' ? this.metas.get(node) : undefined;
      if (!meta) return undefined;
      const s = String(seg);
      let i: number;
      if (meta.keys) {
        i = meta.keys.indexOf(s);
        if (i < 0) return undefined;
        keyOff = meta.offs[2 * i];
        off = meta.offs[2 * i + 1];
        node = (node as Record<string, unknown>)[s];
        out?.push(s);
      } else {
        i = Number(s);
        // only the canonical spelling of an index named it ("/01" never did)
        if (!Number.isInteger(i) || i < 0 || i >= meta.offs.length || String(i) !== s) return undefined;
        off = keyOff = meta.offs[i];
        node = (node as unknown[])[i];
        out?.push(i);
      }
      src = meta.src?.[i];
    }
    return { off, keyOff, out, source: typeof node === 'string' ? node : src };
  }
}

/** JSON pointer (Ajv's instancePath) -> segments. */
export function pointerSegs(ptr: string): string[] {
  return ptr === '' ? [] : ptr.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
