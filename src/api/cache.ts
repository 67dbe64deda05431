// The lookups every API request makes — the bearer token, the customer and its
// subscriptions — cached in memory, so that POST /evaluate does not query the
// store per request. A decorator of the Repository that delegates every method
// explicitly: each write drops what it changes, so the app's own writes are
// seen at once, and a method added to the Repository is a compile error here
// until it is delegated (REPOSITORY_METHODS says which are writes; a test
// holds every write to invalidating).
// Writes the app cannot see (another `serve` or `tierbook import` on the same
// store, a token row deleted with sqlite3 or psql) are caught by the store's
// change stamp (Repository.changeStamp), compared before cached reads are
// trusted. SQLite answers it synchronously (PRAGMA data_version: another
// connection committed; total_changes(): this connection's writes, for code
// that writes past the decorator); PostgreSQL reads its change counter, a
// round trip, so there every request start awaits a reading (see findToken).
// A changed stamp empties the cache. The requests a server reads in one go
// share one reading (see cachedToken). Unknown tokens are never cached (a
// token created a moment ago must work), and the cache is bounded (least
// recently used out).
import type { LinkRecord, NewLink } from '../store/links.js';
import type {
  AdjustmentRecord,
  KeptLedgerStates,
  LedgerStatesRecord,
  StampBound,
  ChangeStamp,
  CreditNoteMaker,
  CreditNoteRecord,
  DocumentFilter,
  DocumentRecord,
  VoidedInvoiceRecord,
  VoidGuard,
  CustomerHistory,
  CustomerPeriodData,
  CustomerWindow,
  CustomerRecord,
  EventRecord,
  Hashed,
  IdempotencyClaim,
  IdempotencyRecord,
  InputIds,
  InputStamps,
  IssuedHead,
  IssueMade,
  IssuedStatementRecord,
  KindRecord,
  QuantityRecord,
  RecordKind,
  ReplaceCounts,
  Repository,
  RequestLives,
  RequestRecord,
  Role,
  SpendRecord,
  SubscriptionChange,
  SubscriptionRecord,
  SubscriptionRevision,
  TokenInfo,
  WriteResult,
  Audit,
  AuditFilter,
  AuditRecord,
  CorrectableKind,
  ListFilter,
  ListKind,
  Page,
  PageRequest,
  RecordRevision,
} from '../store/repository.js';

/** A bounded map that forgets the least recently used entry first. */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  /** The most recently used key (already last in the map): a repeated hit moves nothing. */
  private last: K | undefined;
  constructor(readonly max: number) {}

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined && key !== this.last) {
      // re-insert: Map iterates in insertion order, so the first key is the least recently used
      this.map.delete(key);
      this.map.set(key, v);
      this.last = key;
    }
    return v;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    this.last = key;
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }

  delete(key: K): void {
    this.map.delete(key);
    if (key === this.last) this.last = undefined;
  }

  clear(): void {
    this.map.clear();
    this.last = undefined;
  }
}

/** What the store has been through (Repository.changeStamp). */
export type StoreStamp = ChangeStamp;

/** A stamp reading: synchronous (SQLite) or a round trip (PostgreSQL). */
export type StampFn = () => StoreStamp | Promise<StoreStamp>;

export interface CacheOptions {
  /** How the cache learns of writes past it; default the store's changeStamp. null: entries live ttlMs. */
  readonly stamp?: StampFn | null;
  readonly maxTokens?: number;
  readonly maxCustomers?: number;
  /** Only without a stamp: how long anything cached is trusted. */
  readonly ttlMs?: number;
  readonly now?: () => number;
  /** Monotonic ms for SHARE_MS (default performance.now); tests pass a fake one so no assertion depends on the machine's speed. */
  readonly monotonic?: () => number;
}

interface CustomerEntry {
  customer?: CustomerRecord | null; // null: known not to exist
  subscriptions?: readonly SubscriptionRecord[];
}

const key = (partner: string, id: string): string => partner + '\u0000' + id;

const isPromise = <T>(x: T | Promise<T>): x is Promise<T> => typeof (x as { then?: unknown } | null)?.then === 'function';
const ignore = (): void => {};

/** How long a request start may share another's stamp reading, in ms (see cachedToken). */
export const SHARE_MS = 1;

export class CachedRepository implements Repository {
  private readonly tokens: Lru<string, TokenInfo>;
  private readonly customers: Lru<string, CustomerEntry>;
  private readonly stamp: StampFn | null;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly monotonic: () => number;
  private known: StoreStamp | null = null;
  private clearedAt = 0;
  /** Bumped by every invalidation: a read that started before one must not store its (older) answer. */
  private generation = 0;
  /** The stamp was compared for what is being served now (see check()); reset each event-loop turn. */
  private checked = false;
  /** When a request start last compared the stamp (monotonic ms; -Infinity: not this turn): later starts may share it (see cachedToken). */
  private readAt = -Infinity;
  /** The stamp answers asynchronously (PostgreSQL); undefined until first read. */
  private asyncStamp: boolean | undefined;
  /** This turn's asynchronous reading, shared by the request starts allowed to (see cachedToken). */
  private reading: Promise<void> | null = null;
  private forgetQueued = false;
  private readonly forget = (): void => {
    this.checked = false;
    this.readAt = -Infinity;
    this.reading = null;
    this.forgetQueued = false;
  };

  constructor(
    readonly inner: Repository,
    opts: CacheOptions = {},
  ) {
    this.tokens = new Lru(opts.maxTokens ?? 1_000);
    this.customers = new Lru(opts.maxCustomers ?? 10_000);
    this.stamp = opts.stamp === undefined ? () => inner.changeStamp() : opts.stamp;
    this.ttlMs = opts.ttlMs ?? 1_000;
    this.now = opts.now ?? Date.now;
    this.monotonic = opts.monotonic ?? (() => performance.now());
  }

  /** How many invalidations so far (every write and every clear counts one): tests hold each write to it. */
  get invalidations(): number {
    return this.generation;
  }

  /** Forgets everything (plan reload, or a write this cache cannot attribute). */
  clear(): void {
    this.tokens.clear();
    this.customers.clear();
    this.generation++;
  }

  /**
   * Empties the cache when the store changed behind it. Reading a SQLite
   * stamp costs a few µs (about 4% of a cached evaluate), and a request makes
   * three lookups, so a reading serves every lookup of the request whose
   * start took it (and of requests sharing it, see cachedToken). Readings are
   * forgotten after each event-loop turn. An asynchronous stamp is read by
   * request starts only (findToken): the lookups after it in the same
   * request are served on that reading, which was taken after the request
   * arrived.
   */
  private check(): void {
    if (!this.checked && this.asyncStamp !== true) void this.compare();
  }

  /** Reads the stamp now; a change empties the cache. A promise when the stamp answers asynchronously. */
  private compare(): Promise<void> | undefined {
    this.checked = true;
    if (!this.forgetQueued) {
      this.forgetQueued = true; // one immediate per turn, not one per request
      setImmediate(this.forget);
    }
    if (this.stamp === null) {
      const t = this.now();
      if (t - this.clearedAt >= this.ttlMs) {
        this.clear();
        this.clearedAt = t;
      }
      return undefined;
    }
    const s = this.stamp();
    if (!isPromise(s)) {
      this.asyncStamp = false;
      this.see(s);
      return undefined;
    }
    this.asyncStamp = true;
    const reading = s.then((v) => this.see(v));
    reading.catch(ignore); // awaited by findToken; a reading nobody waits for must not crash the process
    this.reading = reading;
    return reading;
  }

  private see(s: StoreStamp): void {
    const k = this.known;
    if (k === null || s.external !== k.external || s.own !== k.own) {
      this.clear();
      this.known = s;
    }
  }

  /** After a write through this cache (which dropped what it changed): its own change count is explained. */
  private absorb(): void {
    if (this.stamp === null || this.known === null) return;
    if (this.asyncStamp) {
      // the counter does not tell own writes from others': the next reading empties the cache
      this.known = null;
      return;
    }
    const s = this.stamp() as StoreStamp;
    if (s.external !== this.known.external) this.clear();
    this.known = s;
  }

  /** Runs a write: unexplained changes before it empty the cache, its own are absorbed after. */
  private async write<T>(run: () => Promise<T>, drop: (result: T | undefined) => void): Promise<T> {
    if (this.asyncStamp !== true) void this.compare(); // now: changes made before this write must not be absorbed as its own
    let result: T | undefined;
    try {
      result = await run();
      return result;
    } finally {
      drop(result);
      this.generation++;
      this.absorb();
    }
  }

  private entry(partner: string, id: string): CustomerEntry | undefined {
    this.check();
    return this.customers.get(key(partner, id));
  }

  private remember(partner: string, id: string, generation: number, fill: (e: CustomerEntry) => void): void {
    if (generation !== this.generation) return;
    const k = key(partner, id);
    const e = this.customers.get(k) ?? {};
    fill(e);
    this.customers.set(k, e);
  }

  // ---- cached reads

  /**
   * The token's identity when cached and the store unchanged; undefined means
   * "ask findToken" (always so while an asynchronous stamp reading is
   * pending). Called first by every request (the auth hook): its lookups
   * must use a stamp read after the request arrived, so that a commit the
   * client knew of before sending is always seen. A request start compares
   * the stamp afresh unless another request start compared it in the same
   * event-loop turn less than SHARE_MS ago. Both were then read from their
   * sockets in the same poll phase (the auth hook runs as the headers are
   * read), so both were sent before that phase's epoll_wait returned, thus
   * before the shared reading: sharing loses no freshness. The time bound
   * caps what the phase argument cannot cover (libuv polling again within
   * one phase when more than 1024 sockets are ready; a reading in another
   * phase of the turn) at SHARE_MS. Under load a turn serves many requests,
   * and they pay one stamp reading instead of one each.
   */
  cachedToken(token: string): TokenInfo | undefined {
    const t = this.monotonic();
    if (t - this.readAt >= SHARE_MS) {
      void this.compare();
      this.readAt = t;
    }
    if (this.asyncStamp) return undefined;
    return this.tokens.get(token);
  }

  /**
   * A customer's subscriptions when the cache can answer without the store:
   * undefined means "ask the store", null that the customer does not exist.
   * (Synchronous: a cached POST /evaluate is answered without a promise.)
   */
  cachedHoldings(partner: string, customer: string): readonly SubscriptionRecord[] | null | undefined {
    const e = this.entry(partner, customer);
    if (e === undefined || e.customer === undefined) return undefined;
    if (e.customer === null) return null;
    return e.subscriptions;
  }

  async findToken(token: string): Promise<TokenInfo | null> {
    const hit = this.cachedToken(token);
    if (hit) return hit;
    if (this.asyncStamp && this.reading) {
      await this.reading; // a store that cannot be read fails the request here (503), not later
      const after = this.tokens.get(token);
      if (after) return after;
    }
    const generation = this.generation;
    const info = await this.inner.findToken(token);
    if (info && generation === this.generation) this.tokens.set(token, Object.freeze(info));
    return info;
  }

  async getCustomer(partner: string, id: string): Promise<CustomerRecord | null> {
    const e = this.entry(partner, id);
    if (e?.customer !== undefined) return e.customer;
    const generation = this.generation;
    const c = await this.inner.getCustomer(partner, id);
    const frozen = c && Object.freeze(c);
    this.remember(partner, id, generation, (x) => (x.customer = frozen));
    return frozen;
  }

  async listSubscriptions(partner: string, customer: string): Promise<SubscriptionRecord[]> {
    const e = this.entry(partner, customer);
    if (e?.subscriptions !== undefined) return e.subscriptions as SubscriptionRecord[];
    const generation = this.generation;
    const subs = Object.freeze(await this.inner.listSubscriptions(partner, customer));
    this.remember(partner, customer, generation, (x) => (x.subscriptions = subs));
    return subs as SubscriptionRecord[];
  }

  // ---- reads passed through (nothing of theirs is cached)

  close(): Promise<void> {
    return this.inner.close();
  }
  isEmpty(): Promise<boolean> {
    return this.inner.isEmpty();
  }
  changeStamp(): StoreStamp | Promise<StoreStamp> {
    return this.inner.changeStamp();
  }
  listCustomers(partner: string): Promise<CustomerRecord[]> {
    return this.inner.listCustomers(partner);
  }
  getSubscription(partner: string, id: string): Promise<SubscriptionRecord | null> {
    return this.inner.getSubscription(partner, id);
  }
  getRequest(partner: string, id: string): Promise<RequestRecord | null> {
    return this.inner.getRequest(partner, id);
  }
  periodData(partner: string, customer: string, period: string, fromMs: number, toMs: number): Promise<CustomerPeriodData | null> {
    return this.inner.periodData(partner, customer, period, fromMs, toMs);
  }
  windowData(partner: string, customer: string, fromPeriod: string, toPeriod: string, fromMs: number, toMs: number): Promise<CustomerWindow | null> {
    return this.inner.windowData(partner, customer, fromPeriod, toPeriod, fromMs, toMs);
  }
  history(partner: string, customer: string, fromMs: number, toMs: number, through: string): Promise<CustomerHistory> {
    return this.inner.history(partner, customer, fromMs, toMs, through);
  }
  getIssued(partner: string, customer: string, period: string): Promise<IssuedStatementRecord | null> {
    return this.inner.getIssued(partner, customer, period);
  }
  issuedByNumber(partner: string, number: string): Promise<IssuedStatementRecord | null> {
    return this.inner.issuedByNumber(partner, number);
  }
  listIssued(partner: string): Promise<IssuedStatementRecord[]> {
    return this.inner.listIssued(partner);
  }
  documents(partner: string, filter: DocumentFilter): Promise<DocumentRecord[]> {
    return this.inner.documents(partner, filter);
  }
  documentByNumber(partner: string, number: string): Promise<DocumentRecord | null> {
    return this.inner.documentByNumber(partner, number);
  }
  inputStamps(partner: string, ids: InputIds, since: string): Promise<InputStamps> {
    return this.inner.inputStamps(partner, ids, since);
  }
  getIdempotent(partner: string, key: string): Promise<IdempotencyRecord | null> {
    return this.inner.getIdempotent(partner, key);
  }
  listPage<K extends ListKind>(partner: string, filter: ListFilter & { readonly kind: K }, page: PageRequest): Promise<Page<KindRecord[K]>> {
    return this.inner.listPage<K>(partner, filter, page);
  }
  getRecord<K extends CorrectableKind>(partner: string, kind: K, id: string): Promise<KindRecord[K] | null> {
    return this.inner.getRecord(partner, kind, id);
  }
  auditLog(partner: string, filter: AuditFilter, page: { readonly limit: number; readonly after: number | null }): Promise<Page<AuditRecord>> {
    return this.inner.auditLog(partner, filter, page);
  }
  findLink(id: string): Promise<LinkRecord | null> {
    return this.inner.findLink(id); // never cached: a link is read once per opening
  }

  // ---- writes that change what is cached

  createToken(partner: string, role: Role): Promise<string> {
    return this.write(() => this.inner.createToken(partner, role), () => {}); // new tokens were never cached
  }
  createLink(partner: string, link: NewLink): Promise<string> {
    return this.write(() => this.inner.createLink(partner, link), () => {}); // links are never cached
  }

  updateCustomer(partner: string, rec: Hashed<CustomerRecord>, claim?: IdempotencyClaim<CustomerRecord | null>, audit?: Audit<CustomerRecord | null>): Promise<CustomerRecord | null> {
    return this.write(() => this.inner.updateCustomer(partner, rec, claim, audit), () => this.customers.delete(key(partner, rec.record.id)));
  }

  reviseCustomer(partner: string, id: string, revise: (current: CustomerRecord) => Hashed<CustomerRecord>, claim?: IdempotencyClaim<CustomerRecord | null>, audit?: Audit<CustomerRecord | null>): Promise<CustomerRecord | null> {
    return this.write(() => this.inner.reviseCustomer(partner, id, revise, claim, audit), () => this.customers.delete(key(partner, id)));
  }

  reviseSubscription(
    partner: string,
    id: string,
    revise: (current: SubscriptionRecord, customerSubscriptions: readonly SubscriptionRecord[]) => SubscriptionChange,
    claim?: IdempotencyClaim<SubscriptionRevision | null>,
    audit?: Audit<SubscriptionRevision | null>,
  ): Promise<SubscriptionRevision | null> {
    // a refused revision wrote nothing, but its customer is not known here then: forget all
    return this.write(
      () => this.inner.reviseSubscription(partner, id, revise, claim, audit),
      (r) => (r ? this.customers.delete(key(partner, r.subscription.customer)) : this.customers.clear()),
    );
  }

  addQuantity(partner: string, subscription: string, q: QuantityRecord, claim?: IdempotencyClaim<SubscriptionRecord | null>, audit?: Audit<SubscriptionRecord | null>): Promise<SubscriptionRecord | null> {
    return this.write(
      () => this.inner.addQuantity(partner, subscription, q, claim, audit),
      (s) => (s ? this.customers.delete(key(partner, s.customer)) : this.customers.clear()),
    );
  }

  insertMany<K extends RecordKind>(
    partner: string,
    kind: K,
    recs: readonly Hashed<KindRecord[K]>[],
    claim?: IdempotencyClaim<WriteResult<KindRecord[K]>[]>,
    audit?: Audit<WriteResult<KindRecord[K]>[]>,
  ): Promise<WriteResult<KindRecord[K]>[]> {
    return this.write(
      () => this.inner.insertMany(partner, kind, recs, claim, audit),
      () => {
        if (kind === 'customers') for (const r of recs) this.customers.delete(key(partner, (r.record as CustomerRecord).id));
        else if (kind === 'subscriptions') for (const r of recs) this.customers.delete(key(partner, (r.record as SubscriptionRecord).customer));
      },
    );
  }

  // ---- writes that change nothing cached (their own changes are absorbed)

  reviseRecord<K extends CorrectableKind>(
    partner: string,
    kind: K,
    id: string,
    change: (current: KindRecord[K]) => Hashed<KindRecord[K]> | null,
    periodOf: (record: KindRecord[K]) => string,
    claim?: IdempotencyClaim<RecordRevision<K> | null>,
    audit?: Audit<RecordRevision<K> | null>,
  ): Promise<RecordRevision<K> | null> {
    // requests, worklogs and spend are not cached
    return this.write(() => this.inner.reviseRecord(partner, kind, id, change, periodOf, claim, audit), () => {});
  }

  setResponse(partner: string, id: string, respondedAt: string, claim?: IdempotencyClaim<RequestRecord | null>): Promise<RequestRecord | null> {
    return this.write(() => this.inner.setResponse(partner, id, respondedAt, claim), () => {});
  }

  addEvents(partner: string, recs: readonly Hashed<EventRecord>[], claim?: IdempotencyClaim<WriteResult<EventRecord>[]>): Promise<WriteResult<EventRecord>[]> {
    // nothing cached depends on events (tokens, customers, subscriptions): the write only counts as one
    return this.write(() => this.inner.addEvents(partner, recs, claim), () => {});
  }

  listEvents(partner: string, request: string): Promise<EventRecord[]> {
    return this.inner.listEvents(partner, request);
  }

  // ---- month-end: nothing of it is cached (adjustments, plan versions, issued history are read through)
  insertAdjustments(partner: string, recs: readonly Hashed<AdjustmentRecord>[], claim?: IdempotencyClaim<WriteResult<AdjustmentRecord>[]>): Promise<WriteResult<AdjustmentRecord>[]> {
    return this.write(() => this.inner.insertAdjustments(partner, recs, claim), () => {});
  }

  putPlanVersion(partner: string, hash: string, text: string): Promise<boolean> {
    return this.write(() => this.inner.putPlanVersion(partner, hash, text), () => {});
  }

  listAdjustments(partner: string, customer: string, period: string): Promise<AdjustmentRecord[]> {
    return this.inner.listAdjustments(partner, customer, period);
  }

  getPlanVersion(partner: string, hash: string): Promise<string | null> {
    return this.inner.getPlanVersion(partner, hash);
  }

  // ---- kept block ledger states: read through (each is checked against the store's current history stamp)
  historyStamp(partner: string, customer: string, toMs: number, through: string): Promise<string> {
    return this.inner.historyStamp(partner, customer, toMs, through);
  }

  historyStamps(partner: string, customer: string, bounds: readonly StampBound[]): Promise<string[]> {
    return this.inner.historyStamps(partner, customer, bounds);
  }

  ledgerStates(partner: string, customer: string, before: string, limit: number): Promise<KeptLedgerStates[]> {
    return this.inner.ledgerStates(partner, customer, before, limit);
  }

  keptStates(partner: string, customer: string, before: string, limit: number): Promise<LedgerStatesRecord[]> {
    return this.inner.keptStates(partner, customer, before, limit);
  }

  putLedgerStates(partner: string, customer: string, rec: LedgerStatesRecord): Promise<void> {
    return this.write(() => this.inner.putLedgerStates(partner, customer, rec), () => {});
  }

  issuedSince(partner: string, customer: string, fromPeriod: string): Promise<IssuedStatementRecord[]> {
    return this.inner.issuedSince(partner, customer, fromPeriod);
  }
  issuedHeadsSince(partner: string, customer: string, fromPeriod: string): Promise<IssuedHead[]> {
    return this.inner.issuedHeadsSince(partner, customer, fromPeriod);
  }
  inputsRev(partner: string, customer: string): Promise<string> {
    return this.inner.inputsRev(partner, customer);
  }

  requestLives(partner: string, customer: string, fromMs: number, toMs: number, eventsToMs?: number): Promise<RequestLives> {
    return this.inner.requestLives(partner, customer, fromMs, toMs, eventsToMs);
  }

  issue(
    partner: string,
    customer: string,
    period: string,
    make: (number: string, issuedAt: string, replaces: string | null) => IssueMade,
    claim?: IdempotencyClaim<WriteResult<IssuedStatementRecord>>,
  ): Promise<WriteResult<IssuedStatementRecord>> {
    return this.write(() => this.inner.issue(partner, customer, period, make, claim), () => {});
  }

  // documents are never cached: nothing to drop, the write only has to go through write() (change stamp)
  voidInvoice(
    partner: string,
    number: string,
    reason: string,
    guard: VoidGuard,
    claim?: IdempotencyClaim<WriteResult<VoidedInvoiceRecord> | null>,
  ): Promise<WriteResult<VoidedInvoiceRecord> | null> {
    return this.write(() => this.inner.voidInvoice(partner, number, reason, guard, claim), () => {});
  }

  issueCreditNote(
    partner: string,
    invoice: string,
    series: (issuedAt: string) => string,
    make: CreditNoteMaker,
    claim?: IdempotencyClaim<WriteResult<CreditNoteRecord> | null>,
  ): Promise<WriteResult<CreditNoteRecord> | null> {
    return this.write(() => this.inner.issueCreditNote(partner, invoice, series, make, claim), () => {});
  }

  replaceSpend(partner: string, recs: readonly SpendRecord[]): Promise<ReplaceCounts> {
    return this.write(() => this.inner.replaceSpend(partner, recs), () => {});
  }

  putIdempotent(partner: string, rec: IdempotencyRecord): Promise<IdempotencyRecord> {
    return this.write(() => this.inner.putIdempotent(partner, rec), () => {});
  }
}
