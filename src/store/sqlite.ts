// The embedded SQLite backend of the Repository (better-sqlite3 + drizzle).
// better-sqlite3 is synchronous, so every multi-statement write runs inside
// one synchronous transaction: no other request can interleave with it.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { and, asc, eq, gt, inArray, like, sql } from 'drizzle-orm';
import { ERR } from '../errors.js';
import { parseInstant } from '../time/instant.js';
import * as t from './schema.js';
import { assertNoOverlap, type SubscriptionSpan } from './overlap.js';
import { ADMIN_SQL, auditOf, auditParams, auditSql, correctionPeriods, correctionWrite, deleteSql, listSql } from './admin-sql.js';
import {
  ConflictError,
  IdempotentReplay,
  MissingReferenceError,
  type CustomerPeriodData,
  type CustomerWindow,
  type ChangeStamp,
  type CustomerHistory,
  type CustomerRecord,
  type EventRecord,
  type RequestLives,
  type InputIds,
  type InputStamps,
  type Hashed,
  type IdempotencyClaim,
  type IdempotencyRecord,
  type IssuedHead,
  type IssueMade,
  type IssuedStatementRecord,
  type KindRecord,
  type PurchaseRecord,
  type QuantityRecord,
  type RecordKind,
  type ReplaceCounts,
  type Repository,
  type RequestRecord,
  type Role,
  type SpendRecord,
  type SubscriptionChange,
  type SubscriptionRecord,
  type SubscriptionRevision,
  type TokenInfo,
  type WorklogRecord,
  type WriteResult,
} from './repository.js';
import {
  INSERT_SQL,
  KIND_NOUN,
  REQUEST_COLS,
  SELECT_SQL,
  customerOf,
  eventOf,
  idempotencyOf,
  issuedOf,
  laterQuantities,
  purchaseOf,
  requestOf,
  requestOfRecord,
  hashToken,
  spendFiguresHash,
  spendOf,
  subscriptionOf,
  withQuantities,
  worklogOf,
  billableColumn,
  pricesText,
  type WorklogRow,
  type QuantityRow,
  type RequestRow,
  type SubscriptionRow,
} from './queries.js';

import { DOCUMENT_SQL, creditNoteOf, documentOf, documentQueries, documentsOf, lastNumber, numberIn, voidParams, voidedOf } from './queries.js';
import { LINK_PURGE_AFTER_MS, LINK_SQL, linkOf, newLinkId, type LinkRecord, type LinkRow, type NewLink } from './links.js';
import type { CreditNoteMaker, CreditNoteRecord, DocumentFilter, DocumentRecord, VoidedInvoiceRecord, VoidGuard } from './repository.js';
import type { AdjustmentRecord } from './repository.js';
import type { Audit, AuditFilter, AuditRecord, CorrectableKind, ListFilter, ListKind, Page, PageRequest, RecordRevision } from './repository.js';
import { HEADS_SQL, MONTH_END_SQL, adjustmentOf, issuedHeadOf } from './month-end.js';
import { LATEST_STATES_SQL, LEDGER_STATE_SQL, historyStampParams, stampOf, stampRowsParams, stampsOf, type KeptLedgerStates, type LedgerStatesRecord, type StampBound, type StampRow } from './ledger-states.js';

export { INSERT_SQL };

type Db = BetterSQLite3Database<typeof t>;

/** drizzle/sqlite/ at the package root: src/store and dist/store are both two levels down. */
export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'drizzle', 'sqlite');

export interface OpenOptions {
  /** Apply pending migrations before use (default true). */
  readonly migrate?: boolean;
  /**
   * Open read-only (commands that only read, e.g. verify): nothing is written,
   * not even the WAL switch, so a read-only file or mount opens; the file
   * must exist. Implies migrate false.
   */
  readonly readonly?: boolean;
  /**
   * How long a write waits for another process's write lock before it fails
   * with STORE_BUSY (default: env TIERBOOK_BUSY_TIMEOUT_MS, else 10 s).
   */
  readonly busyTimeoutMs?: number;
}

/** Opening waits this long for other processes (a new file's WAL switch, another migrator): nothing is served yet, so blocking is harmless. */
const OPEN_BUSY_MS = 30_000;
const DEFAULT_BUSY_MS = 10_000;

/** Opens (creating if needed) a database file with the pragmas the store relies on. */
export function openDatabase(file: string, readonly = false): Database.Database {
  if (readonly) {
    const ro = new Database(file, { readonly: true, fileMustExist: true });
    ro.pragma(`busy_timeout = ${OPEN_BUSY_MS}`);
    return ro;
  }
  if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
  const db = new Database(file);
  // before the WAL switch: two processes opening a new file at once contend for it
  db.pragma(`busy_timeout = ${OPEN_BUSY_MS}`);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  return db;
}

/**
 * Applies drizzle's migrations (its files and its `__drizzle_migrations`
 * bookkeeping) in ONE `BEGIN IMMEDIATE` transaction: the write lock is taken
 * before the applied ones are read, so a second process starting at the same
 * moment waits and then finds nothing left to do. (drizzle's own migrate
 * reads outside its transaction, and two processes both created the tables:
 * issue 21 item 13.)
 */
export function applyMigrations(client: Database.Database): void {
  const migrations = readMigrationFiles({ migrationsFolder: MIGRATIONS_DIR });
  const apply = client.transaction(() => {
    client.exec('CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)');
    const last = client.prepare('SELECT created_at FROM "__drizzle_migrations" ORDER BY created_at DESC LIMIT 1').pluck().get() as number | string | undefined;
    const record = client.prepare('INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES (?, ?)');
    for (const m of migrations) {
      if (last !== undefined && Number(last) >= m.folderMillis) continue;
      for (const stmt of m.sql) if (stmt.trim() !== '') client.exec(stmt);
      record.run(m.hash, m.folderMillis);
    }
  });
  apply.immediate();
}

const envBusyMs = (): number | undefined => {
  const raw = process.env.TIERBOOK_BUSY_TIMEOUT_MS;
  const n = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
};

export async function openSqlite(file: string, opts: OpenOptions = {}): Promise<SqliteRepository> {
  // Processes opening a NEW file together can still get SQLITE_BUSY without
  // the busy handler being called (the WAL switch and the first schema read
  // race on an empty file): such an open is retried from scratch, briefly.
  const deadline = Date.now() + OPEN_BUSY_MS;
  for (let attempt = 1; ; attempt++) {
    let client: Database.Database | undefined;
    try {
      client = openDatabase(file, opts.readonly ?? false);
      if (opts.migrate !== false && !opts.readonly) applyMigrations(client);
      return new SqliteRepository(client, opts.busyTimeoutMs ?? envBusyMs() ?? DEFAULT_BUSY_MS);
    } catch (err) {
      client?.close();
      if (!isBusy(err) || Date.now() >= deadline) throw err;
      await sleep(Math.min(50, 2 ** attempt) + Math.random() * 10);
    }
  }
}

/** better-sqlite3's lock errors: SQLITE_BUSY and its extended codes, SQLITE_LOCKED. */
export const isBusy = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));


const now = (): string => new Date().toISOString();
/** SQLite stores booleans as 0/1. */
const boolColumn = (b: boolean | null): number | null => (b === null ? null : b ? 1 : 0);
// src/time's parser, as every input was checked with (Date.parse would roll 02-30 over into March)
const ms = (instant: string): number => parseInstant(instant);

export class SqliteRepository implements Repository {
  readonly db: Db;
  private readonly tx: Database.Transaction<(fn: () => unknown) => unknown>;
  private statements: Statements | null = null;

  constructor(
    readonly client: Database.Database,
    /** How long a write waits for another process's write lock (STORE_BUSY after). */
    readonly busyTimeoutMs = DEFAULT_BUSY_MS,
  ) {
    this.db = drizzle({ client, schema: t });
    this.tx = client.transaction((fn: () => unknown) => fn());
    // SQLite's own busy wait sleeps inside the call and so blocks the event
    // loop (a write waiting 10 s froze /health): it is off, and a busy lock is
    // waited for asynchronously in retrying() instead.
    client.pragma('busy_timeout = 0');
  }

  /**
   * Runs `fn` in a write transaction that takes the write lock at BEGIN
   * (IMMEDIATE): a deferred one would read first and then upgrade, and in WAL
   * mode an upgrade after another process committed fails at once with
   * SQLITE_BUSY instead of waiting.
   */
  private write<T>(fn: () => T): Promise<T> {
    return this.retrying(() => this.tx.immediate(fn) as T);
  }

  /** Runs `fn` in a read transaction: one consistent snapshot for several queries. */
  private read<T>(fn: () => T): Promise<T> {
    return this.retrying(() => this.tx.deferred(fn) as T);
  }

  /**
   * Runs `fn` (one whole transaction, or one read statement: in WAL mode a
   * read meets a lock only rarely, e.g. while another connection recovers
   * the WAL, and then waits too) until it does not fail on a lock held by
   * another process, sleeping between attempts (1 ms doubling to 50 ms) so
   * the event loop keeps serving; past busyTimeoutMs, STORE_BUSY (the API's
   * 503 with Retry-After). A failed attempt rolled back, so running `fn`
   * again is safe.
   */
  private async retrying<T>(fn: () => T): Promise<T> {
    const start = performance.now();
    for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
      try {
        return fn();
      } catch (err) {
        if (!isBusy(err)) throw err;
        const waited = performance.now() - start;
        if (waited >= this.busyTimeoutMs) throw ERR.STORE_BUSY({ waitedMs: Math.round(waited) });
        await sleep(Math.min(delay, this.busyTimeoutMs - waited));
      }
    }
  }

  /**
   * A write with its Idempotency-Key claimed in the same transaction: the
   * write lock is held, so the key is either stored (IdempotentReplay,
   * nothing written) or stays free until this commits with the answer.
   */
  private writeOnce<R>(partner: string, claim: IdempotencyClaim<R> | undefined, fn: () => R, audit?: Audit<R>): Promise<R> {
    if (audit) {
      // the audit entries in the change's own transaction (issue 22)
      const change = fn;
      fn = () => {
        const result = change();
        const at = now();
        const insert = (this.adminStatements ??= this.client.prepare(ADMIN_SQL.insertAudit));
        for (const c of audit.changes(result)) insert.run(...auditParams(partner, at, audit.token, c));
        return result;
      };
    }
    if (!claim) return this.write(fn);
    return this.write(() => {
      const row = this.db.select().from(t.idempotency).where(and(eq(t.idempotency.partner, partner), eq(t.idempotency.key, claim.key))).get();
      if (row) throw new IdempotentReplay(idempotencyOf(row));
      const result = fn();
      const answer = claim.answer(result);
      if (answer) this.db.insert(t.idempotency).values({ partner, key: claim.key, route: claim.route, bodyHash: claim.bodyHash, ...answer, createdAt: now() }).run();
      return result;
    });
  }

  /** The hot paths' statements, prepared on first use (the schema may not exist before migrating). */
  private get sql(): Statements {
    return (this.statements ??= prepareStatements(this.client));
  }

  async close(): Promise<void> {
    if (this.client.open) this.client.close();
  }

  async isEmpty(): Promise<boolean> {
    const row = await this.retrying(() => this.db.select({ n: sql<number>`count(*)` }).from(t.customers).get());
    return (row?.n ?? 0) === 0;
  }

  /** Online backup (safe while the server writes): better-sqlite3's db.backup. */
  async backup(dest: string): Promise<void> {
    await this.client.backup(dest);
  }

  // ---- tokens

  async createToken(partner: string, role: Role): Promise<string> {
    const token = `tb_${randomBytes(24).toString('base64url')}`;
    await this.write(() =>
      this.db
        .insert(t.apiTokens)
        .values({ id: randomUUID(), partner, role, tokenHash: hashToken(token), createdAt: now() })
        .run(),
    );
    return token;
  }

  async findToken(token: string): Promise<TokenInfo | null> {
    const h = hashToken(token);
    const row = await this.retrying(() => this.db.select().from(t.apiTokens).where(eq(t.apiTokens.tokenHash, h)).get());
    if (!row) return null;
    // The lookup is by hash (an index), so timing reveals nothing about the
    // token; the explicit constant-time compare guards against a future
    // backend whose lookup is not exact.
    const a = Buffer.from(row.tokenHash, 'hex');
    const b = Buffer.from(h, 'hex');
    if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
    return { id: row.id, partner: row.partner, role: row.role };
  }

  // ---- document links (issue 23)

  async createLink(partner: string, link: NewLink): Promise<string> {
    const id = newLinkId();
    await this.write(() => {
      this.client.prepare(LINK_SQL.purge).run(link.nowMs - LINK_PURGE_AFTER_MS);
      this.client.prepare(LINK_SQL.insert).run(hashToken(id), partner, link.path, link.createdBy, now(), link.expiresMs);
    });
    return id;
  }

  async findLink(id: string): Promise<LinkRecord | null> {
    const row = await this.retrying(() => this.client.prepare(LINK_SQL.byHash).get(hashToken(id)) as LinkRow | undefined);
    return row ? linkOf(row) : null;
  }

  // ---- customers

  async getCustomer(partner: string, id: string): Promise<CustomerRecord | null> {
    return this.retrying(() => (this.sql.customer.get(partner, id) as CustomerRecord | undefined) ?? null);
  }

  async listCustomers(partner: string): Promise<CustomerRecord[]> {
    return this.retrying(() => this.sql.customers.all(partner) as CustomerRecord[]);
  }

  async updateCustomer(partner: string, { record, bodyHash }: Hashed<CustomerRecord>, claim?: IdempotencyClaim<CustomerRecord | null>, audit?: Audit<CustomerRecord | null>): Promise<CustomerRecord | null> {
    return this.writeOnce(partner, claim, () => {
      const res = this.db
        .update(t.customers)
        .set({ name: record.name, locale: record.locale, taxRate: record.taxRate, email: record.email, tenantId: this.freeTenant(partner, record), taxId: record.taxId ?? null, bodyHash, updatedAt: now() })
        .where(and(eq(t.customers.partner, partner), eq(t.customers.id, record.id)))
        .run();
      return res.changes > 0 ? ((this.sql.customer.get(partner, record.id) as CustomerRecord | undefined) ?? null) : null;
    }, audit);
  }

  async reviseCustomer(partner: string, id: string, revise: (current: CustomerRecord) => Hashed<CustomerRecord>, claim?: IdempotencyClaim<CustomerRecord | null>, audit?: Audit<CustomerRecord | null>): Promise<CustomerRecord | null> {
    return this.writeOnce(partner, claim, () => {
      const current = this.sql.customer.get(partner, id) as CustomerRecord | undefined;
      if (!current) return null;
      const { record, bodyHash } = revise(customerOf(current));
      const c = customerOf({ ...record, id });
      this.sql.customerUpdate.run(c.name, c.locale, c.taxRate, c.email, this.freeTenant(partner, c), c.taxId, bodyHash, now(), partner, id);
      return this.sql.customer.get(partner, id) as CustomerRecord;
    }, audit);
  }

  // ---- subscriptions

  private subscriptionById(partner: string, id: string): SubscriptionRecord | null {
    const row = this.sql.subscription.get(partner, id) as SubscriptionRow | undefined;
    return row ? withQuantities([row], this.sql.quantitiesOfSubscription.all(partner, id) as QuantityRow[])[0]! : null;
  }

  private subscriptionsOf(partner: string, customer: string): SubscriptionRecord[] {
    const rows = this.sql.subscriptionsOfCustomer.all(partner, customer) as SubscriptionRow[];
    return rows.length === 0 ? [] : withQuantities(rows, this.sql.quantitiesOfCustomer.all(partner, partner, customer) as QuantityRow[]);
  }

  async getSubscription(partner: string, id: string): Promise<SubscriptionRecord | null> {
    return this.read(() => this.subscriptionById(partner, id));
  }

  async listSubscriptions(partner: string, customer: string): Promise<SubscriptionRecord[]> {
    return this.read(() => this.subscriptionsOf(partner, customer));
  }

  async reviseSubscription(
    partner: string,
    id: string,
    revise: (current: SubscriptionRecord, customerSubscriptions: readonly SubscriptionRecord[]) => SubscriptionChange,
    claim?: IdempotencyClaim<SubscriptionRevision | null>,
    audit?: Audit<SubscriptionRevision | null>,
  ): Promise<SubscriptionRevision | null> {
    return this.writeOnce(partner, claim, () => {
      const current = this.subscriptionById(partner, id);
      if (!current) return null;
      const siblings = this.subscriptionsOf(partner, current.customer);
      const change = revise(current, siblings);
      const updated = subscriptionOf({ ...current, ...change.set });
      const created = change.create ? subscriptionOf(change.create.record) : null;
      if (created && this.sql.exists.subscriptions.get(partner, created.id) !== undefined) throw new ConflictError(`subscription "${created.id}" already exists`);
      // the rule holds on the subscriptions as they will stand
      const after = [...siblings.filter((x) => x.id !== id), updated, ...(created ? [created] : [])];
      assertNoOverlap(updated, after);
      if (created) assertNoOverlap(created, after);
      this.sql.subscriptionUpdate.run(updated.end, updated.discount, pricesText(updated), updated.priceAsOf, partner, id);
      if (created) {
        const at = now();
        this.sql.insert.subscription.run(partner, created.id, created.customer, created.offering, created.start, created.end, created.discount, pricesText(created), created.priceAsOf, change.create!.bodyHash, at);
        for (const x of created.quantities) this.sql.insert.quantity.run(partner, created.id, x.metric, x.value, x.from, at);
      }
      return { subscription: this.subscriptionById(partner, id)!, customerSubscriptions: this.subscriptionsOf(partner, current.customer) };
    }, audit);
  }

  async addQuantity(partner: string, subscription: string, q: QuantityRecord, claim?: IdempotencyClaim<SubscriptionRecord | null>, audit?: Audit<SubscriptionRecord | null>): Promise<SubscriptionRecord | null> {
    return this.writeOnce(partner, claim, () => {
      if (this.sql.exists.subscriptions.get(partner, subscription) === undefined) return null;
      this.sql.insert.quantity.run(partner, subscription, q.metric, q.value, q.from, now());
      return this.subscriptionById(partner, subscription);
    }, audit);
  }

  // ---- requests

  async getRequest(partner: string, id: string): Promise<RequestRecord | null> {
    const row = await this.retrying(() => this.sql.request.get(partner, id) as RequestRow | undefined);
    return row ? requestOf(row) : null;
  }

  async setResponse(partner: string, id: string, respondedAt: string, claim?: IdempotencyClaim<RequestRecord | null>): Promise<RequestRecord | null> {
    return this.writeOnce(partner, claim, () => {
      const res = this.db
        .update(t.requests)
        .set({ respondedAt })
        .where(and(eq(t.requests.partner, partner), eq(t.requests.id, id)))
        .run();
      if (res.changes === 0) return null;
      const row = this.sql.request.get(partner, id) as RequestRow | undefined;
      return row ? requestOf(row) : null;
    });
  }

  // ---- request events (§11.2)

  private eventStatements: ReturnType<typeof prepareEventStatements> | null = null;
  private get ev(): ReturnType<typeof prepareEventStatements> {
    return (this.eventStatements ??= prepareEventStatements(this.client));
  }

  async addEvents(partner: string, recs: readonly Hashed<EventRecord>[], claim?: IdempotencyClaim<WriteResult<EventRecord>[]>): Promise<WriteResult<EventRecord>[]> {
    return this.writeOnce(partner, claim, () =>
      recs.map(({ record: e, bodyHash }, index): WriteResult<EventRecord> => {
        const q = this.ev;
        const existing = q.hash.get(partner, e.request, e.id) as string | undefined;
        if (existing !== undefined) {
          if (existing !== bodyHash) throw new ConflictError(`event "${e.id}" of request "${e.request}" already exists with a different body`, index);
          return { created: false, record: q.event.get(partner, e.request, e.id) as EventRecord };
        }
        const responded = q.respondedAt.get(partner, e.request) as { responded_at: string | null } | undefined;
        if (!responded) throw new MissingReferenceError(`unknown request "${e.request}"`, '/request', index);
        q.insert.run(partner, e.request, e.id, e.at, ms(e.at), e.type, e.status, e.severity, bodyHash, now());
        // the first response stops the response clock, whichever door it came through
        if (e.type === 'responded' && (responded.responded_at === null || ms(e.at) < ms(responded.responded_at))) q.respond.run(e.at, partner, e.request);
        return { created: true, record: eventOf(e) };
      }),
    );
  }

  async listEvents(partner: string, request: string): Promise<EventRecord[]> {
    return this.retrying(() => this.ev.ofRequest.all(partner, request) as EventRecord[]);
  }

  async requestLives(partner: string, customer: string, fromMs: number, toMs: number, eventsToMs = toMs): Promise<RequestLives> {
    return this.read(() => ({
      requests: (this.sql.periodRequests.all(partner, customer, fromMs, toMs) as RequestRow[]).map(requestOf),
      events: this.ev.ofCustomer.all(partner, customer, fromMs, eventsToMs) as EventRecord[],
    }));
  }

  // ---- batch writes

  async insertMany<K extends RecordKind>(
    partner: string,
    kind: K,
    recs: readonly Hashed<KindRecord[K]>[],
    claim?: IdempotencyClaim<WriteResult<KindRecord[K]>[]>,
    audit?: Audit<WriteResult<KindRecord[K]>[]>,
  ): Promise<WriteResult<KindRecord[K]>[]> {
    return this.writeOnce(partner, claim, () => {
      // per attempt: a busy retry runs the whole transaction again
      const batch: Batch = { partner, customers: new Set(), requests: new Set() };
      return recs.map((r, i) => this.insertOne(batch, kind, r, i)) as WriteResult<KindRecord[K]>[];
    }, audit);
  }

  /**
   * One record of a batch, on statements prepared once per connection. A new
   * record is returned as given (shaped like a stored one) rather than read
   * back; a replayed one is read back, since the store's copy is the answer
   * (a request's decision was taken at its first arrival).
   */
  private insertOne(batch: Batch, kind: RecordKind, { record, bodyHash }: Hashed<KindRecord[RecordKind]>, index: number): WriteResult<KindRecord[RecordKind]> {
    const { partner } = batch;
    const q = this.sql;
    const existing = q.exists[kind].get(partner, record.id) as string | undefined;
    if (existing !== undefined) {
      if (existing !== bodyHash) {
        throw new ConflictError(`${KIND_NOUN[kind]} "${record.id}" already exists with a different body`, index);
      }
      return { created: false, record: this.readBack(partner, kind, record.id) };
    }
    if (kind !== 'customers') {
      // A customer found once stays found for the rest of the batch (one transaction, no deletes).
      const customer = (record as { customer: string | null }).customer;
      if (customer !== null && !batch.customers.has(customer)) {
        if (q.exists.customers.get(partner, customer) === undefined) throw new MissingReferenceError(`unknown customer "${customer}"`, '/customer', index);
        batch.customers.add(customer);
      }
    }
    const createdAt = now();
    switch (kind) {
      case 'customers': {
        const c = customerOf(record as CustomerRecord);
        q.insert.customer.run(partner, c.id, c.name, c.locale, c.taxRate, c.email, this.freeTenant(partner, c, index), c.taxId, bodyHash, createdAt, createdAt);
        return { created: true, record: c };
      }
      case 'subscriptions': {
        const s = subscriptionOf(record as SubscriptionRecord);
        // earlier records of the batch are written already: the query sees them
        assertNoOverlap(s, q.spansOfOffering.all(partner, s.customer, s.offering) as SubscriptionSpan[], index);
        q.insert.subscription.run(partner, s.id, s.customer, s.offering, s.start, s.end, s.discount, pricesText(s), s.priceAsOf, bodyHash, createdAt);
        for (const x of s.quantities) q.insert.quantity.run(partner, s.id, x.metric, x.value, x.from, createdAt);
        return { created: true, record: s };
      }
      case 'requests': {
        const g = record as RequestRecord;
        const r = requestOfRecord(g);
        q.insert.request.run(
          partner, r.id, r.customer, r.offering, r.service, r.category, r.severity, r.channel, r.receivedAt, ms(r.receivedAt),
          r.serviceIncident === null ? null : r.serviceIncident ? 1 : 0, r.respondedAt, JSON.stringify(r.decision), bodyHash, createdAt,
        );
        return { created: true, record: r };
      }
      case 'worklogs': {
        const w = worklogOf(record as WorklogRecord);
        if (w.request !== null && !batch.requests.has(w.request)) {
          if (q.exists.requests.get(partner, w.request) === undefined) throw new MissingReferenceError(`unknown request "${w.request}"`, '/request', index);
          batch.requests.add(w.request);
        }
        q.insert.worklog.run(partner, w.id, w.customer, w.request, w.offering, w.start, ms(w.start), w.minutes, w.component, boolColumn(billableColumn(w)), bodyHash, createdAt);
        return { created: true, record: w };
      }
      case 'spend': {
        const s = spendOf(record as SpendRecord);
        q.insert.spend.run(partner, s.id, s.customer, s.period, s.service, s.amount, s.retail, s.source, s.invoice, bodyHash, createdAt);
        return { created: true, record: s };
      }
      case 'purchases': {
        const p = purchaseOf(record as PurchaseRecord);
        if (q.exists.subscriptions.get(partner, p.subscription) === undefined) throw new MissingReferenceError(`unknown subscription "${p.subscription}"`, '/subscription', index);
        q.insert.purchase.run(partner, p.id, p.customer, p.subscription, p.component, p.date, p.quantity, p.amount, bodyHash, createdAt);
        return { created: true, record: p };
      }
    }
  }

  /** The customer's tenant id when no other customer of the partner has it, else a ConflictError (§12.1: unique per partner). */
  private freeTenant(partner: string, c: CustomerRecord, index?: number): string | null {
    const tenant = c.tenantId ?? null;
    if (tenant === null) return null;
    const owner = this.sql.tenantOwner.get(partner, tenant) as string | undefined;
    if (owner !== undefined && owner !== c.id) throw new ConflictError(`tenant "${tenant}" already belongs to customer "${owner}"`, index);
    return tenant;
  }

  async replaceSpend(partner: string, recs: readonly SpendRecord[]): Promise<ReplaceCounts> {
    return this.write(() => {
      const q = this.sql;
      const known = new Set<string>();
      let created = 0;
      let replaced = 0;
      recs.forEach((r, index) => {
        if (!known.has(r.customer)) {
          if (q.exists.customers.get(partner, r.customer) === undefined) throw new MissingReferenceError(`unknown customer "${r.customer}"`, '/customer', index);
          known.add(r.customer);
        }
        const s = spendOf(r);
        // the body hash covers the figures, so a plain POST /spend of the same id conflicts unless identical
        const hash = spendFiguresHash(s);
        if (q.exists.spend.get(partner, s.id) === undefined) {
          q.insert.spend.run(partner, s.id, s.customer, s.period, s.service, s.amount, s.retail, s.source, s.invoice, hash, now());
          created++;
        } else {
          q.replaceSpend.run(s.customer, s.period, s.service, s.amount, s.retail, s.source, s.invoice, hash, partner, s.id);
          replaced++;
        }
      });
      return { created, replaced };
    });
  }

  private readBack(partner: string, kind: RecordKind, id: string): KindRecord[RecordKind] {
    const q = this.sql;
    switch (kind) {
      case 'customers':
        return q.customer.get(partner, id) as CustomerRecord;
      case 'subscriptions':
        return this.subscriptionById(partner, id)!;
      case 'requests':
        return requestOf(q.request.get(partner, id) as RequestRow);
      case 'worklogs':
        return worklogOf(q.worklog.get(partner, id) as WorklogRow);
      case 'spend':
        return q.spend.get(partner, id) as SpendRecord;
      case 'purchases':
        return q.purchase.get(partner, id) as PurchaseRecord;
    }
  }

  // ---- statements

  async periodData(partner: string, customer: string, period: string, fromMs: number, toMs: number): Promise<CustomerPeriodData | null> {
    // One read transaction: a consistent snapshot even while writes arrive.
    return this.read(() => {
      const q = this.sql;
      const c = q.customer.get(partner, customer) as CustomerRecord | undefined;
      if (!c) return null;
      const subscriptions = this.subscriptionsOf(partner, customer);
      const reqs = q.periodRequests.all(partner, customer, fromMs, toMs) as RequestRow[];
      const worklogs = (q.periodWorklogs.all(partner, customer, fromMs, toMs) as WorklogRow[]).map(worklogOf);
      // Work in this period on a request of an earlier one still bills under that request's offering.
      const have = new Set(reqs.map((r) => r[0]));
      const missing = [...new Set(worklogs.map((w) => w.request).filter((id): id is string => id !== null && !have.has(id)))];
      if (missing.length > 0) reqs.push(...(q.requestsByIds.all(partner, JSON.stringify(missing)) as RequestRow[]));
      const spend = q.periodSpend.all(partner, customer, period) as SpendRecord[];
      return { customer: c, subscriptions, requests: reqs.map(requestOf), worklogs, spend };
    });
  }

  async windowData(partner: string, customer: string, fromPeriod: string, toPeriod: string, fromMs: number, toMs: number): Promise<CustomerWindow | null> {
    // one read transaction, the per-period reads' statements over the whole window (app/corrections.ts cuts it)
    return this.read(() => {
      const c = this.sql.customer.get(partner, customer) as CustomerRecord | undefined;
      if (!c) return null;
      const me = this.me;
      return {
        customer: c,
        subscriptions: this.subscriptionsOf(partner, customer),
        worklogs: (me.windowWorklogs.all(partner, customer, fromMs, toMs) as WorklogRow[]).map(worklogOf),
        spend: me.windowSpend.all(partner, customer, fromPeriod, toPeriod) as SpendRecord[],
        adjustments: (me.windowAdjustments.all(partner, customer, fromPeriod, toPeriod) as Parameters<typeof adjustmentOf>[0][]).map(adjustmentOf),
      };
    });
  }

  async history(partner: string, customer: string, fromMs: number, toMs: number, through: string): Promise<CustomerHistory> {
    return this.read(() => {
      const q = this.sql;
      return {
        requests: (q.periodRequests.all(partner, customer, fromMs, toMs) as RequestRow[]).map(requestOf),
        worklogs: (q.periodWorklogs.all(partner, customer, fromMs, toMs) as WorklogRow[]).map(worklogOf),
        purchases: q.purchasesThrough.all(partner, customer, through) as PurchaseRecord[],
      };
    });
  }

  // ---- kept block ledger states (§10)

  private ledgerStatements: { [K in keyof typeof LEDGER_STATE_SQL]: Database.Statement } | null = null;
  private get ls(): { [K in keyof typeof LEDGER_STATE_SQL]: Database.Statement } {
    return (this.ledgerStatements ??= Object.fromEntries(Object.entries(LEDGER_STATE_SQL).map(([k, v]) => [k, this.client.prepare(v)])) as { [K in keyof typeof LEDGER_STATE_SQL]: Database.Statement });
  }

  async historyStamp(partner: string, customer: string, toMs: number, through: string): Promise<string> {
    return this.read(() => stampOf(this.ls.historyStamp.all(...historyStampParams(partner, customer, toMs, through)) as { n: number; h: string }[]));
  }

  async historyStamps(partner: string, customer: string, bounds: readonly StampBound[]): Promise<string[]> {
    if (bounds.length === 0) return [];
    return this.read(() => stampsOf(this.ls.stampRows.all(...stampRowsParams(partner, customer, bounds)) as StampRow[], bounds));
  }

  async ledgerStates(partner: string, customer: string, before: string, limit: number): Promise<KeptLedgerStates[]> {
    return this.retrying(() => this.heads.states.all(partner, customer, before, limit) as KeptLedgerStates[]);
  }

  async keptStates(partner: string, customer: string, before: string, limit: number): Promise<LedgerStatesRecord[]> {
    return this.retrying(() => this.ls.latest.all(partner, customer, before, limit) as LedgerStatesRecord[]);
  }

  async putLedgerStates(partner: string, customer: string, rec: LedgerStatesRecord): Promise<void> {
    await this.write(() => this.ls.put.run(partner, customer, rec.period, rec.stamp, rec.states, now(), rec.inputsRev));
  }

  async getIssued(partner: string, customer: string, period: string): Promise<IssuedStatementRecord | null> {
    const row = await this.retrying(() =>
      this.db
        .select()
        .from(t.statements)
        .where(and(eq(t.statements.partner, partner), eq(t.statements.customer, customer), eq(t.statements.period, period)))
        .get(),
    );
    return row ? issuedOf(row) : null;
  }

  async issue(
    partner: string,
    customer: string,
    period: string,
    make: (number: string, issuedAt: string, replaces: string | null) => IssueMade,
    claim?: IdempotencyClaim<WriteResult<IssuedStatementRecord>>,
  ): Promise<WriteResult<IssuedStatementRecord>> {
    return this.writeOnce(partner, claim, () => {
      const existing = this.db
        .select()
        .from(t.statements)
        .where(and(eq(t.statements.partner, partner), eq(t.statements.customer, customer), eq(t.statements.period, period)))
        .get();
      if (existing) return { created: false, record: issuedOf(existing) };
      const prefix = `${partner.toUpperCase()}-${period.replace('-', '')}-`;
      const taken = this.db
        .select({ n: sql<number>`count(*)` })
        .from(t.statements)
        .where(and(eq(t.statements.partner, partner), like(t.statements.number, `${prefix}%`)))
        .get();
      // a void number stays used (§9.7): voided invoices count in their series
      const voided = this.client.prepare("select count(*) from voided_invoices where partner = ? and number like ? || '%'").pluck().get(partner, prefix) as number;
      const number = prefix + String((taken?.n ?? 0) + voided + 1).padStart(4, '0');
      const issuedAt = now();
      const replaces = lastNumber(this.client.prepare(DOCUMENT_SQL.voidedOfPeriod).pluck().all(partner, customer, period) as string[]);
      const made = make(number, issuedAt, replaces);
      const row = { partner, customer, period, number, body: made.body, planHash: made.planHash, inputsDigest: made.inputsDigest, inputsRev: made.inputsRev ?? null, issuedAt };
      this.db.insert(t.statements).values(row).run();
      return { created: true, record: issuedOf(row) };
    });
  }

  // ---- month-end (§9.1, §9.5, §9.6)

  private monthEndStatements: { [K in keyof typeof MONTH_END_SQL]: Database.Statement } | null = null;
  private get me(): { [K in keyof typeof MONTH_END_SQL]: Database.Statement } {
    return (this.monthEndStatements ??= Object.fromEntries(Object.entries(MONTH_END_SQL).map(([k, v]) => [k, this.client.prepare(v)])) as { [K in keyof typeof MONTH_END_SQL]: Database.Statement });
  }

  async issuedSince(partner: string, customer: string, fromPeriod: string): Promise<IssuedStatementRecord[]> {
    return this.retrying(() => (this.me.issuedSince.all(partner, customer, fromPeriod) as IssuedStatementRecord[]).map(issuedOf));
  }

  private headsStatements: { heads: Database.Statement; rev: Database.Statement; states: Database.Statement } | null = null;
  /** The reads that see input_changes (SQLite's own SQL: month-end.ts UNSEEN). */
  private get heads(): { heads: Database.Statement; rev: Database.Statement; states: Database.Statement } {
    return (this.headsStatements ??= {
      heads: this.client.prepare(HEADS_SQL.sqlite),
      rev: this.client.prepare(HEADS_SQL.sqliteRev).pluck(),
      states: this.client.prepare(LATEST_STATES_SQL.sqlite),
    });
  }

  async issuedHeadsSince(partner: string, customer: string, fromPeriod: string): Promise<IssuedHead[]> {
    return this.retrying(() => (this.heads.heads.all(partner, customer, fromPeriod) as IssuedHead[]).map(issuedHeadOf));
  }

  async inputsRev(partner: string, customer: string): Promise<string> {
    return this.retrying(() => String(this.heads.rev.get(partner, customer) as number));
  }

  async insertAdjustments(partner: string, recs: readonly Hashed<AdjustmentRecord>[], claim?: IdempotencyClaim<WriteResult<AdjustmentRecord>[]>): Promise<WriteResult<AdjustmentRecord>[]> {
    return this.writeOnce(partner, claim, () => {
      const q = this.me;
      let seq = q.nextSeq.pluck().get(partner) as number;
      return recs.map(({ record: a, bodyHash }, index): WriteResult<AdjustmentRecord> => {
        const existing = q.adjustmentHash.pluck().get(partner, a.id) as string | undefined;
        if (existing !== undefined) {
          if (existing !== bodyHash) throw new ConflictError(`adjustment "${a.id}" already exists with a different body`, index);
          return { created: false, record: adjustmentOf(q.adjustment.get(partner, a.id) as Parameters<typeof adjustmentOf>[0]) };
        }
        if (!q.customerExists.get(partner, a.customer)) throw new MissingReferenceError(`unknown customer "${a.customer}"`, '/customer', index);
        const issued = q.periodIssued.pluck().get(partner, a.customer, a.period) as string | undefined;
        if (issued !== undefined) throw ERR.PERIOD_ISSUED({ customer: a.customer, period: a.period, number: issued }, { index });
        q.insertAdjustment.run(partner, a.id, a.customer, a.period, a.description, a.amount, a.offering ?? null, a.taxable ? 1 : 0, seq++, bodyHash, now());
        return { created: true, record: adjustmentOf({ ...a, offering: a.offering ?? null }) };
      });
    });
  }

  async listAdjustments(partner: string, customer: string, period: string): Promise<AdjustmentRecord[]> {
    return this.retrying(() => (this.me.adjustments.all(partner, customer, period) as Parameters<typeof adjustmentOf>[0][]).map(adjustmentOf));
  }

  async putPlanVersion(partner: string, hash: string, text: string): Promise<boolean> {
    return this.write(() => this.me.insertPlanVersion.run(partner, hash, text, now()).changes > 0);
  }

  async getPlanVersion(partner: string, hash: string): Promise<string | null> {
    return this.retrying(() => (this.me.planVersion.pluck().get(partner, hash) as string | undefined) ?? null);
  }

  async issuedByNumber(partner: string, number: string): Promise<IssuedStatementRecord | null> {
    const row = await this.retrying(() => this.db.select().from(t.statements).where(and(eq(t.statements.partner, partner), eq(t.statements.number, number))).get());
    return row ? issuedOf(row) : null;
  }

  async voidInvoice(
    partner: string,
    number: string,
    reason: string,
    guard: VoidGuard,
    claim?: IdempotencyClaim<WriteResult<VoidedInvoiceRecord> | null>,
  ): Promise<WriteResult<VoidedInvoiceRecord> | null> {
    return this.writeOnce(partner, claim, () => {
      const before = this.client.prepare(DOCUMENT_SQL.voidedByNumber).get(partner, number) as VoidedInvoiceRecord | undefined;
      if (before) return { created: false, record: voidedOf(before) };
      const row = this.db.select().from(t.statements).where(and(eq(t.statements.partner, partner), eq(t.statements.number, number))).get();
      if (!row) return null;
      const invoice = issuedOf(row);
      const notes = (this.client.prepare(DOCUMENT_SQL.creditNotesOf).all(partner, number) as CreditNoteRecord[]).map(creditNoteOf);
      const later = (this.client.prepare(DOCUMENT_SQL.laterIssued).all(partner, invoice.customer, invoice.period) as IssuedStatementRecord[]).map(issuedOf);
      guard(invoice, notes, later);
      const voidedAt = now();
      this.client.prepare(DOCUMENT_SQL.voidInsert).run(...voidParams(partner, invoice, reason, voidedAt));
      this.client.prepare(DOCUMENT_SQL.issuedDelete).run(partner, number);
      return { created: true, record: { ...invoice, reason, voidedAt } };
    });
  }

  async issueCreditNote(
    partner: string,
    invoiceNumber: string,
    series: (issuedAt: string) => string,
    make: CreditNoteMaker,
    claim?: IdempotencyClaim<WriteResult<CreditNoteRecord> | null>,
  ): Promise<WriteResult<CreditNoteRecord> | null> {
    // the write lock is held from BEGIN IMMEDIATE: the count below and the insert are one step for every process
    return this.writeOnce(partner, claim, () => {
      const row = this.db.select().from(t.statements).where(and(eq(t.statements.partner, partner), eq(t.statements.number, invoiceNumber))).get();
      if (!row) return null;
      const invoice = issuedOf(row);
      const earlier = (this.client.prepare(DOCUMENT_SQL.creditNotesOf).all(partner, invoiceNumber) as CreditNoteRecord[]).map(creditNoteOf);
      const issuedAt = now();
      const prefix = series(issuedAt);
      const taken = this.client.prepare("select count(*) from credit_notes where partner = ? and number like ? || '%'").pluck().get(partner, prefix) as number;
      const number = numberIn(prefix, taken + 1);
      const made = make(invoice, earlier, number, issuedAt);
      const rec: CreditNoteRecord = { number, invoice: invoiceNumber, customer: invoice.customer, period: invoice.period, total: made.total, body: made.body, issuedAt };
      this.client.prepare(DOCUMENT_SQL.creditNoteInsert).run(partner, number, invoiceNumber, rec.customer, rec.period, rec.total, rec.body, issuedAt);
      return { created: true, record: rec };
    });
  }

  async documents(partner: string, filter: DocumentFilter): Promise<DocumentRecord[]> {
    return this.read(() => documentsOf(documentQueries(partner, filter).map((q) => ({ table: q.table, rows: this.client.prepare(q.sql).all(...q.params) as Record<string, unknown>[] }))));
  }

  async documentByNumber(partner: string, number: string): Promise<DocumentRecord | null> {
    return this.read(() => {
      const cur = this.client.prepare(SELECT_SQL.issuedByNumber).get(partner, number) as Record<string, unknown> | undefined;
      if (cur) return documentOf('statements', cur);
      const v = this.client.prepare(DOCUMENT_SQL.voidedByNumber).get(partner, number) as Record<string, unknown> | undefined;
      if (v) return documentOf('voided_invoices', v);
      const cn = this.client.prepare(DOCUMENT_SQL.creditNoteByNumber).get(partner, number) as Record<string, unknown> | undefined;
      return cn ? documentOf('credit_notes', cn) : null;
    });
  }

  async listIssued(partner: string): Promise<IssuedStatementRecord[]> {
    return (await this.retrying(() => this.db.select().from(t.statements).where(eq(t.statements.partner, partner)).orderBy(asc(t.statements.number)).all())).map(issuedOf);
  }

  async inputStamps(partner: string, ids: InputIds, since: string): Promise<InputStamps> {
    return this.read(() => {
      const c = this.db.select({ u: t.customers.updatedAt }).from(t.customers).where(and(eq(t.customers.partner, partner), eq(t.customers.id, ids.customer))).get();
      const created = {} as InputStamps['created'];
      for (const kind of ['subscriptions', 'requests', 'worklogs', 'spend', 'purchases'] as const) {
        const table = t[kind];
        const rows = this.db
          .select({ id: table.id, at: table.createdAt })
          .from(table)
          .where(and(eq(table.partner, partner), inArray(table.id, [...(ids[kind] ?? [])])))
          .all();
        created[kind] = new Map(rows.map((r) => [r.id, r.at]));
      }
      const later = this.db
        .select()
        .from(t.quantities)
        .where(and(eq(t.quantities.partner, partner), inArray(t.quantities.subscription, [...ids.subscriptions]), gt(t.quantities.createdAt, since)))
        .orderBy(asc(t.quantities.seq))
        .all();
      return { customerUpdatedAt: c?.u ?? null, created, laterQuantities: laterQuantities(later) };
    });
  }

  // ---- change stamp

  private stampStatements: { version: Database.Statement; changes: Database.Statement } | null = null;

  /** PRAGMA data_version changes when another connection commits; total_changes() counts this one's writes. */
  changeStamp(): ChangeStamp {
    if (!this.client.open) return { external: -1, own: -1 };
    const q = (this.stampStatements ??= {
      version: this.client.prepare('PRAGMA data_version').pluck(),
      changes: this.client.prepare('SELECT total_changes()').pluck(),
    });
    return { external: q.version.get() as number, own: q.changes.get() as number };
  }

  // ---- idempotency

  // ---- admin lists, corrections, audit (issue 22)

  private adminStatements: Database.Statement | null = null;

  async listPage<K extends ListKind>(partner: string, filter: ListFilter & { readonly kind: K }, page: PageRequest): Promise<Page<KindRecord[K]>> {
    return this.read(() => {
      const { sql, params } = listSql('sqlite', partner, filter, page);
      const rows = this.client.prepare(sql).all(...params) as { k: string | number; id: string }[];
      const more = rows.length > page.limit;
      const shown = more ? rows.slice(0, page.limit) : rows;
      const last = shown[shown.length - 1];
      return { items: shown.map((r) => this.readBack(partner, filter.kind, r.id) as KindRecord[K]), next: more && last ? [last.k, last.id] : null };
    });
  }

  async reviseRecord<K extends CorrectableKind>(
    partner: string,
    kind: K,
    id: string,
    change: (current: KindRecord[K]) => Hashed<KindRecord[K]> | null,
    periodOf: (record: KindRecord[K]) => string,
    claim?: IdempotencyClaim<RecordRevision<K> | null>,
    audit?: Audit<RecordRevision<K> | null>,
  ): Promise<RecordRevision<K> | null> {
    return this.writeOnce(
      partner,
      claim,
      (): RecordRevision<K> | null => {
        const run = (sql: string, ...params: unknown[]) => this.client.prepare(sql).run(...params);
        const get = (sql: string, ...params: unknown[]) => this.client.prepare(sql).pluck().get(...params) as string | undefined;
        if (this.sql.exists[kind].get(partner, id) === undefined) return null;
        const before = this.readBack(partner, kind, id) as KindRecord[K];
        const next = change(before);
        const customer = (before as { customer: string }).customer;
        for (const period of correctionPeriods(before, next?.record ?? null, periodOf)) {
          const number = get(ADMIN_SQL.periodIssued, partner, customer, period);
          if (number !== undefined) throw ERR.PERIOD_ISSUED({ customer, period, number });
        }
        if (next === null) {
          if (kind === 'requests') {
            const worklog = get(ADMIN_SQL.worklogOfRequest, partner, id);
            if (worklog !== undefined) throw ERR.RECORD_IN_USE({ what: `request "${id}"`, by: `worklog "${worklog}"` });
            run(ADMIN_SQL.deleteEvents, partner, id);
          }
          run(deleteSql(kind), partner, id);
          return { before, after: null };
        }
        const { sql, params } = correctionWrite('sqlite', kind, { ...next.record, id }, next.bodyHash, partner);
        run(sql, ...params);
        return { before, after: this.readBack(partner, kind, id) as KindRecord[K] };
      },
      audit,
    );
  }

  async getRecord<K extends CorrectableKind>(partner: string, kind: K, id: string): Promise<KindRecord[K] | null> {
    return this.read(() => (this.sql.exists[kind].get(partner, id) === undefined ? null : (this.readBack(partner, kind, id) as KindRecord[K])));
  }

  async auditLog(partner: string, filter: AuditFilter, page: { readonly limit: number; readonly after: number | null }): Promise<Page<AuditRecord>> {
    return this.retrying(() => {
      const { sql, params } = auditSql(partner, filter, page);
      const rows = (this.client.prepare(sql).all(...params) as Parameters<typeof auditOf>[0][]).map(auditOf);
      const more = rows.length > page.limit;
      const items = more ? rows.slice(0, page.limit) : rows;
      return { items, next: more ? [items[items.length - 1]!.seq, ''] : null };
    });
  }

  async getIdempotent(partner: string, key: string): Promise<IdempotencyRecord | null> {
    const row = await this.retrying(() => this.db.select().from(t.idempotency).where(and(eq(t.idempotency.partner, partner), eq(t.idempotency.key, key))).get());
    return row ? idempotencyOf(row) : null;
  }

  async putIdempotent(partner: string, rec: IdempotencyRecord): Promise<IdempotencyRecord> {
    return this.write(() => this.storeIdempotent(partner, rec));
  }

  /** Inside a write transaction: the stored record for the key, else `rec` stored. */
  private storeIdempotent(partner: string, rec: IdempotencyRecord): IdempotencyRecord {
    const row = this.db.select().from(t.idempotency).where(and(eq(t.idempotency.partner, partner), eq(t.idempotency.key, rec.key))).get();
    if (row) return idempotencyOf(row);
    this.db.insert(t.idempotency).values({ partner, ...rec, createdAt: now() }).run();
    return rec;
  }
}

// ---- prepared statements of the hot paths (raw better-sqlite3: building a
// drizzle query and preparing it per record dominated ingest and billing)

/** What one insertMany has already found to exist: each is checked once per batch. */
interface Batch {
  readonly partner: string;
  readonly customers: Set<string>;
  readonly requests: Set<string>;
}

/** The inserts of INSERT_SQL, prepared on `db`. */
export function prepareInserts(db: Database.Database): Record<keyof typeof INSERT_SQL, Database.Statement> {
  const out = {} as Record<keyof typeof INSERT_SQL, Database.Statement>;
  for (const k of Object.keys(INSERT_SQL) as (keyof typeof INSERT_SQL)[]) out[k] = db.prepare(INSERT_SQL[k]);
  return out;
}

type Statements = ReturnType<typeof prepareStatements>;

function prepareEventStatements(db: Database.Database) {
  return {
    hash: db.prepare(SELECT_SQL.eventHash).pluck(),
    event: db.prepare(SELECT_SQL.event),
    ofRequest: db.prepare(SELECT_SQL.eventsOfRequest),
    ofCustomer: db.prepare(SELECT_SQL.customerEvents),
    respondedAt: db.prepare(SELECT_SQL.respondedAt),
    insert: db.prepare('insert into request_events (partner, request, id, at, at_ms, type, status, severity, body_hash, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    respond: db.prepare('update requests set responded_at = ? where partner = ? and id = ?'),
  };
}

function prepareStatements(db: Database.Database) {
  const exists = (table: string) => db.prepare(`select body_hash from ${table} where partner = ? and id = ?`).pluck();
  return {
    exists: {
      customers: exists('customers'),
      subscriptions: exists('subscriptions'),
      requests: exists('requests'),
      worklogs: exists('worklogs'),
      spend: exists('spend'),
      purchases: exists('purchases'),
    } satisfies Record<RecordKind, Database.Statement>,
    insert: prepareInserts(db),
    customer: db.prepare(SELECT_SQL.customer),
    customers: db.prepare(SELECT_SQL.customers),
    subscription: db.prepare(SELECT_SQL.subscription),
    subscriptionsOfCustomer: db.prepare(SELECT_SQL.subscriptionsOfCustomer),
    quantitiesOfSubscription: db.prepare(SELECT_SQL.quantitiesOfSubscription),
    quantitiesOfCustomer: db.prepare(SELECT_SQL.quantitiesOfCustomer),
    request: db.prepare(SELECT_SQL.request).raw(true),
    worklog: db.prepare(SELECT_SQL.worklog),
    spend: db.prepare(SELECT_SQL.spend),
    purchase: db.prepare(SELECT_SQL.purchase),
    purchasesThrough: db.prepare(SELECT_SQL.purchasesThrough),
    periodRequests: db.prepare(SELECT_SQL.periodRequests).raw(true),
    periodWorklogs: db.prepare(SELECT_SQL.periodWorklogs),
    // ids as one JSON array: a single statement for any number of them, rows in id order as an IN list gives them
    requestsByIds: db.prepare(`select ${REQUEST_COLS} from requests where partner = ? and id in (select value from json_each(?))`).raw(true),
    periodSpend: db.prepare(SELECT_SQL.periodSpend),
    tenantOwner: db.prepare(SELECT_SQL.tenantOwner).pluck(),
    customerUpdate: db.prepare(SELECT_SQL.customerUpdate),
    subscriptionUpdate: db.prepare(SELECT_SQL.subscriptionUpdate),
    spansOfOffering: db.prepare(SELECT_SQL.spansOfOffering),
    replaceSpend: db.prepare(SELECT_SQL.replaceSpend),
  };
}
