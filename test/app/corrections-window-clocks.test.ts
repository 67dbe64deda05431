// The periods of a corrections window share their earlier requests' clocks
// (app/events.ts sharingClocks, app/corrections.ts livesCut): each earlier
// request's input and due times are computed once per window, not once per
// period. withLives must give, for every period, exactly the input it gives
// from the period's own read, and exactly what the per-period computation
// (clockBelongs on each earlier request) gave before: checked on random
// requests with pauses, responses and resolutions around month edges, with
// the real plan (office calendar, pauses on waiting-customer).
import t from 'tap';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/open.js';
import { windowLives, monthsBefore } from '../../src/app/corrections.js';
import { CLOCK_LOOKBACK_MS, eventInput, requestInputOf, sharingClocks, withLives, type ClockMemo } from '../../src/app/events.js';
import { clockBelongs } from '../../src/billing/sla.js';
import { loadPlan } from '../../src/plans/load.js';
import { parseInstant } from '../../src/time/instant.js';
import { period as periodOf } from '../../src/time/period.js';
import type { BillingInput, RequestInput } from '../../src/billing/types.js';
import type { IssuedStatementRecord, RequestLives, RequestRecord } from '../../src/store/repository.js';
import type { Decision } from '../../src/rules/types.js';
import type { RequestEventInput } from '../../src/rules/sla.js';

const loaded = loadPlan(readFileSync(new URL('../../plans/contoso.yaml', import.meta.url), 'utf8'), 'contoso.yaml');
if (!loaded.plan) throw new Error('contoso.yaml does not load');
const plan = loaded.plan;
const ZONE = plan.partner.timezone;
const P = '2027-01';
const HISTORY = Array.from({ length: 12 }, (_, k) => monthsBefore(P, 12 - k));
const decision = (severity: string, target: string | null): Decision =>
  ({ accepted: true, reasons: [], offering: 'standard', handledBy: 'partner', escalation: null, withinHours: true, responseTarget: target, responseDueAt: null, billable: true, rules: [], notes: [], severity }) as unknown as Decision;

/** An instant `offsetMin` minutes from the start of a period (negative: before it), at -05:00. */
function instant(period: string, offsetMin: number): string {
  const ms = periodOf(period, ZONE).startMs + offsetMin * 60_000;
  return new Date(ms - 5 * 3600_000).toISOString().slice(0, 19) + '-05:00';
}

/** withLives as it was before the window shared clocks: every earlier request's clocks computed for the period (clockBelongs). */
function withLivesBefore(input: BillingInput, lives: RequestLives): BillingInput {
  const byRequest = new Map<string, RequestEventInput[]>();
  for (const e of lives.events) {
    let list = byRequest.get(e.request);
    if (!list) byRequest.set(e.request, (list = []));
    list.push(eventInput(e));
  }
  const Q = periodOf(input.period, ZONE);
  const have = new Set(input.requests.map((r) => r.id));
  const withEvents = (r: RequestInput): RequestInput => {
    const events = byRequest.get(r.id);
    return events ? { ...r, events } : r;
  };
  const earlier = lives.requests
    .filter((r) => !have.has(r.id) && parseInstant(r.receivedAt) < Q.startMs)
    .map((r) => withEvents(requestInputOf(r)))
    .filter((r) => clockBelongs(input.plan, Q, r));
  if (byRequest.size === 0 && earlier.length === 0) return input;
  return { ...input, requests: [...input.requests.map(withEvents), ...earlier] };
}

t.test('shared clocks: every period of the window gets the input of its own read, as before', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tierbook-window-clocks-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const ev = fc.record({ after: fc.integer({ min: 1, max: 60 * 24 * 40 }), kind: fc.constantFrom('waiting-customer', 'open', 'resolved', 'responded', 'severity-A', 'waiting-microsoft') });
  const req = fc.record({
    month: fc.integer({ min: 0, max: 24 }),
    min: fc.oneof(fc.integer({ min: -2, max: 2 }), fc.integer({ min: -60 * 24 * 3, max: 60 * 24 * 20 })),
    severity: fc.constantFrom('A', 'B', 'C'),
    target: fc.constantFrom(null, '2h'),
    accepted: fc.boolean(),
    events: fc.array(ev, { maxLength: 4 }),
  });
  let run = 0;
  let belonged = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(req, { maxLength: 25 }), fc.subarray(HISTORY, { minLength: 2 }), async (reqs, issued) => {
      const repo = await openStore(join(dir, `s${run++}.db`));
      try {
        await repo.insertMany('contoso', 'customers', [{ record: { id: 'a', name: 'A', locale: null, taxRate: null, email: null, tenantId: null }, bodyHash: 'h-a' }]);
        const received = reqs.map((r) => instant(monthsBefore('2025-01', -r.month), r.min));
        const records = reqs.map((r, i) => {
          const d = { ...decision(r.severity, r.target), accepted: r.accepted };
          const record = { id: `r${i}`, customer: 'a', offering: null, service: 'azure', category: 'technical', severity: r.severity, channel: 'phone', receivedAt: received[i]!, serviceIncident: null, respondedAt: null, decision: d } as RequestRecord;
          return { record, bodyHash: `h-r${i}` };
        });
        if (records.length > 0) await repo.insertMany('contoso', 'requests', records);
        const events = reqs.flatMap((r, i) =>
          r.events.map((e, k) => {
            const at = new Date(parseInstant(received[i]!) + e.after * 60_000).toISOString();
            const record =
              e.kind === 'responded' ? { request: `r${i}`, id: `e${k}`, at, type: 'responded' as const, status: null, severity: null }
              : e.kind === 'severity-A' ? { request: `r${i}`, id: `e${k}`, at, type: 'severity' as const, status: null, severity: 'A' }
              : { request: `r${i}`, id: `e${k}`, at, type: 'status' as const, status: e.kind, severity: null };
            return { record, bodyHash: `h-r${i}-e${k}` };
          }),
        );
        if (events.length > 0) await repo.addEvents('contoso', events);
        const cut = await windowLives(repo, plan, 'a', issued.map((period) => ({ period }) as IssuedStatementRecord));
        for (const q of issued) {
          const Q = periodOf(q, ZONE);
          const input = { plan, period: q, requests: [] } as unknown as BillingInput;
          const own = await repo.requestLives('contoso', 'a', Q.startMs - CLOCK_LOOKBACK_MS, Q.startMs, Q.endMs);
          const shared = withLives(input, cut(q)!);
          t.same(shared, withLives(input, own), `period ${q}: shared clocks = own read`);
          t.same(shared, withLivesBefore(input, own), `period ${q}: shared clocks = per-period clocks`);
          belonged += shared.requests.length;
        }
      } finally {
        await repo.close();
      }
    }),
    { numRuns: 30 },
  );
  t.ok(belonged > 0, 'some earlier requests had a clock in a later period');
});

t.test('a kept clock is not reused for another plan or other events', async (t) => {
  const at = '2026-11-30T16:00:00-05:00'; // a Monday, 16:00: a 4h response falls in December
  const record = { id: 'r1', customer: 'a', offering: null, service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: at, serviceIncident: null, respondedAt: null, decision: decision('B', null) } as RequestRecord;
  const memo: ClockMemo = new Map();
  const dec = { plan, period: '2026-12', requests: [] } as unknown as BillingInput;
  const first = withLives(dec, sharingClocks({ requests: [record], events: [] }, memo));
  t.same(first.requests.map((r) => r.id), ['r1'], 'due in December: it joins December');
  t.equal(memo.size, 1, 'its clocks are kept');
  // the same record with a response before its due time: the kept due time is not used (other events)
  const responded = { request: 'r1', id: 'e1', at: '2026-11-30T16:30:00-05:00', type: 'responded' as const, status: null, severity: null };
  const waiting = { request: 'r1', id: 'e2', at: '2026-11-30T16:10:00-05:00', type: 'status' as const, status: 'waiting-customer', severity: null };
  const paused = withLives(dec, sharingClocks({ requests: [record], events: [waiting] }, memo));
  t.same(paused, withLivesBefore(dec, { requests: [record], events: [waiting] }), 'other events: computed again');
  t.same(withLives(dec, sharingClocks({ requests: [record], events: [responded] }, memo)), withLivesBefore(dec, { requests: [record], events: [responded] }));
  // another plan object: computed again with it
  const other = loadPlan(readFileSync(new URL('../../plans/contoso.yaml', import.meta.url), 'utf8'), 'contoso.yaml').plan!;
  const again = withLives({ ...dec, plan: other }, sharingClocks({ requests: [record], events: [] }, memo));
  t.equal(again.requests[0]!.id, 'r1');
  t.equal(memo.get(record)!.plan, other, 'kept for the plan it was computed with');
});
