// Properties of customer prices (SPEC §8.2, §8.3), with fast-check.
import t from 'tap';
import fc from 'fast-check';
import { loadPlan } from '../../src/plans/load.js';
import { priceStatement } from '../../src/billing/statement.js';
import { checkPrices } from '../../src/billing/prices.js';
import type { BillingInput, SubscriptionInput } from '../../src/billing/types.js';
import type { Offering } from '../../src/plans/types.js';
import { PRICES_PLAN } from './prices-plan.js';

const plan = loadPlan(PRICES_PLAN, 'plans/contoso.yaml').plan!;
const offering = plan.offerings.get('standard') as Offering;

const date = fc.date({ min: new Date('2025-06-01T00:00:00Z'), max: new Date('2027-06-30T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const period = fc.constantFrom('2026-09', '2026-10', '2026-11', '2027-02');
const cents = fc.integer({ min: 0, max: 99_999_99 }).map((n) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`);

const input = (p: string, s: Partial<SubscriptionInput>, spend = '2000.00'): BillingInput => ({
  plan,
  period: p,
  customer: { id: 'c' },
  subscriptions: [{ id: 's1', offering: 'standard', start: '2026-01-01', quantities: [{ metric: 'seats', value: 7, from: '2026-01-01' }], ...s }],
  requests: [],
  worklogs: [],
  spend: [{ service: 'azure', amount: spend }],
});

t.test('an override at the plan’s own price changes no amount, only the source', async (t) => {
  fc.assert(
    fc.property(period, cents, (p, spend) => {
      const plain = priceStatement(input(p, {}, spend));
      const same = priceStatement(input(p, { prices: { seats: { amount: '4.00' }, azure: { rate: '8%' } } }, spend));
      t.same(
        same.lines.map((l) => l.amount),
        plain.lines.map((l) => l.amount),
      );
      return same.lines.every((l) => (l.component === 'seats' || l.component === 'azure' ? l.priceSource === 'override' : l.priceSource === 'plan'));
    }),
  );
});

t.test('grandfathered: one line per component id, at the version in force on priceAsOf, whatever the date', async (t) => {
  fc.assert(
    fc.property(period, date, (p, asOf) => {
      const st = priceStatement(input(p, { priceAsOf: asOf }));
      const ids = st.lines.filter((l) => l.model).map((l) => l.component);
      if (new Set(ids).size !== ids.length) return false;
      const base = st.lines.find((l) => l.component === 'base');
      const expected = asOf <= '2026-10-15' ? '250.00' : '300.00';
      // onboarding exists only when it was in force on priceAsOf
      const onboarding = ids.includes('onboarding') === asOf >= '2026-10-10';
      return base?.unitPrice === expected && onboarding && st.lines.every((l) => !l.model || (l.priceSource === 'grandfathered' && l.priceAsOf === asOf));
    }),
  );
});

t.test('a flat override prorates like the plan: the month’s amount is the override × active days / days', async (t) => {
  fc.assert(
    fc.property(cents, fc.integer({ min: 1, max: 30 }), (amount, day) => {
      const start = `2026-11-${String(day).padStart(2, '0')}`;
      const st = priceStatement(input('2026-11', { start, prices: { base: { amount } } }));
      const base = st.lines.find((l) => l.component === 'base')!;
      // exact: amount × (31 − day) / 30, rounded half-up to cents
      const units = BigInt(amount.replace('.', '')) * BigInt(31 - day);
      const q = units / 30n;
      const r = units % 30n;
      const rounded = r * 2n >= 30n ? q + 1n : q;
      return base.amount === `${rounded / 100n}.${String(rounded % 100n).padStart(2, '0')}` && base.quantity === `${31 - day}/30`;
    }),
  );
});

t.test('checkPrices never throws: every answer is a list of positioned problems with a registry code', async (t) => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.dictionary(fc.constantFrom('base', 'seats', 'azure', 'onboarding', 'x', '__proto__'), fc.jsonValue()), (any, map) => {
      for (const prices of [any, map]) {
        const problems = checkPrices(offering, prices);
        if (!problems.every((p) => p.pointer.startsWith('/prices') && (p.code === 'UNKNOWN_COMPONENT' || p.code === 'PRICE_OVERRIDE_INVALID') && p.message.length > 0)) return false;
      }
      return true;
    }),
  );
});

t.test('a priced statement for every price checkPrices accepts', async (t) => {
  const override = fc.record({ amount: fc.option(cents, { nil: undefined }), rate: fc.option(fc.integer({ min: 0, max: 100 }).map((n) => `${n}%`), { nil: undefined }) });
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom('base', 'seats', 'azure', 'onboarding'), override), period, (raw, p) => {
      const prices = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined))]));
      if (checkPrices(offering, prices).length > 0) return true;
      const st = priceStatement(input(p, { prices }));
      // every accepted price is applied: no warning, and each priced component says override
      return st.warnings === undefined && st.lines.every((l) => !l.model || (l.priceSource === 'override') === Object.hasOwn(prices, l.component));
    }),
  );
});
