// Customer prices (SPEC §8.2), grandfathering (§8.3) and priceSource (§8.4):
// exact statements, every amount derived by hand in the comments.
import t from 'tap';
import { loadPlan } from '../../src/plans/load.js';
import { priceStatement } from '../../src/billing/statement.js';
import { describeStatement } from '../../src/render/lines.js';
import type { BillingInput, SubscriptionInput } from '../../src/billing/types.js';
import { PRICES_PLAN } from './prices-plan.js';

const source = PRICES_PLAN;
const loaded = loadPlan(source, 'plans/contoso.yaml');
if (!loaded.plan) throw new Error(JSON.stringify(loaded.findings));
const plan = loaded.plan;

const sub = (over: Partial<SubscriptionInput> = {}): SubscriptionInput => ({
  id: 's1',
  offering: 'standard',
  start: '2026-01-01',
  quantities: [{ metric: 'seats', value: 10, from: '2026-01-01' }],
  ...over,
});
const input = (period: string, s: SubscriptionInput): BillingInput => ({
  plan,
  period,
  customer: { id: 'northwind' },
  subscriptions: [s],
  requests: [],
  worklogs: [],
  spend: [{ service: 'azure', amount: '2000.00' }],
});
const rows = (i: BillingInput) =>
  priceStatement(i).lines.map((l) => [l.component, l.amount, l.priceSource ?? '', l.priceAsOf ?? '', l.unitPrice ?? '']);

t.test('the plan, without customer prices: every component line says plan', async (t) => {
  t.same(rows(input('2026-11', sub())), [
    ['base', '300.00', 'plan', '', '300.00'],
    ['onboarding', '50.00', 'plan', '', '50.00'],
    ['seats', '40.00', 'plan', '', '4.00'], // 10 × 4.00 × 30/30
    ['azure', '160.00', 'plan', '', '8%'], // 8% × 2000.00
  ]);
});

t.test('an override of the base fee and of the percent-of-spend rate', async (t) => {
  const s = input('2026-11', sub({ prices: { base: { amount: '200.00' }, azure: { rate: '6%' } } }));
  t.same(rows(s), [
    ['base', '200.00', 'override', '', '200.00'], // the agreed 200.00 instead of 300.00, full month
    ['onboarding', '50.00', 'plan', '', '50.00'],
    ['seats', '40.00', 'plan', '', '4.00'],
    ['azure', '120.00', 'override', '', '6%'], // 6% × 2000.00 = 120.00, above the plan's minimum 100.00 (kept)
  ]);
  const st = priceStatement(s);
  t.equal(st.subtotal, '410.00'); // 200 + 50 + 40 + 120
  t.equal(st.warnings, undefined);
});

t.test('an override applies to every version of the component: the October price change', async (t) => {
  // base 180.00 on both versions: 180 × 15/31 = 87.096… → 87.10 ; 180 × 16/31 = 92.903… → 92.90
  const got = rows(input('2026-10', sub({ prices: { base: { amount: '180.00' } } })));
  t.same(got.slice(0, 2), [
    ['base', '87.10', 'override', '', '180.00'],
    ['base', '92.90', 'override', '', '180.00'],
  ]);
});

t.test('an override of the minimum and maximum of percent-of-spend', async (t) => {
  // 5% × 2000.00 = 100.00, below the customer's minimum 150.00
  const low = rows(input('2026-11', sub({ prices: { azure: { rate: '5%', minimum: '150.00' } } })));
  t.same(low[3], ['azure', '150.00', 'override', '', '5%']);
  // 10% × 2000.00 = 200.00, above the customer's maximum 175.00; the plan's minimum 100.00 still stands below it
  const high = rows(input('2026-11', sub({ prices: { azure: { rate: '10%', maximum: '175.00' } } })));
  t.same(high[3], ['azure', '175.00', 'override', '', '10%']);
});

t.test('priceAsOf before a price change: the old price all month', async (t) => {
  // without it, October is split: 250 × 15/31 = 120.97 and 300 × 16/31 = 154.84
  t.same(
    rows(input('2026-10', sub())).slice(0, 2),
    [
      ['base', '120.97', 'plan', '', '250.00'],
      ['base', '154.84', 'plan', '', '300.00'],
    ],
  );
  // as of 2026-10-01: the 250.00 version on all 31 days; onboarding (from 2026-10-10) was not in force then: no line
  t.same(rows(input('2026-10', sub({ priceAsOf: '2026-10-01' }))), [
    ['base', '250.00', 'grandfathered', '2026-10-01', '250.00'],
    ['seats', '40.00', 'grandfathered', '2026-10-01', '4.00'], // 10 × 4.00 × 31/31
    ['azure', '160.00', 'grandfathered', '2026-10-01', '8%'],
  ]);
  // and in November, when the 250.00 version is long out of force
  t.same(rows(input('2026-11', sub({ priceAsOf: '2026-10-01' })))[0], ['base', '250.00', 'grandfathered', '2026-10-01', '250.00']);
});

t.test('priceAsOf after the price change and the new component', async (t) => {
  t.same(rows(input('2026-10', sub({ priceAsOf: '2026-10-20' }))).slice(0, 2), [
    ['base', '300.00', 'grandfathered', '2026-10-20', '300.00'], // the 300.00 version on all 31 days
    ['onboarding', '50.00', 'grandfathered', '2026-10-20', '50.00'], // all 31 days, though it started on the 10th
  ]);
});

t.test('a grandfathered subscription ended mid-month: its own days, at the old price', async (t) => {
  // active 2026-11-01..2026-11-10: 250.00 × 10/30 = 83.33
  t.same(rows(input('2026-11', sub({ priceAsOf: '2026-10-01', end: '2026-11-10' })))[0], ['base', '83.33', 'grandfathered', '2026-10-01', '250.00']);
});

t.test('override and grandfathered: override wins as the source', async (t) => {
  t.same(rows(input('2026-11', sub({ priceAsOf: '2026-10-01', prices: { base: { amount: '180.00' } } }))), [
    ['base', '180.00', 'override', '2026-10-01', '180.00'],
    ['seats', '40.00', 'grandfathered', '2026-10-01', '4.00'],
    ['azure', '160.00', 'grandfathered', '2026-10-01', '8%'],
  ]);
});

t.test('PRICE_OVERRIDE_UNKNOWN: a stored override names a component the plan no longer has', async (t) => {
  const s = input('2026-11', sub({ prices: { support: { amount: '10.00' }, base: { amount: '200.00' } } }));
  const st = priceStatement(s);
  t.same(
    st.lines.map((l) => [l.component, l.amount, l.priceSource]),
    [
      ['base', '200.00', 'override'],
      ['onboarding', '50.00', 'plan'],
      ['seats', '40.00', 'plan'],
      ['azure', '160.00', 'plan'],
    ],
  );
  t.same(st.warnings, [{ code: 'PRICE_OVERRIDE_UNKNOWN', offering: 'standard', component: 'support', subscription: 's1' }]);
  const en = describeStatement(st, plan);
  t.same(en.warnings, [
    { code: 'PRICE_OVERRIDE_UNKNOWN', message: 'Standard: the agreed price for "support" no longer matches the plan (the component was removed or its pricing model changed); the plan\'s price was used' },
  ]);
  const zh = describeStatement(st, plan, { customerLocale: 'zh-CN' });
  t.same(zh.warnings, [{ code: 'PRICE_OVERRIDE_UNKNOWN', message: '标准支持：“support”的约定价格与当前方案不再匹配（该组件已删除或计价模式已变）；已按方案价格计费' }]);
});

t.test('PRICE_OVERRIDE_UNKNOWN: a stored override no longer fits the component’s model', async (t) => {
  // seats became per-unit after the price was agreed as a rate: the plan's 4.00 per seat, and a warning naming the model
  const st = priceStatement(input('2026-11', sub({ prices: { seats: { rate: '5%' } } })));
  t.same([st.lines[2].component, st.lines[2].amount, st.lines[2].unitPrice, st.lines[2].priceSource], ['seats', '40.00', '4.00', 'plan']);
  t.same(st.warnings, [{ code: 'PRICE_OVERRIDE_UNKNOWN', offering: 'standard', component: 'seats', subscription: 's1', model: 'per-unit' }]);
});

t.test('the statement document keeps priceSource and priceAsOf after the description', async (t) => {
  const doc = describeStatement(priceStatement(input('2026-11', sub({ priceAsOf: '2026-10-01', prices: { base: { amount: '180.00' } } }))), plan);
  t.same(Object.keys(doc.lines[0]), ['offering', 'component', 'model', 'description', 'priceSource', 'priceAsOf', 'quantity', 'unit', 'unitPrice', 'amount', 'subscription']);
  t.same(Object.keys(doc.lines[1]).slice(3, 6), ['description', 'priceSource', 'priceAsOf']);
});

t.test('a block: the customer’s block price and overage rate', async (t) => {
  const blocks = loadPlan(
    `version: 1
partner: { id: contoso, name: Contoso, currency: USD, timezone: America/New_York }
services: { m365: Microsoft 365 }
channels:
  email: { type: email, address: support@contoso.example, calendar: 24x7 }
offerings:
  monthly:
    name: Prepaid Monthly
    delivery: partner
    services: [m365]
    categories: [technical]
    channels: [email]
    severities: { B: { response: 4h } }
    pricing:
      - { id: prepaid, model: block, unit: hours, size: 10h, amount: 1100.00, renew: monthly, overage: 150.00, draws: [labour] }
      - { id: labour, model: hourly, amount: 120.00 }
`,
    'plans/contoso.yaml',
  ).plan!;
  // 12 h worked: 10 h from the block, 2 h overage
  const lines = (prices: SubscriptionInput['prices']) =>
    priceStatement({
      plan: blocks,
      period: '2026-11',
      customer: { id: 'northwind' },
      subscriptions: [{ id: 's1', offering: 'monthly', start: '2026-11-01', prices }],
      requests: [],
      worklogs: [{ id: 'w1', offering: 'monthly', start: '2026-11-03T10:00:00-05:00', minutes: 720 }],
      spend: [],
    }).lines.map((l) => [l.component, l.kind ?? '', l.amount, l.priceSource ?? '']);
  t.same(lines(null), [
    ['prepaid', 'grant', '1100.00', 'plan'],
    ['labour', 'block', '0.00', 'plan'],
    ['labour', 'overage', '300.00', 'plan'], // 2 h × 150.00
  ]);
  t.same(lines({ prepaid: { amount: '1000.00', overage: '130.00' } }), [
    ['prepaid', 'grant', '1000.00', 'override'],
    ['labour', 'block', '0.00', 'plan'],
    ['labour', 'overage', '260.00', 'override'], // 2 h × the customer's 130.00
  ]);
  t.same(lines({ prepaid: { amount: '1000.00' } })[2], ['labour', 'overage', '300.00', 'plan'], 'no overage given: the plan’s rate');
});
