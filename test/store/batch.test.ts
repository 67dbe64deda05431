// The batch write path (prepared statements, each customer and request checked
// once per batch, records returned as given) and its write transactions
// (BEGIN IMMEDIATE, so a concurrent writer waits instead of failing).
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { openSqlite } from '../../src/store/sqlite.js';
import { ConflictError, MissingReferenceError, type Hashed, type RequestRecord, type WorklogRecord } from '../../src/store/repository.js';
import type { Decision } from '../../src/rules/types.js';

const dir = mkdtempSync(join(tmpdir(), 'tierbook-batch-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const decision: Decision = {
  accepted: true, reasons: [], offering: 'standard', handledBy: 'partner', escalation: null, withinHours: true,
  responseTarget: '4h', responseDueAt: '2026-10-05T14:00:00-04:00', billable: true, rules: [], notes: [],
};
const request = (id: string, customer: string, extra: Partial<RequestRecord> = {}): Hashed<RequestRecord> => ({
  record: {
    id, customer, offering: null, service: 'azure', category: 'technical', severity: 'B', channel: 'phone',
    receivedAt: '2026-10-05T10:00:00-04:00', serviceIncident: null, respondedAt: null, decision, ...extra,
  },
  bodyHash: `h-${id}`,
});
const worklog = (id: string, customer: string, req: string | null): Hashed<WorklogRecord> => ({
  record: { id, customer, request: req, offering: 'standard', start: '2026-10-05T11:00:00-04:00', minutes: 30 },
  bodyHash: `h-${id}`,
});

async function seeded(name: string) {
  const repo = await openSqlite(join(dir, name));
  await repo.insertMany('contoso', 'customers', ['a', 'b'].map((id) => ({ record: { id, name: id.toUpperCase(), locale: null, taxRate: null, email: null }, bodyHash: id })));
  // the same ids under another partner: partner isolation of every check
  await repo.insertMany('fabrikam', 'customers', [{ record: { id: 'z', name: 'Z', locale: null, taxRate: null, email: null }, bodyHash: 'z' }]);
  return repo;
}

t.test('created records are returned as the store would read them back', async (t) => {
  const repo = await seeded('created.db');
  t.teardown(() => repo.close());
  const res = await repo.insertMany('contoso', 'requests', [request('r1', 'a', { serviceIncident: true }), request('r2', 'a', { serviceIncident: false, respondedAt: '2026-10-05T11:00:00-04:00' }), request('r3', 'b')]);
  t.same(res.map((r) => r.created), [true, true, true]);
  for (const r of res) {
    const stored = await repo.getRequest('contoso', r.record.id);
    t.same(r.record, stored);
    t.same(Object.keys(r.record), Object.keys(stored!), 'same key order (responses serialize it)');
  }
  const subs = await repo.insertMany('contoso', 'subscriptions', [
    { record: { id: 's1', customer: 'a', offering: 'standard', start: '2026-10-01', end: null, discount: '10%', quantities: [{ metric: 'seats', value: 5, from: '2026-10-01' }, { metric: 'seats', value: 7, from: '2026-10-15' }] }, bodyHash: 's1' },
  ]);
  t.same(subs[0]!.record, await repo.getSubscription('contoso', 's1'));
  const wl = await repo.insertMany('contoso', 'worklogs', [worklog('w1', 'a', 'r1'), worklog('w2', 'b', null)]);
  t.same(wl[1]!.record, { id: 'w2', customer: 'b', request: null, offering: 'standard', start: '2026-10-05T11:00:00-04:00', minutes: 30, component: null, billable: true });
  const sp = await repo.insertMany('contoso', 'spend', [{ record: { id: 'sp1', customer: 'a', period: '2026-10', service: 'azure', amount: '12.50' }, bodyHash: 'sp1' }]);
  t.same(sp[0]!.record, { id: 'sp1', customer: 'a', period: '2026-10', service: 'azure', amount: '12.50', retail: null, source: null, invoice: null });
});

t.test('a replay returns the stored record, not the one given', async (t) => {
  const repo = await seeded('replay.db');
  t.teardown(() => repo.close());
  await repo.insertMany('contoso', 'requests', [request('r1', 'a')]);
  // same id and body hash, but a decision taken later (another plan): the first one stands
  const later = request('r1', 'a', { decision: { ...decision, billable: false } });
  const [again] = await repo.insertMany('contoso', 'requests', [later]);
  t.equal(again!.created, false);
  t.equal(again!.record.decision.billable, true);
  await repo.insertMany('contoso', 'subscriptions', [{ record: { id: 's1', customer: 'a', offering: 'standard', start: '2026-10-01', end: null, discount: null, quantities: [] }, bodyHash: 's1' }]);
  await repo.addQuantity('contoso', 's1', { metric: 'seats', value: 3, from: '2026-10-02' });
  const [sub] = await repo.insertMany('contoso', 'subscriptions', [{ record: { id: 's1', customer: 'a', offering: 'standard', start: '2026-10-01', end: null, discount: null, quantities: [] }, bodyHash: 's1' }]);
  t.same(sub!.record.quantities, [{ metric: 'seats', value: 3, from: '2026-10-02' }]);
  // a duplicate id inside one batch replays the record written earlier in it
  const dup = await repo.insertMany('contoso', 'requests', [request('r9', 'b'), request('r9', 'b')]);
  t.same(dup.map((r) => r.created), [true, false]);
  const err = await repo.insertMany('contoso', 'requests', [request('r5', 'a'), { ...request('r1', 'a'), bodyHash: 'other' }]).catch((e: unknown) => e);
  t.ok(err instanceof ConflictError && err.index === 1, 'another body under a stored id conflicts, named by index');
  t.equal(await repo.getRequest('contoso', 'r5'), null, 'conflict rolls back the batch');
});

t.test('each customer and request is checked once per batch, all or nothing', async (t) => {
  const repo = await seeded('refs.db');
  t.teardown(() => repo.close());
  const many = Array.from({ length: 50 }, (_, i) => request(`r${i}`, i % 2 ? 'a' : 'b'));
  const err = await repo.insertMany('contoso', 'requests', [...many, request('bad', 'ghost'), request('r99', 'a')]).catch((e: unknown) => e);
  t.ok(err instanceof MissingReferenceError && err.index === 50 && err.pointer === '/customer', 'the unknown customer is named by index');
  t.equal(await repo.getRequest('contoso', 'r0'), null, 'nothing half-written');
  const z = await repo.insertMany('contoso', 'requests', [request('rz', 'a'), request('rz2', 'z')]).catch((e: unknown) => e);
  t.ok(z instanceof MissingReferenceError && z.index === 1, "another partner's customer is unknown");
  t.equal((await repo.insertMany('contoso', 'requests', many)).length, 50);

  const wls = [worklog('w1', 'a', 'r1'), worklog('w2', 'a', 'r1'), worklog('w3', 'b', null), worklog('w4', 'a', 'nope'), worklog('w5', 'a', 'r1')];
  const werr = await repo.insertMany('contoso', 'worklogs', wls).catch((e: unknown) => e);
  t.ok(werr instanceof MissingReferenceError && werr.index === 3 && werr.pointer === '/request', 'the unknown request is named by index');
  t.equal((await repo.periodData('contoso', 'a', '2026-10', 0, Date.parse('2027-01-01T00:00:00Z')))!.worklogs.length, 0, 'no worklog written');
  t.equal((await repo.insertMany('contoso', 'worklogs', [wls[0]!, wls[1]!, wls[2]!, wls[4]!])).length, 4);
});

// A second process holds the write lock and commits while this one writes: a
// deferred transaction would have read first and then fail to upgrade
// (SQLITE_BUSY, not waited for); an immediate one waits at BEGIN and succeeds.
t.test('batch writes wait for a concurrent writer (BEGIN IMMEDIATE)', async (t) => {
  const file = join(dir, 'concurrent.db');
  const repo = await seeded('concurrent.db');
  t.teardown(() => repo.close());
  // the wait is asynchronous (SqliteRepository.retrying), not SQLite's busy handler, which blocks the event loop
  t.equal(repo.client.pragma('busy_timeout', { simple: true }), 0);
  t.equal(repo.busyTimeoutMs, 10000);
  const holder = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(file)});
    db.pragma('busy_timeout = 10000');
    db.exec('BEGIN IMMEDIATE');
    db.prepare("insert into customers (partner, id, name, body_hash, created_at, updated_at) values ('contoso', 'c', 'C', 'c', 'x', 'x')").run();
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, 400);
  `;
  const child = spawn(process.execPath, ['-e', holder], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit'); // the write waits asynchronously: the child may exit before it returns
  await once(child.stdout!, 'data');
  // a snapshot taken before the other writer commits is what a deferred transaction would upgrade from
  const res = await repo.insertMany('contoso', 'requests', [request('r1', 'a'), request('r2', 'c')]);
  t.same(res.map((r) => r.created), [true, true], "sees the other process's committed customer");
  await exited;
  t.equal(child.exitCode, 0);
  t.same((await repo.addQuantity('contoso', 'none', { metric: 'seats', value: 1, from: '2026-10-01' })), null);
});

t.test('periodData: (time, id) order, and earlier requests that worked-on requests need', async (t) => {
  const repo = await seeded('period.db');
  t.teardown(() => repo.close());
  const at = (id: string, receivedAt: string) => request(id, 'a', { receivedAt });
  await repo.insertMany('contoso', 'requests', [
    at('sep-b', '2026-09-20T10:00:00-04:00'), at('sep-a', '2026-09-21T10:00:00-04:00'), at('sep-c', '2026-09-22T10:00:00-04:00'),
    at('oct-2', '2026-10-05T10:00:00-04:00'), at('oct-1', '2026-10-05T10:00:00-04:00'), at('oct-0', '2026-10-04T10:00:00-04:00'),
    request('oct-b', 'b'),
  ]);
  const w = (id: string, req: string, start: string): Hashed<WorklogRecord> => ({ record: { ...worklog(id, 'a', req).record, start }, bodyHash: id });
  await repo.insertMany('contoso', 'worklogs', [w('w2', 'sep-b', '2026-10-02T09:00:00-04:00'), w('w1', 'sep-a', '2026-10-02T09:00:00-04:00'), w('w0', 'oct-1', '2026-10-01T09:00:00-04:00')]);
  const from = Date.parse('2026-10-01T04:00:00Z');
  const to = Date.parse('2026-11-01T04:00:00Z');
  const d = (await repo.periodData('contoso', 'a', '2026-10', from, to))!;
  t.same(d.requests.map((r) => r.id), ['oct-0', 'oct-1', 'oct-2', 'sep-a', 'sep-b'], "the period's in (time, id) order, then the earlier ones by id");
  t.same(d.worklogs.map((x) => x.id), ['w0', 'w1', 'w2']);
  t.same(d.requests[0], await repo.getRequest('contoso', 'oct-0'));
  t.equal(await repo.periodData('contoso', 'ghost', '2026-10', from, to), null);
  t.equal(await repo.periodData('fabrikam', 'a', '2026-10', from, to), null, 'partner isolation');
});
