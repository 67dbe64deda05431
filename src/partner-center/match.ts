// Which service a Partner Center line belongs to (SPEC §12.1): the first
// service, in plan file order, with any matching field. A matcher is an exact
// string or a prefix ending in `*`; a column the file lacks, or an empty
// cell, matches nothing.
import { MATCH_FIELDS, type ServiceMatch } from '../plans/service-match.js';
import { MATCH_COLUMN } from './columns.js';

export type { ServiceMatch };

interface FieldTest {
  readonly index: number; // column index in the file
  readonly exact: ReadonlySet<string>;
  readonly prefixes: readonly string[];
}

export interface Matcher {
  /** Column indexes the matcher reads (to build a memo key). */
  readonly columns: readonly number[];
  /** The service id of a row, or null. */
  service(row: readonly string[]): string | null;
}

const MEMO_LIMIT = 50_000;

/**
 * A matcher for a file with these header positions. `services` in plan file
 * order; those without `match` take no lines. Results are memoized per
 * distinct combination of the read cells (a usage file repeats a few hundred
 * products a million times); the memo is bounded and starts over when full.
 */
export function compileMatcher(services: Iterable<{ readonly id: string; readonly match?: ServiceMatch | undefined }>, columnIndex: ReadonlyMap<string, number>): Matcher {
  const tests: { id: string; fields: FieldTest[] }[] = [];
  const used = new Set<number>();
  for (const s of services) {
    if (!s.match) continue;
    const fields: FieldTest[] = [];
    for (const f of MATCH_FIELDS) {
      const patterns = s.match[f];
      const index = columnIndex.get(MATCH_COLUMN[f]);
      if (!patterns || index === undefined) continue;
      const exact = new Set<string>();
      const prefixes: string[] = [];
      for (const p of patterns) {
        if (p.endsWith('*')) prefixes.push(p.slice(0, -1));
        else exact.add(p);
      }
      fields.push({ index, exact, prefixes });
      used.add(index);
    }
    tests.push({ id: s.id, fields });
  }
  const columns = [...used].sort((a, b) => a - b);
  const decide = (row: readonly string[]): string | null => {
    for (const t of tests) {
      for (const f of t.fields) {
        const v = row[f.index];
        if (v === undefined || v === '') continue;
        if (f.exact.has(v)) return t.id;
        for (const p of f.prefixes) if (v.startsWith(p)) return t.id;
      }
    }
    return null;
  };
  let memo = new Map<string, string | null>();
  return {
    columns,
    service(row) {
      let key = '';
      for (const c of columns) key += (row[c] ?? '') + '\u0000';
      const hit = memo.get(key);
      if (hit !== undefined) return hit;
      const out = decide(row);
      if (memo.size >= MEMO_LIMIT) memo = new Map();
      memo.set(key, out);
      return out;
    },
  };
}
