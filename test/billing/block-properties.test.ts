// Properties (fast-check) of prepaid blocks (§10) through the statement: the
// amount billed never depends on how a period's worklogs arrive (split into
// batches, batches in any order), and each statement's balances agree with
// the previous one's closing.
import t from 'tap';
import fc from 'fast-check';
import { priceStatement, priceStatementDetailed } from '../../src/billing/statement.js';
import type { BillingInput, WorklogInput } from '../../src/billing/types.js';
import { dec, makePlan, pct } from './fixtures.js';

t.setTimeout(120_000);

const plan = makePlan({
  offerings: [
    {
      id: 'managed',
      pricing: [
        { id: 'labour', model: 'hourly', amount: dec('120.00'), includedMinutes: 60, incrementMinutes: 15, afterHoursMultiplier: dec('1.5') },
        { id: 'prepaid', model: 'block', unit: 'hours', size: 600, amount: dec('1100.00'), renew: 'monthly', rollover: { periods: 2, max: 300 }, overage: dec('150.00'), draws: ['labour'], alertAt: pct('80%') },
      ],
    },
  ],
});

const worklog = fc.record({
  month: fc.integer({ min: 1, max: 3 }),
  day: fc.integer({ min: 1, max: 28 }),
  minute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
  minutes: fc.integer({ min: 1, max: 480 }),
});

const toInput = (ws: { month: number; day: number; minute: number; minutes: number }[]): WorklogInput[] =>
  ws.map((w, i) => ({
    id: `w${i}`,
    offering: 'managed',
    start: `2027-0${w.month}-${String(w.day).padStart(2, '0')}T${String(Math.floor(w.minute / 60)).padStart(2, '0')}:${String(w.minute % 60).padStart(2, '0')}:00-05:00`,
    minutes: w.minutes,
  }));

const input = (period: string, worklogs: WorklogInput[]): BillingInput => ({
  plan,
  period,
  customer: { id: 'c' },
  subscriptions: [{ id: 's1', offering: 'managed', start: '2027-01-01' }],
  requests: [],
  worklogs,
  spend: [],
  purchases: [{ id: 'p1', subscription: 's1', component: 'prepaid', date: '2027-02-15', quantity: 1 }],
});

t.test('property: the same statements whatever the batches the worklogs came in', async (t) => {
  fc.assert(
    fc.property(fc.array(worklog, { maxLength: 25 }), fc.array(fc.nat(), { maxLength: 25 }), fc.integer({ min: 1, max: 5 }), (ws, keys, k) => {
      const all = toInput(ws);
      // deal the worklogs into k batches, then concatenate the batches in reverse
      const batches: WorklogInput[][] = Array.from({ length: k }, () => []);
      all.forEach((w, i) => batches[(keys[i] ?? i) % k].push(w));
      const arrived = batches.reverse().flat();
      for (const period of ['2027-01', '2027-02', '2027-03']) {
        if (JSON.stringify(priceStatement(input(period, all))) !== JSON.stringify(priceStatement(input(period, arrived)))) return false;
      }
      return true;
    }),
    { numRuns: 60 },
  );
});

t.test('property: opening is the last closing; opening + granted = used + expired + closing', async (t) => {
  fc.assert(
    fc.property(fc.array(worklog, { maxLength: 25 }), (ws) => {
      let closing = 0;
      for (const period of ['2027-01', '2027-02', '2027-03']) {
        const b = priceStatement(input(period, toInput(ws))).balances?.[0];
        if (!b || b.opening !== closing || b.opening + b.granted !== b.used + b.expired + b.closing || b.closing < 0) return false;
        closing = b.closing;
      }
      return true;
    }),
    { numRuns: 60 },
  );
});

t.test('property: resuming from the previous statement\'s ledger state gives the same statement from the month\'s records alone', async (t) => {
  fc.assert(
    fc.property(fc.array(worklog, { maxLength: 25 }), (ws) => {
      const all = toInput(ws);
      for (const [prev, period] of [
        ['2027-01', '2027-02'],
        ['2027-02', '2027-03'],
      ]) {
        const state = priceStatementDetailed(input(prev, all)).ledgers;
        const full = priceStatementDetailed(input(period, all));
        const month = input(period, all.filter((w) => w.start.startsWith(period)));
        const resumed = priceStatementDetailed({ ...month, purchases: (month.purchases ?? []).filter((p) => p.date.startsWith(period)), ledgers: state });
        if (JSON.stringify(resumed.statement) !== JSON.stringify(full.statement) || JSON.stringify(resumed.ledgers) !== JSON.stringify(full.ledgers)) return false;
      }
      return true;
    }),
    { numRuns: 60 },
  );
});
