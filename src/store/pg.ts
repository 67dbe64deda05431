// The PostgreSQL backend of the Repository (node-postgres pool; SPEC §13).
// Several servers may share one database, so nothing here relies on being
// the only writer: every write is one transaction that locks what it
// depends on (a statement number's counter row, a claimed Idempotency-Key's
// row, a record id's unique key), and bumps the change counter other
// servers' caches read. Serialization failures, deadlocks and lost races on
// a unique key are retried as a whole; a database that cannot be reached is
// STORE_UNAVAILABLE (503 with Retry-After), and the pool reconnects on its
// own when the database is back.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Memo } from '../memo.js';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { ERR, TierbookError } from '../errors.js';
import {
  ConflictError,
  IdempotentReplay,
  MissingReferenceError,
  type ChangeStamp,
  type CustomerHistory,
  type CustomerPeriodData,
  type CustomerWindow,
  type CustomerRecord,
  type EventRecord,
  type RequestLives,
  type Hashed,
  type IdempotencyClaim,
  type IdempotencyRecord,
  type InputIds,
  type InputStamps,
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
  KIND_NOUN,
  PG_INSERT,
  PG_HISTORY,
  PG_PERIOD_DATA,
  PG_WINDOW_DATA,
  PG_SUBSCRIPTION,
  PG_SUBSCRIPTIONS_OF,
  SELECT_SQL,
  customerOf,
  eventOf,
  idempotencyOf,
  issuedOf,
  laterQuantities,
  numberIn,
  numberSeries,
  hashToken,
  numbered,
  purchaseOf,
  requestOf,
  spendFiguresHash,
  requestOfRecord,
  spendOf,
  subscriptionOf,
  worklogOf,
  billableColumn,
  pricesText,
  type WorklogRow,
  type RequestRow,
} from './queries.js';
import { parseInstant } from '../time/instant.js';
import { assertNoOverlap, type SubscriptionSpan } from './overlap.js';
import { DOCUMENT_SQL, creditNoteOf, documentOf, documentQueries, documentsOf, lastNumber, voidParams, voidedOf } from './queries.js';
import { LINK_PURGE_AFTER_MS, LINK_SQL, linkOf, newLinkId, type LinkRecord, type LinkRow, type NewLink } from './links.js';
import type { CreditNoteMaker, CreditNoteRecord, DocumentFilter, DocumentRecord, VoidedInvoiceRecord, VoidGuard } from './repository.js';
import type { AdjustmentRecord } from './repository.js';
import type { Audit, AuditFilter, AuditRecord, CorrectableKind, ListFilter, ListKind, Page, PageRequest, RecordRevision } from './repository.js';
import { ADMIN_SQL, LIST_SORT, auditOf, auditParams, auditSql, correctionPeriods, correctionWrite, deleteSql, listSql } from './admin-sql.js';

/** The admin lists' and corrections' SQL numbered for PostgreSQL. */
const A = Object.fromEntries(Object.entries(ADMIN_SQL).map(([k, v]) => [k, numbered(v)])) as { [K in keyof typeof ADMIN_SQL]: string };
import { HEADS_SQL, MONTH_END_SQL, adjustmentOf, issuedHeadOf } from './month-end.js';
import { LATEST_STATES_SQL, LEDGER_STATE_SQL, historyStampParams, stampOf, stampRowsParams, stampsOf, type KeptLedgerStates, type LedgerStatesRecord, type StampBound, type StampRow } from './ledger-states.js';

/** Month-end's SQL numbered for PostgreSQL. */
const PG_HEADS = numbered(HEADS_SQL.pg);
const PG_STATES = numbered(LATEST_STATES_SQL.pg);
const ME = Object.fromEntries(Object.entries(MONTH_END_SQL).map(([k, v]) => [k, numbered(v)])) as { [K in keyof typeof MONTH_END_SQL]: string };
/** Kept ledger states' SQL numbered for PostgreSQL. */
const LS = Object.fromEntries(Object.entries(LEDGER_STATE_SQL).map(([k, v]) => [k, numbered(v)])) as { [K in keyof typeof LEDGER_STATE_SQL]: string };

/** The documents' SQL numbered for PostgreSQL. */
const D = Object.fromEntries(Object.entries(DOCUMENT_SQL).map(([k, v]) => [k, numbered(v)])) as { [K in keyof typeof DOCUMENT_SQL]: string };
const LK = Object.fromEntries(Object.entries(LINK_SQL).map(([k, v]) => [k, numbered(v)])) as { [K in keyof typeof LINK_SQL]: string };

/** drizzle/pg/ at the package root (src/store and dist/store are both two levels down). */
export const PG_MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'drizzle', 'pg');

/** The advisory lock migrators hold (any constant both processes agree on: "tierbook" in ASCII). */
export const MIGRATION_LOCK = 0x74696572626f6f6bn;

export const DEFAULT_POOL_SIZE = 10;

export interface PgOptions {
  /** Apply pending migrations before use (default true). */
  readonly migrate?: boolean;
  /** Connections in the pool (default TIERBOOK_DB_POOL, else 10). */
  readonly poolSize?: number;
  /** How long a request waits for a connection before STORE_UNAVAILABLE (default 5 s). */
  readonly connectTimeoutMs?: number;
}

/** int8 (bigint, count(*)) as a number: the store's are epoch milliseconds and counters, far below 2^53. */
export const pgTypes = {
  getTypeParser: ((oid: number, format?: string) => (oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser,
};

const now = (): string => new Date().toISOString();
// src/time's parser, as every input was checked with (Date.parse would roll 02-30 over into March)
const ms = (instant: string): number => parseInstant(instant);
const sleep = (n: number): Promise<void> => new Promise((r) => setTimeout(r, n));

const Q = Object.fromEntries(Object.entries(SELECT_SQL).map(([k, v]) => [k, numbered(v)])) as { [K in keyof typeof SELECT_SQL]: string };
const BUMP = 'update store_changes set n = n + 1 where id = 1';

// ---- errors

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);
const CONNECTION_MESSAGE = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|the database system is (starting up|shutting down|in recovery)|terminating connection/i;

/** The database cannot be reached or dropped the connection (not a fault of the request). */
export function isUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  // 08: connection exception; 57P01-03: admin/crash shutdown, cannot connect now; 53300: too many connections
  if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300' || CONNECTION_CODES.has(code)) return true;
  return typeof e?.message === 'string' && CONNECTION_MESSAGE.test(e.message);
}

/** Worth running the whole transaction again: serialization failure, deadlock, a unique key another transaction took first. */
const isRetryable = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01' || code === '23505';
};

const unavailable = (err: unknown): TierbookError =>
  ERR.STORE_UNAVAILABLE({ detail: `the database is unavailable (${(err as Error).message || String(err)}); retry later` }, { cause: err });

const MAX_ATTEMPTS = 8;

const guarded = new WeakSet<pg.PoolClient>();
const ignoreError = (): void => {};

/** A prepared statement's name, from its text (the texts are this module's constants: a few dozen). */
const names = new Memo<string, string>(256);
const statementName = (text: string): string => names.of(text, (x) => `tb_${createHash('sha1').update(x).digest('hex').slice(0, 16)}`);

/** What a transaction body may say about itself. */
interface Tx {
  readonly c: pg.PoolClient;
  /** Nothing was written: roll back instead of committing (and no change is stamped). */
  unchanged: boolean;
}

// ---- opening

export function poolSizeFromEnv(): number | undefined {
  const raw = process.env.TIERBOOK_DB_POOL;
  const n = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/**
 * Applies drizzle's pg migrations (its files and its drizzle.__drizzle_migrations
 * bookkeeping, as drizzle-kit's own migrator keeps it) under a session
 * advisory lock: a second process starting at the same moment waits, then
 * finds nothing left to do.
 */
export async function applyPgMigrations(url: string): Promise<void> {
  const migrations = readMigrationFiles({ migrationsFolder: PG_MIGRATIONS_DIR });
  const c = new pg.Client({ connectionString: url, types: pgTypes });
  c.on('error', ignoreError); // a dropped connection fails the next query instead of crashing the process
  try {
    await c.connect();
  } catch (err) {
    throw unavailable(err);
  }
  try {
    await c.query('select pg_advisory_lock($1)', [MIGRATION_LOCK.toString()]);
    await c.query('create schema if not exists drizzle');
    await c.query('create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)');
    const last = (await c.query<{ created_at: number }>('select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1')).rows[0]?.created_at;
    const pending = migrations.filter((m) => last === undefined || Number(last) < m.folderMillis);
    if (pending.length > 0) {
      await c.query('begin');
      try {
        for (const m of pending) {
          for (const stmt of m.sql) if (stmt.trim() !== '') await c.query(stmt);
          await c.query('insert into drizzle.__drizzle_migrations (hash, created_at) values ($1, $2)', [m.hash, m.folderMillis]);
        }
        await c.query('commit');
      } catch (err) {
        await c.query('rollback').catch(() => {});
        throw err;
      }
    }
    await attachChangeTriggers(c);
    await c.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()]);
  } finally {
    await c.end().catch(() => {});
  }
}

/**
 * Every table of the schema (but the counter itself) bumps the change stamp
 * on writes made past tierbook (drizzle/pg/0003_store_change_triggers.sql);
 * run at each start, under the migration lock, so later tables are covered.
 */
async function attachChangeTriggers(c: pg.Client): Promise<void> {
  const { rows } = await c.query<{ t: string }>(
    "select tablename as t from pg_tables where schemaname = current_schema() and tablename <> 'store_changes' and not exists (select 1 from pg_trigger where tgname = 'tierbook_change' and tgrelid = (quote_ident(schemaname) || '.' || quote_ident(tablename))::regclass)",
  );
  for (const { t } of rows) {
    await c.query(`create trigger tierbook_change after insert or update or delete or truncate on "${t.replace(/"/g, '""')}" for each statement execute function tierbook_changed()`);
  }
}

export async function openPg(url: string, opts: PgOptions = {}): Promise<PgRepository> {
  if (opts.migrate !== false) await applyPgMigrations(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? poolSizeFromEnv() ?? DEFAULT_POOL_SIZE,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000,
    // the change triggers skip this name: tierbook bumps the stamp itself, once per transaction
    application_name: 'tierbook',
    // a peer that vanished without closing (network partition) is noticed by TCP keepalive, not never
    keepAlive: true,
    types: pgTypes,
  });
  // An idle connection the server closed (restart, failover) emits here; the
  // pool drops it and opens a new one on demand. Unhandled, it would crash.
  pool.on('error', () => {});
  return new PgRepository(pool);
}

// ---- the repository

export class PgRepository implements Repository {
  constructor(readonly pool: pg.Pool) {}

  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
  }

  /** A pooled connection; failing to get one (the server is down, refuses connections, the pool waited too long) is STORE_UNAVAILABLE. */
  private async connect(): Promise<pg.PoolClient> {
    let c: pg.PoolClient;
    try {
      c = await this.pool.connect();
    } catch (err) {
      throw unavailable(err);
    }
    // The pool listens for errors only while a connection is idle: one that
    // breaks while checked out but between two queries (the server restarts)
    // would emit an unheard 'error' and crash the process. Heard here, it
    // fails the next query instead (STORE_UNAVAILABLE) and is discarded.
    if (!guarded.has(c)) {
      guarded.add(c);
      c.on('error', ignoreError);
    }
    return c;
  }

  /** One statement outside a transaction, prepared once per connection (the reads outside transactions are the hot ones: planning cost more than running). */
  private async q<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<R[]> {
    return (await this.one<R>({ name: statementName(text), text, values })) as R[];
  }

  /** One statement, rows as arrays. */
  private async rows(text: string, values: unknown[]): Promise<unknown[][]> {
    return (await this.one({ name: statementName(text), text, values, rowMode: 'array' })) as unknown[][];
  }

  private async one<R extends pg.QueryResultRow>(query: pg.QueryConfig & { rowMode?: 'array' }): Promise<unknown[]> {
    const c = await this.connect();
    let broken = false;
    try {
      return (await c.query<R>(query as pg.QueryConfig)).rows;
    } catch (err) {
      if (!isUnavailable(err)) throw err;
      broken = true;
      throw unavailable(err);
    } finally {
      c.release(broken);
    }
  }

  /**
   * Runs `body` in one transaction, again from the start after a
   * serialization failure, a deadlock or a lost race on a unique key (up to
   * MAX_ATTEMPTS). A write transaction bumps the change counter last, right
   * before COMMIT, so the counter's row is held only for the commit itself.
   */
  private async tx<T>(write: boolean, body: (tx: Tx) => Promise<T>, begin = 'begin'): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const c = await this.connect();
      let broken = false;
      try {
        await c.query(begin);
        const tx: Tx = { c, unchanged: !write };
        const result = await body(tx);
        if (tx.unchanged) await c.query('rollback');
        else {
          await c.query(BUMP);
          await c.query('commit');
        }
        return result;
      } catch (err) {
        if (isUnavailable(err)) {
          broken = true;
          throw unavailable(err);
        }
        await c.query('rollback').catch(() => (broken = true));
        if (isRetryable(err) && attempt < MAX_ATTEMPTS) {
          await sleep(Math.min(2 ** attempt, 50) * (0.5 + Math.random())); // jitter: the rivals must not meet again
          continue;
        }
        throw err;
      } finally {
        c.release(broken);
      }
    }
  }

  /**
   * A write with its Idempotency-Key claimed first in the same transaction:
   * the key's row is inserted before anything else, so a second claimant
   * blocks on it until this commits (then finds it: IdempotentReplay, nothing
   * written) or rolls back (then claims it itself).
   */
  private writeOnce<R>(partner: string, claim: IdempotencyClaim<R> | undefined, body: (tx: Tx) => Promise<R>, audit?: Audit<R>): Promise<R> {
    if (audit) {
      // the audit entries in the change's own transaction (issue 22)
      const change = body;
      body = async (tx) => {
        const result = await change(tx);
        const at = now();
        for (const c of audit.changes(result)) {
          await tx.c.query(A.insertAudit, auditParams(partner, at, audit.token, c));
          tx.unchanged = false;
        }
        return result;
      };
    }
    if (!claim) return this.tx(true, body);
    return this.tx(true, async (tx) => {
      const took = await tx.c.query(
        numbered('insert into idempotency (partner, key, route, body_hash, status, content_type, response, created_at) values (?, ?, ?, ?, 0, \'\', \'\', ?) on conflict do nothing'),
        [partner, claim.key, claim.route, claim.bodyHash, now()],
      );
      if (took.rowCount === 0) {
        const stored = (await tx.c.query<IdempotencyRecord>(Q.idempotent, [partner, claim.key])).rows[0]!;
        throw new IdempotentReplay(idempotencyOf(stored));
      }
      const result = await body(tx);
      const answer = claim.answer(result);
      if (answer) {
        await tx.c.query('update idempotency set status = $3, content_type = $4, response = $5 where partner = $1 and key = $2', [partner, claim.key, answer.status, answer.contentType, answer.response]);
      } else {
        await tx.c.query('delete from idempotency where partner = $1 and key = $2', [partner, claim.key]);
      }
      tx.unchanged = false;
      return result;
    });
  }

  async isEmpty(): Promise<boolean> {
    const [row] = await this.q<{ any: boolean }>('select exists (select 1 from customers) as any', []);
    return !row!.any;
  }

  /** The change counter: every write transaction of every server bumped it by one (own writes are not told apart). */
  async changeStamp(): Promise<ChangeStamp> {
    const [row] = await this.q<{ n: number }>('select n from store_changes where id = 1', []);
    return { external: row?.n ?? 0, own: 0 };
  }

  // ---- tokens

  async createToken(partner: string, role: Role): Promise<string> {
    const token = `tb_${randomBytes(24).toString('base64url')}`;
    await this.tx(true, async ({ c }) => {
      await c.query(Q.tokenInsert, [randomUUID(), partner, role, hashToken(token), now()]);
    });
    return token;
  }

  async findToken(token: string): Promise<TokenInfo | null> {
    const h = hashToken(token);
    const [row] = await this.q<{ id: string; partner: string; role: Role; tokenHash: string }>(Q.tokenByHash, [h]);
    if (!row) return null;
    const a = Buffer.from(row.tokenHash, 'hex');
    const b = Buffer.from(h, 'hex');
    if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
    return { id: row.id, partner: row.partner, role: row.role };
  }

  // ---- document links (issue 23)

  async createLink(partner: string, link: NewLink): Promise<string> {
    const id = newLinkId();
    await this.tx(true, async ({ c }) => {
      await c.query(LK.purge, [link.nowMs - LINK_PURGE_AFTER_MS]);
      await c.query(LK.insert, [hashToken(id), partner, link.path, link.createdBy, now(), link.expiresMs]);
    });
    return id;
  }

  async findLink(id: string): Promise<LinkRecord | null> {
    const [row] = await this.q<LinkRow & pg.QueryResultRow>(LK.byHash, [hashToken(id)]);
    return row ? linkOf(row) : null;
  }

  // ---- customers

  async getCustomer(partner: string, id: string): Promise<CustomerRecord | null> {
    return (await this.q<CustomerRecord>(Q.customer, [partner, id]))[0] ?? null;
  }

  async listCustomers(partner: string): Promise<CustomerRecord[]> {
    return this.q<CustomerRecord>(Q.customers, [partner]);
  }

  async updateCustomer(partner: string, { record, bodyHash }: Hashed<CustomerRecord>, claim?: IdempotencyClaim<CustomerRecord | null>, audit?: Audit<CustomerRecord | null>): Promise<CustomerRecord | null> {
    return this.writeOnce(partner, claim, async (tx) => {
      const tenant = await this.freeTenant(tx.c, partner, record);
      const res = await tx.c.query(Q.customerUpdate, [record.name, record.locale ?? null, record.taxRate ?? null, record.email ?? null, tenant, record.taxId ?? null, bodyHash, now(), partner, record.id]);
      if (res.rowCount === 0) {
        tx.unchanged = true;
        return null;
      }
      return (await tx.c.query<CustomerRecord>(Q.customer, [partner, record.id])).rows[0] ?? null;
    }, audit);
  }

  async reviseCustomer(partner: string, id: string, revise: (current: CustomerRecord) => Hashed<CustomerRecord>, claim?: IdempotencyClaim<CustomerRecord | null>, audit?: Audit<CustomerRecord | null>): Promise<CustomerRecord | null> {
    return this.writeOnce(partner, claim, async (tx) => {
      // locked: two revisions of one customer apply one after the other, each to the other's result
      // (no key update: ingest's foreign-key checks on the customer, key share locks, do not wait for it)
      const current = (await tx.c.query<CustomerRecord>(Q.customer + ' for no key update', [partner, id])).rows[0];
      if (!current) {
        tx.unchanged = true;
        return null;
      }
      const { record, bodyHash } = revise(customerOf(current));
      const c = customerOf({ ...record, id });
      const tenant = await this.freeTenant(tx.c, partner, c);
      await tx.c.query(Q.customerUpdate, [c.name, c.locale, c.taxRate, c.email, tenant, c.taxId, bodyHash, now(), partner, id]);
      return (await tx.c.query<CustomerRecord>(Q.customer, [partner, id])).rows[0]!;
    }, audit);
  }

  /** The customer's tenant id when no other customer of the partner has it, else a ConflictError (§12.1). */
  private async freeTenant(c: pg.PoolClient, partner: string, rec: CustomerRecord, index?: number): Promise<string | null> {
    const tenant = rec.tenantId ?? null;
    if (tenant === null) return null;
    const owner = (await c.query<{ id: string }>(Q.tenantOwner, [partner, tenant])).rows[0]?.id;
    if (owner !== undefined && owner !== rec.id) throw new ConflictError(`tenant "${tenant}" already belongs to customer "${owner}"`, index);
    return tenant;
  }

  // ---- subscriptions

  private async subscriptionById(c: pg.PoolClient, partner: string, id: string): Promise<SubscriptionRecord | null> {
    return (await c.query<{ sub: SubscriptionRecord }>(PG_SUBSCRIPTION, [partner, id])).rows[0]?.sub ?? null;
  }

  async getSubscription(partner: string, id: string): Promise<SubscriptionRecord | null> {
    return (await this.q<{ sub: SubscriptionRecord }>(PG_SUBSCRIPTION, [partner, id]))[0]?.sub ?? null;
  }

  async listSubscriptions(partner: string, customer: string): Promise<SubscriptionRecord[]> {
    return (await this.q<{ subs: SubscriptionRecord[] }>(PG_SUBSCRIPTIONS_OF, [partner, customer]))[0]!.subs;
  }

  async reviseSubscription(
    partner: string,
    id: string,
    revise: (current: SubscriptionRecord, customerSubscriptions: readonly SubscriptionRecord[]) => SubscriptionChange,
    claim?: IdempotencyClaim<SubscriptionRevision | null>,
    audit?: Audit<SubscriptionRevision | null>,
  ): Promise<SubscriptionRevision | null> {
    return this.writeOnce(partner, claim, async (tx) => {
      const { c } = tx;
      const current = await this.subscriptionById(c, partner, id);
      if (!current) {
        tx.unchanged = true;
        return null;
      }
      // the customer's row locked: subscription writes of one customer run one at a time, so the overlap rule sees them all
      await c.query('select 1 from customers where partner = $1 and id = $2 for no key update', [partner, current.customer]);
      const siblings = (await c.query<{ subs: SubscriptionRecord[] }>(PG_SUBSCRIPTIONS_OF, [partner, current.customer])).rows[0]!.subs;
      const change = revise(current, siblings);
      const updated = subscriptionOf({ ...current, ...change.set });
      const created = change.create ? subscriptionOf(change.create.record) : null;
      if (created && (await c.query('select 1 from subscriptions where partner = $1 and id = $2', [partner, created.id])).rowCount !== 0) {
        throw new ConflictError(`subscription "${created.id}" already exists`);
      }
      const after = [...siblings.filter((x) => x.id !== id), updated, ...(created ? [created] : [])];
      assertNoOverlap(updated, after);
      if (created) assertNoOverlap(created, after);
      await c.query(Q.subscriptionUpdate, [updated.end, updated.discount, pricesText(updated), updated.priceAsOf, partner, id]);
      if (created) await insertRows(c, partner, 'subscriptions', [{ rec: created, bodyHash: change.create!.bodyHash }], now());
      return { subscription: (await this.subscriptionById(c, partner, id))!, customerSubscriptions: (await c.query<{ subs: SubscriptionRecord[] }>(PG_SUBSCRIPTIONS_OF, [partner, current.customer])).rows[0]!.subs };
    }, audit);
  }

  async addQuantity(partner: string, subscription: string, q: QuantityRecord, claim?: IdempotencyClaim<SubscriptionRecord | null>, audit?: Audit<SubscriptionRecord | null>): Promise<SubscriptionRecord | null> {
    return this.writeOnce(partner, claim, async (tx) => {
      // for share: the subscription cannot vanish (no deletes today) but this keeps the check honest under a future one
      const found = await tx.c.query('select 1 from subscriptions where partner = $1 and id = $2 for share', [partner, subscription]);
      if (found.rowCount === 0) {
        tx.unchanged = true;
        return null;
      }
      await tx.c.query(
        'insert into quantities (partner, subscription, metric, value, "from", created_at) values ($1, $2, $3, $4, $5, $6)',
        [partner, subscription, q.metric, q.value, q.from, now()],
      );
      return this.subscriptionById(tx.c, partner, subscription);
    }, audit);
  }

  // ---- requests

  async getRequest(partner: string, id: string): Promise<RequestRecord | null> {
    const [row] = await this.rows(Q.request, [partner, id]);
    return row ? requestOf(row as RequestRow) : null;
  }

  async setResponse(partner: string, id: string, respondedAt: string, claim?: IdempotencyClaim<RequestRecord | null>): Promise<RequestRecord | null> {
    return this.writeOnce(partner, claim, async (tx) => {
      const res = await tx.c.query(Q.responseUpdate, [respondedAt, partner, id]);
      if (res.rowCount === 0) {
        tx.unchanged = true;
        return null;
      }
      const [row] = (await tx.c.query({ text: Q.request, values: [partner, id], rowMode: 'array' })).rows as unknown[][];
      return row ? requestOf(row as RequestRow) : null;
    });
  }

  // ---- request events (§11.2)

  async addEvents(partner: string, recs: readonly Hashed<EventRecord>[], claim?: IdempotencyClaim<WriteResult<EventRecord>[]>): Promise<WriteResult<EventRecord>[]> {
    return this.writeOnce(partner, claim, async (tx) => {
      const out: WriteResult<EventRecord>[] = [];
      for (const [index, { record: e, bodyHash }] of recs.entries()) {
        const [existing] = (await tx.c.query<{ body_hash: string }>(Q.eventHash, [partner, e.request, e.id])).rows;
        if (existing) {
          if (existing.body_hash !== bodyHash) throw new ConflictError(`event "${e.id}" of request "${e.request}" already exists with a different body`, index);
          out.push({ created: false, record: (await tx.c.query<EventRecord>(Q.event, [partner, e.request, e.id])).rows[0]! });
          continue;
        }
        const [req] = (await tx.c.query<{ responded_at: string | null }>(Q.respondedAt, [partner, e.request])).rows;
        if (!req) throw new MissingReferenceError(`unknown request "${e.request}"`, '/request', index);
        // a rival inserting the same id at once fails one of the two on the unique index: tx() runs it again (replay or conflict)
        await tx.c.query(
          'insert into request_events (partner, request, id, at, at_ms, type, status, severity, body_hash, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
          [partner, e.request, e.id, e.at, ms(e.at), e.type, e.status, e.severity, bodyHash, now()],
        );
        // the first response stops the response clock, whichever door it came through
        if (e.type === 'responded' && (req.responded_at === null || ms(e.at) < ms(req.responded_at))) {
          await tx.c.query('update requests set responded_at = $1 where partner = $2 and id = $3', [e.at, partner, e.request]);
        }
        out.push({ created: true, record: eventOf(e) });
      }
      if (out.every((r) => !r.created)) tx.unchanged = true; // replays only: nothing to bump (a claim's writeOnce marks its own write)
      return out;
    });
  }

  async listEvents(partner: string, request: string): Promise<EventRecord[]> {
    return this.q<EventRecord>(Q.eventsOfRequest, [partner, request]);
  }

  async requestLives(partner: string, customer: string, fromMs: number, toMs: number, eventsToMs = toMs): Promise<RequestLives> {
    return this.tx(
      false,
      async ({ c }) => {
        const reqs = (await c.query({ text: Q.periodRequests, values: [partner, customer, fromMs, toMs], rowMode: 'array' })).rows as unknown[][];
        const events = (await c.query<EventRecord>(Q.customerEvents, [partner, customer, fromMs, eventsToMs])).rows;
        return { requests: reqs.map((r) => requestOf(r as RequestRow)), events };
      },
      'begin isolation level repeatable read read only',
    );
  }

  // ---- batch writes

  /**
   * A whole batch in a few statements, whatever its size: the ids already
   * stored and the customers and requests referred to are read with one query
   * each, the records are checked in order in memory (the first failing
   * record's error, as the SQLite store finds it one by one), and the new
   * rows go in with one INSERT … SELECT FROM unnest(…) per table. Another
   * server inserting the same id at the same moment makes one of the two
   * fail on the primary key; that one runs again and replays or conflicts.
   */
  async insertMany<K extends RecordKind>(
    partner: string,
    kind: K,
    recs: readonly Hashed<KindRecord[K]>[],
    claim?: IdempotencyClaim<WriteResult<KindRecord[K]>[]>,
    audit?: Audit<WriteResult<KindRecord[K]>[]>,
  ): Promise<WriteResult<KindRecord[K]>[]> {
    return this.writeOnce(partner, claim, async (tx) => (await this.batch(tx, partner, kind, recs as readonly Hashed<KindRecord[RecordKind]>[])) as WriteResult<KindRecord[K]>[], audit);
  }

  private async batch(tx: Tx, partner: string, kind: RecordKind, recs: readonly Hashed<KindRecord[RecordKind]>[]): Promise<WriteResult<KindRecord[RecordKind]>[]> {
    const { c } = tx;
    const ids = recs.map((r) => r.record.id);
    const stored = new Map((await c.query<{ id: string; h: string }>(`select id, body_hash as h from ${kind} where partner = $1 and id = any($2::text[])`, [partner, ids])).rows.map((r) => [r.id, r.h]));
    const refs = new Set<string>();
    if (kind !== 'customers') for (const r of recs) if ((r.record as { customer?: string }).customer != null) refs.add((r.record as { customer: string }).customer);
    const customers = kind === 'customers' ? new Set<string>() : new Set((await c.query<{ id: string }>('select id from customers where partner = $1 and id = any($2::text[])', [partner, [...refs]])).rows.map((r) => r.id));
    const requestIds = kind === 'worklogs' ? [...new Set(recs.map((r) => (r.record as WorklogRecord).request).filter((x): x is string => x != null))] : [];
    const requests = new Set(requestIds.length === 0 ? [] : (await c.query<{ id: string }>('select id from requests where partner = $1 and id = any($2::text[])', [partner, requestIds])).rows.map((r) => r.id));
    const subIds = kind === 'purchases' ? [...new Set(recs.map((r) => (r.record as PurchaseRecord).subscription))] : [];
    const subs = new Set(subIds.length === 0 ? [] : (await c.query<{ id: string }>('select id from subscriptions where partner = $1 and id = any($2::text[])', [partner, subIds])).rows.map((r) => r.id));
    // subscriptions: the customers' rows locked (in id order: no deadlock) so the overlap rule sees every subscription of theirs
    const spans = new Map<string, SubscriptionSpan[]>(); // customer → its subscriptions' dates
    if (kind === 'subscriptions' && refs.size > 0) {
      await c.query('select 1 from customers where partner = $1 and id = any($2::text[]) order by id for no key update', [partner, [...refs]]);
      const had = await c.query<SubscriptionSpan>('select id, customer, offering, start, "end" from subscriptions where partner = $1 and customer = any($2::text[])', [partner, [...refs]]);
      for (const r of had.rows) spans.set(r.customer, [...(spans.get(r.customer) ?? []), r]);
    }
    const tenants = new Map<string, string>(); // tenant → owner, for customers
    if (kind === 'customers') {
      const wanted = [...new Set(recs.map((r) => (r.record as CustomerRecord).tenantId).filter((x): x is string => x != null))];
      if (wanted.length > 0) for (const r of (await c.query<{ id: string; t: string }>('select id, tenant_id as t from customers where partner = $1 and tenant_id = any($2::text[])', [partner, wanted])).rows) tenants.set(r.t, r.id);
    }

    const fresh = new Map<string, KindRecord[RecordKind]>(); // written by this batch, by id
    const replays: { index: number; id: string }[] = [];
    const results: WriteResult<KindRecord[RecordKind]>[] = [];
    const rows: { rec: KindRecord[RecordKind]; bodyHash: string }[] = [];
    recs.forEach(({ record, bodyHash }, index) => {
      const had = stored.get(record.id);
      if (had !== undefined) {
        if (had !== bodyHash) throw new ConflictError(`${KIND_NOUN[kind]} "${record.id}" already exists with a different body`, index);
        const again = fresh.get(record.id);
        if (again) results.push({ created: false, record: again });
        else {
          replays.push({ index, id: record.id });
          results.push(undefined as never); // read back below
        }
        return;
      }
      if (kind !== 'customers') {
        const customer = (record as { customer: string | null }).customer;
        if (customer !== null && !customers.has(customer)) throw new MissingReferenceError(`unknown customer "${customer}"`, '/customer', index);
      }
      let rec: KindRecord[RecordKind];
      switch (kind) {
        case 'customers': {
          const cu = customerOf(record as CustomerRecord);
          if (cu.tenantId != null) {
            const owner = tenants.get(cu.tenantId);
            if (owner !== undefined && owner !== cu.id) throw new ConflictError(`tenant "${cu.tenantId}" already belongs to customer "${owner}"`, index);
            tenants.set(cu.tenantId, cu.id);
          }
          rec = cu;
          break;
        }
        case 'subscriptions': {
          const sub = subscriptionOf(record as SubscriptionRecord);
          const theirs = spans.get(sub.customer) ?? [];
          assertNoOverlap(sub, theirs, index);
          spans.set(sub.customer, [...theirs, sub]);
          rec = sub;
          break;
        }
        case 'requests':
          rec = requestOfRecord(record as RequestRecord);
          break;
        case 'worklogs': {
          const w = worklogOf(record as WorklogRecord);
          if (w.request !== null && !requests.has(w.request)) throw new MissingReferenceError(`unknown request "${w.request}"`, '/request', index);
          rec = w;
          break;
        }
        case 'spend':
          rec = spendOf(record as SpendRecord);
          break;
        case 'purchases': {
          const p = purchaseOf(record as PurchaseRecord);
          if (!subs.has(p.subscription)) throw new MissingReferenceError(`unknown subscription "${p.subscription}"`, '/subscription', index);
          rec = p;
          break;
        }
      }
      stored.set(record.id, bodyHash);
      fresh.set(record.id, rec);
      rows.push({ rec, bodyHash });
      results.push({ created: true, record: rec });
    });
    for (const { index, id } of replays) results[index] = { created: false, record: (await this.readBack(c, partner, kind, id))! };
    if (rows.length === 0) {
      tx.unchanged = true;
      return results;
    }
    await insertRows(c, partner, kind, rows, now());
    return results;
  }

  private async readBack(c: pg.PoolClient, partner: string, kind: RecordKind, id: string): Promise<KindRecord[RecordKind] | null> {
    switch (kind) {
      case 'customers':
        return (await c.query<CustomerRecord>(Q.customer, [partner, id])).rows[0] ?? null;
      case 'subscriptions':
        return this.subscriptionById(c, partner, id);
      case 'requests': {
        const [row] = (await c.query({ text: Q.request, values: [partner, id], rowMode: 'array' })).rows as unknown[][];
        return row ? requestOf(row as RequestRow) : null;
      }
      case 'worklogs': {
        const w = (await c.query<WorklogRow>(Q.worklog, [partner, id])).rows[0];
        return w ? worklogOf(w) : null;
      }
      case 'spend':
        return (await c.query<SpendRecord>(Q.spend, [partner, id])).rows[0] ?? null;
      case 'purchases':
        return (await c.query<PurchaseRecord>(Q.purchase, [partner, id])).rows[0] ?? null;
    }
  }

  /**
   * One upsert for the whole set (INSERT … ON CONFLICT DO UPDATE), the last
   * record of an id winning as when they are written one after another; the
   * counts are SQLite's: the ids new to the store are created, every other
   * record replaced.
   */
  async replaceSpend(partner: string, recs: readonly SpendRecord[]): Promise<ReplaceCounts> {
    return this.tx(true, async (tx) => {
      const customers = [...new Set(recs.map((r) => r.customer))];
      const found = new Set((await tx.c.query<{ id: string }>('select id from customers where partner = $1 and id = any($2::text[])', [partner, customers])).rows.map((r) => r.id));
      const bad = recs.findIndex((r) => !found.has(r.customer));
      if (bad >= 0) throw new MissingReferenceError(`unknown customer "${recs[bad]!.customer}"`, '/customer', bad);
      const last = new Map<string, SpendRecord>();
      for (const r of recs) last.set(r.id, spendOf(r));
      const rows = [...last.values()];
      if (rows.length === 0) {
        tx.unchanged = true;
        return { created: 0, replaced: 0 };
      }
      const col = (f: (s: SpendRecord) => string | null | undefined): (string | null)[] => rows.map((s) => f(s) ?? null);
      const res = await tx.c.query<{ inserted: boolean }>(
        `insert into spend (partner, id, customer, period, service, amount, retail, source, invoice, body_hash, created_at)
           select $1, u.*, $11 from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[]) as u
         on conflict (partner, id) do update set customer = excluded.customer, period = excluded.period, service = excluded.service, amount = excluded.amount,
           retail = excluded.retail, source = excluded.source, invoice = excluded.invoice, body_hash = excluded.body_hash
         returning (xmax = 0) as inserted`,
        [partner, col((s) => s.id), col((s) => s.customer), col((s) => s.period), col((s) => s.service), col((s) => s.amount), col((s) => s.retail), col((s) => s.source), col((s) => s.invoice), rows.map(spendFiguresHash), now()],
      );
      const created = res.rows.filter((r) => r.inserted).length;
      return { created, replaced: recs.length - created };
    });
  }

  // ---- statements

  async periodData(partner: string, customer: string, period: string, fromMs: number, toMs: number): Promise<CustomerPeriodData | null> {
    // one statement: one round trip, one snapshot even while other servers write (see PG_PERIOD_DATA)
    const [row] = await this.q<{ customer: CustomerRecord | null; subscriptions: SubscriptionRecord[]; requests: RequestRow[]; earlier: RequestRow[]; worklogs: WorklogRecord[]; spend: SpendRecord[] }>(
      PG_PERIOD_DATA,
      [partner, customer, fromMs, toMs, period],
    );
    if (!row?.customer) return null;
    return { customer: row.customer, subscriptions: row.subscriptions, requests: [...row.requests, ...row.earlier].map(requestOf), worklogs: row.worklogs, spend: row.spend };
  }

  async windowData(partner: string, customer: string, fromPeriod: string, toPeriod: string, fromMs: number, toMs: number): Promise<CustomerWindow | null> {
    // one statement: one round trip, one snapshot (see PG_WINDOW_DATA)
    const [row] = await this.q<{ customer: CustomerRecord | null; subscriptions: SubscriptionRecord[]; worklogs: WorklogRecord[]; spend: SpendRecord[]; adjustments: Parameters<typeof adjustmentOf>[0][] }>(
      PG_WINDOW_DATA,
      [partner, customer, fromMs, toMs, fromPeriod, toPeriod],
    );
    if (!row?.customer) return null;
    return { customer: row.customer, subscriptions: row.subscriptions, worklogs: row.worklogs, spend: row.spend, adjustments: row.adjustments.map(adjustmentOf) };
  }

  async history(partner: string, customer: string, fromMs: number, toMs: number, through: string): Promise<CustomerHistory> {
    // one statement: one round trip and one snapshot (see PG_HISTORY)
    const [row] = await this.q<{ requests: RequestRow[]; worklogs: WorklogRow[]; purchases: PurchaseRecord[] }>(PG_HISTORY, [partner, customer, fromMs, toMs, through]);
    return { requests: row!.requests.map(requestOf), worklogs: row!.worklogs.map(worklogOf), purchases: row!.purchases };
  }

  async getIssued(partner: string, customer: string, period: string): Promise<IssuedStatementRecord | null> {
    return (await this.q<IssuedStatementRecord>(Q.issued, [partner, customer, period]))[0] ?? null;
  }

  async issuedByNumber(partner: string, number: string): Promise<IssuedStatementRecord | null> {
    return (await this.q<IssuedStatementRecord>(Q.issuedByNumber, [partner, number]))[0] ?? null;
  }

  // ---- month-end (§9.1, §9.5, §9.6)

  async issuedSince(partner: string, customer: string, fromPeriod: string): Promise<IssuedStatementRecord[]> {
    return this.q<IssuedStatementRecord>(ME.issuedSince, [partner, customer, fromPeriod]);
  }

  async issuedHeadsSince(partner: string, customer: string, fromPeriod: string): Promise<IssuedHead[]> {
    return (await this.q<IssuedHead>(PG_HEADS, [partner, customer, fromPeriod])).map(issuedHeadOf);
  }

  async inputsRev(_partner: string, _customer: string): Promise<string> {
    // one statement's snapshot: every transaction it sees is seen by the inputs' reads that follow (READ COMMITTED)
    return (await this.q<{ rev: string }>(HEADS_SQL.pgRev, []))[0]!.rev;
  }

  async insertAdjustments(partner: string, recs: readonly Hashed<AdjustmentRecord>[], claim?: IdempotencyClaim<WriteResult<AdjustmentRecord>[]>): Promise<WriteResult<AdjustmentRecord>[]> {
    return this.writeOnce(partner, claim, async (tx) => {
      const out: WriteResult<AdjustmentRecord>[] = [];
      type Row = Parameters<typeof adjustmentOf>[0];
      let seq = Number((await tx.c.query<{ seq: string }>(ME.nextSeq, [partner])).rows[0]!.seq);
      for (const [index, { record: a, bodyHash }] of recs.entries()) {
        const [existing] = (await tx.c.query<{ body_hash: string }>(ME.adjustmentHash, [partner, a.id])).rows;
        if (existing) {
          if (existing.body_hash !== bodyHash) throw new ConflictError(`adjustment "${a.id}" already exists with a different body`, index);
          out.push({ created: false, record: adjustmentOf((await tx.c.query<Row>(ME.adjustment, [partner, a.id])).rows[0]!) });
          continue;
        }
        if ((await tx.c.query(ME.customerExists, [partner, a.customer])).rowCount === 0) throw new MissingReferenceError(`unknown customer "${a.customer}"`, '/customer', index);
        const [issued] = (await tx.c.query<{ number: string }>(ME.periodIssued, [partner, a.customer, a.period])).rows;
        if (issued) throw ERR.PERIOD_ISSUED({ customer: a.customer, period: a.period, number: issued.number }, { index });
        // a rival inserting the same id at once fails one of the two on the primary key: tx() runs it again (replay or conflict)
        await tx.c.query(ME.insertAdjustment, [partner, a.id, a.customer, a.period, a.description, a.amount, a.offering ?? null, a.taxable, seq++, bodyHash, now()]);
        out.push({ created: true, record: adjustmentOf({ ...a, offering: a.offering ?? null }) });
      }
      if (out.every((r) => !r.created)) tx.unchanged = true;
      return out;
    });
  }

  async listAdjustments(partner: string, customer: string, period: string): Promise<AdjustmentRecord[]> {
    return (await this.q<Parameters<typeof adjustmentOf>[0]>(ME.adjustments, [partner, customer, period])).map(adjustmentOf);
  }

  // ---- kept block ledger states (§10)

  async historyStamp(partner: string, customer: string, toMs: number, through: string): Promise<string> {
    // one statement: one snapshot of the three tables
    return stampOf(await this.q<{ n: string; h: string }>(LS.historyStamp, historyStampParams(partner, customer, toMs, through)));
  }

  async historyStamps(partner: string, customer: string, bounds: readonly StampBound[]): Promise<string[]> {
    if (bounds.length === 0) return [];
    // one statement: one snapshot of the three tables
    return stampsOf(await this.q<StampRow>(LS.stampRows, stampRowsParams(partner, customer, bounds)), bounds);
  }

  async ledgerStates(partner: string, customer: string, before: string, limit: number): Promise<KeptLedgerStates[]> {
    // from_ms (int8) comes as a number (pgTypes), as SQLite gives it
    return this.q<KeptLedgerStates>(PG_STATES, [partner, customer, before, limit]);
  }

  async keptStates(partner: string, customer: string, before: string, limit: number): Promise<LedgerStatesRecord[]> {
    return this.q<LedgerStatesRecord>(LS.latest, [partner, customer, before, limit]);
  }

  async putLedgerStates(partner: string, customer: string, rec: LedgerStatesRecord): Promise<void> {
    await this.tx(true, async (tx) => {
      await tx.c.query(LS.put, [partner, customer, rec.period, rec.stamp, rec.states, now(), rec.inputsRev]);
    });
  }

  async putPlanVersion(partner: string, hash: string, text: string): Promise<boolean> {
    return this.tx(true, async (tx) => {
      const res = await tx.c.query(ME.insertPlanVersion, [partner, hash, text, now()]);
      if (res.rowCount === 0) tx.unchanged = true;
      return (res.rowCount ?? 0) > 0;
    });
  }

  async getPlanVersion(partner: string, hash: string): Promise<string | null> {
    return (await this.q<{ text: string }>(ME.planVersion, [partner, hash]))[0]?.text ?? null;
  }

  async listIssued(partner: string): Promise<IssuedStatementRecord[]> {
    return this.q<IssuedStatementRecord>(Q.issuedAll, [partner]);
  }

  /**
   * Numbers are gapless per partner and month across servers: the series'
   * counter row is locked (INSERT … ON CONFLICT DO UPDATE … RETURNING) before
   * the customer's statement is looked for again, so a concurrent issuer of
   * the same series waits until this one commits, then sees its statement
   * (same customer and period: that one is returned) or takes the next
   * number. A counter row first made here starts after the numbers already
   * issued in its series (a store copied from SQLite has statements but no
   * counters).
   */
  async issue(
    partner: string,
    customer: string,
    period: string,
    make: (number: string, issuedAt: string, replaces: string | null) => IssueMade,
    claim?: IdempotencyClaim<WriteResult<IssuedStatementRecord>>,
  ): Promise<WriteResult<IssuedStatementRecord>> {
    const issued = async (c: pg.PoolClient): Promise<IssuedStatementRecord | undefined> => (await c.query<IssuedStatementRecord>(Q.issued, [partner, customer, period])).rows[0];
    return this.writeOnce(partner, claim, async (tx) => {
      const before = await issued(tx.c);
      if (before) {
        if (!claim) tx.unchanged = true;
        return { created: false, record: issuedOf(before) };
      }
      const series = numberSeries(partner, period);
      const { rows } = await tx.c.query<{ last: number }>(
        `insert into number_counters (partner, series, last)
           values ($1, $2, (select count(*) from statements where partner = $1 and starts_with(number, $2))
             + (select count(*) from voided_invoices where partner = $1 and starts_with(number, $2)) + 1)
         on conflict (partner, series) do update set last = number_counters.last + 1
         returning last`,
        [partner, series],
      );
      const after = await issued(tx.c);
      if (after) {
        if (!claim) tx.unchanged = true; // rolls the counter back too
        return { created: false, record: issuedOf(after) };
      }
      const number = numberIn(series, rows[0]!.last);
      const issuedAt = now();
      const replaces = lastNumber((await tx.c.query<{ number: string }>(D.voidedOfPeriod, [partner, customer, period])).rows.map((r) => r.number));
      const made = make(number, issuedAt, replaces);
      const rec: IssuedStatementRecord = { customer, period, number, planHash: made.planHash, inputsDigest: made.inputsDigest, body: made.body, issuedAt };
      await tx.c.query(
        'insert into statements (partner, customer, period, number, plan_hash, inputs_digest, body, issued_at, inputs_rev) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [partner, customer, period, number, rec.planHash, rec.inputsDigest, rec.body, rec.issuedAt, made.inputsRev ?? null],
      );
      return { created: true, record: rec };
    });
  }

  /** The invoice's row is locked (FOR UPDATE): a void and credit notes of one invoice, from any server, run one after another. */
  async voidInvoice(
    partner: string,
    number: string,
    reason: string,
    guard: VoidGuard,
    claim?: IdempotencyClaim<WriteResult<VoidedInvoiceRecord> | null>,
  ): Promise<WriteResult<VoidedInvoiceRecord> | null> {
    return this.writeOnce(partner, claim, async (tx) => {
      const row = (await tx.c.query<IssuedStatementRecord>(Q.issuedByNumber + ' for update', [partner, number])).rows[0];
      if (!row) {
        if (!claim) tx.unchanged = true;
        const before = (await tx.c.query<VoidedInvoiceRecord>(D.voidedByNumber, [partner, number])).rows[0];
        return before ? { created: false, record: voidedOf(before) } : null;
      }
      const invoice = issuedOf(row);
      const notes = (await tx.c.query<CreditNoteRecord>(D.creditNotesOf, [partner, number])).rows.map(creditNoteOf);
      const later = (await tx.c.query<IssuedStatementRecord>(D.laterIssued, [partner, invoice.customer, invoice.period])).rows.map(issuedOf);
      guard(invoice, notes, later);
      const voidedAt = now();
      await tx.c.query(D.voidInsert, voidParams(partner, invoice, reason, voidedAt));
      await tx.c.query(D.issuedDelete, [partner, number]);
      return { created: true, record: { ...invoice, reason, voidedAt } };
    });
  }

  /** The invoice's row, then the series' counter row, are locked: gapless numbers and no over-credit across servers. */
  async issueCreditNote(
    partner: string,
    invoiceNumber: string,
    series: (issuedAt: string) => string,
    make: CreditNoteMaker,
    claim?: IdempotencyClaim<WriteResult<CreditNoteRecord> | null>,
  ): Promise<WriteResult<CreditNoteRecord> | null> {
    return this.writeOnce(partner, claim, async (tx) => {
      const row = (await tx.c.query<IssuedStatementRecord>(Q.issuedByNumber + ' for update', [partner, invoiceNumber])).rows[0];
      if (!row) {
        if (!claim) tx.unchanged = true;
        return null;
      }
      const invoice = issuedOf(row);
      const earlier = (await tx.c.query<CreditNoteRecord>(D.creditNotesOf, [partner, invoiceNumber])).rows.map(creditNoteOf);
      const issuedAt = now();
      const prefix = series(issuedAt);
      const { rows } = await tx.c.query<{ last: number }>(
        `insert into number_counters (partner, series, last)
           values ($1, $2, (select count(*) from credit_notes where partner = $1 and starts_with(number, $2)) + 1)
         on conflict (partner, series) do update set last = number_counters.last + 1
         returning last`,
        [partner, prefix],
      );
      const number = numberIn(prefix, rows[0]!.last);
      const made = make(invoice, earlier, number, issuedAt); // a refusal (OVER_CREDIT) rolls the counter back
      const rec: CreditNoteRecord = { number, invoice: invoiceNumber, customer: invoice.customer, period: invoice.period, total: made.total, body: made.body, issuedAt };
      await tx.c.query(D.creditNoteInsert, [partner, number, invoiceNumber, rec.customer, rec.period, rec.total, rec.body, issuedAt]);
      return { created: true, record: rec };
    });
  }

  async documents(partner: string, filter: DocumentFilter): Promise<DocumentRecord[]> {
    return this.tx(
      false,
      async ({ c }) => {
        const parts = [];
        for (const q of documentQueries(partner, filter)) parts.push({ table: q.table, rows: (await c.query<Record<string, unknown>>(numbered(q.sql), q.params)).rows });
        return documentsOf(parts);
      },
      'begin isolation level repeatable read read only',
    );
  }

  async documentByNumber(partner: string, number: string): Promise<DocumentRecord | null> {
    const [row] = await this.q<Record<string, unknown> & { t: string }>(
      `select 'statements' as t, customer, period, number, plan_hash as "planHash", inputs_digest as "inputsDigest", body, issued_at as "issuedAt", null as reason, null as "voidedAt", null as invoice, null as total from statements where partner = $1 and number = $2
       union all select 'voided_invoices', customer, period, number, plan_hash, inputs_digest, body, issued_at, reason, voided_at, null, null from voided_invoices where partner = $1 and number = $2
       union all select 'credit_notes', customer, period, number, null, null, body, issued_at, null, null, invoice, total from credit_notes where partner = $1 and number = $2`,
      [partner, number],
    );
    return row ? documentOf(row.t as 'statements', row) : null;
  }

  async inputStamps(partner: string, ids: InputIds, since: string): Promise<InputStamps> {
    return this.tx(
      false,
      async ({ c }) => {
        const u = (await c.query<{ updated_at: string }>(Q.customerUpdatedAt, [partner, ids.customer])).rows[0]?.updated_at ?? null;
        const created = {} as InputStamps['created'];
        for (const kind of ['subscriptions', 'requests', 'worklogs', 'spend', 'purchases'] as const) {
          const rows = (await c.query<{ id: string; at: string }>(`select id, created_at as at from ${kind} where partner = $1 and id = any($2::text[])`, [partner, [...(ids[kind] ?? [])]])).rows;
          created[kind] = new Map(rows.map((r) => [r.id, r.at]));
        }
        const later = (
          await c.query<{ subscription: string; metric: string; value: number; from: string; createdAt: string }>(
            'select subscription, metric, value, "from", created_at as "createdAt" from quantities where partner = $1 and subscription = any($2::text[]) and created_at > $3 order by seq',
            [partner, [...ids.subscriptions], since],
          )
        ).rows;
        return { customerUpdatedAt: u, created, laterQuantities: laterQuantities(later) };
      },
      'begin isolation level repeatable read read only',
    );
  }

  // ---- idempotency

  // ---- admin lists, corrections, audit (issue 22)

  async listPage<K extends ListKind>(partner: string, filter: ListFilter & { readonly kind: K }, page: PageRequest): Promise<Page<KindRecord[K]>> {
    return this.tx(false, async ({ c }) => {
      const { sql, params } = listSql('pg', partner, filter, page);
      const rows = (await c.query<{ k: string | number; id: string }>(numbered(sql), params)).rows;
      const more = rows.length > page.limit;
      const shown = more ? rows.slice(0, page.limit) : rows;
      const byId = await this.readMany(c, partner, filter.kind, shown.map((r) => r.id));
      const items = shown.map((r) => byId.get(r.id) as KindRecord[K]);
      const last = shown[shown.length - 1];
      // bigint sort keys arrive as text: the cursor keeps them numbers, as SQLite gives them
      return { items, next: more && last ? [LIST_SORT[filter.kind].endsWith('_ms') ? Number(last.k) : last.k, last.id] : null };
    });
  }

  /** Records of a kind by id in one round trip (a page read one by one took 200 of them). */
  private async readMany(c: pg.PoolClient, partner: string, kind: ListKind, ids: readonly string[]): Promise<Map<string, KindRecord[ListKind]>> {
    const any = (sql: string) => sql.replace('and id = $2', 'and id = any($2::text[])').replace('s.id = $2', 's.id = any($2::text[])');
    const values = [partner, [...ids]];
    let recs: KindRecord[ListKind][];
    if (kind === 'requests') recs = ((await c.query({ text: any(Q.request), values, rowMode: 'array' })).rows as RequestRow[]).map(requestOf);
    else if (kind === 'subscriptions') recs = (await c.query<{ sub: SubscriptionRecord }>(any(PG_SUBSCRIPTION), values)).rows.map((r) => r.sub);
    else if (kind === 'worklogs') recs = (await c.query<WorklogRow>(any(Q.worklog), values)).rows.map(worklogOf);
    else recs = (await c.query<CustomerRecord | SpendRecord>(any(kind === 'customers' ? Q.customer : Q.spend), values)).rows;
    return new Map(recs.map((r) => [r.id, r]));
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
      async (tx): Promise<RecordRevision<K> | null> => {
        const { c } = tx;
        // locked: two corrections of one record apply one after the other
        if ((await c.query(`select 1 from ${kind} where partner = $1 and id = $2 for update`, [partner, id])).rowCount === 0) {
          tx.unchanged = true;
          return null;
        }
        const before = (await this.readBack(c, partner, kind, id)) as KindRecord[K];
        const next = change(before);
        const customer = (before as { customer: string }).customer;
        for (const period of correctionPeriods(before, next?.record ?? null, periodOf)) {
          const number = (await c.query<{ number: string }>(A.periodIssued, [partner, customer, period])).rows[0]?.number;
          if (number !== undefined) throw ERR.PERIOD_ISSUED({ customer, period, number });
        }
        if (next === null) {
          if (kind === 'requests') {
            const worklog = (await c.query<{ id: string }>(A.worklogOfRequest, [partner, id])).rows[0]?.id;
            if (worklog !== undefined) throw ERR.RECORD_IN_USE({ what: `request "${id}"`, by: `worklog "${worklog}"` });
            await c.query(A.deleteEvents, [partner, id]);
          }
          await c.query(numbered(deleteSql(kind)), [partner, id]);
          return { before, after: null };
        }
        const { sql, params } = correctionWrite('pg', kind, { ...next.record, id }, next.bodyHash, partner);
        await c.query(numbered(sql), params);
        return { before, after: (await this.readBack(c, partner, kind, id)) as KindRecord[K] };
      },
      audit,
    );
  }

  async getRecord<K extends CorrectableKind>(partner: string, kind: K, id: string): Promise<KindRecord[K] | null> {
    return this.tx(false, async ({ c }) => (await this.readBack(c, partner, kind, id)) as KindRecord[K] | null);
  }

  async auditLog(partner: string, filter: AuditFilter, page: { readonly limit: number; readonly after: number | null }): Promise<Page<AuditRecord>> {
    const { sql, params } = auditSql(partner, filter, page);
    const rows = (await this.q<Parameters<typeof auditOf>[0]>(numbered(sql), params)).map(auditOf);
    const more = rows.length > page.limit;
    const items = more ? rows.slice(0, page.limit) : rows;
    return { items, next: more ? [items[items.length - 1]!.seq, ''] : null };
  }

  async getIdempotent(partner: string, key: string): Promise<IdempotencyRecord | null> {
    const [row] = await this.q<IdempotencyRecord>(Q.idempotent, [partner, key]);
    return row ? idempotencyOf(row) : null;
  }

  async putIdempotent(partner: string, rec: IdempotencyRecord): Promise<IdempotencyRecord> {
    return this.tx(true, async (tx) => {
      const took = await tx.c.query(numbered(SELECT_SQL.idempotentInsert) + ' on conflict do nothing', [partner, rec.key, rec.route, rec.bodyHash, rec.status, rec.contentType, rec.response, now()]);
      if (took.rowCount === 1) return rec;
      tx.unchanged = true;
      return idempotencyOf((await tx.c.query<IdempotencyRecord>(Q.idempotent, [partner, rec.key])).rows[0]!);
    });
  }
}

/** New rows of one kind in one statement per table (unnest of one array per column, in the batch's order). */
async function insertRows(c: pg.PoolClient, partner: string, kind: RecordKind, rows: readonly { rec: KindRecord[RecordKind]; bodyHash: string }[], createdAt: string): Promise<void> {
  const same = <T>(v: T): T[] => new Array<T>(rows.length).fill(v);
  const hashes = rows.map((r) => r.bodyHash);
  const recs = <T>(): T[] => rows.map((x) => x.rec as T);
  switch (kind) {
    case 'customers': {
      const r = recs<CustomerRecord>();
      await c.query(PG_INSERT.customer, [same(partner), r.map((x) => x.id), r.map((x) => x.name), r.map((x) => x.locale), r.map((x) => x.taxRate), r.map((x) => x.email), r.map((x) => x.tenantId ?? null), r.map((x) => x.taxId ?? null), hashes, same(createdAt), same(createdAt)]);
      return;
    }
    case 'subscriptions': {
      const r = recs<SubscriptionRecord>();
      await c.query(PG_INSERT.subscription, [same(partner), r.map((x) => x.id), r.map((x) => x.customer), r.map((x) => x.offering), r.map((x) => x.start), r.map((x) => x.end), r.map((x) => x.discount), r.map(pricesText), r.map((x) => x.priceAsOf ?? null), hashes, same(createdAt)]);
      const q = r.flatMap((s) => s.quantities.map((x) => [s.id, x.metric, x.value, x.from] as const));
      if (q.length > 0) await c.query(PG_INSERT.quantity, [partner, q.map((x) => x[0]), q.map((x) => x[1]), q.map((x) => x[2]), q.map((x) => x[3]), createdAt]);
      return;
    }
    case 'requests': {
      const r = recs<RequestRecord>();
      await c.query(PG_INSERT.request, [
        same(partner), r.map((x) => x.id), r.map((x) => x.customer), r.map((x) => x.offering), r.map((x) => x.service), r.map((x) => x.category), r.map((x) => x.severity), r.map((x) => x.channel),
        r.map((x) => x.receivedAt), r.map((x) => ms(x.receivedAt)), r.map((x) => x.serviceIncident), r.map((x) => x.respondedAt), r.map((x) => JSON.stringify(x.decision)), hashes, same(createdAt),
      ]);
      return;
    }
    case 'worklogs': {
      const r = recs<WorklogRecord>();
      await c.query(PG_INSERT.worklog, [same(partner), r.map((x) => x.id), r.map((x) => x.customer), r.map((x) => x.request), r.map((x) => x.offering), r.map((x) => x.start), r.map((x) => ms(x.start)), r.map((x) => x.minutes), r.map((x) => x.component ?? null), r.map(billableColumn), hashes, same(createdAt)]);
      return;
    }
    case 'spend': {
      const r = recs<SpendRecord>();
      await c.query(PG_INSERT.spend, [same(partner), r.map((x) => x.id), r.map((x) => x.customer), r.map((x) => x.period), r.map((x) => x.service), r.map((x) => x.amount), r.map((x) => x.retail), r.map((x) => x.source), r.map((x) => x.invoice), hashes, same(createdAt)]);
      return;
    }
    case 'purchases': {
      const r = recs<PurchaseRecord>();
      await c.query(PG_INSERT.purchase, [same(partner), r.map((x) => x.id), r.map((x) => x.customer), r.map((x) => x.subscription), r.map((x) => x.component), r.map((x) => x.date), r.map((x) => x.quantity), r.map((x) => x.amount), hashes, same(createdAt)]);
      return;
    }
  }
}
