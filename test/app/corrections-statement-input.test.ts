// statementInput reads a draft's own inputs from its corrections window when
// earlier periods are issued (app/corrections.ts: the customer, its
// subscriptions and the year of requests read once for P and the window).
// The input it gives must be exactly the one of the separate reads
// (billingInput's own reads for P, then correctionsFor): checked on random
// records around month edges, months issued for real, then late records
// into issued months (so some periods are priced again and corrected).
import t from 'tap';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlan } from '../../src/plans/load.js';
import { correctionsFor, monthsBefore, statementInput } from '../../src/app/corrections.js';
import { billCustomer } from '../../src/app/bill.js';
import { billingInput } from '../../src/app/statements.js';
import { openStore } from '../../src/store/open.js';
import { period as periodOf } from '../../src/time/period.js';
import type { RequestRecord, Repository } from '../../src/store/repository.js';
import type { Decision } from '../../src/rules/types.js';

const plan = loadPlan(readFileSync('test/fixtures/plans/contoso.yaml', 'utf8'), 'plans/contoso.yaml').plan!;
const ZONE = plan.partner.timezone;
const PARTNER = plan.partner.id;
const decision = {
  accepted: true, reasons: [], offering: 'standard', handledBy: 'partner', escalation: null, withinHours: true,
  responseTarget: '4h', responseDueAt: null, billable: true, rules: [], notes: [],
} as unknown as Decision;
const P = '2027-01';
const HISTORY = Array.from({ length: 12 }, (_, k) => monthsBefore(P, 12 - k)); // 2026-01 … 2026-12

/** The period `month` months after 2025-11 (0 … 15: before, in and after the window). */
const monthOf = (month: number): string => monthsBefore('2025-11', -month);

/** An instant `offsetMin` minutes from the start of a period in the partner's zone, written with a fixed offset. */
function instant(period: string, offsetMin: number): string {
  const ms = periodOf(period, ZONE).startMs + offsetMin * 60_000;
  return new Date(ms - 5 * 3600_000).toISOString().slice(0, 19) + '-05:00';
}

const minute = fc.oneof(fc.integer({ min: -2, max: 2 }), fc.integer({ min: -60 * 24 * 3, max: 60 * 24 * 20 }));
const records = fc.record({
  requests: fc.array(fc.record({ month: fc.integer({ min: 0, max: 15 }), min: minute, events: fc.integer({ min: 0, max: 2 }), b: fc.boolean() }), { maxLength: 16 }),
  // request: index into requests (modulo), or none
  worklogs: fc.array(fc.record({ month: fc.integer({ min: 0, max: 15 }), min: minute, request: fc.option(fc.nat(), { nil: null }), minutes: fc.integer({ min: 1, max: 300 }) }), { maxLength: 16 }),
  spend: fc.array(fc.record({ month: fc.integer({ min: 0, max: 15 }), cents: fc.integer({ min: 0, max: 1_000_000 }) }), { maxLength: 10 }),
  adjustments: fc.array(fc.record({ month: fc.integer({ min: 0, max: 15 }), cents: fc.integer({ min: -50_000, max: 50_000 }), taxable: fc.boolean() }), { maxLength: 8 }),
  issued: fc.subarray(HISTORY, { minLength: 1 }),
  late: fc.boolean(),
});
type Records = typeof records extends fc.Arbitrary<infer R> ? R : never;

const customer = (id: string) => ({ record: { id, name: id.toUpperCase(), locale: null, taxRate: null, email: null, tenantId: null }, bodyHash: `h-${id}` });
const money = (cents: number): string => (cents < 0 ? '-' : '') + `${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;

async function write(repo: Repository, r: Records): Promise<void> {
  await repo.insertMany(PARTNER, 'customers', [customer('a'), customer('b')]);
  await repo.insertMany(PARTNER, 'subscriptions', [
    { record: { id: 's-a', customer: 'a', offering: 'standard', start: '2025-06-01', end: null, discount: null, quantities: [{ metric: 'seats', value: 10, from: '2025-06-01' }, { metric: 'seats', value: 12, from: '2026-05-15' }] }, bodyHash: 'h-s-a' },
    { record: { id: 's-b', customer: 'b', offering: 'standard', start: '2025-06-01', end: null, discount: null, quantities: [{ metric: 'seats', value: 3, from: '2025-06-01' }] }, bodyHash: 'h-s-b' },
  ] as never);
  // ids sort apart from time order, so "by id" and "by time" differ
  const reqs = r.requests.map((q, i) => ({
    record: { id: `r${(i * 7) % 17}-${i}`, customer: q.b ? 'b' : 'a', offering: null, service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: instant(monthOf(q.month), q.min), serviceIncident: null, respondedAt: null, decision } as RequestRecord,
    bodyHash: `h-r${i}`,
  }));
  if (reqs.length > 0) await repo.insertMany(PARTNER, 'requests', reqs);
  const events = r.requests.flatMap((q, i) =>
    Array.from({ length: q.events }, (_, k) => ({
      record: { request: reqs[i]!.record.id, id: `e${k}`, at: instant(monthOf(q.month), q.min + 90 * (k + 1)), type: 'status' as const, status: 'waiting-customer', severity: null },
      bodyHash: `h-r${i}-e${k}`,
    })),
  );
  if (events.length > 0) await repo.addEvents(PARTNER, events);
  const wls = r.worklogs.map((w, i) => {
    // a worklog of customer a refers to one of a's requests (any month), or to none
    const own = reqs.filter((q) => q.record.customer === 'a');
    const request = w.request === null || own.length === 0 ? null : own[w.request % own.length]!.record.id;
    return { record: { id: `w${(i * 5) % 13}-${i}`, customer: 'a', request, offering: request ? null : 'standard', start: instant(monthOf(w.month), w.min), minutes: w.minutes }, bodyHash: `h-w${i}` };
  });
  if (wls.length > 0) await repo.insertMany(PARTNER, 'worklogs', wls as never);
  const spend = r.spend.map((s, i) => ({ record: { id: `sp${(i * 3) % 7}-${i}`, customer: i % 4 === 3 ? 'b' : 'a', period: monthOf(s.month), service: 'azure', amount: money(s.cents), retail: null, source: null, invoice: null }, bodyHash: `h-sp${i}` }));
  if (spend.length > 0) await repo.insertMany(PARTNER, 'spend', spend as never);
  const adjustments = r.adjustments.map((a, i) => ({
    record: { id: `adj${(i * 3) % 5}-${i}`, customer: i % 3 === 2 ? 'b' : 'a', period: monthOf(a.month), description: `adjustment ${i}`, amount: money(a.cents), ...(i % 2 === 0 ? { offering: 'standard' } : {}), taxable: a.taxable },
    bodyHash: `h-adj${i}`,
  }));
  if (adjustments.length > 0) await repo.insertAdjustments(PARTNER, adjustments);
}


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
