// The store as the API and CLI see it: asynchronous and backend-neutral. Two
// backends implement it, SQLite (sqlite.ts) and PostgreSQL (pg.ts), held to
// the same answers by test/store/contract.test.ts. Multi-record writes are
// single methods (not an open transaction handle) so each backend can run
// them atomically its own way.
import type { LinkRecord, NewLink } from './links.js';
import type { Decision } from '../rules/types.js';
import { ERR, TierbookError } from '../errors.js';
import type { PriceOverrideBody } from '../wire/records.js';
import type { KeptLedgerStates, LedgerStatesRecord, StampBound } from './ledger-states.js';

export type { KeptLedgerStates, LedgerStatesRecord, StampBound } from './ledger-states.js';

/** operator: no partner's token (partner "*"); it may only reload plans (POST /v1/admin/reload). */
export type Role = 'admin' | 'viewer' | 'operator';

export type { LinkRecord, NewLink } from './links.js';

export interface TokenInfo {
  readonly id: string;
  readonly partner: string;
  readonly role: Role;
}

export interface CustomerRecord {
  readonly id: string;
  readonly name: string;
  readonly locale: string | null;
  readonly taxRate: string | null;
  readonly email: string | null;
  /** Microsoft Entra tenant ID, lower case (§12.1); absent or null when not set. */
  readonly tenantId?: string | null;
  /** Tax registration (VAT/GST number) printed on documents of record; absent or null when not set. */
  readonly taxId?: string | null;
}

export interface QuantityRecord {
  readonly metric: string;
  readonly value: number;
  readonly from: string;
}

export interface SubscriptionRecord {
  readonly id: string;
  readonly customer: string;
  readonly offering: string;
  readonly start: string;
  readonly end: string | null;
  readonly discount: string | null;
  /** Customer prices (§8.2): component id → override; absent or null when none. */
  readonly prices?: Readonly<Record<string, PriceOverrideBody>> | null;
  /** Grandfathering date (§8.3); absent or null when priced from the plan as it stands. */
  readonly priceAsOf?: string | null;
  readonly quantities: readonly QuantityRecord[];
}

/** The fields of a subscription that change after it is written (PATCH): absent unchanged, null removed. */
export interface SubscriptionPatch {
  readonly end?: string | null;
  readonly discount?: string | null;
  readonly prices?: Readonly<Record<string, PriceOverrideBody>> | null;
  readonly priceAsOf?: string | null;
}

/**
 * What reviseSubscription writes, decided from the subscription and its
 * customer's other subscriptions as they stand inside the transaction: fields
 * to set on it, and a subscription to create beside it (a change of offering).
 */
export interface SubscriptionChange {
  readonly set?: SubscriptionPatch;
  readonly create?: Hashed<SubscriptionRecord>;
}

/** After reviseSubscription: the subscription, and every subscription of its customer (oldest first). */
export interface SubscriptionRevision {
  readonly subscription: SubscriptionRecord;
  readonly customerSubscriptions: readonly SubscriptionRecord[];
}

export interface RequestRecord {
  readonly id: string;
  readonly customer: string;
  readonly offering: string | null; // as posted; the matched one is decision.offering
  readonly service: string;
  readonly category: string;
  readonly severity: string;
  readonly channel: string;
  readonly receivedAt: string;
  readonly serviceIncident: boolean | null;
  readonly respondedAt: string | null;
  readonly decision: Decision;
}

/** One event of a request's life (§11.2), as stored; `id` is unique per request. */
export interface EventRecord {
  readonly request: string;
  readonly id: string;
  readonly at: string;
  readonly type: 'responded' | 'status' | 'severity';
  readonly status: string | null;
  readonly severity: string | null;
}

/** Requests with their events (events by request, then `at`, then arrival): what SLA clocks are computed from. */
export interface RequestLives {
  readonly requests: readonly RequestRecord[];
  readonly events: readonly EventRecord[];
}

export interface WorklogRecord {
  readonly id: string;
  readonly customer: string;
  readonly request: string | null;
  readonly offering: string | null;
  readonly start: string;
  readonly minutes: number;
  /** The hourly component it is billed under (§8.6); absent or null: the offering's first hourly one. */
  readonly component?: string | null;
  /** false: shown at no charge (§8.6); absent, null or true: billable. */
  readonly billable?: boolean | null;
}

export interface SpendRecord {
  readonly id: string;
  readonly customer: string;
  readonly period: string;
  readonly service: string;
  readonly amount: string;
  /** Retail value (§12.3); absent or null when unknown. */
  readonly retail?: string | null;
  /** The Partner Center file the record was summed from (§12.2); absent or null for plain spend. */
  readonly source?: 'invoice' | 'daily' | null;
  /** InvoiceNumber or "unbilled" for Partner Center records; absent or null for plain spend. */
  readonly invoice?: string | null;
}

/** A prepaid block bought (§10, `renew: purchase`). */
export interface PurchaseRecord {
  readonly id: string;
  readonly customer: string;
  readonly subscription: string;
  /** The `block` component of the subscription's offering. */
  readonly component: string;
  /** Local date YYYY-MM-DD: the grant's day; charged on its period's statement. */
  readonly date: string;
  readonly quantity: number;
  /** Decimal string; null: quantity × the block's price (the statement prices it). */
  readonly amount: string | null;
}

/** What replaceSpend did: records new to the store and records whose figures it replaced. */
export interface ReplaceCounts {
  readonly created: number;
  readonly replaced: number;
}

export interface IssuedStatementRecord {
  readonly customer: string;
  readonly period: string;
  readonly number: string;
  readonly planHash: string;
  readonly inputsDigest: string;
  readonly body: string; // the statement JSON exactly as issued
  readonly issuedAt: string;
}

/** An issued invoice as corrections first read it (§9.6): without its body, unless the body may carry corrections (it names "correction"). */
export interface IssuedHead extends Omit<IssuedStatementRecord, 'body'> {
  readonly body: string | null;
  /** The input changes its statement's read had seen (statements.inputs_rev); null: not known, its inputs must be read to compare. */
  readonly inputsRev: string | null;
  /** Of the customer's input changes its statement had not seen (input_changes): the earliest instant, and the earliest period; null: none. */
  readonly unseenMs: number | null;
  readonly unseenPeriod: string | null;
}

/** What finalize hands the store to issue: the body, the plan's hash, the inputs' digest and the input changes seen before they were read (Repository.inputsRev). */
export interface IssueMade {
  readonly body: string;
  readonly planHash: string;
  readonly inputsDigest: string;
  readonly inputsRev?: string | null;
}

/** A voided invoice (§9.7): the issued record unchanged, with why and when it was voided. */
export interface VoidedInvoiceRecord extends IssuedStatementRecord {
  readonly reason: string;
  readonly voidedAt: string;
}

export interface CreditNoteRecord {
  readonly number: string;
  /** The number of the invoice credited. */
  readonly invoice: string;
  readonly customer: string;
  /** The credited invoice's period. */
  readonly period: string;
  /** The credit note's total, tax included, as issued (negative). */
  readonly total: string;
  readonly body: string; // the credit note JSON exactly as issued
  readonly issuedAt: string;
}

/** A one-off charge or credit on a customer's period (§9.1). */
export interface AdjustmentRecord {
  readonly id: string;
  readonly customer: string;
  readonly period: string;
  readonly description: string;
  /** Decimal string in the statement's currency; negative for a credit. */
  readonly amount: string;
  readonly offering?: string;
  readonly taxable: boolean;
}

/** An issued document of any kind, as `documents` lists and finds them. */
export type DocumentRecord =
  | ({ readonly kind: 'invoice'; readonly voided: { readonly reason: string; readonly at: string } | null } & IssuedStatementRecord)
  | ({ readonly kind: 'credit-note' } & CreditNoteRecord);

/** voidInvoice's check, run in its transaction: throws to refuse the void. */
export type VoidGuard = (invoice: IssuedStatementRecord, creditNotes: readonly CreditNoteRecord[], later: readonly IssuedStatementRecord[]) => void;
/** issueCreditNote's maker, run in its transaction with the number taken: the note's body and total, or a throw (nothing numbered). */
export type CreditNoteMaker = (invoice: IssuedStatementRecord, earlier: readonly CreditNoteRecord[], number: string, issuedAt: string) => { body: string; total: string };

/** Which documents `documents` lists: all of the partner's, or a customer's, a period's, one kind's. */
export interface DocumentFilter {
  readonly customer?: string;
  readonly period?: string;
  readonly kind?: 'invoice' | 'credit-note';
}

export interface IdempotencyRecord {
  readonly key: string;
  readonly route: string;
  readonly bodyHash: string;
  readonly status: number;
  readonly contentType: string;
  readonly response: string;
}

/** What a write answered: stored under its Idempotency-Key and replayed for the same request. */
export type IdempotentAnswer = Pick<IdempotencyRecord, 'status' | 'contentType' | 'response'>;

/**
 * An Idempotency-Key claimed inside a write's own transaction (issue 21), so
 * that two servers on one database cannot both write for one key: the backend
 * looks the key up once it holds the write lock (SQLite) or inserts the key's
 * row first (PostgreSQL: a second claimant blocks on the row until the first
 * commits or rolls back). A key already stored writes nothing and rejects with
 * IdempotentReplay; otherwise `answer(result)` is stored in the same
 * transaction (null: the write answers an error, nothing is stored).
 */
export interface IdempotencyClaim<R> {
  readonly key: string;
  readonly route: string;
  readonly bodyHash: string;
  answer(result: R): IdempotentAnswer | null;
}

/** A write whose Idempotency-Key was stored before: nothing was written; `stored` is the first answer. */
export class IdempotentReplay extends Error {
  constructor(readonly stored: IdempotencyRecord) {
    super(`Idempotency-Key "${stored.key}" was answered before`);
    this.name = 'IdempotentReplay';
  }
}

/** A record to write plus the hash of the body that produced it (record-id idempotency). */
export interface Hashed<T> {
  readonly record: T;
  readonly bodyHash: string;
}

export type RecordKind = 'customers' | 'subscriptions' | 'requests' | 'worklogs' | 'spend' | 'purchases';

export interface KindRecord {
  customers: CustomerRecord;
  subscriptions: SubscriptionRecord;
  requests: RequestRecord;
  worklogs: WorklogRecord;
  spend: SpendRecord;
  purchases: PurchaseRecord;
}

/** Outcome of writing one record: new, or the same id and body seen before. */
export interface WriteResult<T> {
  readonly created: boolean;
  readonly record: T;
}

/** The same record id was written before with another body. */
export class ConflictError extends TierbookError<'RECORD_CONFLICT'> {
  override readonly name = 'ConflictError';
  constructor(message: string, index?: number) {
    super('RECORD_CONFLICT', message, ERR.RECORD_CONFLICT.status, ERR.RECORD_CONFLICT.exit, { detail: message }, index === undefined ? {} : { index });
  }
}

/** A record refers to something that does not exist (customer, subscription, request). */
export class MissingReferenceError extends TierbookError<'MISSING_REFERENCE'> {
  override readonly name = 'MissingReferenceError';
  constructor(
    message: string,
    readonly pointer: string,
    index?: number,
  ) {
    const more = { errors: [{ in: 'body' as const, pointer, detail: message }], ...(index === undefined ? {} : { index }) };
    super('MISSING_REFERENCE', message, ERR.MISSING_REFERENCE.status, ERR.MISSING_REFERENCE.exit, { detail: message }, more);
  }
}

/**
 * What the store has been through, compared by caches that must notice writes
 * made past them (another server or process): `external` changes when someone
 * else wrote, `own` when this connection did. A backend that cannot tell the
 * two apart reports every write as external.
 */
export interface ChangeStamp {
  readonly external: number;
  readonly own: number;
}

/** The ids of the records a statement was priced from (what `inputStamps` looks up). */
export interface InputIds {
  readonly customer: string;
  readonly subscriptions: readonly string[];
  readonly requests: readonly string[];
  readonly worklogs: readonly string[];
  readonly spend: readonly string[];
  /** Purchases of prepaid blocks (§10); absent: none. */
  readonly purchases?: readonly string[];
}

/** When the records of a statement's inputs were stored (verify tells later additions from the rest). */
export interface InputStamps {
  readonly customerUpdatedAt: string | null;
  /** kind → id → created_at */
  readonly created: Record<'subscriptions' | 'requests' | 'worklogs' | 'spend' | 'purchases', Map<string, string>>;
  /** subscription → quantity records stored after `since`, in store order */
  readonly laterQuantities: Map<string, { metric: string; value: number; from: string; createdAt: string }[]>;
}

/** Usage of one customer in one period: what a statement is priced from. */
export interface CustomerPeriodData {
  readonly customer: CustomerRecord;
  readonly subscriptions: readonly SubscriptionRecord[];
  readonly requests: readonly RequestRecord[];
  readonly worklogs: readonly WorklogRecord[];
  readonly spend: readonly SpendRecord[];
}

/**
 * A customer's corrections window (§9.6), read once for up to 12 earlier
 * periods and cut per period in memory (app/corrections.ts): the customer,
 * its subscriptions, worklogs started in [fromMs, toMs) (by time, id), spend
 * and adjustments of the periods [fromPeriod, toPeriod] (by id; by order of
 * creation), each in the order of its per-period read.
 */
export interface CustomerWindow extends Omit<CustomerPeriodData, 'requests'> {
  readonly adjustments: readonly AdjustmentRecord[];
}

/** A customer's records before a period (prepaid-block ledgers run from a subscription's start, §10). */
export interface CustomerHistory {
  /** Requests received within [fromMs, toMs), by (time, id). */
  readonly requests: readonly RequestRecord[];
  /** Worklogs started within [fromMs, toMs), by (start, id). */
  readonly worklogs: readonly WorklogRecord[];
  /** Purchases dated on or before `through`, by (date, id). */
  readonly purchases: readonly PurchaseRecord[];
}

// ---- admin lists, record corrections and the audit log (issue 22)

/** The kinds an admin lists page by page. */
export type ListKind = 'customers' | 'subscriptions' | 'requests' | 'worklogs' | 'spend';

/** A list's filters (absent: no filter). Times are epoch milliseconds, `to` exclusive. */
export type ListFilter =
  | { readonly kind: 'customers'; readonly q?: string }
  | { readonly kind: 'subscriptions'; readonly customer?: string; readonly offering?: string; readonly activeOn?: string }
  | { readonly kind: 'requests'; readonly customer?: string; readonly fromMs?: number; readonly toMs?: number; readonly state?: RequestState }
  | { readonly kind: 'worklogs'; readonly customer?: string; readonly fromMs?: number; readonly toMs?: number }
  | { readonly kind: 'spend'; readonly customer?: string; readonly period?: string };

/** accepted / rejected: the stored decision; unresponded / responded: whether respondedAt is set. */
export type RequestState = 'accepted' | 'rejected' | 'unresponded' | 'responded';

/** Where a page starts: after the row with this sort key and id (the order is sort key, then id). */
export type PageKey = readonly [string | number, string];

export interface PageRequest {
  readonly limit: number;
  readonly after: PageKey | null;
}

export interface Page<T> {
  readonly items: T[];
  /** The key of the last item when more follow, else null. */
  readonly next: PageKey | null;
}

/** Records that can be corrected (PATCH, DELETE) until their period is issued. */
export type CorrectableKind = 'requests' | 'worklogs' | 'spend';

/** What reviseRecord did: the record before, and after (null: deleted). */
export interface RecordRevision<K extends CorrectableKind> {
  readonly before: KindRecord[K];
  readonly after: KindRecord[K] | null;
}

export type AuditEntity = 'customer' | 'subscription' | 'request' | 'worklog' | 'spend';
export type AuditAction = 'create' | 'update' | 'delete';

/** One change a write made, as the audit log keeps it (before null: created; after null: deleted). */
export interface AuditChange {
  readonly action: AuditAction;
  readonly entity: AuditEntity;
  readonly id: string;
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * Who wrote, and what the write changed: the store writes `changes(result)`
 * to the audit log inside the write's own transaction (a change is never
 * kept without its entry, nor the reverse).
 */
export interface Audit<R> {
  /** The token id that wrote (or "cli:<user>" style names for other doors). */
  readonly token: string;
  changes(result: R): readonly AuditChange[];
}

/** An audit log entry as stored; `seq` orders them. */
export interface AuditRecord {
  readonly seq: number;
  readonly at: string;
  readonly token: string;
  readonly action: AuditAction;
  readonly entity: AuditEntity;
  readonly entityId: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface AuditFilter {
  readonly entity?: AuditEntity;
  readonly id?: string;
  readonly fromMs?: number;
  readonly toMs?: number;
}

export interface Repository {
  close(): Promise<void>;
  /** True when nothing has been stored yet (drives the demo seed of `start`). */
  isEmpty(): Promise<boolean>;

  /**
   * The change stamp now (see ChangeStamp). SQLite answers synchronously
   * (PRAGMA data_version and this connection's total_changes(): no I/O);
   * PostgreSQL reads its change counter, one round trip, hence the promise.
   */
  changeStamp(): ChangeStamp | Promise<ChangeStamp>;

  // ---- tokens
  /** Creates a token and returns it in clear, the only time it is ever visible. */
  createToken(partner: string, role: Role): Promise<string>;
  findToken(token: string): Promise<TokenInfo | null>;

  // ---- document links (issue 23)
  /** Stores a link to a document of the partner and returns its id in clear, the only time it is visible (the store keeps its hash); links expired more than LINK_PURGE_AFTER_MS before `link.nowMs` are deleted. */
  createLink(partner: string, link: NewLink): Promise<string>;
  /** The link with this id, expired or not (the caller judges expiry by its clock), or null. */
  findLink(id: string): Promise<LinkRecord | null>;

  // ---- records
  getCustomer(partner: string, id: string): Promise<CustomerRecord | null>;
  listCustomers(partner: string): Promise<CustomerRecord[]>;
  /** Replace a customer's fields (PUT); null when it does not exist. */
  updateCustomer(partner: string, rec: Hashed<CustomerRecord>, claim?: IdempotencyClaim<CustomerRecord | null>, audit?: Audit<CustomerRecord | null>): Promise<CustomerRecord | null>;
  /**
   * Changes a customer inside one write transaction: `revise` receives the
   * stored customer and returns the whole new record (PATCH merges, PUT
   * replaces; it may throw to refuse, and nothing is written). Null when the
   * customer does not exist.
   */
  reviseCustomer(partner: string, id: string, revise: (current: CustomerRecord) => Hashed<CustomerRecord>, claim?: IdempotencyClaim<CustomerRecord | null>, audit?: Audit<CustomerRecord | null>): Promise<CustomerRecord | null>;
  getSubscription(partner: string, id: string): Promise<SubscriptionRecord | null>;
  /** A customer's subscriptions, oldest first (created order, then id). */
  listSubscriptions(partner: string, customer: string): Promise<SubscriptionRecord[]>;
  /**
   * Changes a subscription inside one write transaction: `revise` receives it
   * and its customer's subscriptions (oldest first) and returns what to write
   * (it may throw to refuse; nothing is written). A subscription overlapping
   * another of the same customer and offering afterwards is refused with
   * SUBSCRIPTION_OVERLAP; a created id that exists is a ConflictError. Null
   * when the subscription does not exist.
   */
  reviseSubscription(
    partner: string,
    id: string,
    revise: (current: SubscriptionRecord, customerSubscriptions: readonly SubscriptionRecord[]) => SubscriptionChange,
    claim?: IdempotencyClaim<SubscriptionRevision | null>,
    audit?: Audit<SubscriptionRevision | null>,
  ): Promise<SubscriptionRevision | null>;
  addQuantity(partner: string, subscription: string, q: QuantityRecord, claim?: IdempotencyClaim<SubscriptionRecord | null>, audit?: Audit<SubscriptionRecord | null>): Promise<SubscriptionRecord | null>;
  getRequest(partner: string, id: string): Promise<RequestRecord | null>;
  setResponse(partner: string, id: string, respondedAt: string, claim?: IdempotencyClaim<RequestRecord | null>): Promise<RequestRecord | null>;
  /**
   * Adds events to requests in one transaction, all or nothing (§11.2). An
   * event id already stored for its request with the same body hash replays
   * (created: false), with another conflicts (ConflictError, index set); an
   * unknown request is a MissingReferenceError. A `responded` event also
   * sets the request's respondedAt when it has none or a later one.
   */
  addEvents(partner: string, recs: readonly Hashed<EventRecord>[], claim?: IdempotencyClaim<WriteResult<EventRecord>[]>): Promise<WriteResult<EventRecord>[]>;
  /** A request's events in the order they apply: by `at`, ties in order of arrival. */
  listEvents(partner: string, request: string): Promise<EventRecord[]>;
  /**
   * A customer's requests received in [fromMs, toMs), and the events of its
   * requests received in [fromMs, eventsToMs) (default toMs): clocks that may
   * belong to a later period. A statement passes the period's start as toMs
   * and its end as eventsToMs, since periodData has read the period's requests.
   */
  requestLives(partner: string, customer: string, fromMs: number, toMs: number, eventsToMs?: number): Promise<RequestLives>;

  /**
   * Writes records of one kind in one transaction: all or nothing. A record
   * whose id exists with the same body hash is replayed (created: false);
   * with another hash the whole batch fails with ConflictError (index set).
   * `claim`, when given, is claimed in the same transaction and its answer
   * stored with the records: a crash can never keep the records and lose the
   * key (or the reverse), and a key already stored writes nothing.
   */
  insertMany<K extends RecordKind>(
    partner: string,
    kind: K,
    recs: readonly Hashed<KindRecord[K]>[],
    claim?: IdempotencyClaim<WriteResult<KindRecord[K]>[]>,
    audit?: Audit<WriteResult<KindRecord[K]>[]>,
  ): Promise<WriteResult<KindRecord[K]>[]>;

  /**
   * Everything a statement of `period` needs: requests and worklogs within
   * [fromMs, toMs), plus earlier requests those worklogs refer to.
   */
  periodData(partner: string, customer: string, period: string, fromMs: number, toMs: number): Promise<CustomerPeriodData | null>;
  /** A corrections window in one snapshot (CustomerWindow), or null when the customer is unknown. */
  windowData(partner: string, customer: string, fromPeriod: string, toPeriod: string, fromMs: number, toMs: number): Promise<CustomerWindow | null>;

  /**
   * What a block ledger needs beside periodData: the customer's requests and
   * worklogs within [fromMs, toMs) (the months before the period) and its
   * purchases dated on or before `through` (YYYY-MM-DD). Three range reads on
   * (partner, customer, time) indexes.
   */
  history(partner: string, customer: string, fromMs: number, toMs: number, through: string): Promise<CustomerHistory>;

  /**
   * Block ledger states kept at finalize (§10): the digest of a customer's
   * requests and worklogs before `toMs` and purchases dated on or before
   * `through` (count, ids and body hashes in time order: one aggregate per
   * table on its index), which a kept state's stamp is checked against.
   */
  historyStamp(partner: string, customer: string, toMs: number, through: string): Promise<string>;
  /** historyStamp at each of several bounds, from one read of the customer's records up to the largest (a draft and its corrections check up to 13 kept states). */
  historyStamps(partner: string, customer: string, bounds: readonly StampBound[]): Promise<string[]>;
  /** The customer's kept ledger states of periods before `before`, newest first, at most `limit`. */
  /** ledgerStates without the unseen changes: the states alone (one index range). */
  keptStates(partner: string, customer: string, before: string, limit: number): Promise<LedgerStatesRecord[]>;
  ledgerStates(partner: string, customer: string, before: string, limit: number): Promise<KeptLedgerStates[]>;
  /** Keeps (replaces) the ledger states of a customer's period. */
  putLedgerStates(partner: string, customer: string, rec: LedgerStatesRecord): Promise<void>;

  /**
   * Writes spend records by id in one transaction, replacing the figures of
   * an id already stored (Partner Center imports, §12.2: a key imported again
   * replaces its figures). Customers must exist (MissingReferenceError).
   */
  replaceSpend(partner: string, recs: readonly SpendRecord[]): Promise<ReplaceCounts>;

  // ---- issued statements
  getIssued(partner: string, customer: string, period: string): Promise<IssuedStatementRecord | null>;
  /** A customer's current (not void) invoices of `fromPeriod` and later, oldest period first (corrections, §9.6). */
  issuedSince(partner: string, customer: string, fromPeriod: string): Promise<IssuedStatementRecord[]>;
  /** issuedSince without the bodies (a body is there only when it names "correction"): corrections read a body only when they price a period again. */
  issuedHeadsSince(partner: string, customer: string, fromPeriod: string): Promise<IssuedHead[]>;
  /**
   * The customer's input changes seen so far (input_changes), to keep with a
   * statement issued from inputs read AFTER this call: SQLite the customer's
   * highest change seq, PostgreSQL the current snapshot. Opaque to callers.
   */
  inputsRev(partner: string, customer: string): Promise<string>;

  // ---- month-end: adjustments (§9.1) and plan versions (§9.5)
  /**
   * Writes adjustments in one transaction, all or nothing, each appended to
   * the partner's order of creation. An id stored with the same body replays
   * (created false), with another body ConflictError; an unknown customer is
   * MissingReferenceError; a customer and period with a current (not void)
   * invoice refuses the batch with PERIOD_ISSUED, checked in the transaction.
   */
  insertAdjustments(partner: string, recs: readonly Hashed<AdjustmentRecord>[], claim?: IdempotencyClaim<WriteResult<AdjustmentRecord>[]>): Promise<WriteResult<AdjustmentRecord>[]>;
  /** A customer's adjustments of a period, in order of creation. */
  listAdjustments(partner: string, customer: string, period: string): Promise<AdjustmentRecord[]>;
  /** Stores a plan's text under its hash unless stored already; true when it was new. */
  putPlanVersion(partner: string, hash: string, text: string): Promise<boolean>;
  /** The plan text stored under `hash`, or null. */
  getPlanVersion(partner: string, hash: string): Promise<string | null>;
  /**
   * Issues a statement: numbers it and stores it, unless one is already issued
   * for that customer and period (then that one is returned, created false).
   * `make` receives the number, the issue instant (the row's issuedAt, so the body can carry the same) and the number of the invoice of that customer and period voided last (the new one replaces it; null when none) and returns the body to store. The numbers of voided invoices stay used.
   */
  issue(
    partner: string,
    customer: string,
    period: string,
    make: (number: string, issuedAt: string, replaces: string | null) => IssueMade,
    claim?: IdempotencyClaim<WriteResult<IssuedStatementRecord>>,
  ): Promise<WriteResult<IssuedStatementRecord>>;

  /**
   * Voids the current invoice `number` (§9.7): in one write transaction it is
   * moved to the voided invoices, body unchanged, after `guard` saw its credit
   * notes and the customer's later current invoices (it throws to refuse:
   * HAS_CREDIT_NOTES, HAS_CORRECTIONS). null when no invoice has that number;
   * an invoice voided before answers created false.
   */
  voidInvoice(
    partner: string,
    number: string,
    reason: string,
    guard: VoidGuard,
    claim?: IdempotencyClaim<WriteResult<VoidedInvoiceRecord> | null>,
  ): Promise<WriteResult<VoidedInvoiceRecord> | null>;
  /**
   * Issues a credit note against the current invoice `invoice` (§9.7): the
   * invoice is locked, `series(issuedAt)` names the number series (the month
   * of issue in the partner's timezone), the next number of that series is
   * taken gaplessly (also across servers), and `make` builds the note from the
   * invoice and its earlier credit notes (it throws to refuse: OVER_CREDIT;
   * nothing is numbered then). null when no current invoice has that number.
   */
  issueCreditNote(
    partner: string,
    invoice: string,
    series: (issuedAt: string) => string,
    make: CreditNoteMaker,
    claim?: IdempotencyClaim<WriteResult<CreditNoteRecord> | null>,
  ): Promise<WriteResult<CreditNoteRecord> | null>;
  /** Every issued document matching `filter` (invoices current and void, credit notes), by number. */
  documents(partner: string, filter: DocumentFilter): Promise<DocumentRecord[]>;
  /** One issued document by its number, of any kind and status. */
  documentByNumber(partner: string, number: string): Promise<DocumentRecord | null>;

  /** An issued statement by its number. */
  issuedByNumber(partner: string, number: string): Promise<IssuedStatementRecord | null>;
  /** Every issued statement of a partner, by number. */
  listIssued(partner: string): Promise<IssuedStatementRecord[]>;
  /** When the given input records were stored, and the quantities recorded after `since` (verify). */
  inputStamps(partner: string, ids: InputIds, since: string): Promise<InputStamps>;

  // ---- idempotency keys (writes claim theirs through IdempotencyClaim; these serve the replay fast path and writes without a claim)
  getIdempotent(partner: string, key: string): Promise<IdempotencyRecord | null>;
  /** Stores a response for a key; if the key was taken meanwhile the stored one wins and is returned. */
  putIdempotent(partner: string, rec: IdempotencyRecord): Promise<IdempotencyRecord>;

  // ---- admin lists, corrections, audit (issue 22)
  /** One page of a kind's records matching `filter`, in its stable order (see docs/api.md), scoped to the partner. */
  listPage<K extends ListKind>(partner: string, filter: ListFilter & { readonly kind: K }, page: PageRequest): Promise<Page<KindRecord[K]>>;
  /**
   * Corrects a request, worklog or spend record in one write transaction:
   * `change` receives it and returns the record to store (its fields
   * replaced) or null to delete it. Refused with PERIOD_ISSUED when the
   * customer has a current (not void) invoice for `periodOf` the record
   * before or after; a request with worklogs is not deleted (RECORD_IN_USE),
   * its events go with it. Null when no such record.
   */
  reviseRecord<K extends CorrectableKind>(
    partner: string,
    kind: K,
    id: string,
    change: (current: KindRecord[K]) => Hashed<KindRecord[K]> | null,
    periodOf: (record: KindRecord[K]) => string,
    claim?: IdempotencyClaim<RecordRevision<K> | null>,
    audit?: Audit<RecordRevision<K> | null>,
  ): Promise<RecordRevision<K> | null>;
  /** One request, worklog or spend record by id (what a correction starts from), or null. */
  getRecord<K extends CorrectableKind>(partner: string, kind: K, id: string): Promise<KindRecord[K] | null>;
  /** One page of the partner's audit log, oldest first (by seq). */
  auditLog(partner: string, filter: AuditFilter, page: { readonly limit: number; readonly after: number | null }): Promise<Page<AuditRecord>>;
}

export type MethodKind = 'read' | 'write' | 'lifecycle';

/**
 * Every Repository method and what it does to the store. A method added to
 * the interface fails to compile here until it is classified, and
 * test/api/cache.test.ts holds CachedRepository to it: each 'write' must
 * invalidate, each 'read' must reach the store.
 */
export const REPOSITORY_METHODS = {
  close: 'lifecycle',
  isEmpty: 'read',
  changeStamp: 'read',
  createToken: 'write',
  findToken: 'read',
  createLink: 'write',
  findLink: 'read',
  getCustomer: 'read',
  listCustomers: 'read',
  updateCustomer: 'write',
  reviseCustomer: 'write',
  getSubscription: 'read',
  listSubscriptions: 'read',
  reviseSubscription: 'write',
  addQuantity: 'write',
  getRequest: 'read',
  setResponse: 'write',
  addEvents: 'write',
  listEvents: 'read',
  requestLives: 'read',
  insertMany: 'write',
  periodData: 'read',
  windowData: 'read',
  history: 'read',
  historyStamp: 'read',
  historyStamps: 'read',
  ledgerStates: 'read',
  keptStates: 'read',
  putLedgerStates: 'write',
  replaceSpend: 'write',
  getIssued: 'read',
  issuedSince: 'read',
  issuedHeadsSince: 'read',
  inputsRev: 'read',
  insertAdjustments: 'write',
  listAdjustments: 'read',
  putPlanVersion: 'write',
  getPlanVersion: 'read',
  issue: 'write',
  issuedByNumber: 'read',
  voidInvoice: 'write',
  issueCreditNote: 'write',
  documents: 'read',
  documentByNumber: 'read',
  listIssued: 'read',
  inputStamps: 'read',
  getIdempotent: 'read',
  putIdempotent: 'write',
  listPage: 'read',
  reviseRecord: 'write',
  getRecord: 'read',
  auditLog: 'read',
} as const satisfies Record<keyof Repository, MethodKind>;
