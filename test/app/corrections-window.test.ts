// Corrections read the requests' lives of up to 12 earlier periods once
// (app/corrections.ts windowLives) and cut them per period: each cut must be
// exactly what that period's own read returns (same requests, same events,
// same order), or an unchanged period would digest differently (or a changed
// one the same). Checked on random requests and events around month edges.
import t from 'tap';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/open.js';
import { windowLives, monthsBefore } from '../../src/app/corrections.js';
import { CLOCK_LOOKBACK_MS } from '../../src/app/events.js';
import { period as periodOf } from '../../src/time/period.js';
import type { Plan } from '../../src/plans/types.js';
import type { IssuedStatementRecord, RequestRecord } from '../../src/store/repository.js';
import type { Decision } from '../../src/rules/types.js';

const ZONE = 'America/New_York';
const plan = { partner: { id: 'contoso', timezone: ZONE } } as unknown as Plan;
const decision: Decision = {
  accepted: true, reasons: [], offering: 'standard', handledBy: 'partner', escalation: null, withinHours: true,
  responseTarget: '4h', responseDueAt: null, billable: true, rules: [], notes: [],
} as unknown as Decision;
const P = '2027-01';
const HISTORY = Array.from({ length: 12 }, (_, k) => monthsBefore(P, 12 - k));

/** An instant `offsetMin` minutes from the start of a period (negative: before it), with the zone's offset. */
function instant(period: string, offsetMin: number): string {
  const ms = periodOf(period, ZONE).startMs + offsetMin * 60_000;
  const d = new Date(ms - 5 * 3600_000); // written at -05:00 (a fixed offset: parseInstant gives back ms)
  return d.toISOString().slice(0, 19) + '-05:00';
}

t.test('each period cut from the window read is its own read', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tierbook-window-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // a month index from 2025-01 (two years before P: some before the lookback) and minutes around the month's start
  const req = fc.record({ month: fc.integer({ min: 0, max: 24 }), min: fc.oneof(fc.integer({ min: -2, max: 2 }), fc.integer({ min: -60 * 24 * 3, max: 60 * 24 * 20 })), events: fc.integer({ min: 0, max: 3 }) });
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(req, { maxLength: 25 }), fc.subarray(HISTORY, { minLength: 2 }), async (reqs, issued) => {
      const repo = await openStore(join(dir, `s${run++}.db`));
      try {
        await repo.insertMany('contoso', 'customers', [{ record: { id: 'a', name: 'A', locale: null, taxRate: null, email: null, tenantId: null }, bodyHash: 'h-a' }]);
        await repo.insertMany('contoso', 'customers', [{ record: { id: 'b', name: 'B', locale: null, taxRate: null, email: null, tenantId: null }, bodyHash: 'h-b' }]);
        const records = reqs.map((r, i) => {
          const receivedAt = instant(monthsBefore('2025-01', -r.month), r.min);
          const record: RequestRecord = { id: `r${i}`, customer: i % 5 === 4 ? 'b' : 'a', offering: null, service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt, serviceIncident: null, respondedAt: null, decision } as RequestRecord;
          return { record, bodyHash: `h-r${i}` };
        });
        if (records.length > 0) await repo.insertMany('contoso', 'requests', records);
        const events = reqs.flatMap((r, i) =>
          Array.from({ length: r.events }, (_, k) => ({
            record: { request: `r${i}`, id: `e${k}`, at: instant(monthsBefore('2025-01', -r.month), r.min + 60 * (k + 1)), type: 'status' as const, status: 'open', severity: null },
            bodyHash: `h-r${i}-e${k}`,
          })),
        );
        if (events.length > 0) await repo.addEvents('contoso', events);
        const qs = issued.map((period) => ({ period }) as IssuedStatementRecord);
        const cut = await windowLives(repo, plan, 'a', qs);
        for (const q of issued) {
          const Q = periodOf(q, ZONE);
          const own = await repo.requestLives('contoso', 'a', Q.startMs - CLOCK_LOOKBACK_MS, Q.startMs, Q.endMs);
          t.same(cut(q), own, `period ${q}`);
        }
      } finally {
        await repo.close();
      }
    }),
    { numRuns: 25 },
  );
});

t.test('a single earlier period reads its own lives (no window)', async (t) => {
  const cut = await windowLives({} as never, plan, 'a', [{ period: '2026-12' } as IssuedStatementRecord]);
  t.equal(cut('2026-12'), undefined);
});
