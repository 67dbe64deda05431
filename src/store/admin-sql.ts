// The SQL of the admin lists, record corrections and the audit log (issue
// 22), written once with `?` for both backends (PostgreSQL numbers it). Lists
// are keyset pages: `order by <sort>, id` and "after (sort, id)", so a page
// never skips or repeats a row however many are written meanwhile before the
// cursor, and no OFFSET is counted through.
import type { AuditChange, AuditFilter, AuditRecord, CorrectableKind, KindRecord, ListFilter, PageRequest, RecordKind, RequestRecord, SpendRecord, WorklogRecord } from './repository.js';
import { billableColumn, requestOfRecord, spendOf, worklogOf } from './queries.js';
import { parseInstant } from '../time/instant.js';

export type Dialect = 'sqlite' | 'pg';

/** The column a kind's list is ordered by (then id): a stable order that follows the records' time. */
export const LIST_SORT: Record<ListFilter['kind'], string> = {
  customers: 'id',
  subscriptions: 'start',
  requests: 'received_ms',
  worklogs: 'start_ms',
  spend: 'period',
};

/** `like` pattern of a search term, its wildcards taken literally. */
const contains = (q: string): string => '%' + q.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c) + '%';

/** The select of one page of ids with their sort keys (limit + 1 rows: the extra one says more follow). */
export function listSql(dialect: Dialect, partner: string, f: ListFilter, page: PageRequest): { sql: string; params: (string | number)[] } {
  const sort = LIST_SORT[f.kind];
  const where = ['partner = ?'];
  const params: (string | number)[] = [partner];
  const add = (cond: string, ...values: (string | number)[]): void => {
    where.push(cond);
    params.push(...values);
  };
  switch (f.kind) {
    case 'customers':
      if (f.q !== undefined) add("(id = ? or lower(name) like ? escape '\\')", f.q, contains(f.q));
      break;
    case 'subscriptions':
      if (f.customer !== undefined) add('customer = ?', f.customer);
      if (f.offering !== undefined) add('offering = ?', f.offering);
      if (f.activeOn !== undefined) add('start <= ? and ("end" is null or "end" >= ?)', f.activeOn, f.activeOn);
      break;
    case 'requests': {
      if (f.customer !== undefined) add('customer = ?', f.customer);
      if (f.fromMs !== undefined) add('received_ms >= ?', f.fromMs);
      if (f.toMs !== undefined) add('received_ms < ?', f.toMs);
      const accepted = dialect === 'sqlite' ? "json_extract(decision, '$.accepted')" : "(decision::jsonb ->> 'accepted')::boolean";
      if (f.state === 'accepted') add(`${accepted} = ${dialect === 'sqlite' ? '1' : 'true'}`);
      if (f.state === 'rejected') add(`${accepted} = ${dialect === 'sqlite' ? '0' : 'false'}`);
      if (f.state === 'responded') add('responded_at is not null');
      if (f.state === 'unresponded') add('responded_at is null');
      break;
    }
    case 'worklogs':
      if (f.customer !== undefined) add('customer = ?', f.customer);
      if (f.fromMs !== undefined) add('start_ms >= ?', f.fromMs);
      if (f.toMs !== undefined) add('start_ms < ?', f.toMs);
      break;
    case 'spend':
      if (f.customer !== undefined) add('customer = ?', f.customer);
      if (f.period !== undefined) add('period = ?', f.period);
      break;
  }
  // a row comparison, not `a > ? or (a = ? and id > ?)`: both databases seek the (partner, sort, id) index with it
  if (page.after) add(`(${sort}, id) > (?, ?)`, page.after[0], page.after[1]);
  params.push(page.limit + 1);
  return { sql: `select ${sort} as k, id from ${f.kind} where ${where.join(' and ')} order by ${sort}, id limit ?`, params };
}

export const AUDIT_COLS = 'seq, at, token, action, entity, entity_id as "entityId", before, after';

export function auditSql(partner: string, f: AuditFilter, page: { limit: number; after: number | null }): { sql: string; params: (string | number)[] } {
  const where = ['partner = ?'];
  const params: (string | number)[] = [partner];
  if (f.entity !== undefined) where.push('entity = ?') && params.push(f.entity);
  if (f.id !== undefined) where.push('entity_id = ?') && params.push(f.id);
  if (f.fromMs !== undefined) where.push('at_ms >= ?') && params.push(f.fromMs);
  if (f.toMs !== undefined) where.push('at_ms < ?') && params.push(f.toMs);
  if (page.after !== null) where.push('seq > ?') && params.push(page.after);
  params.push(page.limit + 1);
  return { sql: `select ${AUDIT_COLS} from audit_log where ${where.join(' and ')} order by seq limit ?`, params };
}

export const ADMIN_SQL = {
  insertAudit: 'insert into audit_log (partner, at, at_ms, token, action, entity, entity_id, before, after) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  /** The current (not void) invoice of a customer and period. */
  periodIssued: 'select number from statements where partner = ? and customer = ? and period = ?',
  worklogOfRequest: 'select id from worklogs where partner = ? and request = ? order by id limit 1',
  deleteEvents: 'delete from request_events where partner = ? and request = ?',
  deleteRequest: 'delete from requests where partner = ? and id = ?',
  deleteWorklog: 'delete from worklogs where partner = ? and id = ?',
  deleteSpend: 'delete from spend where partner = ? and id = ?',
  updateRequest:
    'update requests set offering = ?, service = ?, category = ?, severity = ?, channel = ?, received_at = ?, received_ms = ?, service_incident = ?, responded_at = ?, decision = ?, body_hash = ? where partner = ? and id = ?',
  updateWorklog: 'update worklogs set request = ?, offering = ?, start = ?, start_ms = ?, minutes = ?, component = ?, billable = ?, body_hash = ? where partner = ? and id = ?',
  updateSpend: 'update spend set period = ?, service = ?, amount = ?, retail = ?, body_hash = ? where partner = ? and id = ?',
} as const;

/** The audit row's parameters (after partner) for one change at `at`. */
export function auditParams(partner: string, at: string, token: string, c: AuditChange): (string | number | null)[] {
  const json = (x: unknown): string | null => (x === null || x === undefined ? null : JSON.stringify(x));
  return [partner, at, Date.parse(at), token, c.action, c.entity, c.id, json(c.before), json(c.after)];
}

/** A stored audit row as the record: JSON parsed, seq a number (PostgreSQL's bigint arrives as text). */
export function auditOf(r: { seq: number | string; at: string; token: string; action: string; entity: string; entityId: string; before: string | null; after: string | null }): AuditRecord {
  return {
    seq: Number(r.seq),
    at: r.at,
    token: r.token,
    action: r.action as AuditRecord['action'],
    entity: r.entity as AuditRecord['entity'],
    entityId: r.entityId,
    before: r.before === null ? null : (JSON.parse(r.before) as unknown),
    after: r.after === null ? null : (JSON.parse(r.after) as unknown),
  };
}

/** The audit entity of a record kind. */
export const AUDIT_ENTITY: Partial<Record<RecordKind, AuditChange['entity']>> = { customers: 'customer', subscriptions: 'subscription', requests: 'request', worklogs: 'worklog', spend: 'spend' };

/** The periods a correction touches: the record's before and, unless deleted, after (each once). */
export function correctionPeriods<T>(before: T, next: T | null, periodOf: (r: T) => string): string[] {
  return [...new Set([periodOf(before), ...(next === null ? [] : [periodOf(next)])])];
}

/** The statement and its parameters that store a corrected record (SQLite takes booleans as 0/1). */
export function correctionWrite(dialect: Dialect, kind: CorrectableKind, record: KindRecord[CorrectableKind], bodyHash: string, partner: string): { sql: string; params: unknown[] } {
  const bool = (b: boolean | null): boolean | number | null => (b === null || dialect === 'pg' ? b : b ? 1 : 0);
  switch (kind) {
    case 'requests': {
      const r = requestOfRecord(record as RequestRecord);
      return {
        sql: ADMIN_SQL.updateRequest,
        params: [r.offering, r.service, r.category, r.severity, r.channel, r.receivedAt, parseInstant(r.receivedAt), bool(r.serviceIncident), r.respondedAt, JSON.stringify(r.decision), bodyHash, partner, r.id],
      };
    }
    case 'worklogs': {
      const w = worklogOf(record as WorklogRecord);
      return { sql: ADMIN_SQL.updateWorklog, params: [w.request, w.offering, w.start, parseInstant(w.start), w.minutes, w.component, bool(billableColumn(w)), bodyHash, partner, w.id] };
    }
    case 'spend': {
      const x = spendOf(record as SpendRecord);
      return { sql: ADMIN_SQL.updateSpend, params: [x.period, x.service, x.amount, x.retail, bodyHash, partner, x.id] };
    }
  }
}

/** The statement that deletes a record of `kind`. */
export const deleteSql = (kind: CorrectableKind): string => (kind === 'requests' ? ADMIN_SQL.deleteRequest : kind === 'worklogs' ? ADMIN_SQL.deleteWorklog : ADMIN_SQL.deleteSpend);
