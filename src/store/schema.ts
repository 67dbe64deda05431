// The SQLite schema (drizzle). Every table carries `partner` in its primary key
// so one partner's data can never be read through another partner's id.
// `body_hash` on records makes a record's own id idempotent (SPEC §6): the
// same id with the same body replays, another body conflicts.
import { sqliteTable, text, integer, primaryKey, foreignKey, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const customers = sqliteTable(
  'customers',
  {
    partner: text('partner').notNull(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    locale: text('locale'),
    taxRate: text('tax_rate'),
    email: text('email'),
    /** Microsoft Entra tenant ID (lower-case GUID): Partner Center lines name the customer by it (§12.1). */
    tenantId: text('tenant_id'),
    /** The customer's tax registration (VAT/GST number), printed on documents of record; null when unknown. */
    taxId: text('tax_id'),
    bodyHash: text('body_hash').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  // a tenant is one customer of a partner (NULLs, customers without a tenant, never collide)
  (t) => [primaryKey({ columns: [t.partner, t.id] }), uniqueIndex('customers_tenant').on(t.partner, t.tenantId)],
);

export const subscriptions = sqliteTable(
  'subscriptions',
  {
    partner: text('partner').notNull(),
    id: text('id').notNull(),
    customer: text('customer').notNull(),
    offering: text('offering').notNull(),
    start: text('start').notNull(),
    end: text('end'),
    discount: text('discount'),
    /** Customer prices: JSON object, component id → override (§8.2); null when none. */
    prices: text('prices'),
    /** Grandfathering date YYYY-MM-DD (§8.3); null when priced from the plan as it stands. */
    priceAsOf: text('price_as_of'),
    bodyHash: text('body_hash').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.partner, t.id] }),
    foreignKey({ columns: [t.partner, t.customer], foreignColumns: [customers.partner, customers.id] }),
    index('subscriptions_customer').on(t.partner, t.customer),
  ],
);

export const quantities = sqliteTable(
  'quantities',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    partner: text('partner').notNull(),
    subscription: text('subscription').notNull(),
    metric: text('metric').notNull(),
    value: integer('value').notNull(),
    from: text('from').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    foreignKey({ columns: [t.partner, t.subscription], foreignColumns: [subscriptions.partner, subscriptions.id] }),
    index('quantities_subscription').on(t.partner, t.subscription),
  ],
);

export const requests = sqliteTable(
  'requests',
  {
    partner: text('partner').notNull(),
    id: text('id').notNull(),
    customer: text('customer').notNull(),
    /** The offering as posted (null: matched against subscriptions, §3.1). */
    offering: text('offering'),
    service: text('service').notNull(),
    category: text('category').notNull(),
    severity: text('severity').notNull(),
    channel: text('channel').notNull(),
    receivedAt: text('received_at').notNull(),
    /** epoch ms of receivedAt: lets a period be selected by range. */
    receivedMs: integer('received_ms').notNull(),
    serviceIncident: integer('service_incident', { mode: 'boolean' }),
    respondedAt: text('responded_at'),
    /** The decision as taken when the request arrived (JSON). */
    decision: text('decision').notNull(),
    bodyHash: text('body_hash').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.partner, t.id] }),
    foreignKey({ columns: [t.partner, t.customer], foreignColumns: [customers.partner, customers.id] }),
    // id last: a period's requests come out in (time, id) order without a sort
    index('requests_customer_time').on(t.partner, t.customer, t.receivedMs, t.id),
    // the admin list of all customers' requests walks this in order and stops after a page (issue 22)
    index('requests_partner_time').on(t.partner, t.receivedMs, t.id),
  ],
);

/**
 * Events of a request's life (§11.2): responses, status and severity changes.
 * Applied in order of `at`, ties in order of arrival (`seq`); `id` is the
 * client's (or derived from the event's content) and unique per request.
 */
export const requestEvents = sqliteTable(
  'request_events',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    partner: text('partner').notNull(),
    request: text('request').notNull(),
    id: text('id').notNull(),
    at: text('at').notNull(),
    atMs: integer('at_ms').notNull(),
    /** 'responded' | 'status' | 'severity' */
    type: text('type').notNull(),
    status: text('status'),
    severity: text('severity'),
    bodyHash: text('body_hash').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('request_events_id').on(t.partner, t.request, t.id),
    foreignKey({ columns: [t.partner, t.request], foreignColumns: [requests.partner, requests.id] }),
    index('request_events_order').on(t.partner, t.request, t.atMs, t.seq),
  ],
);

export const worklogs = sqliteTable(
  'worklogs',
  {
    partner: text('partner').notNull(),
    id: text('id').notNull(),
    customer: text('customer').notNull(),
    request: text('request'),
    offering: text('offering'),
    start: text('start').notNull(),
    startMs: integer('start_ms').notNull(),
    minutes: integer('minutes').notNull(),
    /** The hourly component the worklog is billed under (§8.6); null: the offering's first hourly one. */
    component: text('component'),
    /** false: shown at no charge (§8.6); null: billable. */
    billable: integer('billable', { mode: 'boolean' }),
    bodyHash: text('body_hash').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.partner, t.id] }),
    foreignKey({ columns: [t.partner, t.customer], foreignColumns: [customers.partner, customers.id] }),
    index('worklogs_customer_time').on(t.partner, t.customer, t.startMs, t.id),
    index('worklogs_partner_time').on(t.partner, t.startMs, t.id),
    // a request's worklogs, found by the input_changes triggers: periodData adds a worklog's request to the worklog's period
    index('worklogs_request').on(t.partner, t.request),
  ],
);

export const spend = sqliteTable(
  'spend',
  {
    partner: text('partner').notNull(),
    id: text('id').notNull(),
    customer: text('customer').notNull(),
    period: text('period').notNull(),
    service: text('service').notNull(),
    /** Decimal string in major units: money never goes through a float. */
    amount: text('amount').notNull(),
    /** Retail value of the same spend (§12.3), decimal string; null when unknown. */
    retail: text('retail'),
    /** Partner Center file the record was summed from: 'invoice' | 'daily'; null for plain spend (§12.2). */
    source: text('source'),
    /** InvoiceNumber, or 'unbilled'; null for plain spend. */
    invoice: text('invoice'),
    bodyHash: text('body_hash').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.partner, t.id] }),
    foreignKey({ columns: [t.partner, t.customer], foreignColumns: [customers.partner, customers.id] }),
    // id last: without it the planner walks the primary key (partner, id) for `order by id`, all the partner's spend per customer
    index('spend_customer_period').on(t.partner, t.customer, t.period, t.id),
  ],
);

/** Prepaid blocks bought (§10, `renew: purchase`): each grants `quantity` blocks on `date`, charged on that period's statement. */
export const purchases = sqliteTable(
  'purchases',
  {
    partner: text('partner').notNull(),
    id: text('id').notNull(),
    customer: text('customer').notNull(),
    subscription: text('subscription').notNull(),
    /** The `block` component id of the subscription's offering. */
    component: text('component').notNull(),
    /** Local date YYYY-MM-DD in the partner's timezone: the grant's day and the period it is charged in. */
    date: text('date').notNull(),
    quantity: integer('quantity').notNull(),
    /** Decimal string in major units; null: quantity × the block's price, priced by the statement. */
    amount: text('amount'),
    bodyHash: text('body_hash').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.partner, t.id] }),
    foreignKey({ columns: [t.partner, t.customer], foreignColumns: [customers.partner, customers.id] }),
    foreignKey({ columns: [t.partner, t.subscription], foreignColumns: [subscriptions.partner, subscriptions.id] }),
    // a customer's purchases up to a date, in (date, id) order, without a sort
    index('purchases_customer_date').on(t.partner, t.customer, t.date, t.id),
  ],
);

export const statements = sqliteTable(
  'statements',
  {
    partner: text('partner').notNull(),
    customer: text('customer').notNull(),
    period: text('period').notNull(),
    number: text('number').notNull(),
    planHash: text('plan_hash').notNull(),
    /** sha256 of the inputs the statement was priced from (audit). */
    inputsDigest: text('inputs_digest').notNull(),
    /** The issued statement's JSON, served byte for byte forever. */
    body: text('body').notNull(),
    issuedAt: text('issued_at').notNull(),
    /**
     * Which input changes the statement's read had seen (input_changes), taken before its inputs were read:
     * SQLite the customer's highest change seq, PostgreSQL the read's snapshot (pg_snapshot text). Null: not
     * known (issued before it was kept, or copied from another store): the period's inputs are read to compare.
     */
    inputsRev: text('inputs_rev'),
  },
  (t) => [
    primaryKey({ columns: [t.partner, t.customer, t.period] }),
    uniqueIndex('statements_number').on(t.partner, t.number),
    foreignKey({ columns: [t.partner, t.customer], foreignColumns: [customers.partner, customers.id] }),
  ],
);

/**
 * Invoices voided (§9.7): moved here from `statements` in the void's
 * transaction, body unchanged, so `statements` keeps the one current invoice
 * of a customer and period and the period can be issued again. A void number
 * stays used: numbering counts these rows too.
 */
export const voidedInvoices = sqliteTable(
  'voided_invoices',
  {
    partner: text('partner').notNull(),
    number: text('number').notNull(),
    customer: text('customer').notNull(),
    period: text('period').notNull(),
    planHash: text('plan_hash').notNull(),
    inputsDigest: text('inputs_digest').notNull(),
    body: text('body').notNull(),
    issuedAt: text('issued_at').notNull(),
    reason: text('reason').notNull(),
    voidedAt: text('voided_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.partner, t.number] }), index('voided_invoices_customer').on(t.partner, t.customer, t.period)],
);

/** Credit notes (§9.7): their JSON as issued, the invoice they credit and their total (negative, tax included). */
export const creditNotes = sqliteTable(
  'credit_notes',
  {
    partner: text('partner').notNull(),
    number: text('number').notNull(),
    /** The invoice credited (its number). */
    invoice: text('invoice').notNull(),
    customer: text('customer').notNull(),
    /** The credited invoice's period. */
    period: text('period').notNull(),
    total: text('total').notNull(),
    body: text('body').notNull(),
    issuedAt: text('issued_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.partner, t.number] }), index('credit_notes_invoice').on(t.partner, t.invoice), index('credit_notes_customer').on(t.partner, t.customer, t.period)],
);

export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    partner: text('partner').notNull(),
    role: text('role', { enum: ['admin', 'viewer', 'operator'] }).notNull(),
    /** hex sha256 of the token; the token itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('api_tokens_hash').on(t.tokenHash), index('api_tokens_partner').on(t.partner)],
);

export const idempotency = sqliteTable(
  'idempotency',
  {
    partner: text('partner').notNull(),
    key: text('key').notNull(),
    route: text('route').notNull(),
    bodyHash: text('body_hash').notNull(),
    status: integer('status').notNull(),
    contentType: text('content_type').notNull(),
    response: text('response').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.partner, t.key] })],
);

/**
 * Adjustments (§9.1): one-off charges and credits on a customer's period, in
 * order of creation (`seq`, one more than the partner's highest so far).
 */
export const adjustments = sqliteTable(
  'adjustments',
  {
    partner: text('partner').notNull(),
    id: text('id').notNull(),
    customer: text('customer').notNull(),
    period: text('period').notNull(),
    description: text('description').notNull(),
    /** Decimal string in the statement's currency; negative for a credit. */
    amount: text('amount').notNull(),
    offering: text('offering'),
    taxable: integer('taxable', { mode: 'boolean' }).notNull(),
    seq: integer('seq').notNull(),
    bodyHash: text('body_hash').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.partner, t.id] }),
    foreignKey({ columns: [t.partner, t.customer], foreignColumns: [customers.partner, customers.id] }),
    index('adjustments_customer_period').on(t.partner, t.customer, t.period, t.seq),
  ],
);

/**
 * Block ledger states (§10) at the end of a customer's issued period, kept at
 * finalize so a later statement resumes the ledgers from them instead of
 * reading the history from the subscription's start. `stamp` digests the
 * plan, the customer's subscriptions and the records up to the period's end
 * (store/ledger-states.ts): a state whose stamp no longer matches is ignored.
 * `states` is the engine's LedgerState list as JSON.
 */
export const ledgerStates = sqliteTable(
  'ledger_states',
  {
    partner: text('partner').notNull(),
    customer: text('customer').notNull(),
    period: text('period').notNull(),
    stamp: text('stamp').notNull(),
    states: text('states').notNull(),
    /** The statement's input revision (statements.inputs_rev) the state was computed after: it is current while no change unseen by it reaches the period. Null: checked by `stamp`'s records part. */
    inputsRev: text('inputs_rev'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.partner, t.customer, t.period] }),
    foreignKey({ columns: [t.partner, t.customer], foreignColumns: [customers.partner, customers.id] }),
  ],
);

/** Plan texts by their hash (§9.5), stored at finalize: issued periods are priced again with the plan they were issued under. */
export const planVersions = sqliteTable(
  'plan_versions',
  {
    partner: text('partner').notNull(),
    hash: text('hash').notNull(),
    text: text('text').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.partner, t.hash] })],
);

/**
 * The audit log (issue 22): every change by the admin API's record
 * corrections and customer and subscription writes, written in the change's
 * own transaction. `token` is the token id that wrote; before/after are the
 * record as JSON (null: created / deleted).
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    partner: text('partner').notNull(),
    at: text('at').notNull(),
    atMs: integer('at_ms').notNull(),
    token: text('token').notNull(),
    /** 'create' | 'update' | 'delete' */
    action: text('action').notNull(),
    /** 'customer' | 'subscription' | 'request' | 'worklog' | 'spend' */
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    before: text('before'),
    after: text('after'),
  },
  (t) => [index('audit_log_entity').on(t.partner, t.entity, t.entityId, t.seq), index('audit_log_partner').on(t.partner, t.seq)],
);

/**
 * Document links (issue 23): a URL that opens one document in a browser
 * without a token until it expires. Only the hex SHA-256 of the link's id is
 * stored (as api_tokens stores tokens); `path` is the document it serves, under
 * its partner (`statements/<customer>/<period>?format=…`, `documents/<number>?format=…`).
 */
export const documentLinks = sqliteTable(
  'document_links',
  {
    idHash: text('id_hash').primaryKey(),
    partner: text('partner').notNull(),
    path: text('path').notNull(),
    /** The id of the token that made the link. */
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull(),
    expiresMs: integer('expires_ms').notNull(),
  },
  (t) => [index('document_links_expiry').on(t.expiresMs)],
);

/**
 * Where a customer's billing inputs may have changed (§9.6, corrections):
 * written by triggers on every table a statement's inputs are read from
 * (drizzle/sqlite/0013_input_changes_triggers.sql), so no write path,
 * tierbook's or another tool's, is missed. A change reaches the periods that
 * end after `fromMs` (records placed by an instant) or from `fromPeriod` on
 * (spend, adjustments, purchases and kept ledger states, placed by a period;
 * '0000-00': every period, e.g. a subscription or the customer changed). One
 * row per customer and `bucket` (an hour of instants, 'm' and the hour's
 * number: a period starts on the hour in every zone but a few; a period: 'p'
 * and the period), keeping the earliest place and the latest
 * write's `seq` (SQLite: the customer's change counter; PostgreSQL: the
 * writing transaction's id). An issued period with no change unseen by its
 * statement (statements.inputs_rev) that reaches it has the inputs it was
 * issued with: it is not read again for corrections (app/corrections.ts).
 */
export const inputChanges = sqliteTable(
  'input_changes',
  {
    partner: text('partner').notNull(),
    customer: text('customer').notNull(),
    bucket: text('bucket').notNull(),
    fromMs: integer('from_ms'),
    fromPeriod: text('from_period'),
    seq: integer('seq').notNull(),
  },
  // a statement's unseen changes are those after its revision: a range of this index (SQLite: the next seq is its last + 1)
  (t) => [primaryKey({ columns: [t.partner, t.customer, t.bucket] }), index('input_changes_seq').on(t.partner, t.customer, t.seq)],
);
