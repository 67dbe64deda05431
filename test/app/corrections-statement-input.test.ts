// statementInput reads a draft's own inputs from its corrections window when
// earlier periods are issued (app/corrections.ts: the customer, its
// subscriptions and the year of requests read once for P and the window).
// The input it gives must be exactly the one of the separate reads
// (billingInput's own reads for P, then correctionsFor): checked on random
// records around month edges, months issued for real, then late records
// into issued months (so some periods are priced again and corrected).
import t from 'tap';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { correctionsFor, monthsBefore, statementInput } from '../../src/app/corrections.js';
import { billCustomer } from '../../src/app/bill.js';
import { billingInput } from '../../src/app/statements.js';
import { openStore } from '../../src/store/open.js';
import { HISTORY, P, PARTNER, instant, plan, recordFields, write } from './corrections-records.js';
import { blocksPlan } from '../api/purchases-plan.js';
import type { Repository, WorklogRecord } from '../../src/store/repository.js';

const records = fc.record({ ...recordFields, issued: fc.subarray(HISTORY, { minLength: 1 }), late: fc.boolean() });

t.test('statementInput with its window = billingInput and correctionsFor read apart', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tierbook-statement-input-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  let run = 0;
  let corrected = 0;
  await fc.assert(
    fc.asyncProperty(records, async (r) => {
      const repo = await openStore(join(dir, `s${run++}.db`));
      try {
        await write(repo, r);
        for (const q of r.issued) await billCustomer(repo, plan, 'a', q, true, { force: true });
        if (r.late) {
          // late records into the first issued month: it is priced again
          const q = r.issued[0]!;
          await repo.insertMany(PARTNER, 'worklogs', [{ record: { id: 'late-w', customer: 'a', request: null, offering: 'standard', start: instant(q, 60 * 24 * 3 + 600), minutes: 600 }, bodyHash: 'h-late-w' }] as never);
          await repo.insertMany(PARTNER, 'spend', [{ record: { id: 'late-sp', customer: 'a', period: q, service: 'azure', amount: '25000.00', retail: null, source: null, invoice: null }, bodyHash: 'h-late-sp' }] as never);
        }
        for (const period of [P, monthsBefore(P, -1)]) {
          const apart = await billingInput(repo, plan, 'a', period);
          const corrections = await correctionsFor(repo, plan, 'a', period);
          if (corrections.length > 0) corrected++;
          const expected = { ...apart!, ...(corrections.length > 0 ? { corrections } : {}), asOfMs: 7 };
          t.strictSame(await statementInput(repo, plan, 'a', period, 7), expected, `${period}, ${r.issued.length} issued`);
        }
      } finally {
        await repo.close();
      }
    }),
    { numRuns: 20 },
  );
  t.ok(corrected > 0, `some drafts carried corrections (${corrected})`);
});

t.test('an unknown customer: null, with or without issued months', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tierbook-statement-input-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const repo = await openStore(join(dir, 's.db'));
  t.teardown(() => repo.close());
  t.equal(await statementInput(repo, plan, 'nobody', P), null);
});

t.test('a block: the draft and its corrections read the kept states once, and give the inputs read apart', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tierbook-statement-input-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const repo = await openStore(join(dir, 's.db'));
  t.teardown(() => repo.close());
  const blocks = blocksPlan();
  const worklog = (id: string, start: string, minutes: number) => ({ record: { id, customer: 'alpha', request: null, offering: 'monthly', start, minutes } satisfies WorklogRecord, bodyHash: `h-${id}` });
  await repo.insertMany('contoso', 'customers', [{ record: { id: 'alpha', name: 'alpha', locale: null, taxRate: null, email: null, tenantId: null }, bodyHash: 'h-alpha' }]);
  await repo.insertMany('contoso', 'subscriptions', [{ record: { id: 's-alpha', customer: 'alpha', offering: 'monthly', start: '2026-08-01', end: null, discount: null, quantities: [] }, bodyHash: 'h-s' }]);
  await repo.insertMany('contoso', 'worklogs', [
    worklog('aug', '2026-08-10T10:00:00-04:00', 240),
    worklog('sep', '2026-09-08T09:00:00-04:00', 1020),
    worklog('oct', '2026-10-13T20:00:00-04:00', 300),
    worklog('nov', '2026-11-04T09:00:00-05:00', 500),
  ]);
  for (const p of ['2026-08', '2026-09', '2026-10']) await billCustomer(repo, blocks, 'alpha', p, true);
  // late work into September: September's lines change (October is priced again, its amounts stay)
  await repo.insertMany('contoso', 'worklogs', [worklog('sep-late', '2026-09-28T10:00:00-04:00', 600)]);
  const calls = { ledgerStates: 0, keptStates: 0 };
  const counted = new Proxy(repo, {
    get(target, key) {
      const v = Reflect.get(target, key, target) as unknown;
      if (typeof v !== 'function') return v;
      const f = (v as (...a: unknown[]) => unknown).bind(target);
      return key === 'ledgerStates' || key === 'keptStates' ? (...a: unknown[]) => ((calls[key] += 1), f(...a)) : f;
    },
  }) as Repository;
  const shared = await statementInput(counted, blocks, 'alpha', '2026-11');
  // kept with their invoices' revisions: their unseen changes come from the heads, the states are read alone
  t.same(calls, { ledgerStates: 0, keptStates: 1 }, 'one read of the kept states for the draft and its corrections');
  const corrections = await correctionsFor(repo, blocks, 'alpha', '2026-11');
  t.same(corrections.map((c) => c.period), ['2026-09'], 'September corrected');
  t.strictSame(shared, { ...(await billingInput(repo, blocks, 'alpha', '2026-11'))!, corrections });
});
