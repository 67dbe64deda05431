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
  /** The latest states before a period, newest first. */
  latest: 'select period, stamp, states from ledger_states where partner = ? and customer = ? and period < ? order by period desc limit ?',
  put:
    'insert into ledger_states (partner, customer, period, stamp, states, created_at) values (?, ?, ?, ?, ?, ?) on conflict (partner, customer, period) do update set stamp = excluded.stamp, states = excluded.states, created_at = excluded.created_at',
} as const;

/** The parameters of historyStamp. */
export const historyStampParams = (partner: string, customer: string, toMs: number, through: string): unknown[] => [partner, customer, toMs, partner, customer, toMs, partner, customer, through];

/** The three folded rows (worklogs, requests, purchases: ordered by k) as one digest. */
export function stampOf(rows: readonly { n: number | string; h: string }[]): string {
  const h = createHash('sha256');
  for (const r of rows) h.update(`${String(r.n)}\n${r.h}\n`);
  return 'sha256:' + h.digest('hex');
}
