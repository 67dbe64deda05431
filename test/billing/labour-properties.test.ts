// Properties (fast-check) of labour (§8.6): the after-hours split moves
// minutes between the two kinds but never changes how many are billed.
import t from 'tap';
import fc from 'fast-check';
import { priceStatement } from '../../src/billing/statement.js';
import { alwaysOpenCalendar } from '../../src/calendar/compile.js';
import type { WorklogInput } from '../../src/billing/types.js';
import { billedMinutes } from '../../src/models/hourly.js';
import { add, parseDecimal, rat, ZERO, cmp, type Rat } from '../../src/rational.js';
import { dec, makePlan, office } from './fixtures.js';

const worklog = fc.record({
  day: fc.integer({ min: 1, max: 28 }),
  minute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
  minutes: fc.integer({ min: 1, max: 600 }),
  billable: fc.boolean(),
});

const quantity = (q: string): Rat => {
  const [n, d] = q.split('/');
  return d ? rat(BigInt(n), BigInt(d)) : (parseDecimal(n) as Rat);
};

t.test('property: billed minutes are the same whatever the calendar and multiplier; only the after-hours part moves', async (t) => {
  fc.assert(
    fc.property(fc.array(worklog, { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 60 }), fc.constantFrom('1', '1.5', '2'), (ws, minimum, mult) => {
      const worklogs: WorklogInput[] = ws.map((w, i) => ({
        id: `w${i}`,
        offering: 'std',
        start: `2026-10-${String(w.day).padStart(2, '0')}T${String(Math.floor(w.minute / 60)).padStart(2, '0')}:${String(w.minute % 60).padStart(2, '0')}:00-04:00`,
        minutes: w.minutes,
        ...(w.billable ? {} : { billable: false }),
      }));
      const billed = (calendar: ReturnType<typeof office>) => {
        const plan = makePlan({
          offerings: [{ id: 'std', calendar, pricing: [{ id: 'labour', model: 'hourly', amount: dec('60.00'), includedMinutes: 0, incrementMinutes: 15, minimumMinutes: minimum, afterHoursMultiplier: dec(mult) }] }],
        });
        const st = priceStatement({ plan, period: '2026-10', customer: { id: 'c' }, subscriptions: [{ offering: 'std', start: '2026-10-01' }], requests: [], worklogs, spend: [] });
        const charged = st.lines.filter((l) => l.kind === 'business-hours' || l.kind === 'after-hours');
        return { hours: charged.reduce((s, l) => add(s, quantity(l.quantity as string)), ZERO), total: st.total };
      };
      const expected = rat(BigInt(ws.filter((w) => w.billable).reduce((s, w) => s + billedMinutes(w.minutes, { minimumMinutes: minimum, incrementMinutes: 15 }), 0)), 60n);
      const a = billed(office('America/New_York'));
      const b = billed(alwaysOpenCalendar('America/New_York'));
      if (cmp(a.hours, expected) !== 0 || cmp(b.hours, expected) !== 0) return false;
      return mult !== '1' || a.total === b.total;
    }),
    { numRuns: 150 },
  );
});
