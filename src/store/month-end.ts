// The SQL of month-end (§9.1, §9.5, §9.6), written once with `?` for both
// backends (PostgreSQL numbers it): adjustments, plan versions and a
// customer's issued invoices since a period.
import type { AdjustmentRecord, IssuedHead } from './repository.js';
import { SPEND_COLS, STATEMENT_COLS, WORKLOG_COLS, issuedOf } from './queries.js';

export const ADJUSTMENT_COLS = 'id, customer, period, description, amount, offering, taxable';

export const MONTH_END_SQL = {
  adjustmentHash: 'select body_hash from adjustments where partner = ? and id = ?',
  adjustment: `select ${ADJUSTMENT_COLS} from adjustments where partner = ? and id = ?`,
  /** A customer's adjustments of a period, in order of creation. */
  adjustments: `select ${ADJUSTMENT_COLS} from adjustments where partner = ? and customer = ? and period = ? order by seq, created_at, id`,
  nextSeq: 'select coalesce(max(seq), 0) + 1 as seq from adjustments where partner = ?',
  insertAdjustment:
    'insert into adjustments (partner, id, customer, period, description, amount, offering, taxable, seq, body_hash, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  customerExists: 'select 1 from customers where partner = ? and id = ?',
  /** The current (not void) invoice of a customer and period: voided ones live in voided_invoices. */
  periodIssued: 'select number from statements where partner = ? and customer = ? and period = ?',
  planVersion: 'select text from plan_versions where partner = ? and hash = ?',
  insertPlanVersion: 'insert into plan_versions (partner, hash, text, created_at) values (?, ?, ?, ?) on conflict do nothing',
  /** A customer's current invoices of `period` and later, oldest period first. */
  issuedSince: `select ${STATEMENT_COLS} from statements where partner = ? and customer = ? and period >= ? order by period`,
  /** A corrections window (§9.6): a customer's worklogs started in [from, to) in periodWorklogs' order, spend and adjustments of periods [first, last] in their per-period orders. */
  windowWorklogs: `select ${WORKLOG_COLS} from worklogs where partner = ? and customer = ? and start_ms >= ? and start_ms < ? order by start_ms, id`,
  windowSpend: `select ${SPEND_COLS} from spend where partner = ? and customer = ? and period >= ? and period <= ? order by id`,
  windowAdjustments: `select ${ADJUSTMENT_COLS} from adjustments where partner = ? and customer = ? and period >= ? and period <= ? order by seq, created_at, id`,
} as const;

/**
 * The earliest instant and period of a customer's input changes (input_changes)
 * unseen by the revision in `row`.inputs_rev (null when none, or no revision):
 * SQLite a seq above it, PostgreSQL a transaction not visible in its snapshot.
 */
export const UNSEEN = {
  sqlite: (row: string): string => unseenColumns(row, `c.seq > cast(${row}.inputs_rev as integer)`),
  // a transaction older than the snapshot's xmin has ended, so it is seen (an aborted one left no row): the range keeps the index
  pg: (row: string): string =>
    unseenColumns(row, `c.seq >= pg_snapshot_xmin(${row}.inputs_rev::pg_snapshot)::text::bigint and not pg_visible_in_snapshot(c.seq::text::xid8, ${row}.inputs_rev::pg_snapshot)`),
} as const;

function unseenColumns(row: string, notSeen: string): string {
  const min = (col: string): string => `(select min(c.${col}) from input_changes c where c.partner = ${row}.partner and c.customer = ${row}.customer and ${notSeen})`;
  return `${min('from_ms')} as "unseenMs", ${min('from_period')} as "unseenPeriod"`;
}

/**
 * issuedHeadsSince, per backend: a customer's current invoices of `period`
 * and later as issuedSince gives them, without their bodies except one that
 * names "correction" (LIKE: case-insensitive in SQLite, a superset there),
 * with the input changes each statement's read had not seen (UNSEEN).
 */
const heads = (unseen: string): string =>
  `select customer, period, number, plan_hash as "planHash", inputs_digest as "inputsDigest", issued_at as "issuedAt",
     case when body like '%"correction"%' then body else null end as body, inputs_rev as "inputsRev", ${unseen}
   from statements s where partner = ? and customer = ? and period >= ? order by period`;

export const HEADS_SQL = {
  sqlite: heads(UNSEEN.sqlite('s')),
  pg: heads(UNSEEN.pg('s')),
  /** Repository.inputsRev */
  sqliteRev: 'select coalesce(max(seq), 0) from input_changes where partner = ? and customer = ?',
  pgRev: 'select pg_current_snapshot()::text as rev',
} as const;

/** A row of issuedHeadsSince as the record (issuedOf's key order, the body null unless it names "correction"). */
export const issuedHeadOf = (r: IssuedHead): IssuedHead => ({
  ...issuedOf({ ...r, body: '' }),
  body: r.body,
  inputsRev: r.inputsRev,
  unseenMs: r.unseenMs,
  unseenPeriod: r.unseenPeriod,
});

/** A row of ADJUSTMENT_COLS (SQLite gives taxable as 0/1) as the record, offering left out when none. */
export function adjustmentOf(r: { id: string; customer: string; period: string; description: string; amount: string; offering: string | null; taxable: boolean | number }): AdjustmentRecord {
  return {
    id: r.id,
    customer: r.customer,
    period: r.period,
    description: r.description,
    amount: r.amount,
    ...(r.offering !== null ? { offering: r.offering } : {}),
    taxable: r.taxable === true || r.taxable === 1,
  };
}
