// Resumed block ledgers (issue 18): finalize keeps each block's state at the
// issued period's end, a later statement resumes from the latest one whose
// stamp still matches, and the statement is byte for byte the one priced from
// the subscription's start, also after a late worklog into an issued month
// and after a corrected or deleted record.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { billCustomer } from '../../src/app/bill.js';
import { billingInput } from '../../src/app/statements.js';
import { LedgerReads, ledgerStamp, recordsStamp, revStamp } from '../../src/app/ledger-states.js';
import { priceStatement } from '../../src/billing/statement.js';
import type { Repository, WorklogRecord } from '../../src/store/repository.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { blocksPlan } from '../api/purchases-plan.js';

const plan = blocksPlan();

async function store(t: Test): Promise<Repository> {
  const dir = mkdtempSync(join(tmpdir(), 'tierbook-resume-'));
  const repo = await openSqlite(join(dir, 'store.db'));
  t.teardown(async () => {
    await repo.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return repo;
}

const worklog = (id: string, customer: string, start: string, minutes: number) => ({
  record: { id, customer, request: null, offering: 'monthly', start, minutes } satisfies WorklogRecord,
  bodyHash: `h-${id}-${minutes}-${start}`,
});

/** alpha and beta on the monthly 10 h block since August, with work every month (overage in September, after hours in October). */
async function seed(repo: Repository): Promise<void> {
  await repo.insertMany('contoso', 'customers', ['alpha', 'beta'].map((id) => ({ record: { id, name: id, locale: null, taxRate: null, email: null, tenantId: null }, bodyHash: `h-${id}` })));
  await repo.insertMany(
    'contoso',
    'subscriptions',
    ['alpha', 'beta'].map((c) => ({ record: { id: `s-${c}`, customer: c, offering: 'monthly', start: '2026-08-01', end: null, discount: null, quantities: [] }, bodyHash: `h-s-${c}` })),
  );
  for (const c of ['alpha', 'beta']) {
    await repo.insertMany('contoso', 'worklogs', [
      worklog(`${c}-aug`, c, '2026-08-10T10:00:00-04:00', 240),
      worklog(`${c}-sep1`, c, '2026-09-08T09:00:00-04:00', 600),
      worklog(`${c}-sep2`, c, '2026-09-22T09:00:00-04:00', 420),
      worklog(`${c}-oct`, c, '2026-10-13T20:00:00-04:00', 300),
      worklog(`${c}-nov`, c, '2026-11-04T09:00:00-05:00', 500),
    ]);
  }
}

/** The store without its kept states: every ledger from the subscription's start. */
const fromStart = (repo: Repository): Repository =>
  new Proxy(repo, {
    get(target, key) {
      if (key === 'ledgerStates' || key === 'keptStates') return async () => [];
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });

/** November's draft both ways (with corrections of the issued months), and where the resumed input started. */
async function both(repo: Repository, customer: string): Promise<{ resumed: string; full: string; from: string | null; worklogs: string[] }> {
  const resumed = (await billCustomer(repo, plan, customer, '2026-11', false)).body;
  const full = (await billCustomer(fromStart(repo), plan, customer, '2026-11', false)).body;
  const input = (await billingInput(repo, plan, customer, '2026-11'))!;
  return { resumed, full, from: input.ledgers?.[0]?.period ?? null, worklogs: input.worklogs.map((w) => w.id ?? '') };
}

t.test('finalize keeps the states; November resumes from October and is the statement from the start, byte for byte', async (t) => {
  const repo = await store(t);
  await seed(repo);
  for (const p of ['2026-08', '2026-09', '2026-10']) t.equal((await billCustomer(repo, plan, 'alpha', p, true)).issued?.created, true, `${p} issued`);
  const kept = await repo.ledgerStates('contoso', 'alpha', '2026-11', 5);
  t.same(kept.map((k) => k.period), ['2026-10', '2026-09', '2026-08']);
  t.same(JSON.parse(kept[0]!.states), [{ subscription: 's-alpha', component: 'prepaid', period: '2026-10', open: [{ made: '2026-10', left: 300 }] }], 'October: 5 h of its own grant left (rollover keeps at most 5 h)');
  t.same(await repo.ledgerStates('contoso', 'beta', '2026-11', 5), [], 'nothing kept for a customer not finalized');

  const r = await both(repo, 'alpha');
  t.equal(r.from, '2026-10', 'resumed from October');
  t.same(r.worklogs, ['alpha-nov'], "only November's records read");
  t.equal(r.resumed, r.full);
  const doc = JSON.parse(r.resumed) as { balances: unknown[] };
  t.same(doc.balances, [{ subscription: 's-alpha', component: 'prepaid', unit: 'minutes', opening: 300, granted: 600, used: 450, expired: 150, closing: 300 }], '8.5 h billed, 1 h included; at most 5 h carried');

  // a second finalize of an issued month keeps nothing new (the statement is not issued again)
  await billCustomer(repo, plan, 'alpha', '2026-10', true);
  t.equal((await repo.ledgerStates('contoso', 'alpha', '2026-11', 1))[0]!.stamp, kept[0]!.stamp);
});

t.test('a late worklog into an issued month: the states from it on are stale; the statement and its corrections are those from the start', async (t) => {
  const repo = await store(t);
  await seed(repo);
  for (const p of ['2026-08', '2026-09', '2026-10']) await billCustomer(repo, plan, 'alpha', p, true);
  // late into October: October's state is stale, September's still holds
  await repo.insertMany('contoso', 'worklogs', [worklog('alpha-oct-late', 'alpha', '2026-10-20T10:00:00-04:00', 900)]);
  let r = await both(repo, 'alpha');
  t.equal(r.from, '2026-09', 'resumed from September');
  t.same(r.worklogs, ['alpha-oct', 'alpha-oct-late', 'alpha-nov']);
  t.equal(r.resumed, r.full);
  t.match(r.resumed, /"component": "correction"/, 'October is corrected on November');
  // late into September too: both kept states are stale, the whole history is read
  await repo.insertMany('contoso', 'worklogs', [worklog('alpha-sep-late', 'alpha', '2026-09-30T10:00:00-04:00', 120)]);
  r = await both(repo, 'alpha');
  t.equal(r.from, null, 'from the start');
  t.equal(r.worklogs.length, 7);
  t.equal(r.resumed, r.full);
  // November finalized: its state is kept again and December resumes from it
  await billCustomer(repo, plan, 'alpha', '2026-11', true);
  const dec = (await billingInput(repo, plan, 'alpha', '2026-12'))!;
  t.equal(dec.ledgers?.[0]?.period, '2026-11');
  t.same(dec.worklogs, []);
});

t.test('a corrected or deleted record before a kept state makes it stale', async (t) => {
  const repo = await store(t);
  await seed(repo);
  // October finalized alone: September is not issued, so its records may still be corrected or deleted
  await billCustomer(repo, plan, 'beta', '2026-10', true);
  let r = await both(repo, 'beta');
  t.equal(r.from, '2026-10');
  t.equal(r.resumed, r.full);
  const month = (w: { start: string }) => w.start.slice(0, 7);
  await repo.reviseRecord('contoso', 'worklogs', 'beta-sep1', (cur) => ({ record: { ...cur, minutes: 60 }, bodyHash: 'h-beta-sep1-b' }), month);
  r = await both(repo, 'beta');
  t.equal(r.from, null, 'changed: from the start');
  t.equal(r.resumed, r.full);
  t.match(r.resumed, /"closing": 300/);
  await billCustomer(repo, plan, 'beta', '2026-11', true);
  await repo.reviseRecord('contoso', 'worklogs', 'beta-sep2', () => null, month);
  const dec = (await billingInput(repo, plan, 'beta', '2026-12'))!;
  t.equal(dec.ledgers, undefined, 'deleted: November and October states stale');
  const full = (await billingInput(fromStart(repo), plan, 'beta', '2026-12'))!;
  t.equal((await billCustomer(repo, plan, 'beta', '2026-12', false)).body, (await billCustomer(fromStart(repo), plan, 'beta', '2026-12', false)).body);
  t.equal(dec.worklogs.length, full.worklogs.length);
});

t.test('another plan: a kept state is not resumed', async (t) => {
  const repo = await store(t);
  await seed(repo);
  await billCustomer(repo, plan, 'alpha', '2026-10', true);
  t.equal((await billingInput(repo, plan, 'alpha', '2026-11'))!.ledgers?.length, 1);
  const other = { ...plan, hash: 'sha256:other' };
  t.equal((await billingInput(repo, other, 'alpha', '2026-11'))!.ledgers, undefined);
  t.equal((await billingInput(repo, plan, 'alpha', '2026-11', { resume: false }))!.ledgers, undefined, 'resume: false');
});

/** The store, counting the reads of kept states and stamps. */
function counting(repo: Repository): { repo: Repository; calls: Record<string, number> } {
  const calls: Record<string, number> = { ledgerStates: 0, keptStates: 0, historyStamp: 0, historyStamps: 0 };
  const wrapped = new Proxy(repo, {
    get(target, key) {
      const v = Reflect.get(target, key, target) as unknown;
      if (typeof v !== 'function') return v;
      const f = (v as (...a: unknown[]) => unknown).bind(target);
      return typeof key === 'string' && key in calls
        ? (...a: unknown[]) => {
            calls[key]! += 1;
            return f(...a);
          }
        : f;
    },
  });
  return { repo: wrapped, calls };
}

/** A draft of `period` and the periods its corrections price, the way statementInput reads them: with one LedgerReads, and each with its own reads. */
async function sharedAndApart(repo: Repository, customer: string, periods: readonly string[]) {
  const c = counting(repo);
  const reads = new LedgerReads(c.repo, plan, customer, periods.length - 1);
  const shared = [];
  for (const p of periods) shared.push((await billingInput(c.repo, plan, customer, p, { ledgers: reads }))!);
  const apart = [];
  for (const p of periods) apart.push((await billingInput(repo, plan, customer, p))!);
  return { shared, apart, calls: c.calls };
}

t.test('LedgerReads: a draft and its corrections read the kept states once, and resume exactly as apart', async (t) => {
  const repo = await store(t);
  await seed(repo);
  for (const p of ['2026-08', '2026-09', '2026-10']) await billCustomer(repo, plan, 'alpha', p, true);
  const r = await sharedAndApart(repo, 'alpha', ['2026-11', '2026-10', '2026-09', '2026-08']);
  // states kept with the finalize's input revision: current while no unseen input change reaches them, no records read to check
  t.same(r.calls, { ledgerStates: 1, keptStates: 0, historyStamp: 0, historyStamps: 0 }, 'one read of the states for four statements, no history stamp');
  t.same(r.shared.map((i) => i.ledgers?.[0]?.period ?? null), ['2026-10', '2026-09', '2026-08', null], 'each from the state of the month before');
  t.same(r.shared, r.apart, 'the same inputs as read one by one');
  t.same(priceStatement(r.shared[0]!).balances, [{ subscription: 's-alpha', component: 'prepaid', unit: 'minutes', opening: 300, granted: 600, used: 450, expired: 150, closing: 300 }]);
  const other = new LedgerReads(repo, plan, 'beta', 0);
  t.equal((await billingInput(repo, plan, 'alpha', '2026-11', { ledgers: other }))!.ledgers?.[0]?.period, '2026-10', "another customer's reads are not used");
});

t.test('LedgerReads: a late worklog into an old month makes every later state stale; balances and corrections are those from the start', async (t) => {
  const repo = await store(t);
  await seed(repo);
  for (const p of ['2026-08', '2026-09', '2026-10']) await billCustomer(repo, plan, 'alpha', p, true);
  // 15 h late into October: October ends with its grant drawn and 9 h beyond it
  await repo.insertMany('contoso', 'worklogs', [worklog('alpha-oct-late', 'alpha', '2026-10-20T10:00:00-04:00', 900)]);
  let r = await sharedAndApart(repo, 'alpha', ['2026-11', '2026-10', '2026-09']);
  t.same(r.shared.map((i) => i.ledgers?.[0]?.period ?? null), ['2026-09', '2026-09', '2026-08'], "November: October's state stale, September's holds");
  t.same(r.shared, r.apart);
  const nov = priceStatement(r.shared[0]!);
  t.same(nov.balances, [{ subscription: 's-alpha', component: 'prepaid', unit: 'minutes', opening: 0, granted: 600, used: 450, expired: 0, closing: 150 }], 'nothing carried from October; 2.5 h of November left');
  const full = (await billCustomer(fromStart(repo), plan, 'alpha', '2026-11', false)).body;
  t.equal((await billCustomer(repo, plan, 'alpha', '2026-11', false)).body, full);
  const doc = JSON.parse(full) as { lines: { component: string; amount: string; corrects?: string }[] };
  t.same(doc.lines.filter((l) => l.component === 'correction').map((l) => l.amount), ['1875.00'], "October repriced: 9 h beyond the block (2 h business hours at 150.00, 7 h after hours at 225.00), corrected on November");
  // late into August too: every kept state is stale, every statement reads from the start
  await repo.insertMany('contoso', 'worklogs', [worklog('alpha-aug-late', 'alpha', '2026-08-31T10:00:00-04:00', 60)]);
  r = await sharedAndApart(repo, 'alpha', ['2026-11', '2026-10', '2026-09']);
  t.same(r.shared.map((i) => i.ledgers?.[0]?.period ?? null), [null, null, null], 'from the start');
  t.same(r.shared, r.apart);
  t.same(priceStatement(r.shared[0]!).balances, nov.balances, 'August still closes at 5 h (rollover max): November unchanged');
});

t.test('a state kept before input revisions were: its records stamp is read from the store to check it', async (t) => {
  const repo = await store(t);
  await seed(repo);
  await billCustomer(repo, plan, 'alpha', '2026-10', true);
  const [kept] = await repo.ledgerStates('contoso', 'alpha', '2026-11', 1);
  const subs = (await billingInput(repo, plan, 'alpha', '2026-10'))!.subscriptions;
  // as an older tierbook kept it: the records' stamp in its stamp, no revision
  await repo.putLedgerStates('contoso', 'alpha', { period: '2026-10', stamp: ledgerStamp(plan, subs, await recordsStamp(repo, plan, 'alpha', '2026-10')), states: kept!.states, inputsRev: null });
  const c = counting(repo);
  let r = await both(c.repo, 'alpha');
  t.equal(r.from, '2026-10', 'resumed');
  t.equal(r.resumed, r.full);
  t.ok(c.calls.historyStamp! + c.calls.historyStamps! > 0, 'its records stamp read');
  await repo.insertMany('contoso', 'worklogs', [worklog('alpha-sep-late', 'alpha', '2026-09-29T10:00:00-04:00', 120)]);
  r = await both(repo, 'alpha');
  t.equal(r.from, null, 'a late worklog: stale');
  t.equal(r.resumed, r.full);
});

t.test("with the invoices' heads: the states are read alone, unless one was kept with another revision than its invoice's", async (t) => {
  const repo = await store(t);
  await seed(repo);
  for (const p of ['2026-08', '2026-09', '2026-10']) await billCustomer(repo, plan, 'alpha', p, true);
  const heads = await repo.issuedHeadsSince('contoso', 'alpha', '2026-01');
  let c = counting(repo);
  let input = (await billingInput(c.repo, plan, 'alpha', '2026-11', { ledgers: new LedgerReads(c.repo, plan, 'alpha', 0, heads) }))!;
  t.same(c.calls, { ledgerStates: 0, keptStates: 1, historyStamp: 0, historyStamps: 0 }, 'the states alone');
  t.equal(input.ledgers?.[0]?.period, '2026-10');
  t.strictSame(input, (await billingInput(repo, plan, 'alpha', '2026-11'))!, 'as read with their own unseen changes');
  // October's state kept again by another read (another revision): its unseen changes are the store's to give
  const [oct] = await repo.keptStates('contoso', 'alpha', '2026-11', 1);
  const rev = await repo.inputsRev('contoso', 'alpha');
  await repo.putLedgerStates('contoso', 'alpha', { ...oct!, stamp: ledgerStamp(plan, input.subscriptions, revStamp(rev)), inputsRev: rev });
  c = counting(repo);
  input = (await billingInput(c.repo, plan, 'alpha', '2026-11', { ledgers: new LedgerReads(c.repo, plan, 'alpha', 0, heads) }))!;
  t.same(c.calls, { ledgerStates: 1, keptStates: 1, historyStamp: 0, historyStamps: 0 }, 'read again with their unseen changes');
  t.equal(input.ledgers?.[0]?.period, '2026-10');
  // a late September worklog: stale either way, the statement is the one from the start
  await repo.insertMany('contoso', 'worklogs', [worklog('alpha-sep-late2', 'alpha', '2026-09-29T10:00:00-04:00', 60)]);
  const after = await repo.issuedHeadsSince('contoso', 'alpha', '2026-01');
  input = (await billingInput(repo, plan, 'alpha', '2026-11', { ledgers: new LedgerReads(repo, plan, 'alpha', 0, after) }))!;
  t.equal(input.ledgers, undefined, "October's and September's states (the two tried) stale: from the subscription's start");
  t.equal((await billCustomer(repo, plan, 'alpha', '2026-11', false)).body, (await billCustomer(fromStart(repo), plan, 'alpha', '2026-11', false)).body);
});
