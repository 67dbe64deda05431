// Kept block ledger states (§10, issue 18): the state of a customer's block
// ledgers at an issued period's end, with a stamp of the history it was
// computed from, so a later statement resumes from it instead of reading the
// customer's history from the subscription's start. The SQL is written once
// with `?` for both backends (PostgreSQL numbers it).
import { createHash } from 'node:crypto';

/** A stored state: the period whose end it is at, the stamp it was kept with, and the engine's LedgerState list as JSON. */
export interface LedgerStatesRecord {
  readonly period: string;
  readonly stamp: string;
  readonly states: string;
}

export const LEDGER_STATE_SQL = {
  /**
   * The records a history stamp folds (stampsOf), up to a bound: requests
   * and worklogs before an instant, purchases dated on or before a day; per
   * kind in (time, id) order, on the (partner, customer, time) indexes. ONE
   * read up to the largest of several bounds serves each of them (a bound's
   * records are a prefix of each kind).
   */
  stampRows:
    "select 1 as k, start_ms as t, '' as d, id as i, id || '=' || body_hash as e from worklogs where partner = ? and customer = ? and start_ms < ? union all " +
    "select 2 as k, received_ms as t, '' as d, id as i, id || '=' || body_hash as e from requests where partner = ? and customer = ? and received_ms < ? union all " +
    "select 3 as k, 0 as t, date as d, id as i, id || '=' || body_hash as e from purchases where partner = ? and customer = ? and date <= ? order by k, t, d, i",
  /** The latest states before a period, newest first. */
  latest: 'select period, stamp, states from ledger_states where partner = ? and customer = ? and period < ? order by period desc limit ?',
  put:
    'insert into ledger_states (partner, customer, period, stamp, states, created_at) values (?, ?, ?, ?, ?, ?) on conflict (partner, customer, period) do update set stamp = excluded.stamp, states = excluded.states, created_at = excluded.created_at',
} as const;

/** One row of LEDGER_STATE_SQL.stampRows: its kind (1 worklogs, 2 requests, 3 purchases), instant (ms) or date, and `id=body_hash`. */
export interface StampRow {
  readonly k: number | string;
  readonly t: number | string;
  readonly d: string;
  readonly e: string;
}

/** A bound of historyStamp: records before the instant `toMs` (requests, worklogs) and purchases dated on or before `through`. */
export interface StampBound {
  readonly toMs: number;
  readonly through: string;
}

/** The parameters of stampRows: the largest of the bounds. */
export function stampRowsParams(partner: string, customer: string, bounds: readonly StampBound[]): unknown[] {
  const toMs = Math.max(...bounds.map((b) => b.toMs));
  const through = bounds.reduce((a, b) => (b.through > a ? b.through : a), bounds[0]!.through);
  return [partner, customer, toMs, partner, customer, toMs, partner, customer, through];
}

/** How many of a kind's rows (in order) are within the bound: the first index past it (binary search). */
function prefix(rows: readonly StampRow[], inside: (r: StampRow) => boolean): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (inside(rows[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The digest of each prefix length of a kind's rows, in ONE pass (the running hash copied at each length). */
function prefixDigests(rows: readonly StampRow[], lengths: readonly number[]): Map<number, string> {
  const out = new Map<number, string>();
  const h = createHash('sha256');
  let i = 0;
  for (const n of [...new Set(lengths)].sort((a, b) => a - b)) {
    for (; i < n; i++) h.update(rows[i]!.e + '\n');
    out.set(n, h.copy().digest('hex'));
  }
  return out;
}

/**
 * The history stamp at each bound from the rows of one stampRows read: per
 * kind (worklogs, requests, purchases) the count and the running digest of
 * every `id=body_hash` in (time, id) order up to the bound, then one digest
 * of the three. A late insert changes a count and a digest, a PATCH a body
 * hash, a DELETE a count. The running digests are shared by the bounds (a
 * prefix is hashed once however many bounds it serves).
 */
export function stampsOf(rows: readonly StampRow[], bounds: readonly StampBound[]): string[] {
  const kinds: [StampRow[], StampRow[], StampRow[]] = [[], [], []];
  for (const r of rows) kinds[Number(r.k) - 1]!.push(r);
  const lengths = bounds.map((b) => [
    prefix(kinds[0], (r) => Number(r.t) < b.toMs),
    prefix(kinds[1], (r) => Number(r.t) < b.toMs),
    prefix(kinds[2], (r) => r.d <= b.through),
  ]);
  const digests = kinds.map((k, j) => prefixDigests(k, lengths.map((l) => l[j]!)));
  return lengths.map((l) => 'sha256:' + createHash('sha256').update(l.map((n, j) => `${n}:${digests[j]!.get(n)!}`).join('\n')).digest('hex'));
}
