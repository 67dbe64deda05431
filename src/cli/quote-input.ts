// Positions for JSON input (`tierbook quote`, `evaluate` lines, `import`
// files): JSON syntax errors and JSON pointers mapped back to line:column of
// the input text (1-based), and invalid UTF-8 found by byte, so a wrong field
// is found the way a compiler error is.
import { isMap, isSeq, parseDocument, type Node } from 'yaml';

export interface Position {
  readonly line: number;
  readonly column: number;
}

export function position(text: string, offset: number): Position {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

const BOM = '\uFEFF';

export function parseJson(text: string): ({ ok: true; value: unknown }) | ({ ok: false; message: string } & Position) {
  // a BOM from Windows tools is not JSON but not an error either; positions stay those of the file
  const skip = text.startsWith(BOM) ? 1 : 0;
  const body = skip ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (e) {
    // V8's messages carry no position for some errors (and echo the input), so find it ourselves
    const found = jsonSyntaxError(body) ?? { offset: body.length, message: (e as Error).message.replace(/ in JSON at position \d+.*$/s, '') };
    return { ok: false, message: `invalid JSON: ${found.message}`, ...position(text, found.offset + skip) };
  }
}

class JsonSyntax {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/** How a character is named in a message: quoted when printable, U+XXXX otherwise. */
function describe(ch: string | undefined): string {
  if (ch === undefined) return 'end of input';
  const cp = ch.codePointAt(0)!;
  return cp < 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp === 0xfeff || (cp >= 0xd800 && cp <= 0xdfff) ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : `'${ch}'`;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * Offset and reason of the first syntax error of `text` as JSON (RFC 8259),
 * or null when it is valid. Iterative, so deep nesting cannot overflow the stack.
 */
export function jsonSyntaxError(text: string): { offset: number; message: string } | null {
  try {
    scanJson(text);
    return null;
  } catch (e) {
    if (e instanceof JsonSyntax) return { offset: e.offset, message: e.message };
    throw e;
  }
}

function scanJson(text: string): void {
  const n = text.length;
  let i = 0;
  const stack: string[] = []; // '}' or ']': what closes each open container
  let state: 'value' | 'first-value' | 'key' | 'first-key' | 'after' = 'value';
  const fail = (message: string, at = i): never => {
    throw new JsonSyntax(at, message);
  };
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const string = () => {
    const open = i++;
    for (;;) {
      if (i >= n) fail('unterminated string (it starts here)', open);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail(`${describe(text[i])} inside a string (write it escaped, e.g. \\n)`);
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape (four hex digits expected)');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail(`bad escape \\${e ?? ''} in a string`);
      } else i++;
    }
  };
  for (;;) {
    ws();
    const c = text[i];
    if (state === 'value' || state === 'first-value') {
      if (state === 'first-value' && c === ']') {
        stack.pop();
        i++;
        state = 'after';
      } else if (c === '{') {
        stack.push('}');
        i++;
        state = 'first-key';
      } else if (c === '[') {
        stack.push(']');
        i++;
        state = 'first-value';
      } else if (c === '"') {
        string();
        state = 'after';
      } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
        NUMBER.lastIndex = i;
        const m = NUMBER.exec(text);
        if (!m || m[0] === '-') fail('bad number');
        i += m![0].length;
        if (i < n && /[0-9.eE+-]/.test(text[i]!)) fail('bad number');
        state = 'after';
      } else {
        const lit = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
        if (!lit) fail(`unexpected ${describe(c)} (expected a value)`);
        i += lit!.length;
        state = 'after';
      }
    } else if (state === 'key' || state === 'first-key') {
      if (state === 'first-key' && c === '}') {
        stack.pop();
        i++;
        state = 'after';
      } else {
        if (c !== '"') fail(`unexpected ${describe(c)} (expected a key in double quotes)`);
        string();
        ws();
        if (text[i] !== ':') fail(`unexpected ${describe(text[i])} (expected ':' after the key)`);
        i++;
        state = 'value';
      }
    } else {
      const close = stack[stack.length - 1];
      if (close === undefined) {
        if (i < n) fail(`unexpected ${describe(c)} after the JSON value`);
        return;
      }
      if (c === ',') {
        i++;
        state = close === '}' ? 'key' : 'value';
      } else if (c === close) {
        stack.pop();
        i++;
      } else fail(`unexpected ${describe(c)} (expected ',' or '${close}')`);
    }
  }
}

/** Where a JSON pointer ("/subscriptions/0/start") is in the text: the key of the last field found. */
export function locate(text: string, pointer: string): Position | null {
  let node: unknown;
  try {
    node = parseDocument(text).contents; // JSON is YAML: the yaml parser keeps source ranges
  } catch {
    return null;
  }
  let at: number | null = (node as Node | null)?.range?.[0] ?? null;
  for (const seg of pointer.split('/').slice(1)) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === seg);
      if (!pair) break;
      at = (pair.key as Node).range?.[0] ?? at;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)] as Node | undefined;
      if (!item) break;
      at = item.range?.[0] ?? at;
      node = item;
    } else break;
  }
  return at === null ? null : position(text, at);
}

/**
 * The text of UTF-8 bytes, or where the first invalid sequence is: a file in
 * another encoding must not be stored with U+FFFD in place of its characters.
 */
export function decodeUtf8(bytes: Uint8Array): { ok: true; text: string } | ({ ok: false; message: string } & Position) {
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const text = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
    const hint = bytes[0] === 0xff || bytes[0] === 0xfe ? ' (a UTF-16 file? save it as UTF-8)' : '';
    return { ok: false, message: `invalid UTF-8: byte 0x${bytes[bad]!.toString(16).padStart(2, '0')}${hint}`, ...position(text, text.length) };
  }
}

/** Index of the first byte that does not begin a valid UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  const ok = (start: number, len: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(start, start + len));
      return true;
    } catch {
      return false;
    }
  };
  for (let i = 0; i < b.length; ) {
    const x = b[i]!;
    const len = x < 0x80 ? 1 : x >= 0xc2 && x <= 0xdf ? 2 : x >= 0xe0 && x <= 0xef ? 3 : x >= 0xf0 && x <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > b.length || (len > 1 && !ok(i, len))) return i;
    i += len;
  }
  return b.length;
}
