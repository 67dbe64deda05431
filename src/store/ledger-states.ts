// Kept block ledger states (§10, issue 18): the state of a customer's block
// ledgers at an issued period's end, with a stamp of the history it was
// computed from, so a later statement resumes from it instead of reading the
// customer's history from the subscription's start. The SQL is written once
// with `?` for both backends (PostgreSQL numbers it).
import { createHash } from 'node:crypto';
import { UNSEEN } from './month-end.js';

/** A stored state: the period whose end it is at, the stamp it was kept with, and the engine's LedgerState list as JSON. */
export interface LedgerStatesRecord {
  readonly period: string;
  readonly stamp: string;
  readonly states: string;
  /** The input revision it was computed after (statements.inputs_rev); null: kept before revisions were. */
  readonly inputsRev: string | null;
}

/** A kept state as read back: with the earliest input change unseen by its revision (UNSEEN; null: none, or no revision). */
export interface KeptLedgerStates extends LedgerStatesRecord {
  readonly unseenMs: number | null;
  readonly unseenPeriod: string | null;
}

/** The records of a kind a ledger reads, folded in (time, id) order: count and every id with its body hash. */
const fold = (k: number, table: string, time: string, cmp: string): string =>
  `select ${k} as k, count(*) as n, coalesce(string_agg(id || '=' || body_hash, ',' order by ${time}, id), '') as h from ${table} where partner = ? and customer = ? and ${time} ${cmp} ?`;

export const LEDGER_STATE_SQL = {
  /**
   * The history stamp of a customer up to an instant (requests, worklogs) and
   * a date (purchases): one aggregate per table on its (partner, customer,
   * time) index. A late insert changes the count and the fold, a PATCH the
   * body hash, a DELETE the count.
   */
  historyStamp: `${fold(1, 'worklogs', 'start_ms', '<')} union all ${fold(2, 'requests', 'received_ms', '<')} union all ${fold(3, 'purchases', 'date', '<=')} order by k`,
  /**
   * The rows historyStamp folds, up to the largest of several bounds, per
   * kind in the fold's order (time, then id): historyStamps cuts each bound's
   * prefix from ONE read and folds it exactly as the aggregates do (stampsOf).
   */
  stampRows:
    "select 1 as k, start_ms as t, '' as d, id as i, id || '=' || body_hash as e from worklogs where partner = ? and customer = ? and start_ms < ? union all " +
    "select 2 as k, received_ms as t, '' as d, id as i, id || '=' || body_hash as e from requests where partner = ? and customer = ? and received_ms < ? union all " +
    "select 3 as k, 0 as t, date as d, id as i, id || '=' || body_hash as e from purchases where partner = ? and customer = ? and date <= ? order by k, t, d, i",
  /** The latest states before a period, newest first, without their unseen changes (LedgerReads takes those from the invoices' heads). */
  latest: 'select period, stamp, states, inputs_rev as "inputsRev" from ledger_states where partner = ? and customer = ? and period < ? order by period desc limit ?',
  put:
    'insert into ledger_states (partner, customer, period, stamp, states, created_at, inputs_rev) values (?, ?, ?, ?, ?, ?, ?) on conflict (partner, customer, period) do update set stamp = excluded.stamp, states = excluded.states, created_at = excluded.created_at, inputs_rev = excluded.inputs_rev',
} as const;

/** The latest states before a period, newest first, each with the input changes unseen by its revision; per backend. */
const latest = (unseen: string): string =>
  `select period, stamp, states, inputs_rev as "inputsRev", ${unseen} from ledger_states l where partner = ? and customer = ? and period < ? order by period desc limit ?`;
export const LATEST_STATES_SQL = { sqlite: latest(UNSEEN.sqlite('l')), pg: latest(UNSEEN.pg('l')) } as const;

/** The parameters of historyStamp. */
export const historyStampParams = (partner: string, customer: string, toMs: number, through: string): unknown[] => [partner, customer, toMs, partner, customer, toMs, partner, customer, through];

/** The three folded rows (worklogs, requests, purchases: ordered by k) as one digest. */
export function stampOf(rows: readonly { n: number | string; h: string }[]): string {
  const h = createHash('sha256');
  for (const r of rows) h.update(`${String(r.n)}\n${r.h}\n`);
  return 'sha256:' + h.digest('hex');
}

/** One row of LEDGER_STATE_SQL.stampRows: its kind (1 worklogs, 2 requests, 3 purchases), instant (ms) or date, id and `id=body_hash`. */
export interface StampRow {
  readonly k: number | string;
  readonly t: number | string;
  readonly d: string;
  readonly i: string;
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
  return historyStampParams(partner, customer, toMs, through);
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

/**
 * The stamp of each bound from the rows of one stampRows read: each bound's
 * prefix folded exactly as historyStamp's aggregates fold it (the count, and
 * every `id=body_hash` joined by commas in (time, id) order, per kind), so a
 * stamp from here equals historyStamp's at that bound.
 */
export function stampsOf(rows: readonly StampRow[], bounds: readonly StampBound[]): string[] {
  const kinds: [StampRow[], StampRow[], StampRow[]] = [[], [], []];
  for (const r of rows) kinds[Number(r.k) - 1]!.push(r);
  return bounds.map((b) => {
    const n = [prefix(kinds[0], (r) => Number(r.t) < b.toMs), prefix(kinds[1], (r) => Number(r.t) < b.toMs), prefix(kinds[2], (r) => r.d <= b.through)];
    return stampOf(kinds.map((k, j) => ({ n: n[j]!, h: k.slice(0, n[j]).map((r) => r.e).join(',') })));
  });
}
