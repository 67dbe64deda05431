// YAML text -> plain data for validation, plus where every node came from.
// Objects have no prototype (so "__proto__" or "constructor" keys are plain
// data), duplicate keys are findings, and alias expansion has a budget so an
// alias bomb is refused instead of eating the machine.
//
// Plain plan files go through a fast reader of the YAML subset they use
// (fast-yaml.ts); anything else, and every document with a problem, goes
// through the yaml package, so findings on bad files come from one place.
import { createRequire } from 'node:module';
import type { Document, Node } from 'yaml';
import type { Finding } from './types.js';
import { displayPath, type Seg } from './path.js';
import { Positions, pointerSegs, type Located, type Meta } from './positions.js';
import { readFast } from './fast-yaml.js';

export type { Located } from './positions.js';

// The yaml package is loaded only when a file needs it: valid plan files never
// do, and loading it was a good part of a small `tierbook check`'s time.
const require = createRequire(import.meta.url);
let yamlLib: typeof import('yaml') | undefined;
const yaml = (): typeof import('yaml') => (yamlLib ??= require('yaml') as typeof import('yaml'));

export interface Tree {
  readonly data: unknown;
  /** JSON pointer -> location (computed on demand). */
  readonly index: { get(pointer: string): Located | undefined };
  /** Segments -> location (computed on demand). */
  locate(segs: readonly Seg[]): Located | undefined;
  /** Segments -> scalar source text (Located.source without the line:column work). */
  source(segs: readonly Seg[]): string | undefined;
  readonly findings: Finding[];
}

/** Nodes an alias may expand to, in total, before the document is refused. */
export const ALIAS_EXPANSION_LIMIT = 10_000;
const MAX_DEPTH = 64;

class Refused extends Error {}

function makeTree(data: unknown, positions: Positions, findings: Finding[]): Tree {
  const locate = (segs: readonly Seg[]) => positions.locate(data, segs);
  return { data, findings, locate, source: (segs) => positions.source(data, segs), index: { get: (ptr: string) => locate(pointerSegs(ptr)) } };
}

export interface ParseOptions {
  /** false: always use the yaml package (tests compare both readers). */
  readonly fast?: boolean;
}

export function parseTree(source: string, file: string, opts: ParseOptions = {}): Tree {
  if (opts.fast !== false) {
    const fast = readFast(source);
    if (fast) return makeTree(fast.data, fast.positions, []);
  }
  return parseWithYaml(source, file);
}

function parseWithYaml(source: string, file: string): Tree {
  const { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } = yaml();
  const lc = new LineCounter();
  const findings: Finding[] = [];
  const positions = new Positions(source.length, () => lc.linePos);
  const pos = (offset: number) => positions.pos(offset);
  const failed = () => makeTree(undefined, positions, findings);
  let doc: Document.Parsed;
  try {
    doc = parseDocument(source, { lineCounter: lc, uniqueKeys: false, prettyErrors: false, keepSourceTokens: false });
  } catch (err) {
    findings.push({ file, line: 1, column: 1, path: '(document)', severity: 'error', message: `cannot parse YAML: ${(err as Error).message}` });
    return failed();
  }
  for (const e of doc.errors) {
    const p = pos(e.pos[0]);
    findings.push({ file, ...p, path: pathAt(doc, e.pos[0]), severity: 'error', message: `YAML syntax: ${firstLine(e.message)}` });
  }
  for (const w of doc.warnings) {
    const p = pos(w.pos[0]);
    findings.push({ file, ...p, path: pathAt(doc, w.pos[0]), severity: 'warning', message: `YAML: ${firstLine(w.message)}` });
  }
  if (doc.errors.length > 0) return failed();

  let expanded = 0;
  /** Offset of a converted node: its own start, else its key's, else the document start. */
  const offsetOf = (node: Node | null, keyOffset: number | undefined): number => node?.range ? node.range[0] : keyOffset ?? 0;
  /** Source text of a scalar that is not a string (strings are their own source). */
  let lastSrc: string | undefined;
  /** Offset and non-string source text of the node convert() returned last. */
  let lastOff = 0;
  const convert = (node: unknown, segs: Seg[], keyOffset: number | undefined, inAlias: boolean, depth: number): unknown => {
    if (depth > MAX_DEPTH) throw new Refused(`nesting deeper than ${MAX_DEPTH} levels`);
    if (inAlias && ++expanded > ALIAS_EXPANSION_LIMIT)
      throw new Refused(`aliases expand to more than ${ALIAS_EXPANSION_LIMIT} nodes; refusing the document (alias bomb?)`);
    lastSrc = undefined;
    if (node === null || node === undefined) {
      lastOff = offsetOf(null, keyOffset);
      return null;
    }
    if (isAlias(node)) {
      const target = node.resolve(doc);
      const value = convert(target ?? null, segs, keyOffset, true, depth + 1);
      // point at the alias where it is used, not at its anchor
      if (node.range) lastOff = node.range[0];
      return value;
    }
    if (isScalar(node)) {
      const v = node.value;
      const source = typeof node.source === 'string' ? node.source : String(v);
      lastOff = offsetOf(node, keyOffset);
      if (typeof v === 'string') return v;
      if (v === null || typeof v === 'boolean' || typeof v === 'number') {
        lastSrc = source;
        return v;
      }
      // timestamps (YAML 1.1), bigints, custom tags: keep the text as written
      return source;
    }
    if (isMap(node)) {
      const own = offsetOf(node, keyOffset);
      const obj: Record<string, unknown> = Object.create(null);
      const meta: Meta = { keys: [], offs: [], src: null };
      positions.metas.set(obj, meta);
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
        if (lastSrc !== undefined) (meta.src ??= [])[meta.keys!.length] = lastSrc;
        meta.keys!.push(key);
        meta.offs.push(kOff, lastOff);
      }
      lastOff = own;
      lastSrc = undefined;
      return obj;
    }
    if (isSeq(node)) {
      const own = offsetOf(node, keyOffset);
      const arr: unknown[] = [];
      const meta: Meta = { keys: null, offs: [], src: null };
      positions.metas.set(arr, meta);
      node.items.forEach((item, i) => {
        arr.push(convert(item, [...segs, i], undefined, inAlias, depth + 1));
        if (lastSrc !== undefined) (meta.src ??= [])[i] = lastSrc;
        meta.offs.push(lastOff);
      });
      lastOff = own;
      lastSrc = undefined;
      return arr;
    }
    lastOff = offsetOf(null, keyOffset);
    return null;
  };
  try {
    const data = convert(doc.contents, [], undefined, false, 0);
    positions.rootOff = lastOff;
    positions.rootSrc = lastSrc;
    return makeTree(data, positions, findings);
  } catch (err) {
    if (!(err instanceof Refused)) throw err;
    findings.push({ file, line: 1, column: 1, path: '(document)', severity: 'error', message: err.message });
    return failed();
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
}

/** Readable path of the deepest node containing `offset` (for syntax errors). */
function pathAt(doc: Document, offset: number): string {
  const { isMap, isScalar, isSeq } = yaml();
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
