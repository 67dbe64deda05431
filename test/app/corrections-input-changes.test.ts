// Corrections skip an earlier issued period that no change unseen by its
// statement reaches (store input_changes, kept by triggers; app/corrections.ts
// mayHaveChanged). Skipping must never change a draft: on random records,
// months issued for real, then random late writes (through the repository and
// past it, in raw SQL), the draft's input equals the one computed with every
// period read and compared by digest (statements treated as issued without a
// revision), on SQLite and PostgreSQL. And a write that lands between a
// finalize's read and its issue is corrected exactly once.
import t, { type Test } from 'tap';
import fc from 'fast-check';
import { monthsBefore, statementInput } from '../../src/app/corrections.js';
import { mayHaveChanged } from '../../src/app/input-changes.js';
import { billCustomer } from '../../src/app/bill.js';
import { HISTORY, P, PARTNER, ZONE, customer, instant, money, monthOf, plan, recordFields, write } from './corrections-records.js';
import { postgresBackend, sqliteBackend, type Backend, type Store } from '../store/backends.js';
import type { IssuedHead, Repository } from '../../src/store/repository.js';

/** The store as corrections saw it before revisions were kept: every issued period is read and compared by digest. */
const blind = (repo: Repository): Repository =>
  new Proxy(repo, {
    get(target, key) {
      const v = Reflect.get(target, key, target) as unknown;
      if (key === 'issuedHeadsSince') return async (...a: [string, string, string]) => (await target.issuedHeadsSince(...a)).map((h): IssuedHead => ({ ...h, inputsRev: null }));
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });

const late = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('worklog' as const), month: fc.integer({ min: 0, max: 15 }), min: fc.integer({ min: -120, max: 60 * 24 * 30 }) }),
    fc.record({ kind: fc.constant('spend' as const), month: fc.integer({ min: 0, max: 15 }), cents: fc.integer({ min: 1, max: 500_000 }) }),
    fc.record({ kind: fc.constant('event' as const), at: fc.integer({ min: 0, max: 15 }) }),
    fc.record({ kind: fc.constant('rename' as const), email: fc.boolean() }),
    fc.record({ kind: fc.constant('raw-minutes' as const), minutes: fc.integer({ min: 1, max: 900 }) }),
    fc.record({ kind: fc.constant('raw-delete-spend' as const) }),
  ),
  { maxLength: 3 },
);

type Late = typeof late extends fc.Arbitrary<infer L> ? L : never;

async function lateWrites(s: Store, writes: Late, run: number): Promise<void> {
  const { repo } = s;
  for (const [i, w] of writes.entries()) {
    const id = `late-${run}-${i}`;
    if (w.kind === 'worklog') await repo.insertMany(PARTNER, 'worklogs', [{ record: { id, customer: 'a', request: null, offering: 'standard', start: instant(monthOf(w.month), w.min), minutes: 45 }, bodyHash: `h-${id}` }] as never);
    else if (w.kind === 'spend') await repo.insertMany(PARTNER, 'spend', [{ record: { id, customer: 'a', period: monthOf(w.month), service: 'azure', amount: money(w.cents), retail: null, source: null, invoice: null }, bodyHash: `h-${id}` }] as never);
    else if (w.kind === 'event') {
      const lives = await repo.requestLives(PARTNER, 'a', 0, Date.parse('2030-01-01T00:00:00Z'));
      const r = lives.requests[0];
      if (r) await repo.addEvents(PARTNER, [{ record: { request: r.id, id, at: instant(monthOf(w.at), 30), type: 'status', status: 'resolved', severity: null }, bodyHash: `h-${id}` }]);
    } else if (w.kind === 'rename') await repo.updateCustomer(PARTNER, { record: { ...customer('a').record, ...(w.email ? { email: `${id}@example.com` } : { name: id }) }, bodyHash: `h-${id}` });
    // past tierbook: another tool's writes reach the triggers too
    else if (w.kind === 'raw-minutes') await s.exec(`update worklogs set minutes = ${w.minutes} where id = (select min(id) from worklogs where customer = 'a')`);
    else await s.exec(`delete from spend where id = (select min(id) from spend where customer = 'a')`);
  }
}

async function property(t: Test, backend: () => Promise<Backend>, numRuns: number): Promise<void> {
  await t.test('skipping unchanged periods never changes a draft', async (t) => {
    const b = await backend();
    let run = 0;
    let skipped = 0;
    let corrected = 0;
    await fc.assert(
      fc.asyncProperty(fc.record({ ...recordFields, issued: fc.subarray(HISTORY, { minLength: 1 }), late }), async (r) => {
        const s = await b.open(t);
        await write(s.repo, r);
        for (const q of r.issued) await billCustomer(s.repo, plan, 'a', q, true, { force: true });
        await lateWrites(s, r.late, run++);
        for (const period of [P, monthsBefore(P, -1)]) {
          const heads = (await s.repo.issuedHeadsSince(PARTNER, 'a', monthsBefore(period, 12))).filter((h) => h.period < period);
          skipped += heads.filter((h) => !mayHaveChanged(h, ZONE)).length;
          const fast = await statementInput(s.repo, plan, 'a', period, 7);
          if (fast?.corrections) corrected++;
          t.strictSame(fast, await statementInput(blind(s.repo), plan, 'a', period, 7), `${period}: ${r.issued.length} issued, late ${JSON.stringify(r.late)}`);
        }
      }),
      { numRuns },
    );
    t.ok(skipped > 0, `issued periods skipped: ${skipped}`);
    t.ok(corrected > 0, `drafts with corrections: ${corrected}`);
  });
}

function cases(t: Test, backend: () => Promise<Backend>): void {
  t.test('a table emptied past tierbook (DELETE without WHERE; TRUNCATE on PostgreSQL) reaches every period', async (t) => {
    const b = await backend();
    const s = await b.open(t);
    await write(s.repo, { requests: [], worklogs: [], spend: [{ month: 5, cents: 500_000 }, { month: 6, cents: 500_000 }], adjustments: [] });
    for (const q of HISTORY.slice(0, 6)) await billCustomer(s.repo, plan, 'a', q, true, { force: true });
    const changed = async () => (await s.repo.issuedHeadsSince(PARTNER, 'a', HISTORY[0]!)).filter((h) => mayHaveChanged(h, ZONE)).map((h) => h.period);
    t.same(await changed(), []);
    await s.exec(b.name === 'postgres' ? 'truncate spend' : 'delete from spend');
    // the spend was in April and May (months 5 and 6 after 2025-11): those and later, or (TRUNCATE) every period
    t.same(await changed(), b.name === 'postgres' ? HISTORY.slice(0, 6) : HISTORY.slice(3, 6));
    const input = await statementInput(s.repo, plan, 'a', P);
    t.strictSame(input, await statementInput(blind(s.repo), plan, 'a', P), 'the same draft as reading every period');
    // 8 % of 5,000.00 Azure spend was 400.00; with none, the component's 100.00 minimum: 300.00 given back on each month
    t.same(input?.corrections?.map((c) => [c.period, c.amount]), [['2026-04', '-300.00'], ['2026-05', '-300.00']], 'the spend given back');
  });

  t.test('nothing written since issue: no earlier period is read again', async (t) => {
    const s = await (await backend()).open(t);
    await write(s.repo, { requests: [{ month: 3, min: 600, events: 1, b: false }], worklogs: [{ month: 4, min: 900, request: 0, minutes: 90 }], spend: [{ month: 5, cents: 1200 }], adjustments: [] });
    for (const q of HISTORY) await billCustomer(s.repo, plan, 'a', q, true, { force: true });
    const heads = await s.repo.issuedHeadsSince(PARTNER, 'a', HISTORY[0]!);
    t.same(heads.map((h) => mayHaveChanged(h, ZONE)), HISTORY.map(() => false));
    const calls: string[] = [];
    const counted = new Proxy(s.repo, {
      get(target, key) {
        const v = Reflect.get(target, key, target) as unknown;
        if (typeof v !== 'function') return v;
        return (...a: unknown[]) => (calls.push(String(key)), (v as (...x: unknown[]) => unknown).apply(target, a));
      },
    });
    const input = await statementInput(counted, plan, 'a', P);
    t.equal(input?.corrections, undefined);
    t.same(calls, ['issuedHeadsSince', 'periodData', 'requestLives', 'listAdjustments'], "only P's own reads (a draft takes no revision)");
    // current-month usage reaches no issued period
    await s.repo.insertMany(PARTNER, 'worklogs', [{ record: { id: 'jan', customer: 'a', request: null, offering: 'standard', start: instant(P, 60), minutes: 30 }, bodyHash: 'h-jan' }] as never);
    t.same((await s.repo.issuedHeadsSince(PARTNER, 'a', HISTORY[0]!)).map((h) => mayHaveChanged(h, ZONE)), HISTORY.map(() => false));
    // a late worklog in the last minutes of June (the partner's zone) reaches June and every later period; January to May stay unread
    await s.repo.insertMany(PARTNER, 'worklogs', [{ record: { id: 'june-end', customer: 'a', request: null, offering: 'standard', start: instant('2026-07', -5), minutes: 0 }, bodyHash: 'h-june-end' }] as never);
    t.same((await s.repo.issuedHeadsSince(PARTNER, 'a', HISTORY[0]!)).filter((h) => mayHaveChanged(h, ZONE)).map((h) => h.period), HISTORY.slice(5));
    // three hours on Monday 15 June, 10:00: one hour past the two included, at 120.00
    await s.repo.insertMany(PARTNER, 'worklogs', [{ record: { id: 'june', customer: 'a', request: null, offering: 'standard', start: instant('2026-06', 60 * 24 * 14 + 600), minutes: 180 }, bodyHash: 'h-june' }] as never);
    const corrected = await statementInput(s.repo, plan, 'a', P);
    t.same(corrected?.corrections?.map((c) => [c.period, c.amount]), [['2026-06', '120.00']], 'June corrected: one hour of labour');
  });

  t.test("a write between a finalize's read and its issue is corrected once, on the next month", async (t) => {
    const s = await (await backend()).open(t);
    await s.repo.insertMany(PARTNER, 'customers', [customer('a')]);
    await s.repo.insertMany(PARTNER, 'subscriptions', [{ record: { id: 's-a', customer: 'a', offering: 'standard', start: '2026-01-01', end: null, discount: null, quantities: [{ metric: 'seats', value: 10, from: '2026-01-01' }] }, bodyHash: 'h-s-a' }] as never);
    let raced = false;
    // the store as another process writes into it while the finalize prices: after the read, before the number
    const racing = new Proxy(s.repo, {
      get(target, key) {
        const v = Reflect.get(target, key, target) as unknown;
        if (typeof v !== 'function') return v;
        if (key !== 'issue') return (v as (...a: unknown[]) => unknown).bind(target);
        return async (...a: unknown[]) => {
          if (!raced) {
            raced = true;
            await target.insertMany(PARTNER, 'worklogs', [{ record: { id: 'raced', customer: 'a', request: null, offering: 'standard', start: instant('2026-11', 60 * 24 * 2 + 600), minutes: 180 }, bodyHash: 'h-raced' }] as never);
          }
          return (v as (...x: unknown[]) => unknown).apply(target, a);
        };
      },
    });
    const nov = await billCustomer(racing, plan, 'a', '2026-11', true, { force: true });
    t.notMatch(nov.body, /"minutes"/, 'the issued November does not hold the raced worklog');
    const [head] = await s.repo.issuedHeadsSince(PARTNER, 'a', '2026-11');
    t.equal(mayHaveChanged(head!, ZONE), true, 'November: a change its read had not seen');
    const dec = await billCustomer(s.repo, plan, 'a', '2026-12', true, { force: true });
    const lines = (JSON.parse(dec.body) as { lines: { component: string; corrects?: string; amount: string }[] }).lines.filter((l) => l.component === 'correction');
    // three hours on Tuesday 3 November, 10:00: one past the two included, at 120.00
    t.same(lines.map((l) => [l.corrects, l.amount]), [[nov.issued!.number, '120.00']], 'one hour of labour, corrected on December');
    const jan = await statementInput(s.repo, plan, 'a', '2027-01');
    t.equal(jan?.corrections, undefined, 'and never again');
  });
}

t.test('sqlite', async (t) => {
  const b = await sqliteBackend(t);
  cases(t, async () => b);
  await property(t, async () => b, 25);
});

t.test('postgres', async (t) => {
  const b = await postgresBackend(t);
  cases(t, async () => b);
  await property(t, async () => b, 10);
});
