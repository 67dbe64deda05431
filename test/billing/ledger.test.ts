// The prepaid block ledger (§10): by hand (age rule, max, purchase dates,
// incidents) and properties (fast-check): never negative; over any run
// granted = used + expired + closing; a period's opening is the previous closing.
import t from 'tap';
import fc from 'fast-check';
import { Ledger, nextPeriodId, type LedgerPeriodInput } from '../../src/billing/ledger.js';
import { priceStatement } from '../../src/billing/statement.js';
import type { RequestInput } from '../../src/billing/types.js';
import { dec, decision, makePlan } from './fixtures.js';

const draw = (id: string, date: string, units: number, ms = 0) => ({ id, date, ms, units, component: 'labour' });

t.test('a grant is carried while younger than `periods`, then expires', async (t) => {
  const l = new Ledger();
  const rule = { periods: 2, max: null };
  t.match(l.step({ grants: [{ date: '2027-01-01', units: 100 }], draws: [], rollover: rule }), { opening: 0, granted: 100, used: 0, expired: 0, closing: 100 });
  t.match(l.step({ grants: [], draws: [], rollover: rule }), { opening: 100, granted: 0, used: 0, expired: 0, closing: 100 });
  t.match(l.step({ grants: [], draws: [], rollover: rule }), { opening: 100, granted: 0, used: 0, expired: 100, closing: 0 });
});

t.test('without rollover the balance expires at the period end', async (t) => {
  const l = new Ledger();
  t.match(l.step({ grants: [{ date: '2027-01-01', units: 600 }], draws: [draw('a', '2027-01-02', 100)], rollover: null }), { used: 100, expired: 500, closing: 0 });
});

t.test('draws take the oldest grant first; max drops the oldest carried first', async (t) => {
  const l = new Ledger();
  const rule = { periods: 3, max: 150 };
  l.step({ grants: [{ date: '2027-01-01', units: 100 }], draws: [], rollover: rule }); // carried 100
  const feb = l.step({ grants: [{ date: '2027-02-01', units: 100 }], draws: [draw('a', '2027-02-03', 50)], rollover: rule });
  // a took 50 of January's grant; carried 50 (Jan) + 100 (Feb) = 150: within max
  t.match(feb, { opening: 100, granted: 100, used: 50, expired: 0, closing: 150 });
  t.same([...feb.drawn], [['a', 50]]);
  const mar = l.step({ grants: [{ date: '2027-03-01', units: 100 }], draws: [], rollover: rule });
  // 250 would be carried: the oldest 100 are dropped (January's 50, then 50 of February's)
  t.match(mar, { opening: 150, granted: 100, used: 0, expired: 100, closing: 150 });
});

t.test('a draw never takes from a grant dated after it', async (t) => {
  const l = new Ledger();
  const p = l.step({ grants: [{ date: '2027-01-10', units: 60 }], draws: [draw('early', '2027-01-05', 30), draw('late', '2027-01-10', 30)], rollover: null });
  t.same([...p.drawn], [['late', 30]]);
  t.match(p, { used: 30, expired: 30 });
});

t.test('a block of incidents: each chargeable incident after the included one draws one', async (t) => {
  const plan = makePlan({
    offerings: [
      {
        id: 'std',
        name: 'Std',
        pricing: [
          { id: 'incidents', model: 'per-incident', amount: dec('95.00'), included: 1, categories: null },
          { id: 'pack', model: 'block', unit: 'incidents', size: 2, amount: dec('150.00'), renew: 'monthly', rollover: null, overage: null, draws: ['incidents'], alertAt: null },
        ],
      },
    ],
  });
  const req = (id: string, day: number): RequestInput => ({
    id,
    offering: 'std',
    service: 'azure',
    category: 'technical',
    severity: 'B',
    channel: 'email',
    receivedAt: `2026-10-${String(day).padStart(2, '0')}T10:00:00-04:00`,
    decision: decision('std'),
  });
  const st = priceStatement({
    plan,
    period: '2026-10',
    customer: { id: 'c' },
    subscriptions: [{ id: 's1', offering: 'std', start: '2026-10-01' }],
    requests: [req('r1', 2), req('r2', 3), req('r3', 4), req('r4', 5)],
    worklogs: [],
    spend: [],
  });
  t.same(
    st.lines.map((l) => [l.component, l.kind, l.quantity, l.unitPrice, l.amount]),
    [
      ['incidents', 'block', '2', undefined, '0.00'],
      ['incidents', 'overage', '1', '95.00', '95.00'], // no overage price: the component's own
      ['pack', 'grant', '1', '150.00', '150.00'],
    ],
  );
  t.same(st.balances, [{ subscription: 's1', component: 'pack', unit: 'incidents', opening: 0, granted: 2, used: 2, expired: 0, closing: 0 }]);
});

t.test('nextPeriodId rolls the year', async (t) => {
  t.equal(nextPeriodId('2026-12'), '2027-01');
  t.equal(nextPeriodId('2026-09'), '2026-10');
});

const periodArb: fc.Arbitrary<LedgerPeriodInput> = fc.record({
  grants: fc.array(fc.record({ day: fc.integer({ min: 1, max: 28 }), units: fc.integer({ min: 0, max: 900 }) }), { maxLength: 3 }).map((gs) =>
    gs.map((g) => ({ date: `2027-01-${String(g.day).padStart(2, '0')}`, units: g.units })).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
  ),
  draws: fc.array(fc.record({ day: fc.integer({ min: 1, max: 28 }), units: fc.integer({ min: 1, max: 400 }) }), { maxLength: 8 }).map((ds) =>
    ds.map((d, i) => draw(`d${i}`, `2027-01-${String(d.day).padStart(2, '0')}`, d.units, d.day)).sort((a, b) => a.ms - b.ms),
  ),
  rollover: fc.option(fc.record({ periods: fc.integer({ min: 0, max: 4 }), max: fc.option(fc.integer({ min: 0, max: 1200 }), { nil: null }) }), { nil: null }),
});

t.test('property: never negative; each period and the whole run balance; opening = previous closing; no draw over its need', async (t) => {
  fc.assert(
    fc.property(fc.array(periodArb, { minLength: 1, maxLength: 12 }), (periods) => {
      const l = new Ledger();
      let closing = 0;
      let granted = 0;
      let used = 0;
      let expired = 0;
      for (const p of periods) {
        const r = l.step(p);
        if (r.opening !== closing) return false;
        if ([r.opening, r.granted, r.used, r.expired, r.closing].some((x) => x < 0 || !Number.isInteger(x))) return false;
        if (r.opening + r.granted !== r.used + r.expired + r.closing) return false;
        if (p.rollover?.max != null && r.closing > p.rollover.max) return false;
        for (const d of p.draws) if ((r.drawn.get(d.id) ?? 0) > d.units) return false;
        closing = r.closing;
        granted += r.granted;
        used += r.used;
        expired += r.expired;
      }
      return granted === used + expired + closing;
    }),
    { numRuns: 300 },
  );
});
