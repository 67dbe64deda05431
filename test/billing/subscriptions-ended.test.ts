// Property (§8.1, §4.1): a subscription ended during a month is billed at
// most what the whole month costs, line by line, whatever the end day,
// quantities, discount and month; and the flat fee is exactly its share of days.
import t from 'tap';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { loadPlan } from '../../src/plans/load.js';
import { priceStatement } from '../../src/billing/statement.js';
import type { BillingInput, SubscriptionInput } from '../../src/billing/types.js';

const plan = loadPlan(readFileSync('test/fixtures/plans/contoso.yaml', 'utf8'), 'contoso.yaml').plan!;

const input = (period: string, sub: SubscriptionInput): BillingInput => ({ plan, period, customer: { id: 'c' }, subscriptions: [sub], requests: [], worklogs: [], spend: [] });
/** Days of a YYYY-MM period (a count: no zone needed). */
const daysInPeriod = (period: string): number => new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5, 7)), 0)).getUTCDate();
const cents = (amount: string): bigint => BigInt(amount.replace('.', ''));

t.test('an ended subscription never costs more than the full month, line by line', async (t) => {
  let runs = 0;
  fc.assert(
    fc.property(
      fc.constantFrom('essential', 'standard', 'dynamics-plus'),
      fc.integer({ min: 2026, max: 2028 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 31 }),
      fc.integer({ min: 0, max: 500 }),
      fc.constantFrom(null, '5%', '12.5%', '100%'),
      (offering, year, month, endDay, seats, discount) => {
        const period = `${year}-${String(month).padStart(2, '0')}`;
        const D = daysInPeriod(period);
        const day = Math.min(endDay, D);
        const start = `${year - 1}-06-01`;
        const base = { id: 's', offering, start, discount, quantities: [{ metric: 'seats', value: seats, from: start }, { metric: 'users', value: seats, from: start }] };
        const full = priceStatement(input(period, base));
        const ended = priceStatement(input(period, { ...base, end: `${period}-${String(day).padStart(2, '0')}` }));
        runs++;
        const fullBy = new Map(full.lines.map((l) => [`${l.component}/${l.kind ?? ''}`, l.amount]));
        for (const l of ended.lines) {
          const whole = fullBy.get(`${l.component}/${l.kind ?? ''}`);
          if (whole === undefined) return false;
          // discounts and credits are negative: their size is bounded the same way
          const a = cents(l.amount);
          const w = cents(whole);
          if (a < 0n ? a < w : a > w) return false;
        }
        if (cents(ended.total) > cents(full.total)) return false;
        // the flat fee: exactly amount × day / D, rounded half-up once
        const flat = ended.lines.find((l) => l.component === 'base');
        const fee = { essential: 4900n, standard: year >= 2027 ? 27500n : 25000n, 'dynamics-plus': -1n }[offering];
        if (flat && fee! > 0n) {
          const exact = fee! * BigInt(day);
          const rounded = (exact * 2n + BigInt(D)) / (2n * BigInt(D));
          if (cents(flat.amount) !== rounded) return false;
        }
        return true;
      },
    ),
    { numRuns: 300 },
  );
  t.equal(runs, 300);
});
