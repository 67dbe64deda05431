// The embedded SQLite backend of the Repository (better-sqlite3 + drizzle).
// better-sqlite3 is synchronous, so every multi-statement write runs inside
// one synchronous transaction: no other request can interleave with it.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { and, eq, like, sql } from 'drizzle-orm';
import type { Decision } from '../rules/types.js';
import { parseInstant } from '../time/instant.js';
import * as t from './schema.js';
import {
  ConflictError,
  MissingReferenceError,
  type CustomerPeriodData,
  type CustomerRecord,
  type Hashed,
  type IdempotencyRecord,
  type IssuedStatementRecord,
  type KindRecord,
  type QuantityRecord,
  type RecordKind,
  type ReplaceCounts,
  type Repository,
  type RequestRecord,
  type Role,
  type SpendRecord,
  type SubscriptionRecord,
  type TokenInfo,
  type WorklogRecord,
  type WriteResult,
} from './repository.js';

type Db = BetterSQLite3Database<typeof t>;

/** drizzle/sqlite/ at the package root: src/store and dist/store are both two levels down. */
export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'drizzle', 'sqlite');

export interface OpenOptions {
  /** Apply pending migrations before use (default true). */
  readonly migrate?: boolean;
}

/** Opens (creating if needed) a database file with the pragmas the store relies on. */
export function openDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // Writers wait this long for each other (write transactions begin IMMEDIATE,
  // so waiting is always possible: see SqliteRepository.write).
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  return db;
}

export function applyMigrations(client: Database.Database): void {
  migrate(drizzle({ client, schema: t }), { migrationsFolder: MIGRATIONS_DIR });
}

export async function openSqlite(file: string, opts: OpenOptions = {}): Promise<SqliteRepository> {
  const client = openDatabase(file);
  try {
    if (opts.migrate !== false) applyMigrations(client);
  } catch (err) {
    client.close();
    throw err;
  }
  return new SqliteRepository(client);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const now = (): string => new Date().toISOString();
// src/time's parser, as every input was checked with (Date.parse would roll 02-30 over into March)
const ms = (instant: string): number => parseInstant(instant);

export class SqliteRepository implements Repository {
  readonly db: Db;
  private readonly tx: Database.Transaction<(fn: () => unknown) => unknown>;
  private statements: Statements | null = null;

  constructor(readonly client: Database.Database) {
    this.db = drizzle({ client, schema: t });
    this.tx = client.transaction((fn: () => unknown) => fn());
  }

  /**
   * Runs `fn` in a write transaction that takes the write lock at BEGIN
   * (IMMEDIATE): a deferred one would read first and then upgrade, and in WAL
   * mode an upgrade after another process committed fails at once with
   * SQLITE_BUSY instead of waiting for busy_timeout.
   */
  private write<T>(fn: () => T): T {
    return this.tx.immediate(fn) as T;
  }

  /** Runs `fn` in a read transaction: one consistent snapshot for several queries. */
  private read<T>(fn: () => T): T {
    return this.tx.deferred(fn) as T;
  }

  /** The hot paths' statements, prepared on first use (the schema may not exist before migrating). */
  private get sql(): Statements {
    return (this.statements ??= prepareStatements(this.client));
  }

  async close(): Promise<void> {
    if (this.client.open) this.client.close();
  }

  async isEmpty(): Promise<boolean> {
    const row = this.db.select({ n: sql<number>`count(*)` }).from(t.customers).get();
    return (row?.n ?? 0) === 0;
  }

  /** Online backup (safe while the server writes): better-sqlite3's db.backup. */
  async backup(dest: string): Promise<void> {
    await this.client.backup(dest);
  }

  // ---- tokens

  async createToken(partner: string, role: Role): Promise<string> {
    const token = `tb_${randomBytes(24).toString('base64url')}`;
    this.db
      .insert(t.apiTokens)
      .values({ id: randomUUID(), partner, role, tokenHash: hashToken(token), createdAt: now() })
      .run();
    return token;
  }

  async findToken(token: string): Promise<TokenInfo | null> {
    const h = hashToken(token);
    const row = this.db.select().from(t.apiTokens).where(eq(t.apiTokens.tokenHash, h)).get();
    if (!row) return null;
    // The lookup is by hash (an index), so timing reveals nothing about the
    // token; the explicit constant-time compare guards against a future
    // backend whose lookup is not exact.
    const a = Buffer.from(row.tokenHash, 'hex');
    const b = Buffer.from(h, 'hex');
    if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
    return { id: row.id, partner: row.partner, role: row.role };
  }

  // ---- customers

  async getCustomer(partner: string, id: string): Promise<CustomerRecord | null> {
    return (this.sql.customer.get(partner, id) as CustomerRecord | undefined) ?? null;
  }

  async listCustomers(partner: string): Promise<CustomerRecord[]> {
    return this.sql.customers.all(partner) as CustomerRecord[];
  }

  async updateCustomer(partner: string, { record, bodyHash }: Hashed<CustomerRecord>): Promise<CustomerRecord | null> {
    return this.write(() => {
      const res = this.db
        .update(t.customers)
        .set({ name: record.name, locale: record.locale, taxRate: record.taxRate, email: record.email, tenantId: this.freeTenant(partner, record), bodyHash, updatedAt: now() })
        .where(and(eq(t.customers.partner, partner), eq(t.customers.id, record.id)))
        .run();
      return res.changes > 0 ? ((this.sql.customer.get(partner, record.id) as CustomerRecord | undefined) ?? null) : null;
    });
  }

  // ---- subscriptions

  /** Subscription rows (in their order) with their quantities (in `seq` order). */
  private withQuantities(rows: readonly SubscriptionRow[], quantities: readonly QuantityRow[]): SubscriptionRecord[] {
    if (rows.length === 0) return [];
    const bySub = new Map<string, QuantityRecord[]>();
    for (const q of quantities) {
      let list = bySub.get(q.subscription);
      if (!list) bySub.set(q.subscription, (list = []));
      list.push({ metric: q.metric, value: q.value, from: q.from });
    }
    return rows.map((r) => ({ id: r.id, customer: r.customer, offering: r.offering, start: r.start, end: r.end, discount: r.discount, quantities: bySub.get(r.id) ?? [] }));
  }

  private subscriptionById(partner: string, id: string): SubscriptionRecord | null {
    const row = this.sql.subscription.get(partner, id) as SubscriptionRow | undefined;
    return row ? this.withQuantities([row], this.sql.quantitiesOfSubscription.all(partner, id) as QuantityRow[])[0]! : null;
  }

  private subscriptionsOf(partner: string, customer: string): SubscriptionRecord[] {
    const rows = this.sql.subscriptionsOfCustomer.all(partner, customer) as SubscriptionRow[];
    return rows.length === 0 ? [] : this.withQuantities(rows, this.sql.quantitiesOfCustomer.all(partner, partner, customer) as QuantityRow[]);
  }

  async getSubscription(partner: string, id: string): Promise<SubscriptionRecord | null> {
    return this.subscriptionById(partner, id);
  }

  async listSubscriptions(partner: string, customer: string): Promise<SubscriptionRecord[]> {
    return this.read(() => this.subscriptionsOf(partner, customer));
  }

  async addQuantity(partner: string, subscription: string, q: QuantityRecord): Promise<SubscriptionRecord | null> {
    return this.write(() => {
      if (this.sql.exists.subscriptions.get(partner, subscription) === undefined) return null;
      this.sql.insert.quantity.run(partner, subscription, q.metric, q.value, q.from, now());
      return this.subscriptionById(partner, subscription);
    });
  }

  // ---- requests

  async getRequest(partner: string, id: string): Promise<RequestRecord | null> {
    const row = this.sql.request.get(partner, id) as RequestRow | undefined;
    return row ? requestOf(row) : null;
  }

  async setResponse(partner: string, id: string, respondedAt: string): Promise<RequestRecord | null> {
    return this.write(() => {
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

  // ---- batch writes

  async insertMany<K extends RecordKind>(
    partner: string,
    kind: K,
    recs: readonly Hashed<KindRecord[K]>[],
    answer?: (results: WriteResult<KindRecord[K]>[]) => IdempotencyRecord,
  ): Promise<WriteResult<KindRecord[K]>[]> {
    const batch: Batch = { partner, customers: new Set(), requests: new Set() };
    return this.write(() => {
      const results = recs.map((r, i) => this.insertOne(batch, kind, r, i)) as WriteResult<KindRecord[K]>[];
      if (answer) this.storeIdempotent(partner, answer(results));
      return results;
    });
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
        q.insert.customer.run(partner, c.id, c.name, c.locale, c.taxRate, c.email, this.freeTenant(partner, c, index), bodyHash, createdAt, createdAt);
        return { created: true, record: c };
      }
      case 'subscriptions': {
        const s = subscriptionOf(record as SubscriptionRecord);
        q.insert.subscription.run(partner, s.id, s.customer, s.offering, s.start, s.end, s.discount, bodyHash, createdAt);
        for (const x of s.quantities) q.insert.quantity.run(partner, s.id, x.metric, x.value, x.from, createdAt);
        return { created: true, record: s };
      }
      case 'requests': {
        const g = record as RequestRecord;
        const r = requestRecord(g.id, g.customer, g.offering ?? null, g.service, g.category, g.severity, g.channel, g.receivedAt, g.serviceIncident ?? null, g.respondedAt ?? null, g.decision);
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
        q.insert.worklog.run(partner, w.id, w.customer, w.request, w.offering, w.start, ms(w.start), w.minutes, bodyHash, createdAt);
        return { created: true, record: w };
      }
      case 'spend': {
        const s = spendOf(record as SpendRecord);
        q.insert.spend.run(partner, s.id, s.customer, s.period, s.service, s.amount, s.retail, s.source, s.invoice, bodyHash, createdAt);
        return { created: true, record: s };
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
        const hash = createHash('sha256').update(JSON.stringify([s.customer, s.period, s.service, s.amount, s.retail, s.source, s.invoice])).digest('hex');
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
        return q.worklog.get(partner, id) as WorklogRecord;
      case 'spend':
        return q.spend.get(partner, id) as SpendRecord;
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
      const worklogs = q.periodWorklogs.all(partner, customer, fromMs, toMs) as WorklogRecord[];
      // Work in this period on a request of an earlier one still bills under that request's offering.
      const have = new Set(reqs.map((r) => r[0]));
      const missing = [...new Set(worklogs.map((w) => w.request).filter((id): id is string => id !== null && !have.has(id)))];
      if (missing.length > 0) reqs.push(...(q.requestsByIds.all(partner, JSON.stringify(missing)) as RequestRow[]));
      const spend = q.periodSpend.all(partner, customer, period) as SpendRecord[];
      return { customer: c, subscriptions, requests: reqs.map(requestOf), worklogs, spend };
    });
  }

  async getIssued(partner: string, customer: string, period: string): Promise<IssuedStatementRecord | null> {
    const row = this.db
      .select()
      .from(t.statements)
      .where(and(eq(t.statements.partner, partner), eq(t.statements.customer, customer), eq(t.statements.period, period)))
      .get();
    return row ? toIssued(row) : null;
  }

  async issue(
    partner: string,
    customer: string,
    period: string,
    make: (number: string) => { body: string; planHash: string; inputsDigest: string },
  ): Promise<WriteResult<IssuedStatementRecord>> {
    return this.write(() => {
      const existing = this.db
        .select()
        .from(t.statements)
        .where(and(eq(t.statements.partner, partner), eq(t.statements.customer, customer), eq(t.statements.period, period)))
        .get();
      if (existing) return { created: false, record: toIssued(existing) };
      const prefix = `${partner.toUpperCase()}-${period.replace('-', '')}-`;
      const taken = this.db
        .select({ n: sql<number>`count(*)` })
        .from(t.statements)
        .where(and(eq(t.statements.partner, partner), like(t.statements.number, `${prefix}%`)))
        .get();
      const number = prefix + String((taken?.n ?? 0) + 1).padStart(4, '0');
      const made = make(number);
      const row = { partner, customer, period, number, ...made, issuedAt: now() };
      this.db.insert(t.statements).values(row).run();
      return { created: true, record: toIssued(row) };
    });
  }

  // ---- idempotency

  async getIdempotent(partner: string, key: string): Promise<IdempotencyRecord | null> {
    const row = this.db.select().from(t.idempotency).where(and(eq(t.idempotency.partner, partner), eq(t.idempotency.key, key))).get();
    return row ? toIdem(row) : null;
  }

  async putIdempotent(partner: string, rec: IdempotencyRecord): Promise<IdempotencyRecord> {
    return this.write(() => this.storeIdempotent(partner, rec));
  }

  /** Inside a write transaction: the stored record for the key, else `rec` stored. */
  private storeIdempotent(partner: string, rec: IdempotencyRecord): IdempotencyRecord {
    const row = this.db.select().from(t.idempotency).where(and(eq(t.idempotency.partner, partner), eq(t.idempotency.key, rec.key))).get();
    if (row) return toIdem(row);
    this.db.insert(t.idempotency).values({ partner, ...rec, createdAt: now() }).run();
    return rec;
  }
}

const KIND_NOUN: Record<RecordKind, string> = {
  customers: 'customer',
  subscriptions: 'subscription',
  requests: 'request',
  worklogs: 'worklog',
  spend: 'spend record',
};

function toIssued(r: typeof t.statements.$inferSelect): IssuedStatementRecord {
  return { customer: r.customer, period: r.period, number: r.number, planHash: r.planHash, inputsDigest: r.inputsDigest, body: r.body, issuedAt: r.issuedAt };
}

function toIdem(r: typeof t.idempotency.$inferSelect): IdempotencyRecord {
  return { key: r.key, route: r.route, bodyHash: r.bodyHash, status: r.status, contentType: r.contentType, response: r.response };
}

// ---- prepared statements of the hot paths (raw better-sqlite3: building a
// drizzle query and preparing it per record dominated ingest and billing)

/** What one insertMany has already found to exist: each is checked once per batch. */
interface Batch {
  readonly partner: string;
  readonly customers: Set<string>;
  readonly requests: Set<string>;
}

interface SubscriptionRow {
  id: string;
  customer: string;
  offering: string;
  start: string;
  end: string | null;
  discount: string | null;
}

interface QuantityRow {
  subscription: string;
  metric: string;
  value: number;
  from: string;
}

/** A request's fields in the records' key order; the stored form differs in two of them. */
type RequestFields<Incident, Decided> = [
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

/** A request row as an array (`raw` statements): cheaper to build than an object per row, and one is built anyway. */
type RequestRow = RequestFields<number | null, string>;

// Columns aliased to the record fields, in the records' key order.
const CUSTOMER_COLS = 'id, name, locale, tax_rate as taxRate, email, tenant_id as tenantId';
const SUBSCRIPTION_COLS = 'id, customer, offering, start, "end", discount';
const QUANTITY_COLS = 'subscription, metric, value, "from"';
const REQUEST_COLS = 'id, customer, offering, service, category, severity, channel, received_at, service_incident, responded_at, decision'; // RequestRow's order
const WORKLOG_COLS = 'id, customer, request, offering, start, minutes';
const SPEND_COLS = 'id, customer, period, service, amount, retail, source, invoice';

/** Inserts of whole rows, in the tables' column order (also the ingest benchmark's anchor). */
export const INSERT_SQL = {
  customer: 'insert into customers (partner, id, name, locale, tax_rate, email, tenant_id, body_hash, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  subscription: 'insert into subscriptions (partner, id, customer, offering, start, "end", discount, body_hash, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  quantity: 'insert into quantities (partner, subscription, metric, value, "from", created_at) values (?, ?, ?, ?, ?, ?)',
  request:
    'insert into requests (partner, id, customer, offering, service, category, severity, channel, received_at, received_ms, service_incident, responded_at, decision, body_hash, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  worklog: 'insert into worklogs (partner, id, customer, request, offering, start, start_ms, minutes, body_hash, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  spend: 'insert into spend (partner, id, customer, period, service, amount, retail, source, invoice, body_hash, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
} as const;

/** The inserts of INSERT_SQL, prepared on `db`. */
export function prepareInserts(db: Database.Database): Record<keyof typeof INSERT_SQL, Database.Statement> {
  const out = {} as Record<keyof typeof INSERT_SQL, Database.Statement>;
  for (const k of Object.keys(INSERT_SQL) as (keyof typeof INSERT_SQL)[]) out[k] = db.prepare(INSERT_SQL[k]);
  return out;
}

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(db: Database.Database) {
  const exists = (table: string) => db.prepare(`select body_hash from ${table} where partner = ? and id = ?`).pluck();
  return {
    exists: {
      customers: exists('customers'),
      subscriptions: exists('subscriptions'),
      requests: exists('requests'),
      worklogs: exists('worklogs'),
      spend: exists('spend'),
    } satisfies Record<RecordKind, Database.Statement>,
    insert: prepareInserts(db),
    customer: db.prepare(`select ${CUSTOMER_COLS} from customers where partner = ? and id = ?`),
    customers: db.prepare(`select ${CUSTOMER_COLS} from customers where partner = ? order by id`),
    subscription: db.prepare(`select ${SUBSCRIPTION_COLS} from subscriptions where partner = ? and id = ?`),
    subscriptionsOfCustomer: db.prepare(`select ${SUBSCRIPTION_COLS} from subscriptions where partner = ? and customer = ? order by created_at, id`),
    quantitiesOfSubscription: db.prepare(`select ${QUANTITY_COLS} from quantities where partner = ? and subscription = ? order by seq`),
    quantitiesOfCustomer: db.prepare(
      `select ${QUANTITY_COLS} from quantities where partner = ? and subscription in (select id from subscriptions where partner = ? and customer = ?) order by seq`,
    ),
    request: db.prepare(`select ${REQUEST_COLS} from requests where partner = ? and id = ?`).raw(true),
    worklog: db.prepare(`select ${WORKLOG_COLS} from worklogs where partner = ? and id = ?`),
    spend: db.prepare(`select ${SPEND_COLS} from spend where partner = ? and id = ?`),
    periodRequests: db.prepare(`select ${REQUEST_COLS} from requests where partner = ? and customer = ? and received_ms >= ? and received_ms < ? order by received_ms, id`).raw(true),
    periodWorklogs: db.prepare(`select ${WORKLOG_COLS} from worklogs where partner = ? and customer = ? and start_ms >= ? and start_ms < ? order by start_ms, id`),
    // ids as one JSON array: a single statement for any number of them, rows in id order as an IN list gives them
    requestsByIds: db.prepare(`select ${REQUEST_COLS} from requests where partner = ? and id in (select value from json_each(?))`).raw(true),
    periodSpend: db.prepare(`select ${SPEND_COLS} from spend where partner = ? and customer = ? and period = ? order by id`),
    tenantOwner: db.prepare('select id from customers where partner = ? and tenant_id = ?').pluck(),
    replaceSpend: db.prepare('update spend set customer = ?, period = ?, service = ?, amount = ?, retail = ?, source = ?, invoice = ?, body_hash = ? where partner = ? and id = ?'),
  };
}

// Records as the store returns them: only their own fields, in this key order,
// nulls for absent optional fields (what a read-back used to give).
const customerOf = (c: CustomerRecord): CustomerRecord => ({
  id: c.id,
  name: c.name,
  locale: c.locale ?? null,
  taxRate: c.taxRate ?? null,
  email: c.email ?? null,
  tenantId: c.tenantId ?? null,
});

const subscriptionOf = (s: SubscriptionRecord): SubscriptionRecord => ({
  id: s.id,
  customer: s.customer,
  offering: s.offering,
  start: s.start,
  end: s.end ?? null,
  discount: s.discount ?? null,
  quantities: s.quantities.map((q) => ({ metric: q.metric, value: q.value, from: q.from })),
});

/** A request record in the store's key order (responses serialize it), from a record given or a row read. */
function requestRecord(
  ...[id, customer, offering, service, category, severity, channel, receivedAt, serviceIncident, respondedAt, decision]: RequestFields<boolean | null, Decision>
): RequestRecord {
  return { id, customer, offering, service, category, severity, channel, receivedAt, serviceIncident, respondedAt, decision };
}

const worklogOf = (w: WorklogRecord): WorklogRecord => ({ id: w.id, customer: w.customer, request: w.request ?? null, offering: w.offering ?? null, start: w.start, minutes: w.minutes });

const spendOf = (s: SpendRecord): SpendRecord => ({
  id: s.id,
  customer: s.customer,
  period: s.period,
  service: s.service,
  amount: s.amount,
  retail: s.retail ?? null,
  source: s.source ?? null,
  invoice: s.invoice ?? null,
});

/** A stored request row as a record (drizzle's boolean mode: 1 is true, anything else false). */
const requestOf = (r: RequestRow): RequestRecord =>
  requestRecord(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8] === null ? null : r[8] === 1, r[9], JSON.parse(r[10]) as Decision);
