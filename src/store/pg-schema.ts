// The PostgreSQL schema (drizzle pg-core): the SQLite schema (schema.ts) table
// for table, same names, columns and indexes, so `tierbook copy` moves rows
// unchanged and one contract suite holds both backends to the same answers.
// Differences, each for a reason:
// - text columns collate "C" (byte order): `order by id` must give SQLite's
//   BINARY order, not the server locale's;
// - epoch-millisecond columns are bigint (they pass 2^31), the quantity
//   sequence is an identity column, service_incident a boolean;
// - two tables only PostgreSQL needs: `number_counters` (the row an issuer
//   locks to number statements gaplessly across servers) and `store_changes`
//   (one row bumped by every write transaction: the change stamp other
//   servers' caches read; SQLite has PRAGMA data_version instead).
import { pgTable, customType, integer, bigint, boolean, primaryKey, foreignKey, index, uniqueIndex } from 'drizzle-orm/pg-core';

/** text in byte order (see above). */
const text = customType<{ data: string; driverData: string }>({ dataType: () => 'text COLLATE "C"' });

export const customers = pgTable(
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

export const subscriptions = pgTable(
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

export const quantities = pgTable(
  'quantities',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
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

export const requests = pgTable(
  'requests',
  {
    partner: text('partner').notNull(),
    id: text('id').notNull(),
    customer: text('customer').notNull(),
    offering: text('offering'),
    service: text('service').notNull(),
    category: text('category').notNull(),
    severity: text('severity').notNull(),
    channel: text('channel').notNull(),
    receivedAt: text('received_at').notNull(),
    receivedMs: bigint('received_ms', { mode: 'number' }).notNull(),
    serviceIncident: boolean('service_incident'),
    respondedAt: text('responded_at'),
    decision: text('decision').notNull(),
    bodyHash: text('body_hash').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.partner, t.id] }),
    foreignKey({ columns: [t.partner, t.customer], foreignColumns: [customers.partner, customers.id] }),
    index('requests_customer_time').on(t.partner, t.customer, t.receivedMs, t.id),
    // the admin list of all customers' requests walks this in order and stops after a page (issue 22)
    index('requests_partner_time').on(t.partner, t.receivedMs, t.id),
  ],
);

/**
 * Events of a request's life (§11.2); see schema.ts.
 */
export const requestEvents = pgTable(
  'request_events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    partner: text('partner').notNull(),
    request: text('request').notNull(),
    id: text('id').notNull(),
    at: text('at').notNull(),
    atMs: bigint('at_ms', { mode: 'number' }).notNull(),
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

export const worklogs = pgTable(
  'worklogs',
  {
    partner: text('partner').notNull(),
    id: text('id').notNull(),
    customer: text('customer').notNull(),
    request: text('request'),
    offering: text('offering'),
    start: text('start').notNull(),
    startMs: bigint('start_ms', { mode: 'number' }).notNull(),
    minutes: integer('minutes').notNull(),
    /** The hourly component the worklog is billed under (§8.6); null: the offering's first hourly one. */
    component: text('component'),
    /** false: shown at no charge (§8.6); null: billable. */
    billable: boolean('billable'),
    bodyHash: text('body_hash').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.partner, t.id] }),
    foreignKey({ columns: [t.partner, t.customer], foreignColumns: [customers.partner, customers.id] }),
    index('worklogs_customer_time').on(t.partner, t.customer, t.startMs, t.id),
    index('worklogs_partner_time').on(t.partner, t.startMs, t.id),
    index('worklogs_request').on(t.partner, t.request),
  ],
);

export const spend = pgTable(
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
    index('spend_customer_period').on(t.partner, t.customer, t.period, t.id),
  ],
);

/** Prepaid blocks bought (§10, `renew: purchase`): each grants `quantity` blocks on `date`, charged on that period's statement. */
export const purchases = pgTable(
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

export const statements = pgTable(
  'statements',
  {
    partner: text('partner').notNull(),
    customer: text('customer').notNull(),
    period: text('period').notNull(),
    number: text('number').notNull(),
    planHash: text('plan_hash').notNull(),
    inputsDigest: text('inputs_digest').notNull(),
    body: text('body').notNull(),
    issuedAt: text('issued_at').notNull(),
    /** The pg_snapshot (text) of the read that preceded the inputs' read (schema.ts). */
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
export const voidedInvoices = pgTable(
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
export const creditNotes = pgTable(
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

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    partner: text('partner').notNull(),
    role: text('role').$type<'admin' | 'viewer' | 'operator'>().notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('api_tokens_hash').on(t.tokenHash), index('api_tokens_partner').on(t.partner)],
);

export const idempotency = pgTable(
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

// ---- PostgreSQL only (see the head of this file)

/** The last number issued per partner and series (number prefix, e.g. CONTOSO-202605-). */
export const numberCounters = pgTable(
  'number_counters',
  {
    partner: text('partner').notNull(),
    series: text('series').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.partner, t.series] })],
);

/** One row (id 1): `n` grows by one in every write transaction. */
export const storeChanges = pgTable('store_changes', {
  id: integer('id').primaryKey(),
  n: bigint('n', { mode: 'number' }).notNull(),
});

/**
 * Adjustments (§9.1): one-off charges and credits on a customer's period, in
 * order of creation (`seq`, one more than the partner's highest so far).
 */
export const adjustments = pgTable(
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
    taxable: boolean('taxable').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    bodyHash: text('body_hash').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.partner, t.id] }),
    foreignKey({ columns: [t.partner, t.customer], foreignColumns: [customers.partner, customers.id] }),
    index('adjustments_customer_period').on(t.partner, t.customer, t.period, t.seq),
  ],
);

/** Kept block ledger states (§10): see schema.ts. */
export const ledgerStates = pgTable(
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
export const planVersions = pgTable(
  'plan_versions',
  {
    partner: text('partner').notNull(),
    hash: text('hash').notNull(),
    text: text('text').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.partner, t.hash] })],
);

/** The audit log (issue 22): see schema.ts. */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    partner: text('partner').notNull(),
    at: text('at').notNull(),
    atMs: bigint('at_ms', { mode: 'number' }).notNull(),
    token: text('token').notNull(),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    before: text('before'),
    after: text('after'),
  },
  (t) => [index('audit_log_entity').on(t.partner, t.entity, t.entityId, t.seq), index('audit_log_partner').on(t.partner, t.seq)],
);

/** Document links (issue 23): see schema.ts. */
export const documentLinks = pgTable(
  'document_links',
  {
    idHash: text('id_hash').primaryKey(),
    partner: text('partner').notNull(),
    path: text('path').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull(),
    expiresMs: bigint('expires_ms', { mode: 'number' }).notNull(),
  },
  (t) => [index('document_links_expiry').on(t.expiresMs)],
);

/** As schema.ts; `seq` is the writing transaction's id (xid8 as bigint), compared with a statement's snapshot (drizzle/pg/0014_input_changes_triggers.sql). */
export const inputChanges = pgTable(
  'input_changes',
  {
    partner: text('partner').notNull(),
    customer: text('customer').notNull(),
    bucket: text('bucket').notNull(),
    fromMs: bigint('from_ms', { mode: 'number' }),
    fromPeriod: text('from_period'),
    seq: bigint('seq', { mode: 'number' }).notNull(),
  },
  // a statement's unseen changes are those after its revision: a range of this index (SQLite: the next seq is its last + 1)
  (t) => [primaryKey({ columns: [t.partner, t.customer, t.bucket] }), index('input_changes_seq').on(t.partner, t.customer, t.seq)],
);
