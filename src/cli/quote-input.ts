// Positions for `tierbook quote` messages: JSON syntax errors and JSON pointers
// mapped back to line:column of the input text (1-based), so a wrong field is
// found the way a compiler error is.
import { isMap, isSeq, parseDocument, type Node } from 'yaml';

export interface Position {
  readonly line: number;
  readonly column: number;
}

function position(text: string, offset: number): Position {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

export function parseJson(text: string): ({ ok: true; value: unknown }) | ({ ok: false; message: string } & Position) {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    const message = (e as Error).message;
    const m = /position (\d+)/.exec(message);
    const offset = m ? Number(m[1]) : text.length;
    return { ok: false, message: `invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`, ...position(text, offset) };
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
