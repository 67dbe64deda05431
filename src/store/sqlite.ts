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
import { and, asc, eq, gte, inArray, lt, like, sql } from 'drizzle-orm';
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

/** drizzle/ at the package root: src/store and dist/store are both two levels down. */
export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'drizzle');

export interface OpenOptions {
  /** Apply pending migrations before use (default true). */
  readonly migrate?: boolean;
}

/** Opens (creating if needed) a database file with the pragmas the store relies on. */
export function openDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
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
const ms = (instant: string): number => Date.parse(instant);

export class SqliteRepository implements Repository {
  readonly db: Db;

  constructor(readonly client: Database.Database) {
    this.db = drizzle({ client, schema: t });
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
    const row = this.db.select().from(t.customers).where(and(eq(t.customers.partner, partner), eq(t.customers.id, id))).get();
    return row ? toCustomer(row) : null;
  }

  async listCustomers(partner: string): Promise<CustomerRecord[]> {
    return this.db.select().from(t.customers).where(eq(t.customers.partner, partner)).orderBy(asc(t.customers.id)).all().map(toCustomer);
  }

  async updateCustomer(partner: string, { record, bodyHash }: Hashed<CustomerRecord>): Promise<CustomerRecord | null> {
    const res = this.db
      .update(t.customers)
      .set({ name: record.name, locale: record.locale, taxRate: record.taxRate, email: record.email, bodyHash, updatedAt: now() })
      .where(and(eq(t.customers.partner, partner), eq(t.customers.id, record.id)))
      .run();
    return res.changes > 0 ? this.getCustomer(partner, record.id) : null;
  }

  // ---- subscriptions

  private subscriptionsWhere(partner: string, where: ReturnType<typeof and>): SubscriptionRecord[] {
    const rows = this.db.select().from(t.subscriptions).where(and(eq(t.subscriptions.partner, partner), where)).orderBy(asc(t.subscriptions.createdAt), asc(t.subscriptions.id)).all();
    if (rows.length === 0) return [];
    const qs = this.db
      .select()
      .from(t.quantities)
      .where(and(eq(t.quantities.partner, partner), inArray(t.quantities.subscription, rows.map((r) => r.id))))
      .orderBy(asc(t.quantities.seq))
      .all();
    return rows.map((r) => ({
      id: r.id,
      customer: r.customer,
      offering: r.offering,
      start: r.start,
      end: r.end,
      discount: r.discount,
      quantities: qs.filter((q) => q.subscription === r.id).map((q) => ({ metric: q.metric, value: q.value, from: q.from })),
    }));
  }

  async getSubscription(partner: string, id: string): Promise<SubscriptionRecord | null> {
    return this.subscriptionsWhere(partner, eq(t.subscriptions.id, id))[0] ?? null;
  }

  async listSubscriptions(partner: string, customer: string): Promise<SubscriptionRecord[]> {
    return this.subscriptionsWhere(partner, eq(t.subscriptions.customer, customer));
  }

  async addQuantity(partner: string, subscription: string, q: QuantityRecord): Promise<SubscriptionRecord | null> {
    return this.db.transaction(() => {
      const sub = this.db.select().from(t.subscriptions).where(and(eq(t.subscriptions.partner, partner), eq(t.subscriptions.id, subscription))).get();
      if (!sub) return null;
      this.db.insert(t.quantities).values({ partner, subscription, metric: q.metric, value: q.value, from: q.from, createdAt: now() }).run();
      return this.subscriptionsWhere(partner, eq(t.subscriptions.id, subscription))[0] ?? null;
    });
  }

  // ---- requests

  async getRequest(partner: string, id: string): Promise<RequestRecord | null> {
    const row = this.db.select().from(t.requests).where(and(eq(t.requests.partner, partner), eq(t.requests.id, id))).get();
    return row ? toRequest(row) : null;
  }

  async setResponse(partner: string, id: string, respondedAt: string): Promise<RequestRecord | null> {
    const res = this.db
      .update(t.requests)
      .set({ respondedAt })
      .where(and(eq(t.requests.partner, partner), eq(t.requests.id, id)))
      .run();
    return res.changes > 0 ? this.getRequest(partner, id) : null;
  }

  // ---- batch writes

  async insertMany<K extends RecordKind>(partner: string, kind: K, recs: readonly Hashed<KindRecord[K]>[]): Promise<WriteResult<KindRecord[K]>[]> {
    return this.db.transaction(() => recs.map((r, i) => this.insertOne(partner, kind, r, i))) as WriteResult<KindRecord[K]>[];
  }

  // Statements prepared once per connection: building and preparing them per
  // record dominated batch ingest (see docs/performance.md).
  private readonly existsQueries = new Map<RecordKind, { get(v: { partner: string; id: string }): unknown }>();
  private customerQueryCache: { get(v: { partner: string; id: string }): unknown } | null = null;

  private existsQuery(kind: RecordKind) {
    let q = this.existsQueries.get(kind);
    if (!q) {
      const table = TABLES[kind];
      q = this.db
        .select({ bodyHash: table.bodyHash })
        .from(table)
        .where(and(eq(table.partner, sql.placeholder('partner')), eq(table.id, sql.placeholder('id'))))
        .prepare();
      this.existsQueries.set(kind, q);
    }
    return q;
  }

  private customerQuery() {
    this.customerQueryCache ??= this.db
      .select({ id: t.customers.id })
      .from(t.customers)
      .where(and(eq(t.customers.partner, sql.placeholder('partner')), eq(t.customers.id, sql.placeholder('id'))))
      .prepare();
    return this.customerQueryCache;
  }

  private insertOne(partner: string, kind: RecordKind, { record, bodyHash }: Hashed<KindRecord[RecordKind]>, index: number): WriteResult<KindRecord[RecordKind]> {
    const existing = this.existsQuery(kind).get({ partner, id: record.id }) as { bodyHash: string } | undefined;
    if (existing) {
      if (existing.bodyHash !== bodyHash) {
        throw new ConflictError(`${KIND_NOUN[kind]} "${record.id}" already exists with a different body`, index);
      }
      return { created: false, record: this.readBack(partner, kind, record.id) };
    }
    const customer = 'customer' in record ? record.customer : null;
    if (customer !== null && kind !== 'customers') {
      const c = this.customerQuery().get({ partner, id: customer });
      if (!c) throw new MissingReferenceError(`unknown customer "${customer}"`, '/customer', index);
    }
    const createdAt = now();
    switch (kind) {
      case 'customers': {
        const c = record as CustomerRecord;
        this.db.insert(t.customers).values({ partner, ...c, bodyHash, createdAt, updatedAt: createdAt }).run();
        break;
      }
      case 'subscriptions': {
        const s = record as SubscriptionRecord;
        this.db.insert(t.subscriptions).values({ partner, id: s.id, customer: s.customer, offering: s.offering, start: s.start, end: s.end, discount: s.discount, bodyHash, createdAt }).run();
        for (const q of s.quantities) {
          this.db.insert(t.quantities).values({ partner, subscription: s.id, metric: q.metric, value: q.value, from: q.from, createdAt }).run();
        }
        break;
      }
      case 'requests': {
        const q = record as RequestRecord;
        this.db
          .insert(t.requests)
          .values({ partner, ...q, receivedMs: ms(q.receivedAt), decision: JSON.stringify(q.decision), bodyHash, createdAt })
          .run();
        break;
      }
      case 'worklogs': {
        const w = record as WorklogRecord;
        if (w.request !== null) {
          const req = this.db.select({ id: t.requests.id }).from(t.requests).where(and(eq(t.requests.partner, partner), eq(t.requests.id, w.request))).get();
          if (!req) throw new MissingReferenceError(`unknown request "${w.request}"`, '/request', index);
        }
        this.db.insert(t.worklogs).values({ partner, ...w, startMs: ms(w.start), bodyHash, createdAt }).run();
        break;
      }
      case 'spend': {
        const s = record as SpendRecord;
        this.db.insert(t.spend).values({ partner, ...s, bodyHash, createdAt }).run();
        break;
      }
    }
    return { created: true, record: this.readBack(partner, kind, record.id) };
  }

  private readBack(partner: string, kind: RecordKind, id: string): KindRecord[RecordKind] {
    switch (kind) {
      case 'customers':
        return toCustomer(this.db.select().from(t.customers).where(and(eq(t.customers.partner, partner), eq(t.customers.id, id))).get()!);
      case 'subscriptions':
        return this.subscriptionsWhere(partner, eq(t.subscriptions.id, id))[0]!;
      case 'requests':
        return toRequest(this.db.select().from(t.requests).where(and(eq(t.requests.partner, partner), eq(t.requests.id, id))).get()!);
      case 'worklogs':
        return toWorklog(this.db.select().from(t.worklogs).where(and(eq(t.worklogs.partner, partner), eq(t.worklogs.id, id))).get()!);
      case 'spend':
        return toSpend(this.db.select().from(t.spend).where(and(eq(t.spend.partner, partner), eq(t.spend.id, id))).get()!);
    }
  }

  // ---- statements

  async periodData(partner: string, customer: string, period: string, fromMs: number, toMs: number): Promise<CustomerPeriodData | null> {
    // One read transaction: a consistent snapshot even while writes arrive.
    return this.db.transaction(() => {
      const c = this.db.select().from(t.customers).where(and(eq(t.customers.partner, partner), eq(t.customers.id, customer))).get();
      if (!c) return null;
      const subs = this.subscriptionsWhere(partner, eq(t.subscriptions.customer, customer));
      const reqs = this.db
        .select()
        .from(t.requests)
        .where(and(eq(t.requests.partner, partner), eq(t.requests.customer, customer), gte(t.requests.receivedMs, fromMs), lt(t.requests.receivedMs, toMs)))
        .orderBy(asc(t.requests.receivedMs), asc(t.requests.id))
        .all();
      const wls = this.db
        .select()
        .from(t.worklogs)
        .where(and(eq(t.worklogs.partner, partner), eq(t.worklogs.customer, customer), gte(t.worklogs.startMs, fromMs), lt(t.worklogs.startMs, toMs)))
        .orderBy(asc(t.worklogs.startMs), asc(t.worklogs.id))
        .all();
      // Work in this period on a request of an earlier one still bills under that request's offering.
      const have = new Set(reqs.map((r) => r.id));
      const missing = [...new Set(wls.map((w) => w.request).filter((id): id is string => id !== null && !have.has(id)))];
      if (missing.length > 0) {
        reqs.push(...this.db.select().from(t.requests).where(and(eq(t.requests.partner, partner), inArray(t.requests.id, missing))).all());
      }
      const sp = this.db
        .select()
        .from(t.spend)
        .where(and(eq(t.spend.partner, partner), eq(t.spend.customer, customer), eq(t.spend.period, period)))
        .orderBy(asc(t.spend.id))
        .all();
      return { customer: toCustomer(c), subscriptions: subs, requests: reqs.map(toRequest), worklogs: wls.map(toWorklog), spend: sp.map(toSpend) };
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
    return this.db.transaction(() => {
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
    return this.db.transaction(() => {
      const row = this.db.select().from(t.idempotency).where(and(eq(t.idempotency.partner, partner), eq(t.idempotency.key, rec.key))).get();
      if (row) return toIdem(row);
      this.db.insert(t.idempotency).values({ partner, ...rec, createdAt: now() }).run();
      return rec;
    });
  }
}

const TABLES = {
  customers: t.customers,
  subscriptions: t.subscriptions,
  requests: t.requests,
  worklogs: t.worklogs,
  spend: t.spend,
} as const;

const KIND_NOUN: Record<RecordKind, string> = {
  customers: 'customer',
  subscriptions: 'subscription',
  requests: 'request',
  worklogs: 'worklog',
  spend: 'spend record',
};

function toCustomer(r: typeof t.customers.$inferSelect): CustomerRecord {
  return { id: r.id, name: r.name, locale: r.locale, taxRate: r.taxRate, email: r.email };
}

function toRequest(r: typeof t.requests.$inferSelect): RequestRecord {
  return {
    id: r.id,
    customer: r.customer,
    offering: r.offering,
    service: r.service,
    category: r.category,
    severity: r.severity,
    channel: r.channel,
    receivedAt: r.receivedAt,
    serviceIncident: r.serviceIncident,
    respondedAt: r.respondedAt,
    decision: JSON.parse(r.decision),
  };
}

function toWorklog(r: typeof t.worklogs.$inferSelect): WorklogRecord {
  return { id: r.id, customer: r.customer, request: r.request, offering: r.offering, start: r.start, minutes: r.minutes };
}

function toSpend(r: typeof t.spend.$inferSelect): SpendRecord {
  return { id: r.id, customer: r.customer, period: r.period, service: r.service, amount: r.amount };
}

function toIssued(r: typeof t.statements.$inferSelect): IssuedStatementRecord {
  return { customer: r.customer, period: r.period, number: r.number, planHash: r.planHash, inputsDigest: r.inputsDigest, body: r.body, issuedAt: r.issuedAt };
}

function toIdem(r: typeof t.idempotency.$inferSelect): IdempotencyRecord {
  return { key: r.key, route: r.route, bodyHash: r.bodyHash, status: r.status, contentType: r.contentType, response: r.response };
}
