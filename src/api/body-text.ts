// What a JSON or NDJSON body must be before it is parsed (issue 21 items 5,
// 12): UTF-8 (invalid bytes would be stored as U+FFFD, another charset's
// text misread), nested at most MAX_JSON_DEPTH deep (hashing and validation
// recurse; depth 5,000 overflowed the stack), and without control characters
// or lone surrogates in its strings (a NUL or U+D800 in a name reaches
// documents and other systems), tab and line feed excepted.
import { isUtf8 } from 'node:buffer';

/** Deeper than any body tierbook accepts (a batch of subscriptions with quantities is 4). */
export const MAX_JSON_DEPTH = 32;

export interface BodyTextError {
  readonly code: 'BODY_NOT_UTF8' | 'JSON_TOO_DEEP' | 'CONTROL_CHARACTER';
  readonly detail: string;
}

/** The charset parameter of a Content-Type, lower-cased; undefined when absent. */
function charsetOf(contentType: string | undefined): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? '');
  return m ? m[1]!.toLowerCase() : undefined;
}

/** The body as text, or why it cannot be read as UTF-8. */
export function utf8Body(contentType: string | undefined, body: Buffer): { text: string } | { error: BodyTextError } {
  const charset = charsetOf(contentType);
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return { error: { code: 'BODY_NOT_UTF8', detail: `the body must be UTF-8; charset "${charset}" is not accepted` } };
  }
  if (!isUtf8(body)) return { error: { code: 'BODY_NOT_UTF8', detail: 'the body is not valid UTF-8' } };
  return { text: body.toString('utf8') };
}

const hex = (c: number): number => (c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1);

/** A control character other than tab and line feed: C0, DEL and C1. */
const isControl = (u: number): boolean => (u < 0x20 && u !== 0x09 && u !== 0x0a) || (u >= 0x7f && u <= 0x9f);

const u4 = (s: string, i: number): number => {
  const a = hex(s.charCodeAt(i));
  const b = hex(s.charCodeAt(i + 1));
  const c = hex(s.charCodeAt(i + 2));
  const d = hex(s.charCodeAt(i + 3));
  return a < 0 || b < 0 || c < 0 || d < 0 ? -1 : (a << 12) | (b << 8) | (c << 4) | d;
};

/**
 * One pass over JSON (or NDJSON) text, before JSON.parse: nesting depth
 * outside strings, and inside strings the characters they decode to (raw or
 * escaped). Malformed JSON is left for the parser to report.
 */
export function checkJsonText(s: string, ndjson = false, maxDepth = MAX_JSON_DEPTH): BodyTextError | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (ndjson && c === 0x0a) {
      // every line is a document of its own (a line broken inside a string is the parser's to report)
      depth = 0;
      inString = false;
      continue;
    }
    if (!inString) {
      if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) {
        if (++depth > maxDepth) return { code: 'JSON_TOO_DEEP', detail: `the JSON is nested more than ${maxDepth} levels deep (at character ${i + 1})` };
      } else if (c === 0x7d || c === 0x5d) depth--;
      continue;
    }
    if (c === 0x22) {
      inString = false;
      continue;
    }
    let u = c;
    const at = i + 1; // 1-based, where the character or its escape starts
    if (c === 0x5c) {
      const e = s.charCodeAt(++i);
      if (e === 0x62) u = 0x08; // \b
      else if (e === 0x66) u = 0x0c; // \f
      else if (e === 0x72) u = 0x0d; // \r
      else if (e === 0x75) {
        u = u4(s, i + 1);
        if (u < 0) continue;
        i += 4;
        if (u >= 0xd800 && u <= 0xdbff) {
          // a high surrogate must be followed by an escaped low one
          const low = s.charCodeAt(i + 1) === 0x5c && s.charCodeAt(i + 2) === 0x75 ? u4(s, i + 3) : -1;
          if (low < 0xdc00 || low > 0xdfff) return lone(at);
          i += 6;
          continue;
        }
        if (u >= 0xdc00 && u <= 0xdfff) return lone(at);
      } else continue;
    }
    if (isControl(u)) {
      return { code: 'CONTROL_CHARACTER', detail: `a string holds control character U+${u.toString(16).toUpperCase().padStart(4, '0')} (at character ${at}); only tab and line feed are allowed` };
    }
  }
  return null;
}

const lone = (at: number): BodyTextError => ({ code: 'CONTROL_CHARACTER', detail: `a string holds a lone surrogate (at character ${at}); the text is not valid Unicode` });
