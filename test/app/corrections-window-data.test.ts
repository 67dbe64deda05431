// Corrections read a customer's whole window of up to 12 earlier periods once
// (app/corrections.ts correctionsWindow: Repository.windowData and one
// requestLives) and cut it per period in memory. Each cut must be exactly
// what that period's own reads return (periodData, listAdjustments,
// requestLives: same records, same order), or an unchanged period would
// digest differently (or a changed one the same). Checked on random records
// around month edges, on SQLite and on PostgreSQL, and the inputs digest of
// billingInput both ways.
import t, { type Test as Tap } from 'tap';
import fc from 'fast-check';
import { correctionsWindow } from '../../src/app/corrections.js';
import { billingInput, inputsDigest } from '../../src/app/statements.js';
import { CLOCK_LOOKBACK_MS } from '../../src/app/events.js';
import { period as periodOf } from '../../src/time/period.js';
import type { IssuedStatementRecord } from '../../src/store/repository.js';
import { HISTORY, PARTNER, ZONE, plan, recordFields, write } from './corrections-records.js';
import { postgresBackend, sqliteBackend, type Backend } from '../store/backends.js';

const records = fc.record({ ...recordFields, issued: fc.subarray(HISTORY, { minLength: 2 }) });

async function property(t: Tap, backend: Backend, numRuns: number): Promise<void> {
  let cut = 0;
  let apart = 0;
  await fc.assert(
    fc.asyncProperty(records, async (r) => {
      const tt = new Teardowns();
      try {
        const { repo } = await backend.open(tt);
        await write(repo, r);
        const window = await correctionsWindow(repo, plan, 'a', r.issued.map((period) => ({ period }) as IssuedStatementRecord));
        for (const q of r.issued) {
          const Q = periodOf(q, ZONE);
          const c = window(q);
          t.same(c.lives, await repo.requestLives(PARTNER, 'a', Q.startMs - CLOCK_LOOKBACK_MS, Q.startMs, Q.endMs), `lives of ${q}`);
          const data = await repo.periodData(PARTNER, 'a', q, Q.startMs, Q.endMs);
          const adjustments = await repo.listAdjustments(PARTNER, 'a', q);
          if (c.read) {
            cut++;
            t.strictSame(c.read.data, data, `data of ${q}`);
            t.strictSame(c.read.adjustments, adjustments, `adjustments of ${q}`);
          } else {
            // read apart only when a worklog of the period refers to a request received outside it
            apart++;
            const have = new Set(data!.requests.filter((x) => Date.parse(x.receivedAt) >= Q.startMs && Date.parse(x.receivedAt) < Q.endMs).map((x) => x.id));
            t.ok(data!.worklogs.some((w) => w.request !== null && !have.has(w.request)), `${q} read apart for a reason`);
          }
          const own = await billingInput(repo, plan, 'a', q);
          const fromWindow = await billingInput(repo, plan, 'a', q, c);
          t.equal(inputsDigest(fromWindow!), inputsDigest(own!), `digest of ${q}`);
        }
      } finally {
        await tt.run();
      }
    }),
    { numRuns },
  );
  t.ok(cut > apart, `most periods cut from the window (${cut} cut, ${apart} read apart)`);
}

/** Teardowns of one property run (a store per run). */
class Teardowns {
  private readonly fns: (() => unknown)[] = [];
  teardown(fn: () => unknown): void {
    this.fns.push(fn);
  }
  async run(): Promise<void> {
    for (const fn of this.fns.reverse()) await fn();
  }
}


t.test('SQLite: each period cut from the window read is its own read', async (t) => {
  await property(t, await sqliteBackend(t), 25);
});

t.test('PostgreSQL: each period cut from the window read is its own read', async (t) => {
  await property(t, await postgresBackend(t), 12);
});

t.test('an unknown customer: no window data, each period reads apart', async (t) => {
  const backend = await sqliteBackend(t);
  const { repo } = await backend.open(t);
  t.equal(await repo.windowData(PARTNER, 'nobody', '2026-01', '2026-12', 0, Date.parse('2027-01-01T05:00:00Z')), null);
  const window = await correctionsWindow(repo, plan, 'nobody', HISTORY.map((period) => ({ period }) as IssuedStatementRecord));
  t.equal(window('2026-05').read, undefined);
  t.same(window('2026-05').lives, { requests: [], events: [] });
});

t.test('a single earlier period: no window, its own reads', async (t) => {
  const window = await correctionsWindow({} as never, plan, 'a', [{ period: '2026-12' } as IssuedStatementRecord]);
  t.same(window('2026-12'), {});
});
