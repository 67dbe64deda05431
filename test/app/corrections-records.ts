// Random records of a customer around month edges for the corrections
// window tests (corrections-window-data, corrections-statement-input): the
// plan, the instants, the record arbitraries and the writer of one store.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { loadPlan } from '../../src/plans/load.js';
import { monthsBefore } from '../../src/app/corrections.js';
import { period as periodOf } from '../../src/time/period.js';
import type { RequestRecord, Repository } from '../../src/store/repository.js';
import type { Decision } from '../../src/rules/types.js';

export const plan = loadPlan(readFileSync('test/fixtures/plans/contoso.yaml', 'utf8'), 'plans/contoso.yaml').plan!;
export const ZONE = plan.partner.timezone;
export const PARTNER = plan.partner.id;
export const decision = {
  accepted: true, reasons: [], offering: 'standard', handledBy: 'partner', escalation: null, withinHours: true,
  responseTarget: '4h', responseDueAt: null, billable: true, rules: [], notes: [],
} as unknown as Decision;
export const P = '2027-01';
export const HISTORY = Array.from({ length: 12 }, (_, k) => monthsBefore(P, 12 - k)); // 2026-01 … 2026-12

/** The period `month` months after 2025-11 (0 … 15: before, in and after the window). */
export const monthOf = (month: number): string => monthsBefore('2025-11', -month);

/** An instant `offsetMin` minutes from the start of a period in the partner's zone, written with a fixed offset. */
export function instant(period: string, offsetMin: number): string {
  const ms = periodOf(period, ZONE).startMs + offsetMin * 60_000;
  return new Date(ms - 5 * 3600_000).toISOString().slice(0, 19) + '-05:00';
}

export const minute = fc.oneof(fc.integer({ min: -2, max: 2 }), fc.integer({ min: -60 * 24 * 3, max: 60 * 24 * 20 }));
/** The records of a store (an `issued` list is added by each test). */
export const recordFields = {
  requests: fc.array(fc.record({ month: fc.integer({ min: 0, max: 15 }), min: minute, events: fc.integer({ min: 0, max: 2 }), b: fc.boolean() }), { maxLength: 16 }),
  // request: index into requests (modulo), or none
  worklogs: fc.array(fc.record({ month: fc.integer({ min: 0, max: 15 }), min: minute, request: fc.option(fc.nat(), { nil: null }), minutes: fc.integer({ min: 1, max: 300 }) }), { maxLength: 16 }),
  spend: fc.array(fc.record({ month: fc.integer({ min: 0, max: 15 }), cents: fc.integer({ min: 0, max: 1_000_000 }) }), { maxLength: 10 }),
  adjustments: fc.array(fc.record({ month: fc.integer({ min: 0, max: 15 }), cents: fc.integer({ min: -50_000, max: 50_000 }), taxable: fc.boolean() }), { maxLength: 8 }),
};
export type Records = { [K in keyof typeof recordFields]: (typeof recordFields)[K] extends fc.Arbitrary<infer R> ? R : never };

export const customer = (id: string) => ({ record: { id, name: id.toUpperCase(), locale: null, taxRate: null, email: null, tenantId: null }, bodyHash: `h-${id}` });
export const money = (cents: number): string => (cents < 0 ? '-' : '') + `${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;

export async function write(repo: Repository, r: Records): Promise<void> {
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

