// The lookup cache (src/api/cache.ts) never answers from stale data: every
// write through the API, a write by another connection to the same file, a
// write on the same connection past the cache, and a plan reload are all seen
// by the very next request.
import t from 'tap';
import { buildApp } from '../../src/api/app.js';
import { CachedRepository, type StoreStamp } from '../../src/api/cache.js';
import { PlanSet } from '../../src/api/plans.js';
import { bodyHash } from '../../src/app/ingest.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { REPOSITORY_METHODS, type Repository } from '../../src/store/repository.js';
import { contoso } from '../render/fixtures.js';
import { seed, startServer, type Server } from './helpers.js';

// Northwind holds Standard from 2026-10-10 (seed): a request of September finds no subscription.
const SEPTEMBER = { customer: 'northwind', service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-09-15T10:00:00-04:00' };
const SEPT_SUB = { id: 'nw-sept', customer: 'northwind', offering: 'standard', start: '2026-09-01', end: '2026-09-30' };

async function decision(s: Server, body: unknown = SEPTEMBER): Promise<{ offering: string | null; reasons: { code: string }[] }> {
  const r = await s.call('POST', '/evaluate', { body, token: s.viewer });
  if (r.status !== 200) throw new Error(`evaluate: ${r.status} ${r.text}`);
  return r.json;
}
const codes = (d: { reasons: { code: string }[] }): string[] => d.reasons.map((r) => r.code);

async function server(t: { teardown(fn: () => unknown): void }): Promise<Server> {
  const s = await startServer();
  t.teardown(() => s.close());
  await seed(s);
  return s;
}

t.test('a subscription posted through the API is seen by the next evaluate', async (t) => {
  const s = await server(t);
  t.same(codes(await decision(s)), ['NO_ACTIVE_SUBSCRIPTION']);
  t.same(codes(await decision(s)), ['NO_ACTIVE_SUBSCRIPTION'], 'answered from the cache the second time');
  t.equal((await s.call('POST', '/subscriptions', { body: SEPT_SUB })).status, 201);
  const d = await decision(s);
  t.equal(d.offering, 'standard');
  t.notOk(codes(d).includes('NO_ACTIVE_SUBSCRIPTION'));
});

t.test('a customer created after an evaluate that did not know it', async (t) => {
  const s = await server(t);
  const body = { ...SEPTEMBER, customer: 'acme', receivedAt: '2026-10-14T10:00:00-04:00' };
  t.same(codes(await decision(s, body)), ['UNKNOWN_OFFERING'], 'unknown customer: an offering must be named');
  t.equal((await s.call('POST', '/customers', { body: { id: 'acme', name: 'Acme' } })).status, 201);
  t.same(codes(await decision(s, body)), ['NO_ACTIVE_SUBSCRIPTION'], 'known now, holding nothing');
  t.equal((await s.call('POST', '/subscriptions', { body: { customer: 'acme', offering: 'standard', start: '2026-10-01' } })).status, 201);
  t.equal((await decision(s, body)).offering, 'standard');
});

t.test('writes by another connection to the same file: subscriptions and a deleted token', async (t) => {
  const s = await server(t);
  t.same(codes(await decision(s)), ['NO_ACTIVE_SUBSCRIPTION']);
  const other = await openSqlite(s.repo.client.name, { migrate: false });
  t.teardown(() => other.close());
  await other.insertMany('contoso', 'subscriptions', [{ record: { ...SEPT_SUB, discount: null, quantities: [] }, bodyHash: bodyHash(SEPT_SUB) }]);
  t.equal((await decision(s)).offering, 'standard', 'another process imported a subscription');

  t.equal((await s.call('GET', '/customers', { token: s.viewer })).status, 200, 'the viewer token is cached');
  other.client.prepare("delete from api_tokens where role = 'viewer'").run();
  t.equal((await s.call('GET', '/customers', { token: s.viewer })).status, 401, 'a token deleted with sqlite3 stops working at once');
  t.equal((await s.call('GET', '/customers')).status, 200, 'the admin token still works');
});

t.test('a write on the same connection past the cache (a test or tool holding the raw repository)', async (t) => {
  const s = await server(t);
  t.same(codes(await decision(s)), ['NO_ACTIVE_SUBSCRIPTION']);
  await s.repo.insertMany('contoso', 'subscriptions', [{ record: { ...SEPT_SUB, discount: null, quantities: [] }, bodyHash: bodyHash(SEPT_SUB) }]);
  t.equal((await decision(s)).offering, 'standard');
});

/** The inner repository's reads, counted. */
function counting(repo: Repository): Record<string, number> {
  const calls: Record<string, number> = {};
  const r = repo as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const m of ['findToken', 'getCustomer', 'listSubscriptions']) {
    const f = r[m]!.bind(repo);
    r[m] = (...a: unknown[]) => {
      calls[m] = (calls[m] ?? 0) + 1;
      return f(...a);
    };
  }
  return calls;
}

t.test('CachedRepository: hits, and each write drops what it changes', async (t) => {
  const s = await server(t);
  const calls = counting(s.repo);
  const repo = new CachedRepository(s.repo);
  for (let i = 0; i < 3; i++) {
    await repo.findToken(s.admin);
    await repo.getCustomer('contoso', 'northwind');
    await repo.listSubscriptions('contoso', 'northwind');
  }
  t.same(calls, { findToken: 1, getCustomer: 1, listSubscriptions: 1 }, 'one store read each');
  t.equal(await repo.findToken('tb_unknown'), null);
  t.equal(await repo.findToken('tb_unknown'), null);
  t.equal(calls.findToken, 3, 'unknown tokens are not cached (a token created a moment ago must work)');

  const updated = { id: 'northwind', name: 'Northwind Ltd', locale: null, taxRate: null, email: null };
  await repo.updateCustomer('contoso', { record: updated, bodyHash: bodyHash(updated) });
  t.equal((await repo.getCustomer('contoso', 'northwind'))?.name, 'Northwind Ltd');
  await repo.addQuantity('contoso', 'nw-standard', { metric: 'seats', value: 30, from: '2026-10-20' });
  const subs = await repo.listSubscriptions('contoso', 'northwind');
  t.same(subs[0]!.quantities.map((q) => q.value), [20, 30]);
  t.ok(Object.isFrozen(subs), 'cached answers are frozen: a caller cannot change them for the next one');
  t.equal(await repo.getRequest('contoso', 'nope'), null, 'other reads are passed through');
});

t.test('the cache is bounded', async (t) => {
  const s = await server(t);
  const calls = counting(s.repo);
  const repo = new CachedRepository(s.repo, { maxCustomers: 2 });
  for (const id of ['a', 'b', 'c', 'a']) await repo.getCustomer('contoso', id);
  t.equal(calls.getCustomer, 4, '"a" was the least recently used of three and went');
});

t.test('a plan reload empties the cache', async (t) => {
  const s = await server(t);
  const calls = counting(s.repo);
  const plan = contoso();
  const plans = new PlanSet(new Map([[plan.partner.id, plan]]), async () => ({ plans: new Map([[plan.partner.id, plan]]), findings: [] }));
  const app = await buildApp({ repo: s.repo, plans, authLimit: false });
  t.teardown(() => app.close());
  const ask = async (): Promise<number> => {
    const r = await app.inject({ method: 'POST', url: '/v1/partners/contoso/evaluate', headers: { authorization: `Bearer ${s.viewer}` }, payload: SEPTEMBER });
    return r.statusCode;
  };
  t.equal(await ask(), 200);
  t.equal(await ask(), 200);
  t.same(calls, { findToken: 1, getCustomer: 1, listSubscriptions: 1 });
  t.equal((await plans.reload()).reloaded, true);
  t.equal(await ask(), 200);
  t.same(calls, { findToken: 2, getCustomer: 2, listSubscriptions: 2 }, 'looked up afresh after the reload');
});

t.test('request starts read in one go share a stamp reading; the next event-loop turn reads afresh', async (t) => {
  const s = await server(t);
  let reads = 0;
  let clock = 0; // a fake monotonic clock: the test must not depend on the machine's speed
  const inner = s.repo.client;
  const version = inner.prepare('PRAGMA data_version').pluck();
  const repo = new CachedRepository(s.repo, {
    stamp: () => {
      reads++;
      return { external: version.get() as number, own: 0 };
    },
    monotonic: () => clock,
  });
  await repo.findToken(s.viewer);
  await new Promise((resolve) => setImmediate(resolve));
  reads = 0;
  for (let i = 0; i < 5; i++) t.ok(repo.cachedToken(s.viewer), 'cached');
  t.equal(reads, 1, 'five request starts in one turn: one reading');
  await new Promise((resolve) => setImmediate(resolve));
  t.ok(repo.cachedToken(s.viewer));
  t.equal(reads, 2, 'the next turn reads again');
  clock += 2;
  t.ok(repo.cachedToken(s.viewer));
  t.equal(reads, 3, 'and so does a start more than 1 ms later in the same turn');

  // another connection deletes the token: the next turn sees it
  const other = await openSqlite(s.repo.client.name, { migrate: false });
  t.teardown(() => other.close());
  other.client.prepare("delete from api_tokens where role = 'viewer'").run();
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(repo.cachedToken(s.viewer), undefined, 'dropped: the store changed');
  t.equal(await repo.findToken(s.viewer), null);
});

t.test('POST /evaluate answered from the cache, synchronously, equals the store-backed answer', async (t) => {
  const s = await server(t);
  const plain = await buildApp({ repo: s.repo, plans: new Map([[contoso().partner.id, contoso()]]), authLimit: false, cache: false });
  t.teardown(() => plain.close());
  const bodies = [SEPTEMBER, { ...SEPTEMBER, receivedAt: '2026-10-14T10:00:00-04:00' }, { ...SEPTEMBER, customer: 'acme' }, { ...SEPTEMBER, customer: undefined, offering: 'standard' }];
  for (const body of bodies) {
    const cached = [await decision(s, body), await decision(s, body)];
    const r = await plain.inject({ method: 'POST', url: '/v1/partners/contoso/evaluate', headers: { authorization: `Bearer ${s.viewer}` }, payload: body });
    t.equal(r.statusCode, 200);
    t.same(cached[0], r.json(), `${JSON.stringify(body)}: first (store) answer`);
    t.same(cached[1], r.json(), `${JSON.stringify(body)}: cached answer`);
  }
});

// ---- explicit delegation (issue 14 item 7): every Repository method reaches
// the store, and every write invalidates; a new method is a compile error in
// REPOSITORY_METHODS until classified, and then fails here until delegated.

/** A store whose every method records its calls; `stamp` answers changeStamp. */
function fakeStore(stamp: () => StoreStamp | Promise<StoreStamp>) {
  const calls: { name: string; args: unknown[] }[] = [];
  const store = {} as Record<string, (...a: unknown[]) => unknown>;
  for (const name of Object.keys(REPOSITORY_METHODS)) {
    store[name] = (...args: unknown[]) => {
      calls.push({ name, args });
      if (name === 'changeStamp') return stamp();
      if (name === 'findToken') return Promise.resolve({ id: 't', partner: 'contoso', role: 'viewer' });
      if (name === 'insertMany' || name === 'listCustomers' || name === 'listSubscriptions' || name === 'listIssued') return Promise.resolve([]);
      return Promise.resolve(null);
    };
  }
  return { repo: store as unknown as Repository, calls };
}

const SAMPLE_ARGS: { [K in keyof Repository]: unknown[] } = {
  close: [],
  isEmpty: [],
  changeStamp: [],
  createToken: ['contoso', 'viewer'],
  findToken: ['tb_x'],
  createLink: ['contoso', { path: 'documents/CONTOSO-202610-0001?format=html', createdBy: 't', expiresMs: 1, nowMs: 0 }],
  findLink: ['lk_x'],
  getCustomer: ['contoso', 'c1'],
  listCustomers: ['contoso'],
  updateCustomer: ['contoso', { record: { id: 'c1', name: 'C', locale: null, taxRate: null, email: null }, bodyHash: 'h' }],
  reviseCustomer: ['contoso', 'c1', () => ({ record: { id: 'c1', name: 'C', locale: null, taxRate: null, email: null }, bodyHash: 'h' })],
  getSubscription: ['contoso', 's1'],
  listSubscriptions: ['contoso', 'c1'],
  reviseSubscription: ['contoso', 's1', () => ({})],
  addQuantity: ['contoso', 's1', { metric: 'seats', value: 1, from: '2026-10-01' }],
  getRequest: ['contoso', 'r1'],
  setResponse: ['contoso', 'r1', '2026-10-01T10:00:00Z'],
  addEvents: ['contoso', [{ record: { request: 'r1', id: 'e1', at: '2026-10-01T11:00:00Z', type: 'responded', status: null, severity: null }, bodyHash: 'h' }]],
  listEvents: ['contoso', 'r1'],
  requestLives: ['contoso', 'c1', 0, 1],
  insertMany: ['contoso', 'customers', [{ record: { id: 'c2', name: 'C', locale: null, taxRate: null, email: null }, bodyHash: 'h' }]],
  periodData: ['contoso', 'c1', '2026-10', 0, 1],
  windowData: ['contoso', 'c1', '2025-11', '2026-10', 0, 1],
  history: ['contoso', 'c1', 0, 1, '2026-10-31'],
  historyStamp: ['contoso', 'c1', 1, '2026-10-31'],
  historyStamps: ['contoso', 'c1', [{ toMs: 1, through: '2026-10-31' }]],
  ledgerStates: ['contoso', 'c1', '2026-11', 3],
  putLedgerStates: ['contoso', 'c1', { period: '2026-10', stamp: 'sha256:s', states: '[]' }],
  replaceSpend: ['contoso', []],
  getIssued: ['contoso', 'c1', '2026-10'],
  issuedSince: ['contoso', 'c1', '2025-10'],
  issuedHeadsSince: ['contoso', 'c1', '2025-10'],
  inputsRev: ['contoso', 'c1'],
  keptStates: ['contoso', 'c1', '2026-10', 2],
  insertAdjustments: ['contoso', [{ record: { id: 'a1', customer: 'c1', period: '2026-10', description: 'x', amount: '1.00', taxable: true }, bodyHash: 'h' }]],
  listAdjustments: ['contoso', 'c1', '2026-10'],
  putPlanVersion: ['contoso', 'sha256:p', 'version: 1\n'],
  getPlanVersion: ['contoso', 'sha256:p'],
  issue: ['contoso', 'c1', '2026-10', () => ({ body: '{}', planHash: 'p', inputsDigest: 'd' })],
  issuedByNumber: ['contoso', 'CONTOSO-202610-0001'],
  listIssued: ['contoso'],
  voidInvoice: ['contoso', 'CONTOSO-202610-0001', 'wrong', () => {}],
  issueCreditNote: ['contoso', 'CONTOSO-202610-0001', () => 'CONTOSO-CN-202611-', () => ({ body: '{}', total: '-1.00' })],
  documents: ['contoso', { customer: 'c1' }],
  documentByNumber: ['contoso', 'CONTOSO-202610-0001'],
  inputStamps: ['contoso', { customer: 'c1', subscriptions: [], requests: [], worklogs: [], spend: [] }, '2026-10-01T00:00:00Z'],
  getIdempotent: ['contoso', 'k'],
  putIdempotent: ['contoso', { key: 'k', route: 'r', bodyHash: 'b', status: 201, contentType: 'application/json', response: '{}' }],
  listPage: ['contoso', { kind: 'customers' }, { limit: 10, after: null }],
  reviseRecord: ['contoso', 'spend', 'x1', () => null, () => '2026-10'],
  auditLog: ['contoso', {}, { limit: 10, after: null }],
  getRecord: ['contoso', 'worklogs', 'w1'],
};

for (const [kind, label] of [['sync', 'a synchronous stamp (SQLite)'], ['async', 'an asynchronous stamp (PostgreSQL)']] as const) {
  t.test(`CachedRepository delegates every method, and every write invalidates: ${label}`, async (t) => {
    const stamp: StoreStamp = { external: 1, own: 1 };
    const { repo: inner, calls } = fakeStore(() => (kind === 'sync' ? stamp : Promise.resolve(stamp)));
    const cache = new CachedRepository(inner);
    const methods = cache as unknown as Record<string, (...a: unknown[]) => unknown>;
    for (const [name, what] of Object.entries(REPOSITORY_METHODS)) {
      const args = SAMPLE_ARGS[name as keyof Repository];
      const before = cache.invalidations;
      calls.length = 0;
      await methods[name]!(...args);
      const own = calls.filter((c) => c.name === name);
      t.equal(own.length, 1, `${name} reaches the store once`);
      t.same(own[0]?.args.slice(0, args.length), args, `${name} passes its arguments`);
      if (what === 'write') t.ok(cache.invalidations > before, `${name} (a write) invalidates`);
    }
  });
}

t.test('an asynchronous stamp: each request start awaits a reading taken after it; a change empties the cache', async (t) => {
  let n = 1;
  const { repo: inner, calls } = fakeStore(async () => ({ external: n, own: 0 }));
  const cache = new CachedRepository(inner);
  const finds = (): number => calls.filter((c) => c.name === 'findToken').length;
  t.equal(cache.cachedToken('tb_x'), undefined, 'no synchronous answer: the reading is pending');
  t.same(await cache.findToken('tb_x'), { id: 't', partner: 'contoso', role: 'viewer' });
  await new Promise((resolve) => setImmediate(resolve));
  t.same(await cache.findToken('tb_x'), { id: 't', partner: 'contoso', role: 'viewer' });
  t.equal(finds(), 1, 'the second start is answered from the cache after its own reading');
  t.equal(calls.filter((c) => c.name === 'changeStamp').length, 2, 'one reading per request start');
  n++;
  await new Promise((resolve) => setImmediate(resolve));
  await cache.findToken('tb_x');
  t.equal(finds(), 2, 'the store changed: asked again');
  await cache.getCustomer('contoso', 'c1');
  await cache.getCustomer('contoso', 'c1');
  t.equal(calls.filter((c) => c.name === 'getCustomer').length, 1, 'lookups after the start use its reading');
  await cache.insertMany('contoso', 'spend', []);
  await new Promise((resolve) => setImmediate(resolve));
  await cache.findToken('tb_x');
  await cache.getCustomer('contoso', 'c1');
  t.equal(calls.filter((c) => c.name === 'getCustomer').length, 2, 'after an own write the next reading empties the cache (own writes are not told apart)');
});
