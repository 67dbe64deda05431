// `tierbook verify`: statements issued through the store are priced again from
// the stored inputs and the plan at their hash (plans directory or git
// history), and every change since issue is reported.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ingest } from '../../src/app/ingest.js';
import { billingInput, draftStatement, inputsDigest, issuedBody } from '../../src/app/statements.js';
import { loadPlan } from '../../src/plans/load.js';
import type { Plan } from '../../src/plans/types.js';
import type { RecordKind } from '../../src/store/repository.js';
import { openSqlite, type SqliteRepository } from '../../src/store/sqlite.js';
import { runVerify } from '../../src/cli/verify.js';
import type { Report } from '../../src/app/verify.js';
import { BASE_PLAN, TempRepo, edit } from '../plans/diff-repo.js';
import { runMainWith } from '../helpers/run-main.js';

// git runs several times per verify: allow for a loaded machine
t.setTimeout(300_000);

// the diff tests' plan, with labour and Azure spend so worklogs and spend are priced too
const PLAN = edit(
  BASE_PLAN,
  '      - { id: seats, model: per-unit, metric: seats, amount: 4.00 }\n',
  '      - { id: seats, model: per-unit, metric: seats, amount: 4.00 }\n' +
    '      - { id: labour, model: hourly, amount: 120.00, included: 1h, increment: 15m }\n' +
    '      - { id: azure, model: percent-of-spend, rate: "8%", services: [azure] }\n',
);
const PRICED = edit(PLAN, 'amount: 4.00 }', 'amount: 4.50 }');

const repo = new TempRepo();
const dbDir = mkdtempSync(path.join(tmpdir(), 'tierbook-verify-'));
t.teardown(() => {
  repo.cleanup();
  rmSync(dbDir, { recursive: true, force: true });
});
repo.write('plans/contoso.yaml', PLAN);
const c0 = repo.commit('plan');
const plansDir = path.join(repo.dir, 'plans');
const planOf = (source: string): Plan => loadPlan(source, 'plans/contoso.yaml').plan!;

const PERIOD = '2026-10';
let dbs = 0;

/** A fresh store with two customers' October, both statements issued under `plan`. */
async function issuedStore(plan: Plan): Promise<{ db: string; store: SqliteRepository }> {
  const db = path.join(dbDir, `store-${++dbs}.db`);
  const store = await openSqlite(db);
  await put(store, plan, 'customers', [
    { id: 'northwind', name: 'Northwind', taxRate: '8.25%' },
    { id: 'woodgrove', name: 'Woodgrove' },
  ]);
  await put(store, plan, 'subscriptions', [
    { id: 's1', customer: 'northwind', offering: 'standard', start: '2026-09-01', quantities: [{ metric: 'seats', value: 10, from: '2026-09-01' }] },
    { id: 's2', customer: 'woodgrove', offering: 'essential', start: '2026-10-10' },
  ]);
  await put(store, plan, 'requests', [
    { id: 'r1', customer: 'northwind', offering: 'standard', service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-06T10:00:00-04:00', respondedAt: '2026-10-06T11:00:00-04:00' },
    { id: 'r2', customer: 'northwind', offering: 'standard', service: 'm365', category: 'technical', severity: 'B', channel: 'email', receivedAt: '2026-10-07T10:00:00-04:00' },
  ]);
  await put(store, plan, 'worklogs', [{ id: 'w1', request: 'r1', start: '2026-10-06T10:30:00-04:00', minutes: 100 }]);
  await put(store, plan, 'spend', [{ id: 'sp1', customer: 'northwind', period: PERIOD, service: 'azure', amount: '1000.00' }]);
  for (const c of ['northwind', 'woodgrove']) {
    const input = (await billingInput(store, plan, c, PERIOD))!;
    const statement = draftStatement(input);
    const issuedAt = new Date().toISOString();
    await store.issue('contoso', c, PERIOD, (n) => ({ body: issuedBody(statement, n, issuedAt), planHash: statement.planHash, inputsDigest: inputsDigest(input) }));
  }
  // later writes must carry a later created_at than the issue
  await new Promise((r) => setTimeout(r, 5));
  return { db, store };
}

async function put(store: SqliteRepository, plan: Plan, kind: RecordKind, bodies: unknown[]): Promise<void> {
  await store.insertMany('contoso', kind, await new Ingest(store, plan).records(kind, bodies));
}

interface Run {
  code: number;
  out: string;
  err: string;
}

async function verify(db: string, number: string | undefined, extra: { partner?: string; all?: boolean; format?: string; plans?: string } = {}): Promise<Run> {
  let out = '';
  let err = '';
  const code = await runVerify(number, { all: false, format: 'text', db, plans: plansDir, ...extra }, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

const json = async (db: string, number: string): Promise<Report & Run> => {
  const r = await verify(db, number, { format: 'json' });
  return { ...(JSON.parse(r.out) as Report), ...r };
};

t.test('statements issued through the store verify', async (t) => {
  const { db, store } = await issuedStore(planOf(PLAN));
  const issued = (await store.getIssued('contoso', 'northwind', PERIOD))!;
  await store.close();
  t.equal(issued.number, 'CONTOSO-202610-0001');

  const one = await verify(db, 'CONTOSO-202610-0001');
  t.equal(one.code, 0, one.out + one.err);
  t.equal(one.out, `ok CONTOSO-202610-0001 (plan ${issued.planHash}, inputs ${issued.inputsDigest})\n`);

  const all = await verify(db, undefined, { all: true, partner: 'contoso' });
  t.equal(all.code, 0, all.out);
  t.match(all.out, /^ok CONTOSO-202610-0001 .*\nok CONTOSO-202610-0002 .*\n$/);
  t.match(all.err, /2 of 2 issued statement\(s\) of contoso verified/);

  const j = await json(db, 'CONTOSO-202610-0002');
  t.equal(j.code, 0);
  t.same(j.plan, { found: true, source: 'plans', file: path.join(plansDir, 'contoso.yaml') });
  t.same(j.statement, { repriced: true, differences: [] });
  t.equal(j.customer, 'woodgrove');
});

t.test('records added and answered after issue are named, and their effect priced', async (t) => {
  const plan = planOf(PLAN);
  const { db, store } = await issuedStore(plan);
  await store.setResponse('contoso', 'r2', '2026-10-07T12:00:00-04:00');
  await put(store, plan, 'worklogs', [{ id: 'w2', request: 'r2', start: '2026-10-07T11:00:00-04:00', minutes: 60 }]);
  await store.addQuantity('contoso', 's1', { metric: 'seats', value: 20, from: '2026-10-16' });
  await store.close();

  const r = await json(db, 'CONTOSO-202610-0001');
  t.equal(r.code, 1);
  t.equal(r.ok, false);
  t.equal(r.inputs.ok, false);
  t.same(
    r.inputs.changes.map((c) => [c.change, c.record, c.id]),
    [
      ['added', 'quantity', 's1'],
      ['changed', 'request', 'r2'],
      ['added', 'worklog', 'w2'],
    ],
  );
  t.match(r.inputs.changes[1]!.detail, 'respondedAt: (none) → 2026-10-07T12:00:00-04:00');
  t.equal(r.inputs.explained, true, 'undoing the listed changes reproduces the issued digest');
  const paths = r.statement.differences.map((d) => d.path);
  t.ok(paths.includes('total'), paths.join(', '));
  t.ok(paths.includes('requests[r2].respondedAt'));
  // w1 (100 → 105 min) used the included hour at issue; w2's 60 min are all charged: +120.00
  t.equal(r.statement.differences.find((d) => d.path === 'lines[standard/labour business-hours (s1)].amount')?.difference, '+120.00');

  const text = await verify(db, 'CONTOSO-202610-0001');
  t.equal(text.code, 1);
  t.match(text.out, /^FAILED CONTOSO-202610-0001 \(customer northwind, period 2026-10/);
  t.match(text.out, /\+ worklog w2 added: stored /);
  t.match(text.out, /~ request r2 changed: respondedAt: \(none\) → 2026-10-07T12:00:00-04:00/);
  t.match(text.out, /total: \d+\.\d\d → \d+\.\d\d \(\+\d+\.\d\d\)/);

  const other = await verify(db, 'CONTOSO-202610-0002');
  t.equal(other.code, 0, 'the other customer is untouched');
  const all = await verify(db, undefined, { all: true, partner: 'contoso' });
  t.equal(all.code, 1);
  t.match(all.err, /1 of 2 issued statement\(s\) of contoso verified; 1 with differences/);
});

t.test('a record changed in place (no trace in the store) still fails, with its effect', async (t) => {
  const { db, store } = await issuedStore(planOf(PLAN));
  store.client.prepare(`update spend set amount = '2000.00' where id = 'sp1'`).run();
  await store.close();
  const r = await json(db, 'CONTOSO-202610-0001');
  t.equal(r.code, 1);
  t.equal(r.inputs.ok, false);
  t.equal(r.inputs.explained, false);
  t.match(r.inputs.note, /changed in place/);
  const azure = r.statement.differences.find((d) => d.path.startsWith('lines[standard/azure') && d.path.endsWith('.amount'));
  t.same([azure?.before, azure?.after, azure?.difference], ['80.00', '160.00', '+80.00'], '8% of the spend change');
  const total = r.statement.differences.find((d) => d.path === 'total')!;
  // 80.00 more, plus 8.25% tax on it (6.60)
  t.equal(total.difference, '+86.60');
});

t.test('a tampered body fails with the same inputs', async (t) => {
  const { db, store } = await issuedStore(planOf(PLAN));
  store.client.prepare(`update statements set body = replace(body, '"total": "', '"total": "1') where number = 'CONTOSO-202610-0002'`).run();
  await store.close();
  const r = await json(db, 'CONTOSO-202610-0002');
  t.equal(r.code, 1);
  t.equal(r.inputs.ok, true);
  t.same(r.statement.differences.map((d) => d.path), ['total']);
});

t.test('the plan changed after issue: the old one is found in git', async (t) => {
  const { db, store } = await issuedStore(planOf(PLAN));
  await store.close();
  repo.write('plans/contoso.yaml', PRICED);
  repo.commit('seats 4.50');
  repo.write('plans/contoso.yaml', edit(PRICED, 'amount: 49.00', 'amount: 55.00')); // and an uncommitted edit on top
  t.teardown(() => {
    repo.write('plans/contoso.yaml', PLAN);
    repo.commit('back to the base plan');
  });
  const r = await json(db, 'CONTOSO-202610-0001');
  t.equal(r.code, 0, JSON.stringify(r, null, 2));
  t.same(r.plan, { found: true, source: 'git', file: 'plans/contoso.yaml', commit: c0 });
  const text = await verify(db, undefined, { all: true, partner: 'contoso' });
  t.equal(text.code, 0, text.out);
});

t.test('a plan that was never committed: a clear error, exit 1', async (t) => {
  const uncommitted = edit(PLAN, 'amount: 250.00', 'amount: 260.00');
  repo.write('plans/contoso.yaml', uncommitted);
  const { db, store } = await issuedStore(planOf(uncommitted));
  await store.close();
  repo.write('plans/contoso.yaml', PLAN); // the edit is gone from the working tree
  const r = await verify(db, 'CONTOSO-202610-0001');
  t.equal(r.code, 1);
  t.match(r.out, /^FAILED CONTOSO-202610-0001/);
  t.match(r.out, /plan: plan sha256:[0-9a-f]{64} not found: .*contoso\.yaml is sha256:[0-9a-f]{64} now, and none of the \d+ revision\(s\) of plans\/contoso\.yaml in git has that hash; the statement was not priced again/);
  t.match(r.out, /inputs unchanged/, 'the digest is still checked');
  const j = await json(db, 'CONTOSO-202610-0001');
  t.equal(j.plan.found, false);
  t.equal(j.statement.repriced, false);
});

t.test('usage errors exit 2', async (t) => {
  const { db, store } = await issuedStore(planOf(PLAN));
  await store.close();
  const cases: Array<[string | undefined, Parameters<typeof verify>[2], RegExp]> = [
    [undefined, {}, /missing statement number/],
    ['northwind-2026-10', {}, /is not a statement number/],
    ['CONTOSO-202610-0009', {}, /no issued statement CONTOSO-202610-0009/],
    ['CONTOSO-202610-0001', { partner: 'fabrikam' }, /does not belong to partner "fabrikam"/],
    ['CONTOSO-202610-0001', { format: 'xml' }, /unknown format "xml"/],
    ['CONTOSO-202610-0001', { all: true, partner: 'contoso' }, /not both/],
    [undefined, { all: true }, /--all needs --partner/],
    ['CONTOSO-202610-0001', { plans: path.join(dbDir, 'nope') }, /plans directory .* not found/],
  ];
  for (const [n, o, msg] of cases) {
    const r = await verify(db, n, o);
    t.equal(r.code, 2, `${n} ${JSON.stringify(o)}`);
    t.match(r.err, msg);
    t.equal(r.out, '');
  }
  const none = await verify(path.join(dbDir, 'missing.db'), 'CONTOSO-202610-0001');
  t.equal(none.code, 2);
  t.match(none.err, /no database at/);
});

t.test('end to end: bill --finalize, then verify through the CLI', async (t) => {
  const db = path.join(dbDir, 'cli.db');
  const { db: seeded, store } = await issuedStore(planOf(PLAN));
  store.client.prepare('delete from statements').run();
  await store.backup(db);
  await store.close();
  t.ok(seeded);
  // bill and verify on the command line, in this process (runMain) in the plans' git repository
  const cli = (...args: string[]) => runMainWith({ cwd: repo.dir }, ...args);
  const bill = await cli('bill', 'contoso', PERIOD, '--finalize', '--db', db, '--plans', plansDir);
  t.equal(bill.code, 0, bill.err);
  const ok = await cli('verify', '--all', '--partner', 'contoso', '--db', db, '--plans', plansDir);
  t.equal(ok.code, 0, ok.err);
  t.match(ok.out, /^ok CONTOSO-202610-0001 \(plan sha256:[0-9a-f]{64}, inputs sha256:[0-9a-f]{64}\)\nok CONTOSO-202610-0002 /);
  // one real process, the built CLI (npm run build) as users run it: the exit status through the
  // process and no stack trace; without tap's NODE_OPTIONS (its process-info hook slows every child down)
  const CHILD_ENV = { ...process.env, NODE_OPTIONS: '' };
  t.ok(existsSync(path.resolve('dist/cli/verify.js')), 'dist/ is built (npm run build)');
  const bad = spawnSync(process.execPath, [path.resolve('bin/tierbook.js'), 'verify', 'nope', '--db', db, '--plans', plansDir], { cwd: repo.dir, encoding: 'utf8', env: CHILD_ENV });
  t.equal(bad.status, 2);
  t.match(bad.stderr, /not a statement number/);
  t.notMatch(bad.stderr, /\n\s+at /, 'no stack trace');
});
