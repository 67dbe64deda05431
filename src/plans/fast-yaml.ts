// A fast reader for the YAML that plan files are written in: block maps and
// lists, one-line flow maps and lists, plain and quoted one-line scalars,
// comments. It gives the same data and the same positions as the yaml
// package read through yaml-tree.ts (test/plans/fast-yaml.test.ts compares
// them), about twenty times faster, because `tierbook check` on many files
// was mostly yaml's parsing. Whatever it is not sure of — anchors, tags,
// block scalars, multi-line scalars or flow collections, escapes, tabs,
// empty values, duplicate keys, anything that may be an error — makes it
// give up (null), and the caller reads the file with the yaml package.
import { Positions, lineStarts, linePosOf, type Meta } from './positions.js';

/**
 * A map without a prototype ("__proto__" and "constructor" are plain keys),
 * as Object.create(null) makes, but with V8's fast properties: objects from
 * Object.create(null) are hash tables, slower to fill and to read for the
 * validator and the compiler, and each costs more memory.
 */
const bareObject = (): Record<string, unknown> => Object.setPrototypeOf({}, null) as Record<string, unknown>;

/** Thrown to give up; caught once in readFast. */
const GIVE_UP = Symbol('give up');

/** Deeper than this is left to the yaml path (which refuses past 64). */
const MAX_DEPTH = 60;
/** yaml refuses implicit keys longer than 1024 characters. */
const MAX_KEY = 1000;

/**
 * True when `s` has a character the fast reader does not handle — tabs, CR,
 * BOM, control and special line-break characters, lone surrogates; anything
 * but "\n", U+0020–U+007E, U+00A0–U+2027, U+202A–U+D7FF, U+E000–U+FEFE,
 * U+FF00–U+FFFD and surrogate pairs — or a document marker or directive
 * ("---" or "..." alone or before a space at a line start, "%" at a line
 * start). One pass over the char codes: the same test as a regex in u mode
 * was a tenth of the reader's time on plan files with CJK text.
 */
export function unsupported(s: string): boolean {
  const n = s.length;
  let lineStart = true;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (lineStart && (c === 45 /* - */ || c === 46 /* . */ || c === 37 /* % */) && docMarkerAt(s, i)) return true;
    lineStart = c === 10;
    if ((c >= 0x20 && c <= 0x7e) || c === 10) continue;
    if (c < 0xa0 || c === 0x2028 || c === 0x2029) return true;
    if (c < 0xd800) continue;
    if (c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
      return true;
    }
    if (c <= 0xdfff || c === 0xfeff || c >= 0xfffe) return true;
  }
  return false;
}

/** A directive, or "---"/"..." followed by a space, a line break or the end, at `i` (a line start). */
function docMarkerAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c === 37) return true;
  if (s.charCodeAt(i + 1) !== c || s.charCodeAt(i + 2) !== c) return false;
  const d = s.charCodeAt(i + 3);
  return d === SP || d === NL || i + 3 >= s.length;
}

// YAML 1.2 core schema, as the yaml package resolves plain scalars (its regexes and conversions).
const NULL_RE = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain scalar's value; `typeof` tells whether its text must be kept as source. */
function resolvePlain(s: string): string | number | boolean | null {
  const c = s.charCodeAt(0);
  // letters other than n/N/t/T/f/F start strings only: skip the regexes
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) {
    if (c !== 110 && c !== 78 && c !== 116 && c !== 84 && c !== 102 && c !== 70) return s;
  }
  if (NULL_RE.test(s)) return null;
  if (BOOL_RE.test(s)) return s[0] === 't' || s[0] === 'T';
  if (INT_OCT.test(s)) return parseInt(s.substring(2), 8);
  if (INT.test(s)) return parseInt(s, 10);
  if (INT_HEX.test(s)) return parseInt(s.substring(2), 16);
  if (FLOAT_NAN.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (FLOAT_EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
  return s;
}

const SP = 32;
const NL = 10;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const COMMA = 44;
const LBRACK = 91;
const RBRACK = 93;
const LBRACE = 123;
const RBRACE = 125;
const DQ = 34;
const SQ = 39;

/** May a plain scalar start with this character? (Indicators, and "-?:" in front of anything, are left to yaml.) */
function plainStart(src: string, i: number): boolean {
  const c = src.charCodeAt(i);
  switch (c) {
    case COMMA: case LBRACK: case RBRACK: case LBRACE: case RBRACE: case HASH:
    case 38: /* & */ case 42: /* * */ case 33: /* ! */ case 124: /* | */ case 62: /* > */
    case DQ: case SQ: case 37: /* % */ case 64: /* @ */ case 96: /* ` */
    case 63: /* ? */ case COLON: case SP: case NL:
      return false;
    case DASH: {
      // "-5", "-.5": a number; anything else after "-" is left to yaml
      const d = src.charCodeAt(i + 1);
      return (d >= 48 && d <= 57) || d === 46;
    }
    default:
      return !Number.isNaN(c);
  }
}

class Reader {
  i = 0;
  /** Indent of the content line the reader stands on; -1 at the end. */
  ind = -1;
  private lineStart = 0;
  readonly positions: Positions;
  /** Offset and non-string source text of the value read last. */
  off = 0;
  private src: string | undefined = undefined;

  constructor(private readonly s: string) {
    this.positions = new Positions(s.length, () => linePosOf(lineStarts(s)));
  }

  /** From a line start: skips blank and comment lines; stands on the next content (sets ind). */
  nextContent(): void {
    const s = this.s;
    for (;;) {
      const start = this.i;
      if (start >= s.length) {
        this.ind = -1;
        return;
      }
      let i = start;
      while (s.charCodeAt(i) === SP) i++;
      const c = s.charCodeAt(i);
      if (c === NL) {
        this.i = i + 1;
        continue;
      }
      if (c === HASH) {
        const nl = s.indexOf('\n', i);
        this.i = nl < 0 ? s.length : nl + 1;
        continue;
      }
      if (i >= s.length) {
        this.i = i;
        this.ind = -1;
        return;
      }
      this.lineStart = start;
      this.i = i;
      this.ind = i - start;
      return;
    }
  }

  /** After a value: only spaces and a comment may follow on the line; moves to the next content. */
  endLine(): void {
    const s = this.s;
    let i = this.i;
    const from = i;
    while (s.charCodeAt(i) === SP) i++;
    const c = s.charCodeAt(i);
    if (c === HASH) {
      if (i === from) throw GIVE_UP; // a comment must follow a space
      const nl = s.indexOf('\n', i);
      i = nl < 0 ? s.length : nl + 1;
    } else if (c === NL) i++;
    else if (i < s.length) throw GIVE_UP;
    this.i = i;
    this.nextContent();
  }

  private isDashItem(i: number): boolean {
    const s = this.s;
    if (s.charCodeAt(i) !== DASH) return false;
    const d = s.charCodeAt(i + 1);
    return d === SP || d === NL || i + 1 >= s.length;
  }

  /** A block node at the current content position, whose column is `indent`. */
  blockNode(indent: number, depth: number): unknown {
    if (depth > MAX_DEPTH) throw GIVE_UP;
    const s = this.s;
    const i = this.i;
    const c = s.charCodeAt(i);
    if (this.isDashItem(i)) return this.blockSeq(indent, depth);
    if (c === LBRACK || c === LBRACE) {
      const v = this.flowNode(depth);
      this.endLine();
      return v;
    }
    if (this.keyAhead()) return this.blockMap(indent, depth);
    const v = this.inlineScalar();
    this.endLine();
    return v;
  }

  /** Does the current line start with `key:` (plain or quoted key)? */
  private keyAhead(): boolean {
    const s = this.s;
    let j = this.i;
    const c = s.charCodeAt(j);
    if (c === DQ || c === SQ) {
      const close = this.quotedEnd(j);
      j = close + 1;
      while (s.charCodeAt(j) === SP) j++;
      return s.charCodeAt(j) === COLON && this.wsOrEnd(j + 1);
    }
    if (!plainStart(s, j)) throw GIVE_UP;
    for (; j < s.length; j++) {
      const d = s.charCodeAt(j);
      if (d === NL) return false;
      if (d === COLON && this.wsOrEnd(j + 1)) return true;
      if (d === HASH && s.charCodeAt(j - 1) === SP) return false;
    }
    return false;
  }

  private wsOrEnd(j: number): boolean {
    const d = this.s.charCodeAt(j);
    return d === SP || d === NL || j >= this.s.length;
  }

  blockMap(indent: number, depth: number): unknown {
    const s = this.s;
    const obj = bareObject();
    const meta: Meta = { keys: [], offs: [], src: null };
    this.positions.metas.set(obj, meta);
    const own = this.i;
    for (;;) {
      const keyOff = this.i;
      const key = this.blockKey();
      if (key in obj) throw GIVE_UP; // duplicate: yaml path reports it
      let j = this.i;
      while (s.charCodeAt(j) === SP) j++;
      const c = s.charCodeAt(j);
      let value: unknown;
      if (c === NL || j >= s.length || c === HASH) {
        if (c === HASH && j === this.i) throw GIVE_UP;
        const nl = s.indexOf('\n', j);
        this.i = nl < 0 ? s.length : nl + 1;
        this.nextContent();
        if (this.ind > indent) value = this.blockNode(this.ind, depth + 1);
        else if (this.ind === indent && this.isDashItem(this.i)) value = this.blockSeq(indent, depth + 1);
        else throw GIVE_UP; // empty value
      } else {
        this.i = j;
        if (this.isDashItem(j)) throw GIVE_UP;
        value = this.inlineNode(depth + 1);
        this.endLine();
      }
      obj[key] = value;
      if (this.src !== undefined) (meta.src ??= [])[meta.keys!.length] = this.src;
      meta.keys!.push(key);
      meta.offs.push(keyOff, this.off);
      if (this.ind !== indent) {
        if (this.ind > indent) throw GIVE_UP;
        break;
      }
    }
    return this.finished(own, obj);
  }

  /** `key:` at the current position; stands after the colon. */
  private blockKey(): string {
    const s = this.s;
    const start = this.i;
    const c = s.charCodeAt(start);
    let key: string;
    let j: number;
    if (c === DQ || c === SQ) {
      key = this.quoted();
      j = this.i;
      while (s.charCodeAt(j) === SP) j++;
    } else {
      if (!plainStart(s, start)) throw GIVE_UP;
      j = start;
      for (;;) {
        const d = s.charCodeAt(j);
        if (d === NL || j >= s.length) throw GIVE_UP;
        if (d === COLON && this.wsOrEnd(j + 1)) break;
        if (d === HASH && s.charCodeAt(j - 1) === SP) throw GIVE_UP;
        j++;
      }
      let e = j;
      while (s.charCodeAt(e - 1) === SP) e--;
      key = s.slice(start, e);
    }
    if (s.charCodeAt(j) !== COLON || !this.wsOrEnd(j + 1) || j - start > MAX_KEY) throw GIVE_UP;
    this.i = j + 1;
    return key;
  }

  blockSeq(indent: number, depth: number): unknown {
    const s = this.s;
    const arr: unknown[] = [];
    const meta: Meta = { keys: null, offs: [], src: null };
    this.positions.metas.set(arr, meta);
    const own = this.i;
    for (;;) {
      // on "-" at column `indent`
      let j = this.i + 1;
      while (s.charCodeAt(j) === SP) j++;
      const c = s.charCodeAt(j);
      let value: unknown;
      if (c === NL || j >= s.length || c === HASH) {
        if (c === HASH && j === this.i + 1) throw GIVE_UP;
        const nl = s.indexOf('\n', j);
        this.i = nl < 0 ? s.length : nl + 1;
        this.nextContent();
        if (this.ind > indent) value = this.blockNode(this.ind, depth + 1);
        else throw GIVE_UP; // empty item
      } else {
        this.i = j;
        value = this.blockNode(j - this.lineStart, depth + 1);
      }
      if (this.src !== undefined) (meta.src ??= [])[arr.length] = this.src;
      arr.push(value);
      meta.offs.push(this.off);
      if (this.ind !== indent || !this.isDashItem(this.i)) {
        if (this.ind > indent) throw GIVE_UP;
        break; // a key at the same indent belongs to the parent map
      }
    }
    return this.finished(own, arr);
  }

  /** A value after `key: ` on the same line: a flow collection or a scalar. */
  private inlineNode(depth: number): unknown {
    const c = this.s.charCodeAt(this.i);
    if (c === LBRACK || c === LBRACE) return this.flowNode(depth);
    return this.inlineScalar();
  }

  /** A one-line scalar in block context. */
  private inlineScalar(): unknown {
    const s = this.s;
    const start = this.i;
    const c = s.charCodeAt(start);
    this.off = start;
    if (c === DQ || c === SQ) {
      this.src = undefined;
      return this.quoted();
    }
    if (!plainStart(s, start)) throw GIVE_UP;
    let j = start;
    for (; j < s.length; j++) {
      const d = s.charCodeAt(j);
      if (d === NL) break;
      if (d === COLON && this.wsOrEnd(j + 1)) throw GIVE_UP; // a map where none may start
      if (d === HASH && s.charCodeAt(j - 1) === SP) break;
    }
    // a plain scalar going on over more-indented lines is not handled: the
    // enclosing map or list gives up on the over-indented line that follows
    let e = j;
    while (s.charCodeAt(e - 1) === SP) e--;
    this.i = e;
    return this.plain(s.slice(start, e));
  }

  private plain(text: string): unknown {
    const v = resolvePlain(text);
    this.src = typeof v === 'string' ? undefined : text;
    return v;
  }

  /** Offset of the closing quote of the quoted scalar at `i` (one line, no escapes). */
  private quotedEnd(i: number): number {
    const s = this.s;
    const q = s.charCodeAt(i);
    for (let j = i + 1; j < s.length; j++) {
      const d = s.charCodeAt(j);
      if (d === NL || d === 92 /* \ */) throw GIVE_UP;
      if (d === q) {
        if (q === SQ && s.charCodeAt(j + 1) === SQ) {
          j++;
          continue;
        }
        return j;
      }
    }
    throw GIVE_UP;
  }

  private quoted(): string {
    const s = this.s;
    const start = this.i;
    const end = this.quotedEnd(start);
    this.i = end + 1;
    const body = s.slice(start + 1, end);
    return s.charCodeAt(start) === SQ && body.includes("''") ? body.replace(/''/g, "'") : body;
  }

  /** A one-line flow collection or scalar inside (or starting) a flow collection. */
  private flowNode(depth: number): unknown {
    if (depth > MAX_DEPTH) throw GIVE_UP;
    const s = this.s;
    const start = this.i;
    const c = s.charCodeAt(start);
    if (c === LBRACK) {
      const arr: unknown[] = [];
      const meta: Meta = { keys: null, offs: [], src: null };
      this.positions.metas.set(arr, meta);
      this.i++;
      for (;;) {
        this.flowSpace();
        if (s.charCodeAt(this.i) === RBRACK) break;
        const v = this.flowNode(depth + 1);
        if (this.src !== undefined) (meta.src ??= [])[arr.length] = this.src;
        arr.push(v);
        meta.offs.push(this.off);
        if (this.flowItemEnd(RBRACK)) break;
      }
      return this.closed(start, arr);
    }
    if (c === LBRACE) {
      const obj = bareObject();
      const meta: Meta = { keys: [], offs: [], src: null };
      this.positions.metas.set(obj, meta);
      this.i++;
      for (;;) {
        this.flowSpace();
        if (s.charCodeAt(this.i) === RBRACE) break;
        const keyOff = this.i;
        const key = this.flowKey();
        if (key in obj) throw GIVE_UP;
        this.flowSpace();
        const e = s.charCodeAt(this.i);
        if (e === COMMA || e === RBRACE) throw GIVE_UP; // empty value
        const v = this.flowNode(depth + 1);
        obj[key] = v;
        if (this.src !== undefined) (meta.src ??= [])[meta.keys!.length] = this.src;
        meta.keys!.push(key);
        meta.offs.push(keyOff, this.off);
        if (this.flowItemEnd(RBRACE)) break;
      }
      return this.closed(start, obj);
    }
    this.off = start;
    if (c === DQ || c === SQ) {
      this.src = undefined;
      return this.quoted();
    }
    const end = this.flowPlainEnd();
    const text = s.slice(start, end);
    return this.plain(text);
  }

  /** After a flow item: true at the closing bracket, false past a comma. */
  private flowItemEnd(close: number): boolean {
    this.flowSpace();
    const d = this.s.charCodeAt(this.i);
    if (d === COMMA) {
      this.i++;
      return false;
    }
    if (d !== close) throw GIVE_UP;
    return true;
  }

  /** Steps over the closing bracket of the collection that started at `start`. */
  private closed<T>(start: number, value: T): T {
    this.i++;
    return this.finished(start, value);
  }

  /** A map or list read: it is the last value, at `start`, with no scalar text. */
  private finished<T>(start: number, value: T): T {
    this.off = start;
    this.src = undefined;
    return value;
  }

  /** Spaces inside a flow collection; a line break or comment there is left to yaml. */
  private flowSpace(): void {
    const s = this.s;
    let i = this.i;
    while (s.charCodeAt(i) === SP) i++;
    const c = s.charCodeAt(i);
    if (c === NL || c === HASH || i >= s.length) throw GIVE_UP;
    this.i = i;
  }

  /** Scans a plain scalar in flow context; returns its end (trailing spaces excluded), stands there. */
  private flowPlainEnd(): number {
    const s = this.s;
    const start = this.i;
    if (!plainStart(s, start)) throw GIVE_UP;
    let j = start;
    for (; j < s.length; j++) {
      const d = s.charCodeAt(j);
      if (d === COMMA || d === LBRACK || d === RBRACK || d === LBRACE || d === RBRACE) break;
      if (d === NL) throw GIVE_UP;
      if (d === HASH && s.charCodeAt(j - 1) === SP) throw GIVE_UP;
      if (d === COLON) {
        const n = s.charCodeAt(j + 1);
        if (n === SP || n === NL || n === COMMA || n === LBRACK || n === RBRACK || n === LBRACE || n === RBRACE || j + 1 >= s.length) break;
      }
    }
    let e = j;
    while (s.charCodeAt(e - 1) === SP) e--;
    this.i = e;
    return e;
  }

  /** `key:` in a flow map; stands after the colon. */
  private flowKey(): string {
    const s = this.s;
    let key: string;
    if (s.charCodeAt(this.i) === DQ || s.charCodeAt(this.i) === SQ) {
      key = this.quoted();
      this.flowSpace();
      if (s.charCodeAt(this.i) !== COLON) throw GIVE_UP;
    } else {
      const start = this.i;
      const end = this.flowPlainEnd();
      key = s.slice(start, end);
      this.flowSpace();
      if (s.charCodeAt(this.i) !== COLON || !this.wsOrEnd(this.i + 1)) throw GIVE_UP;
    }
    this.i++;
    return key;
  }
}

/** Data and positions of `source`, or null when the yaml package must read it. */
export function readFast(source: string): { data: unknown; positions: Positions } | null {
  if (unsupported(source)) return null;
  const r = new Reader(source);
  try {
    r.nextContent();
    if (r.ind < 0) return null; // empty: the yaml path words that finding
    const data = r.blockNode(r.ind, 0);
    // trailing content, or a lone scalar (no plan): let yaml word it
    if (r.ind !== -1 || data === null || typeof data !== 'object') return null;
    r.positions.rootOff = r.off;
    return { data, positions: r.positions };
  } catch (err) {
    if (err === GIVE_UP) return null;
    throw err;
  }
}
