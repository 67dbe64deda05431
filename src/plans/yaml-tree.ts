// YAML text -> plain data for validation, plus where every node came from.
// Objects have no prototype (so "__proto__" or "constructor" keys are plain
// data), duplicate keys are findings, and alias expansion has a budget so an
// alias bomb is refused instead of eating the machine.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Finding } from './types.js';
import { displayPath, pointer, type Seg } from './path.js';

/** Where one value sits: its own position, its key's position, its scalar source text. */
export interface Located {
  readonly line: number;
  readonly column: number;
  readonly keyLine: number;
  readonly keyColumn: number;
  readonly segs: readonly Seg[];
  readonly source?: string;
}

export interface Tree {
  readonly data: unknown;
  /** JSON pointer -> location. */
  readonly index: ReadonlyMap<string, Located>;
  readonly findings: Finding[];
}

/** Nodes an alias may expand to, in total, before the document is refused. */
export const ALIAS_EXPANSION_LIMIT = 10_000;
const MAX_DEPTH = 64;

class Refused extends Error {}

export function parseTree(source: string, file: string): Tree {
  const lc = new LineCounter();
  const findings: Finding[] = [];
  const index = new Map<string, Located>();
  const pos = (offset: number) => {
    const p = lc.linePos(Math.max(0, Math.min(offset, source.length)));
    return { line: Math.max(1, p.line), column: Math.max(1, p.col) };
  };
  let doc: Document.Parsed;
  try {
    doc = parseDocument(source, { lineCounter: lc, uniqueKeys: false, prettyErrors: false, keepSourceTokens: false });
  } catch (err) {
    findings.push({ file, line: 1, column: 1, path: '(document)', severity: 'error', message: `cannot parse YAML: ${(err as Error).message}` });
    return { data: undefined, index, findings };
  }
  for (const e of doc.errors) {
    const p = pos(e.pos[0]);
    findings.push({ file, ...p, path: pathAt(doc, e.pos[0]), severity: 'error', message: `YAML syntax: ${firstLine(e.message)}` });
  }
  for (const w of doc.warnings) {
    const p = pos(w.pos[0]);
    findings.push({ file, ...p, path: pathAt(doc, w.pos[0]), severity: 'warning', message: `YAML: ${firstLine(w.message)}` });
  }
  if (doc.errors.length > 0) return { data: undefined, index, findings };

  let expanded = 0;
  const record = (segs: Seg[], node: Node | null, keyOffset: number | undefined, source?: string) => {
    const at = node?.range ? pos(node.range[0]) : keyOffset !== undefined ? pos(keyOffset) : { line: 1, column: 1 };
    const k = keyOffset !== undefined ? pos(keyOffset) : at;
    index.set(pointer(segs), { ...at, keyLine: k.line, keyColumn: k.column, segs, source });
  };
  const convert = (node: unknown, segs: Seg[], keyOffset: number | undefined, inAlias: boolean, depth: number): unknown => {
    if (depth > MAX_DEPTH) throw new Refused(`nesting deeper than ${MAX_DEPTH} levels`);
    if (inAlias && ++expanded > ALIAS_EXPANSION_LIMIT)
      throw new Refused(`aliases expand to more than ${ALIAS_EXPANSION_LIMIT} nodes; refusing the document (alias bomb?)`);
    if (node === null || node === undefined) {
      record(segs, null, keyOffset);
      return null;
    }
    if (isAlias(node)) {
      const target = node.resolve(doc);
      const value = convert(target ?? null, segs, keyOffset, true, depth + 1);
      // point at the alias where it is used, not at its anchor
      const here = index.get(pointer(segs));
      if (node.range && here) {
        const p = pos(node.range[0]);
        index.set(pointer(segs), { ...here, line: p.line, column: p.column });
      }
      return value;
    }
    if (isScalar(node)) {
      const v = node.value;
      const source = typeof node.source === 'string' ? node.source : String(v);
      record(segs, node, keyOffset, source);
      if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
      if (typeof v === 'number') return v;
      // timestamps (YAML 1.1), bigints, custom tags: keep the text as written
      return source;
    }
    if (isMap(node)) {
      record(segs, node, keyOffset);
      const obj: Record<string, unknown> = Object.create(null);
      const first = new Map<string, number>();
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const kOff = keyNode?.range?.[0] ?? node.range?.[0] ?? 0;
        let key: string;
        if (isScalar(keyNode)) key = typeof keyNode.source === 'string' ? keyNode.source : String(keyNode.value);
        else if (keyNode === null) key = '';
        else {
          const p = pos(kOff);
          findings.push({ file, ...p, path: displayPath(segs), severity: 'error', message: 'a key must be a plain scalar, not a map or list' });
          continue;
        }
        const childSegs = [...segs, key];
        const seen = first.get(key);
        if (seen !== undefined) {
          const p = pos(kOff);
          findings.push({
            file, ...p, path: displayPath(childSegs), severity: 'error',
            message: `duplicate key "${key}" (first given at line ${pos(seen).line}); keys must be unique`,
          });
          continue;
        }
        first.set(key, kOff);
        obj[key] = convert(pair.value, childSegs, kOff, inAlias, depth + 1);
      }
      return obj;
    }
    if (isSeq(node)) {
      record(segs, node, keyOffset);
      return node.items.map((item, i) => convert(item, [...segs, i], undefined, inAlias, depth + 1));
    }
    record(segs, null, keyOffset);
    return null;
  };
  try {
    const data = convert(doc.contents, [], undefined, false, 0);
    return { data, index, findings };
  } catch (err) {
    if (!(err instanceof Refused)) throw err;
    findings.push({ file, line: 1, column: 1, path: '(document)', severity: 'error', message: err.message });
    return { data: undefined, index, findings };
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
}

/** Readable path of the deepest node containing `offset` (for syntax errors). */
function pathAt(doc: Document, offset: number): string {
  const segs: Seg[] = [];
  let node: unknown = doc.contents;
  for (let guard = 0; guard < MAX_DEPTH && node; guard++) {
    if (isMap(node)) {
      const pair = node.items.find((p) => {
        const k = p.key as Node | null;
        const v = p.value as Node | null;
        const start = k?.range?.[0] ?? v?.range?.[0];
        const end = v?.range?.[2] ?? k?.range?.[2];
        return start !== undefined && end !== undefined && start <= offset && offset <= end;
      });
      if (!pair) break;
      const k = pair.key as Node | null;
      segs.push(isScalar(k) ? String(k.source ?? k.value) : '?');
      node = pair.value;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((it) => {
        const r = (it as Node | null)?.range;
        return r != null && r[0] <= offset && offset <= r[2];
      });
      if (i < 0) break;
      segs.push(i);
      node = node.items[i];
    } else break;
  }
  return displayPath(segs);
}
