// The hot-path SQL of both backends and the shaping of rows into records, in
// one place next to the schemas (schema.ts, pg-schema.ts). The statements are
// written once with `?` placeholders; PostgreSQL gets them numbered ($1, $2…)
// by `numbered`. What only one dialect can say (SQLite's json_each, PostgreSQL's
// = any($n) and unnest) sits beside its twin under the same name.
import { createHash } from 'node:crypto';
import type { Decision } from '../rules/types.js';
import type {
  CreditNoteRecord,
  DocumentRecord,
  VoidedInvoiceRecord,
  CustomerRecord,
  EventRecord,
  IdempotencyRecord,
  InputStamps,
  IssuedStatementRecord,
  PurchaseRecord,
  QuantityRecord,
  RecordKind,
  RequestRecord,
  SpendRecord,
  SubscriptionRecord,
  WorklogRecord,
} from './repository.js';

/** `?` placeholders numbered for PostgreSQL (the statements here hold no other `?`). */
export function numbered(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

// Columns aliased to the record fields, in the records' key order.
export const CUSTOMER_COLS = 'id, name, locale, tax_rate as "taxRate", email, tenant_id as "tenantId", tax_id as "taxId"';
export const SUBSCRIPTION_COLS = 'id, customer, offering, start, "end", discount, prices, price_as_of as "priceAsOf"';
export const QUANTITY_COLS = 'subscription, metric, value, "from"';
export const REQUEST_COLS = 'id, customer, offering, service, category, severity, channel, received_at, service_incident, responded_at, decision'; // RequestRow's order
export const WORKLOG_COLS = 'id, customer, request, offering, start, minutes, component, billable';
export const PURCHASE_COLS = 'id, customer, subscription, component, date, quantity, amount';
export const EVENT_COLS = 'request, id, at, type, status, severity'; // EventRecord's keys
export const SPEND_COLS = 'id, customer, period, service, amount, retail, source, invoice';
export const STATEMENT_COLS = 'customer, period, number, plan_hash as "planHash", inputs_digest as "inputsDigest", body, issued_at as "issuedAt"';
export const IDEMPOTENCY_COLS = 'key, route, body_hash as "bodyHash", status, content_type as "contentType", response';

/** Inserts of whole rows, in the tables' column order (also the ingest benchmark's anchor). */
export const INSERT_SQL = {
  customer: 'insert into customers (partner, id, name, locale, tax_rate, email, tenant_id, tax_id, body_hash, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  subscription: 'insert into subscriptions (partner, id, customer, offering, start, "end", discount, prices, price_as_of, body_hash, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  quantity: 'insert into quantities (partner, subscription, metric, value, "from", created_at) values (?, ?, ?, ?, ?, ?)',
  request:
    'insert into requests (partner, id, customer, offering, service, category, severity, channel, received_at, received_ms, service_incident, responded_at, decision, body_hash, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  worklog: 'insert into worklogs (partner, id, customer, request, offering, start, start_ms, minutes, component, billable, body_hash, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  spend: 'insert into spend (partner, id, customer, period, service, amount, retail, source, invoice, body_hash, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  purchase: 'insert into purchases (partner, id, customer, subscription, component, date, quantity, amount, body_hash, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
} as const;

/** An INSERT_SQL statement as PostgreSQL's batch insert: one array per column, unnested (columns not named in `types` are text). */
function unnestOf(insert: string, types: Readonly<Record<string, string>> = {}): string {
  const [, table, cols] = /^insert into (\w+) \(([^)]*)\) values/.exec(insert)!;
  return `insert into ${table} (${cols}) select * from unnest(${cols!
    .split(', ')
    .map((c, i) => `$${i + 1}::${types[c] ?? 'text'}[]`)
    .join(', ')})`;
}

/** PostgreSQL: a batch's new rows in one statement per table (the arrays in INSERT_SQL's column order). */
export const PG_INSERT = {
  customer: unnestOf(INSERT_SQL.customer),
  subscription: unnestOf(INSERT_SQL.subscription),
  request: unnestOf(INSERT_SQL.request, { received_ms: 'int8', service_incident: 'bool' }),
  worklog: unnestOf(INSERT_SQL.worklog, { start_ms: 'int8', minutes: 'int', billable: 'bool' }),
  spend: unnestOf(INSERT_SQL.spend),
  purchase: unnestOf(INSERT_SQL.purchase, { quantity: 'int' }),
  // ordinality: the identity column numbers them in the batch's order (quantities are read back in seq order)
  quantity: `insert into quantities (partner, subscription, metric, value, "from", created_at)
    select $1, s, m, v, f, $6 from unnest($2::text[], $3::text[], $4::int[], $5::text[]) with ordinality as u(s, m, v, f, o) order by o`,
} as const;

/** Reads shared by both backends (`?` form). */
/** An event as stored: exactly EventRecord's keys (status and severity null when absent). */
export function eventOf(e: EventRecord): EventRecord {
  return { request: e.request, id: e.id, at: e.at, type: e.type, status: e.status ?? null, severity: e.severity ?? null };
}

export const SELECT_SQL = {
  customer: `select ${CUSTOMER_COLS} from customers where partner = ? and id = ?`,
  customers: `select ${CUSTOMER_COLS} from customers where partner = ? order by id`,
  subscription: `select ${SUBSCRIPTION_COLS} from subscriptions where partner = ? and id = ?`,
  subscriptionsOfCustomer: `select ${SUBSCRIPTION_COLS} from subscriptions where partner = ? and customer = ? order by created_at, id`,
  quantitiesOfSubscription: `select ${QUANTITY_COLS} from quantities where partner = ? and subscription = ? order by seq`,
  quantitiesOfCustomer: `select ${QUANTITY_COLS} from quantities where partner = ? and subscription in (select id from subscriptions where partner = ? and customer = ?) order by seq`,
  request: `select ${REQUEST_COLS} from requests where partner = ? and id = ?`,
  worklog: `select ${WORKLOG_COLS} from worklogs where partner = ? and id = ?`,
  spend: `select ${SPEND_COLS} from spend where partner = ? and id = ?`,
  periodRequests: `select ${REQUEST_COLS} from requests where partner = ? and customer = ? and received_ms >= ? and received_ms < ? order by received_ms, id`,
  // request events (§11.2): applied by `at`, ties in arrival order (seq)
  eventHash: 'select body_hash from request_events where partner = ? and request = ? and id = ?',
  event: `select ${EVENT_COLS} from request_events where partner = ? and request = ? and id = ?`,
  eventsOfRequest: `select ${EVENT_COLS} from request_events where partner = ? and request = ? order by at_ms, seq`,
  // requests first, then their events: SQLite otherwise walks every event of the partner in index order to spare
  // the sort (82 ms a customer at 33,000 events); CROSS JOIN fixes the order there, PostgreSQL plans it alike
  customerEvents: `select e.request, e.id, e.at, e.type, e.status, e.severity from requests r cross join request_events e where e.partner = r.partner and e.request = r.id and r.partner = ? and r.customer = ? and r.received_ms >= ? and r.received_ms < ? order by e.request, e.at_ms, e.seq`,
  respondedAt: 'select responded_at from requests where partner = ? and id = ?',
  periodWorklogs: `select ${WORKLOG_COLS} from worklogs where partner = ? and customer = ? and start_ms >= ? and start_ms < ? order by start_ms, id`,
  purchase: `select ${PURCHASE_COLS} from purchases where partner = ? and id = ?`,
  purchasesThrough: `select ${PURCHASE_COLS} from purchases where partner = ? and customer = ? and date <= ? order by date, id`,
  periodSpend: `select ${SPEND_COLS} from spend where partner = ? and customer = ? and period = ? order by id`,
  tenantOwner: 'select id from customers where partner = ? and tenant_id = ?',
  replaceSpend: 'update spend set customer = ?, period = ?, service = ?, amount = ?, retail = ?, source = ?, invoice = ?, body_hash = ? where partner = ? and id = ?',
  issued: `select ${STATEMENT_COLS} from statements where partner = ? and customer = ? and period = ?`,
  issuedByNumber: `select ${STATEMENT_COLS} from statements where partner = ? and number = ?`,
  issuedAll: `select ${STATEMENT_COLS} from statements where partner = ? order by number`,
  idempotent: `select ${IDEMPOTENCY_COLS} from idempotency where partner = ? and key = ?`,
  idempotentInsert: 'insert into idempotency (partner, key, route, body_hash, status, content_type, response, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
  tokenByHash: 'select id, partner, role, token_hash as "tokenHash" from api_tokens where token_hash = ?',
  tokenInsert: 'insert into api_tokens (id, partner, role, token_hash, created_at) values (?, ?, ?, ?, ?)',
  customerUpdate: 'update customers set name = ?, locale = ?, tax_rate = ?, email = ?, tenant_id = ?, tax_id = ?, body_hash = ?, updated_at = ? where partner = ? and id = ?',
  spansOfOffering: 'select id, customer, offering, start, "end" from subscriptions where partner = ? and customer = ? and offering = ?',
  subscriptionUpdate: 'update subscriptions set "end" = ?, discount = ?, prices = ?, price_as_of = ? where partner = ? and id = ?',
  responseUpdate: 'update requests set responded_at = ? where partner = ? and id = ?',
  customerUpdatedAt: 'select updated_at from customers where partner = ? and id = ?',
} as const;

export const KIND_NOUN: Record<RecordKind, string> = {
  customers: 'customer',
  subscriptions: 'subscription',
  requests: 'request',
  worklogs: 'worklog',
  spend: 'spend record',
  purchases: 'purchase',
};

/** A request's fields in the records' key order; the stored form differs in two of them. */
export type RequestFields<Incident, Decided> = [
  id: string,
  customer: string,
  offering: string | null,
  service: string,
  category: string,
  severity: string,
  channel: string,
  receivedAt: string,
  serviceIncident: Incident,
  respondedAt: string | null,
  decision: Decided,
];

/** A request row as an array (raw rows): cheaper to build than an object per row, and one is built anyway. SQLite stores the flag as 0/1, PostgreSQL as a boolean. */
export type RequestRow = RequestFields<number | boolean | null, string>;

export interface SubscriptionRow {
  id: string;
  customer: string;
  offering: string;
  start: string;
  end: string | null;
  discount: string | null;
  /** JSON text */
  prices: string | null;
  priceAsOf: string | null;
}

/** A worklog row: SQLite gives the flag as 0/1 (PostgreSQL's JSON a boolean). */
export type WorklogRow = Omit<WorklogRecord, 'billable'> & { billable: number | boolean | null };

export interface QuantityRow {
  subscription: string;
  metric: string;
  value: number;
  from: string;
}

// Records as the store returns them: only their own fields, in this key order,
// nulls for absent optional fields (what a read-back used to give).
export const customerOf = (c: CustomerRecord): CustomerRecord => ({
  id: c.id,
  name: c.name,
  locale: c.locale ?? null,
  taxRate: c.taxRate ?? null,
  email: c.email ?? null,
  tenantId: c.tenantId ?? null,
  taxId: c.taxId ?? null,
});

export const subscriptionOf = (s: SubscriptionRecord): SubscriptionRecord => ({
  id: s.id,
  customer: s.customer,
  offering: s.offering,
  start: s.start,
  end: s.end ?? null,
  discount: s.discount ?? null,
  prices: s.prices ?? null,
  priceAsOf: s.priceAsOf ?? null,
  quantities: s.quantities.map((q) => ({ metric: q.metric, value: q.value, from: q.from })),
});

/** The prices column's text (null when none). */
export const pricesText = (s: Pick<SubscriptionRecord, 'prices'>): string | null => (s.prices ? JSON.stringify(s.prices) : null);

/** A request record in the store's key order (responses serialize it), from a record given or a row read. */
export function requestRecord(
  ...[id, customer, offering, service, category, severity, channel, receivedAt, serviceIncident, respondedAt, decision]: RequestFields<boolean | null, Decision>
): RequestRecord {
  return { id, customer, offering, service, category, severity, channel, receivedAt, serviceIncident, respondedAt, decision };
}

/** A request as given, shaped like a stored one. */
export const requestOfRecord = (g: RequestRecord): RequestRecord =>
  requestRecord(g.id, g.customer, g.offering ?? null, g.service, g.category, g.severity, g.channel, g.receivedAt, g.serviceIncident ?? null, g.respondedAt ?? null, g.decision);

export const worklogOf = (w: WorklogRecord | WorklogRow): WorklogRecord => ({
  id: w.id,
  customer: w.customer,
  request: w.request ?? null,
  offering: w.offering ?? null,
  start: w.start,
  minutes: w.minutes,
  component: w.component ?? null,
  // stored null (rows from before the column) is billable
  billable: w.billable === null || w.billable === undefined ? true : w.billable === true || w.billable === 1,
});

/** The billable column's value: stored only when false (null is billable). */
export const billableColumn = (w: WorklogRecord): boolean | null => (w.billable === false ? false : null);

export const spendOf = (s: SpendRecord): SpendRecord => ({
  id: s.id,
  customer: s.customer,
  period: s.period,
  service: s.service,
  amount: s.amount,
  retail: s.retail ?? null,
  source: s.source ?? null,
  invoice: s.invoice ?? null,
});

export const purchaseOf = (p: PurchaseRecord): PurchaseRecord => ({
  id: p.id,
  customer: p.customer,
  subscription: p.subscription,
  component: p.component,
  date: p.date,
  quantity: p.quantity,
  amount: p.amount ?? null,
});

/** What api_tokens stores of a token: its hex SHA-256 (the token itself never). */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** The body hash replaceSpend stores: it covers the figures, so a plain POST /spend of the same id conflicts unless identical. */
export const spendFiguresHash = (s: SpendRecord): string =>
  createHash('sha256').update(JSON.stringify([s.customer, s.period, s.service, s.amount, s.retail ?? null, s.source ?? null, s.invoice ?? null])).digest('hex');

/** A stored request row as a record (SQLite's 1 or PostgreSQL's true is true, anything else false). */
export const requestOf = (r: RequestRow): RequestRecord =>
  requestRecord(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8] === null ? null : r[8] === 1 || r[8] === true, r[9], JSON.parse(r[10]) as Decision);

/** Subscription rows (in their order) with their quantities (in `seq` order). */
export function withQuantities(rows: readonly SubscriptionRow[], quantities: readonly QuantityRow[]): SubscriptionRecord[] {
  if (rows.length === 0) return [];
  const bySub = new Map<string, QuantityRecord[]>();
  for (const q of quantities) {
    let list = bySub.get(q.subscription);
    if (!list) bySub.set(q.subscription, (list = []));
    list.push({ metric: q.metric, value: q.value, from: q.from });
  }
  return rows.map((r) => ({
    id: r.id,
    customer: r.customer,
    offering: r.offering,
    start: r.start,
    end: r.end,
    discount: r.discount,
    prices: r.prices === null ? null : (JSON.parse(r.prices) as SubscriptionRecord['prices']),
    priceAsOf: r.priceAsOf,
    quantities: bySub.get(r.id) ?? [],
  }));
}

/** Quantity rows (in store order) grouped by subscription. */
export function laterQuantities(rows: readonly { subscription: string; metric: string; value: number; from: string; createdAt: string }[]): InputStamps['laterQuantities'] {
  const out: InputStamps['laterQuantities'] = new Map();
  for (const q of rows) {
    let list = out.get(q.subscription);
    if (!list) out.set(q.subscription, (list = []));
    list.push({ metric: q.metric, value: q.value, from: q.from, createdAt: q.createdAt });
  }
  return out;
}

// ---- issued documents (§9.7): voided invoices and credit notes
export const VOIDED_COLS = `${STATEMENT_COLS}, reason, voided_at as "voidedAt"`;
export const CREDIT_NOTE_COLS = 'number, invoice, customer, period, total, body, issued_at as "issuedAt"';

/** The documents' SQL shared by both backends (`?` form). */
export const DOCUMENT_SQL = {
  voidedByNumber: `select ${VOIDED_COLS} from voided_invoices where partner = ? and number = ?`,
  voidedOfPeriod: 'select number from voided_invoices where partner = ? and customer = ? and period = ?',
  creditNotesOf: `select ${CREDIT_NOTE_COLS} from credit_notes where partner = ? and invoice = ? order by issued_at, number`,
  creditNoteByNumber: `select ${CREDIT_NOTE_COLS} from credit_notes where partner = ? and number = ?`,
  laterIssued: `select ${STATEMENT_COLS} from statements where partner = ? and customer = ? and period > ? order by period, number`,
  voidInsert: 'insert into voided_invoices (partner, number, customer, period, plan_hash, inputs_digest, body, issued_at, reason, voided_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  issuedDelete: 'delete from statements where partner = ? and number = ?',
  creditNoteInsert: 'insert into credit_notes (partner, number, invoice, customer, period, total, body, issued_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
} as const;

/** DOCUMENT_SQL.voidInsert's parameters: the invoice's row as issued, with why and when it was voided. */
export const voidParams = (partner: string, inv: IssuedStatementRecord, reason: string, voidedAt: string): string[] => [
  partner, inv.number, inv.customer, inv.period, inv.planHash, inv.inputsDigest, inv.body, inv.issuedAt, reason, voidedAt,
];

/** The number last voided among `numbers` (same series: the highest), or null. */
export function lastNumber(numbers: readonly string[]): string | null {
  let best: string | null = null;
  for (const n of numbers) if (best === null || seq(n) > seq(best)) best = n;
  return best;
}
const seq = (number: string): number => Number(number.slice(number.lastIndexOf('-') + 1));

/** A documents listing's three queries (current invoices, voided invoices, credit notes), filtered; `?` form with their parameters. */
export function documentQueries(partner: string, f: { customer?: string; period?: string; kind?: 'invoice' | 'credit-note' }): { sql: string; params: string[]; table: 'statements' | 'voided_invoices' | 'credit_notes' }[] {
  const where = ['partner = ?'];
  const params = [partner];
  if (f.customer !== undefined) (where.push('customer = ?'), params.push(f.customer));
  if (f.period !== undefined) (where.push('period = ?'), params.push(f.period));
  const w = where.join(' and ');
  const out: { sql: string; params: string[]; table: 'statements' | 'voided_invoices' | 'credit_notes' }[] = [];
  if (f.kind !== 'credit-note') {
    out.push({ sql: `select ${STATEMENT_COLS} from statements where ${w}`, params, table: 'statements' });
    out.push({ sql: `select ${VOIDED_COLS} from voided_invoices where ${w}`, params, table: 'voided_invoices' });
  }
  if (f.kind !== 'invoice') out.push({ sql: `select ${CREDIT_NOTE_COLS} from credit_notes where ${w}`, params, table: 'credit_notes' });
  return out;
}

/** Rows of documentQueries as records, by number. */
export function documentsOf(parts: readonly { table: 'statements' | 'voided_invoices' | 'credit_notes'; rows: readonly Record<string, unknown>[] }[]): DocumentRecord[] {
  const out: DocumentRecord[] = [];
  for (const { table, rows } of parts) for (const r of rows) out.push(documentOf(table, r));
  return out.sort((a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0));
}

export function documentOf(table: 'statements' | 'voided_invoices' | 'credit_notes', r: Record<string, unknown>): DocumentRecord {
  if (table === 'credit_notes') return { kind: 'credit-note', ...creditNoteOf(r as unknown as CreditNoteRecord) };
  const v = r as unknown as VoidedInvoiceRecord;
  return { kind: 'invoice', ...issuedOf(v), voided: table === 'voided_invoices' ? { reason: v.reason, at: v.voidedAt } : null };
}

export const creditNoteOf = (r: CreditNoteRecord): CreditNoteRecord => ({
  number: r.number,
  invoice: r.invoice,
  customer: r.customer,
  period: r.period,
  total: r.total,
  body: r.body,
  issuedAt: r.issuedAt,
});

export const voidedOf = (r: VoidedInvoiceRecord): VoidedInvoiceRecord => ({ ...issuedOf(r), reason: r.reason, voidedAt: r.voidedAt });

/** A credit note series (partner and month of issue): CONTOSO-CN-202612- */
export const creditNoteSeries = (partner: string, month: string): string => `${partner.toUpperCase()}-CN-${month.replace('-', '')}-`;

/** Row fields of an issued statement, in the record's key order. */
export const issuedOf = (r: IssuedStatementRecord): IssuedStatementRecord => ({
  customer: r.customer,
  period: r.period,
  number: r.number,
  planHash: r.planHash,
  inputsDigest: r.inputsDigest,
  body: r.body,
  issuedAt: r.issuedAt,
});

export const idempotencyOf = (r: IdempotencyRecord): IdempotencyRecord => ({ key: r.key, route: r.route, bodyHash: r.bodyHash, status: r.status, contentType: r.contentType, response: r.response });

/** A statement number's series (partner and month): CONTOSO-202610- */
export const numberSeries = (partner: string, period: string): string => `${partner.toUpperCase()}-${period.replace('-', '')}-`;
export const numberIn = (series: string, n: number): string => series + String(n).padStart(4, '0');

const PG_SUBSCRIPTION_JSON = `json_build_object('id', s.id, 'customer', s.customer, 'offering', s.offering, 'start', s.start, 'end', s."end", 'discount', s.discount,
  'prices', s.prices::json, 'priceAsOf', s.price_as_of,
  'quantities', coalesce((select json_agg(json_build_object('metric', q.metric, 'value', q.value, 'from', q."from") order by q.seq) from quantities q where q.partner = s.partner and q.subscription = s.id), '[]'::json))`;
const PG_REQUEST_ARRAY = `json_build_array(id, customer, offering, service, category, severity, channel, received_at, service_incident, responded_at, decision)`;

/**
 * PostgreSQL: everything a statement needs ($1 partner, $2 customer, $3-$4
 * the period's [from, to) in epoch ms, $5 the period) in ONE statement, so
 * one round trip and one snapshot per customer (billing 10,000 customers
 * made ten round trips each before). Rows come as JSON in the records' key
 * order and in SQLite's orders: requests by (time, id), then the earlier
 * requests this period's worklogs refer to, by id.
 */
export const PG_PERIOD_DATA = `
with wl as (
  select id, customer, request, offering, start, minutes, component, billable, start_ms from worklogs
  where partner = $1 and customer = $2 and start_ms >= $3 and start_ms < $4
), pr as (
  select id, customer, offering, service, category, severity, channel, received_at, service_incident, responded_at, decision, received_ms from requests
  where partner = $1 and customer = $2 and received_ms >= $3 and received_ms < $4
), er as (
  select id, customer, offering, service, category, severity, channel, received_at, service_incident, responded_at, decision from requests
  where partner = $1 and id in (select request from wl where request is not null) and id not in (select id from pr)
)
select
  (select json_build_object('id', id, 'name', name, 'locale', locale, 'taxRate', tax_rate, 'email', email, 'tenantId', tenant_id, 'taxId', tax_id) from customers where partner = $1 and id = $2) as customer,
  (select coalesce(json_agg(${PG_SUBSCRIPTION_JSON} order by s.created_at, s.id), '[]'::json) from subscriptions s where s.partner = $1 and s.customer = $2) as subscriptions,
  (select coalesce(json_agg(${PG_REQUEST_ARRAY} order by received_ms, id), '[]'::json) from pr) as requests,
  (select coalesce(json_agg(${PG_REQUEST_ARRAY} order by id), '[]'::json) from er) as earlier,
  (select coalesce(json_agg(json_build_object('id', id, 'customer', customer, 'request', request, 'offering', offering, 'start', start, 'minutes', minutes, 'component', component, 'billable', coalesce(billable, true)) order by start_ms, id), '[]'::json) from wl) as worklogs,
  (select coalesce(json_agg(json_build_object('id', id, 'customer', customer, 'period', period, 'service', service, 'amount', amount, 'retail', retail, 'source', source, 'invoice', invoice) order by id), '[]'::json)
     from spend where partner = $1 and customer = $2 and period = $5) as spend`;

/**
 * PostgreSQL: Repository.history in ONE statement ($1 partner, $2 customer,
 * $3-$4 [from, to) in epoch ms, $5 the last date of purchases): one round trip
 * and one snapshot per block customer, rows as JSON in SQLite's orders.
 */
export const PG_HISTORY = `
select
  (select coalesce(json_agg(${PG_REQUEST_ARRAY} order by received_ms, id), '[]'::json)
     from requests where partner = $1 and customer = $2 and received_ms >= $3 and received_ms < $4) as requests,
  (select coalesce(json_agg(json_build_object('id', id, 'customer', customer, 'request', request, 'offering', offering, 'start', start, 'minutes', minutes, 'component', component, 'billable', billable) order by start_ms, id), '[]'::json)
     from worklogs where partner = $1 and customer = $2 and start_ms >= $3 and start_ms < $4) as worklogs,
  (select coalesce(json_agg(json_build_object('id', id, 'customer', customer, 'subscription', subscription, 'component', component, 'date', date, 'quantity', quantity, 'amount', amount) order by date, id), '[]'::json)
     from purchases where partner = $1 and customer = $2 and date <= $5) as purchases`;

/**
 * PostgreSQL: a corrections window in ONE statement ($1 partner, $2 customer,
 * $3-$4 [from, to) in epoch ms, $5-$6 the first and last period), rows as JSON
 * shaped and ordered as PG_PERIOD_DATA and MONTH_END_SQL.adjustments give them.
 */
export const PG_WINDOW_DATA = `
select
  (select json_build_object('id', id, 'name', name, 'locale', locale, 'taxRate', tax_rate, 'email', email, 'tenantId', tenant_id, 'taxId', tax_id) from customers where partner = $1 and id = $2) as customer,
  (select coalesce(json_agg(${PG_SUBSCRIPTION_JSON} order by s.created_at, s.id), '[]'::json) from subscriptions s where s.partner = $1 and s.customer = $2) as subscriptions,
  (select coalesce(json_agg(json_build_object('id', id, 'customer', customer, 'request', request, 'offering', offering, 'start', start, 'minutes', minutes, 'component', component, 'billable', coalesce(billable, true)) order by start_ms, id), '[]'::json)
     from worklogs where partner = $1 and customer = $2 and start_ms >= $3 and start_ms < $4) as worklogs,
  (select coalesce(json_agg(json_build_object('id', id, 'customer', customer, 'period', period, 'service', service, 'amount', amount, 'retail', retail, 'source', source, 'invoice', invoice) order by id), '[]'::json)
     from spend where partner = $1 and customer = $2 and period >= $5 and period <= $6) as spend,
  (select coalesce(json_agg(json_build_object('id', id, 'customer', customer, 'period', period, 'description', description, 'amount', amount, 'offering', offering, 'taxable', taxable) order by seq, created_at, id), '[]'::json)
     from adjustments where partner = $1 and customer = $2 and period >= $5 and period <= $6) as adjustments`;

/** PostgreSQL: a customer's subscriptions with their quantities, one statement ($1 partner, $2 customer). */
export const PG_SUBSCRIPTIONS_OF = `select coalesce(json_agg(${PG_SUBSCRIPTION_JSON} order by s.created_at, s.id), '[]'::json) as subs from subscriptions s where s.partner = $1 and s.customer = $2`;
/** PostgreSQL: one subscription with its quantities ($1 partner, $2 id). */
export const PG_SUBSCRIPTION = `select ${PG_SUBSCRIPTION_JSON} as sub from subscriptions s where s.partner = $1 and s.id = $2`;
