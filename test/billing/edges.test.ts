// Edge cases of SPEC §4, each on its own, amounts derived by hand in comments.
import t from 'tap';
import { priceStatement as price, type PriceOptions } from '../../src/billing/statement.js';
import type { BillingInput, RequestInput, WorklogInput } from '../../src/billing/types.js';
import { describeStatement } from '../../src/render/lines.js';
import { dec, decision, makePlan, noUsage, pct, tier } from './fixtures.js';

const plan = makePlan({
  offerings: [
    {
      id: 'standard',
      name: 'Standard',
      pricing: [
        { id: 'base', model: 'flat', amount: dec('250.00'), to: '2026-12-31' },
        { id: 'base', model: 'flat', amount: dec('275.00'), from: '2027-01-01' },
        { id: 'seats', model: 'per-unit', metric: 'seats', amount: dec('4.00') },
        { id: 'labour', model: 'hourly', amount: dec('120.00'), includedMinutes: 120, incrementMinutes: 15, afterHoursMultiplier: dec('1.5') },
      ],
    },
    {
      id: 'essential',
      name: 'Essential',
      pricing: [{ id: 'incidents', model: 'per-incident', amount: dec('95.00'), included: 1, categories: ['technical'] }],
    },
  ],
});

const input = (over: Partial<BillingInput>): BillingInput => ({
  plan,
  period: '2026-10',
  customer: { id: 'northwind' },
  subscriptions: [{ offering: 'standard', start: '2026-01-01' }],
  ...noUsage,
  ...over,
});
// The statement document: billing prices facts; the catalogs word them in the customer's (else the partner's) locale.
const priceStatement = (i: BillingInput, opts?: PriceOptions) => describeStatement(price(i, opts), i.plan, { customerLocale: i.customer.locale });
const amounts = (s: ReturnType<typeof priceStatement>) => s.lines.map((l) => `${l.component}${l.kind ? `/${l.kind}` : ''} ${l.amount}`);

t.test('subscription starting on the last day of the month: 1 of 31 days', async (t) => {
  const s = priceStatement(input({ subscriptions: [{ offering: 'standard', start: '2026-10-31', quantities: [{ metric: 'seats', value: 10, from: '2026-10-31' }] }] }));
  // base 250 × 1/31 = 8.0645… -> 8.06; seats 10 × 4 × 1/31 = 1.2903… -> 1.29
  t.same(amounts(s), ['base 8.06', 'seats 1.29']);
  t.equal(s.lines[0].description, 'Standard: base fee, 1 of 31 days');
  t.equal(s.lines[0].quantity, '1/31');
  t.equal(s.total, '9.35');
});

t.test('subscription ending on the first day of the month: 1 of 30 days', async (t) => {
  const s = priceStatement(input({ period: '2026-11', subscriptions: [{ offering: 'standard', start: '2026-01-01', end: '2026-11-01' }] }));
  // base 250 × 1/30 = 8.333… -> 8.33; seats: no quantity recorded -> q = 0 -> 0.00
  t.same(amounts(s), ['base 8.33', 'seats 0.00']);
});

t.test('months of 28, 29, 30 and 31 days', async (t) => {
  const sub = [{ offering: 'standard', start: '2020-01-01', end: '2026-10-10' }];
  // active 10 days of D: 250 × 10/D
  const cases: Array<[string, string]> = [
    ['2026-02', '89.29'], // 2500/28 = 89.2857… -> 89.29
    ['2024-02', '86.21'], // 2500/29 = 86.2068… -> 86.21 (leap year)
    ['2026-09', '83.33'], // 2500/30 = 83.333… -> 83.33
    ['2026-10', '80.65'], // 2500/31 = 80.6451… -> 80.65
  ];
  for (const [period, amount] of cases) {
    const s = priceStatement(input({ period, subscriptions: [{ ...sub[0], end: `${period}-10` }] }));
    t.equal(s.lines[0].amount, amount, period);
    t.match(s.lines[0].description, / 10 of (28|29|30|31) days$/);
  }
});

t.test('price change mid-month: two versions, each prorated by its days', async (t) => {
  const p = makePlan({
    offerings: [
      {
        id: 'standard',
        name: 'Standard',
        pricing: [
          { id: 'base', model: 'flat', amount: dec('250.00'), to: '2026-10-15' },
          { id: 'base', model: 'flat', amount: dec('275.00'), from: '2026-10-16' },
        ],
      },
    ],
  });
  const s = priceStatement(input({ plan: p }));
  // 250 × 15/31 = 120.9677… -> 120.97 ; 275 × 16/31 = 141.9354… -> 141.94
  t.same(amounts(s), ['base 120.97', 'base 141.94']);
  t.equal(s.subtotal, '262.91');
});

t.test('the plan price change of January 2027 (versions with to / from)', async (t) => {
  const s = priceStatement(input({ period: '2027-01' }));
  t.equal(s.lines[0].amount, '275.00');
  t.equal(s.lines[0].unitPrice, '275.00');
});

t.test('quantity change on the subscription first day', async (t) => {
  const s = priceStatement(
    input({
      subscriptions: [
        {
          offering: 'standard',
          start: '2026-10-10',
          quantities: [
            { metric: 'seats', value: 5, from: '2026-09-01' },
            { metric: 'seats', value: 12, from: '2026-10-10' },
          ],
        },
      ],
    }),
  );
  // active 10..31 = 22 days at 12 seats: 12 × 22 × 4 / 31 = 1056/31 = 34.0645… -> 34.06
  t.equal(s.lines[1].amount, '34.06');
  t.equal(s.lines[1].quantity, '264/31');
  t.equal(s.lines[1].description, 'Standard: seats, 12 seats × 22/31 of a month × 4.00');
});

t.test('quantities changing mid-month: q(d) per day', async (t) => {
  const s = priceStatement(
    input({
      subscriptions: [
        { offering: 'standard', start: '2026-01-01', quantities: [{ metric: 'seats', value: 10, from: '2026-01-01' }, { metric: 'seats', value: 20, from: '2026-10-21' }] },
      ],
    }),
  );
  // 20 days × 10 + 11 days × 20 = 420 seat-days; 420 × 4 / 31 = 1680/31 = 54.1935… -> 54.19
  t.equal(s.lines[1].amount, '54.19');
  t.equal(s.lines[1].description, 'Standard: seats, 10 to 20 seats (420 seats-days of 31) × 4.00');
});

t.test('zero usage: recurring lines only, no usage lines, no hours', async (t) => {
  const s = priceStatement(input({}));
  t.same(amounts(s), ['base 250.00', 'seats 0.00']);
  t.equal(s.hoursWorked, '0.00');
  t.same(s.serviceLevels, { requests: 0, met: 0, breached: 0, response: { met: 0, breached: 0, open: 0 }, resolution: { met: 0, breached: 0, open: 0 } });
});

const wl = (start: string, minutes: number): WorklogInput => ({ offering: 'standard', start, minutes });

t.test('included hours exactly used up: labour line of 0.00', async (t) => {
  // 50 min -> 60 (15m increment), 55 -> 60: 120 min worked, 120 included
  const s = priceStatement(input({ worklogs: [wl('2026-10-05T10:00:00-04:00', 50), wl('2026-10-06T10:00:00-04:00', 55)] }));
  const labour = s.lines.find((l) => l.component === 'labour');
  t.equal(labour?.amount, '0.00');
  t.equal(labour?.kind, 'business-hours');
  t.equal(labour?.description, 'Standard: labour, business hours, 2 h worked, 2 h included, 0 h billed');
  t.equal(s.hoursWorked, '1.75');
});

t.test('included hours used in start order, after-hours multiplier', async (t) => {
  const s = priceStatement(
    input({
      worklogs: [
        wl('2026-10-07T20:00:00-04:00', 61), // after hours (20:00 Wed), second in order: 75 min, 30 included, 45 billed at 180
        wl('2026-10-05T09:00:00-04:00', 90), // business hours, first: 90 min, all included
        wl('2026-10-08T09:00:00-04:00', 30), // business hours, third: 30 billed at 120
      ],
    }),
  );
  // business: 30 min × 120 / 60 = 60.00 ; after hours: 45 min × 180 / 60 = 135.00
  t.same(amounts(s).slice(2), ['labour/business-hours 60.00', 'labour/after-hours 135.00']);
  const after = s.lines.find((l) => l.kind === 'after-hours');
  t.equal(after?.unitPrice, '180.00');
  t.equal(after?.quantity, '0.75');
});

const req = (id: string, receivedAt: string): RequestInput => ({
  id,
  offering: 'essential',
  service: 'm365',
  category: 'technical',
  severity: 'B',
  channel: 'email',
  receivedAt,
  decision: decision('essential'),
});

t.test('a request at 23:30 local on the last day counts; 00:30 local on the first of the next does not', async (t) => {
  const s = priceStatement(
    input({
      subscriptions: [{ offering: 'essential', start: '2026-01-01' }],
      requests: [
        req('r1', '2026-10-01T09:00:00-04:00'),
        req('r2', '2026-10-31T23:30:00-04:00'), // 03:30Z on Nov 1, but Oct 31 in New York: in
        req('r3', '2026-11-01T00:30:00-04:00'), // Nov 1 local: out (04:30Z)
        req('r4', '2026-10-01T03:30:00Z'), // Sep 30 23:30 New York: out
      ],
    }),
  );
  // r1, r2 in the period: 2 incidents, 1 included -> 1 × 95.00
  t.same(amounts(s), ['incidents 95.00']);
  t.equal(s.lines[0].description, 'Essential: incidents, 2 incidents, 1 included, 1 × 95.00');
  t.same(s.requests?.map((r) => r.id), ['r1', 'r2']);
});

t.test('JPY amounts have no decimals', async (t) => {
  const p = makePlan({ currency: 'JPY', exponent: 0, timezone: 'Asia/Tokyo', offerings: [{ id: 'std', pricing: [{ id: 'base', model: 'flat', amount: dec('30000') }] }] });
  const s = priceStatement({ ...input({ plan: p }), subscriptions: [{ offering: 'std', start: '2026-10-12' }], customer: { id: 'c', taxRate: '10%' } });
  // 30000 × 20/31 = 19354.838… -> 19355 ; tax 1935.5 -> 1936 (half-up) ; total 21291
  t.equal(s.lines[0].amount, '19355');
  t.equal(s.tax, '1936');
  t.equal(s.total, '21291');
});

t.test('KWD amounts have three decimals', async (t) => {
  const p = makePlan({ currency: 'KWD', exponent: 3, timezone: 'Asia/Kuwait', offerings: [{ id: 'std', pricing: [{ id: 'base', model: 'flat', amount: dec('75.500') }] }] });
  const s = priceStatement({ ...input({ plan: p }), subscriptions: [{ offering: 'std', start: '2026-10-12' }] });
  // 75.5 × 20/31 = 1510/31 = 48.709677… -> 48.710
  t.equal(s.lines[0].amount, '48.710');
  t.equal(s.total, '48.710');
});

t.test('half-even against half-up on a tie', async (t) => {
  // 7.35 × 15/30 = 3.675 exactly, a tie: half-up 3.68; half-even 3.68 too (7 is odd, so up to the even 8)
  for (const [rounding, want] of [['half-up', '3.68'], ['half-even', '3.68']] as const) {
    const p = makePlan({ rounding, offerings: [{ id: 'std', pricing: [{ id: 'base', model: 'flat', amount: dec('7.35') }] }] });
    const s = priceStatement({ ...input({ plan: p }), period: '2026-11', subscriptions: [{ offering: 'std', start: '2026-11-16' }] });
    t.equal(s.lines[0].amount, want, rounding);
  }
  // 7.25 × 15/30 = 3.625: half-up 3.63, half-even 3.62
  for (const [rounding, want] of [['half-up', '3.63'], ['half-even', '3.62']] as const) {
    const p = makePlan({ rounding, offerings: [{ id: 'std', pricing: [{ id: 'base', model: 'flat', amount: dec('7.25') }] }] });
    const s = priceStatement({ ...input({ plan: p }), period: '2026-11', subscriptions: [{ offering: 'std', start: '2026-11-16' }] });
    t.equal(s.lines[0].amount, want, rounding);
  }
});

t.test('a negative tie rounds away from zero under half-up', async (t) => {
  // discount 50% of 0.25 = -0.125 -> -0.13 (half-up, away from zero); half-even -> -0.12
  for (const [rounding, want] of [['half-up', '-0.13'], ['half-even', '-0.12']] as const) {
    const p = makePlan({ rounding, offerings: [{ id: 'std', pricing: [{ id: 'base', model: 'flat', amount: dec('0.25') }] }] });
    const s = priceStatement({ ...input({ plan: p }), subscriptions: [{ offering: 'std', start: '2026-01-01', discount: '50%' }] });
    t.equal(s.lines[1].amount, want, rounding);
  }
});

t.test('graduated and volume tiers', async (t) => {
  const p = makePlan({
    offerings: [
      {
        id: 'dyn',
        name: 'Dynamics Plus',
        pricing: [
          { id: 'users', model: 'graduated', metric: 'users', tiers: [tier(25, '12.00'), tier(100, '9.00'), tier(null, '7.00')] },
          { id: 'bulk', model: 'volume', metric: 'users', tiers: [tier(25, '12.00'), tier(100, '9.00', '50.00'), tier(null, '7.00')] },
        ],
      },
    ],
  });
  const s = priceStatement({
    ...input({ plan: p }),
    subscriptions: [{ offering: 'dyn', start: '2026-01-01', quantities: [{ metric: 'users', value: 20, from: '2026-01-01' }, { metric: 'users', value: 30, from: '2026-10-20' }] }],
  });
  // Q = 30 (peak). graduated: 25 × 12 + 5 × 9 = 345.00 ; volume: 30 × 9 + 50 = 320.00
  t.same(amounts(s), ['users 345.00', 'bulk 320.00']);
  t.equal(s.lines[0].description, 'Dynamics Plus: users, 30 users (25 × 12.00 + 5 × 9.00), 31 of 31 days');
});

t.test('percent-of-spend with minimum and maximum', async (t) => {
  const p = makePlan({
    offerings: [{ id: 'std', pricing: [{ id: 'azure', model: 'percent-of-spend', rate: pct('8%'), services: ['azure'], minimum: dec('100.00'), maximum: dec('5000.00') }] }],
  });
  const run = (amount: string) =>
    priceStatement({ ...input({ plan: p }), subscriptions: [{ offering: 'std', start: '2026-10-31' }], spend: [{ service: 'azure', amount }, { service: 'm365', amount: '99999' }] }).lines[0].amount;
  t.equal(run('1000'), '100.00'); // 80 -> minimum 100 (not prorated)
  t.equal(run('2000.50'), '160.04'); // 160.04
  t.equal(run('100000'), '5000.00'); // 8000 -> maximum
});

t.test('minimum, then discount, then service credit', async (t) => {
  const p = makePlan({
    offerings: [{ id: 'std', name: 'Standard', pricing: [{ id: 'base', model: 'flat', amount: dec('100.00') }], minimum: '300.00', serviceCredits: { perBreach: '5%', cap: '25%' } }],
  });
  const r = (id: string, respondedAt: string | null): RequestInput => ({
    id,
    offering: 'std',
    service: 'm365',
    category: 'technical',
    severity: 'B',
    channel: 'email',
    receivedAt: '2026-11-17T10:00:00-05:00',
    respondedAt,
    decision: decision('std', { responseDueAt: '2026-11-17T14:00:00-05:00' }),
  });
  const s = priceStatement({
    ...input({ plan: p }),
    period: '2026-11',
    subscriptions: [{ offering: 'std', start: '2026-11-16', discount: '10%' }],
    requests: [r('met', '2026-11-17T13:00:00-05:00'), r('late', '2026-11-17T15:00:00-05:00'), r('never', null)],
  });
  // base 100 × 15/30 = 50.00 ; minimum 300 × 15/30 = 150.00 -> +100.00
  // discount −10% × 150.00 = −15.00 ; credit: 2 breaches (late, never due before Dec 1) × 5% = 10% of base 50.00 after the 10% discount (45.00) = −4.50
  t.same(amounts(s), ['base 50.00', 'minimum 100.00', 'discount -15.00', 'service-credit -4.50']);
  t.equal(s.total, '130.50');
  // every clock is due on 17 November: they belong to this period (§11.4)
  t.same(s.serviceLevels, { requests: 3, met: 1, breached: 2, response: { met: 1, breached: 2, open: 0 }, resolution: { met: 0, breached: 0, open: 0 } });
});

t.test('CNY partner in zh-CN: descriptions in Chinese, two decimals', async (t) => {
  const p = makePlan({ currency: 'CNY', exponent: 2, timezone: 'Asia/Shanghai', locale: 'zh-CN', offerings: [{ id: 'std', name: '标准', pricing: [{ id: 'base', model: 'flat', amount: dec('1800.00') }] }] });
  const s = priceStatement({ ...input({ plan: p }), subscriptions: [{ offering: 'std', start: '2026-10-10' }] });
  // 1800 × 22/31 = 1277.419… -> 1277.42
  t.equal(s.lines[0].amount, '1277.42');
  t.equal(s.currency, 'CNY');
  t.equal(s.lines[0].description, '标准：base 费用，31 天中的 22 天');
  // a customer who reads English gets English
  const en = priceStatement({ ...input({ plan: p }), customer: { id: 'c', locale: 'en-US' }, subscriptions: [{ offering: 'std', start: '2026-10-10' }] });
  t.equal(en.lines[0].description, '标准: base fee, 22 of 31 days');
  // one locale resolution for every format: zh and zh-Hans read zh-CN (issue 14 item 6), zh-TW falls back to English
  for (const locale of ['zh', 'zh-Hans', 'zh-cn']) {
    const zh = priceStatement({ ...input({ plan: p }), customer: { id: 'c', locale }, subscriptions: [{ offering: 'std', start: '2026-10-10' }] });
    t.equal(zh.lines[0].description, '标准：base 费用，31 天中的 22 天', locale);
  }
  const tw = priceStatement({ ...input({ plan: p }), customer: { id: 'c', locale: 'zh-TW' }, subscriptions: [{ offering: 'std', start: '2026-10-10' }] });
  t.equal(tw.lines[0].description, '标准: base fee, 22 of 31 days');
});
