// The worked three-month example of prepaid blocks (issue 18), by hand; the
// same numbers are in docs/billing.md ("Prepaid blocks: a worked example").
// 10 h monthly block for 1100.00, rollover 2 periods at most 5 h, overage
// 150.00 per hour, alert at 75 %; labour 120.00/h with 1 h included, 15-minute
// increments, after hours × 1.5 (calendar Mon–Fri 08:00–18:00 New York).
import t from 'tap';
import { priceStatement, priceStatementDetailed } from '../../src/billing/statement.js';
import { describeStatement } from '../../src/render/lines.js';
import type { BillingInput, WorklogInput } from '../../src/billing/types.js';
import { dec, makePlan, pct } from './fixtures.js';

const plan = makePlan({
  offerings: [
    {
      id: 'managed',
      name: 'Managed',
      pricing: [
        { id: 'labour', model: 'hourly', amount: dec('120.00'), includedMinutes: 60, incrementMinutes: 15, afterHoursMultiplier: dec('1.5') },
        {
          id: 'prepaid',
          model: 'block',
          unit: 'hours',
          size: 600,
          amount: dec('1100.00'),
          renew: 'monthly',
          rollover: { periods: 2, max: 300 },
          overage: dec('150.00'),
          draws: ['labour'],
          alertAt: pct('75%'),
        },
      ],
    },
  ],
});

const w = (id: string, start: string, minutes: number): WorklogInput => ({ id, offering: 'managed', start, minutes });
const worklogs: WorklogInput[] = [
  // January: 7 h billed, all business hours
  w('w1', '2027-01-05T09:00:00-05:00', 190), // 195 billed
  w('w2', '2027-01-12T10:00:00-05:00', 120),
  w('w3', '2027-01-19T13:00:00-05:00', 100), // 105 billed
  // February: after-hours work
  w('w4', '2027-02-09T17:00:00-05:00', 120), // 17:00–19:00: 60 business, 60 after hours
  w('w5', '2027-02-20T10:00:00-05:00', 50), // a Saturday: 60 after hours
  w('w6', '2027-02-23T09:00:00-05:00', 80), // 90 business
  // March: a purchased block on the 10th
  w('w7', '2027-03-02T08:00:00-05:00', 600),
  w('w8', '2027-03-03T09:00:00-05:00', 360),
  w('w9', '2027-03-08T16:00:00-05:00', 180), // 16:00–19:00: 120 business, 60 after hours; before the purchase
  w('w10', '2027-03-11T09:00:00-05:00', 240),
];

const input = (period: string): BillingInput => ({
  plan,
  period,
  customer: { id: 'northwind' },
  subscriptions: [{ id: 's1', offering: 'managed', start: '2027-01-01' }],
  requests: [],
  worklogs,
  spend: [],
  purchases: [{ id: 'p1', subscription: 's1', component: 'prepaid', date: '2027-03-10' }],
});

const rows = (period: string) => {
  const st = priceStatement(input(period));
  const doc = describeStatement(st, plan);
  return { st, lines: doc.lines.map((l) => [l.component, l.kind, l.quantity ?? '', l.unitPrice ?? '', l.amount, l.description].join(' | ')) };
};

t.test('January: the block covers the work beyond the included hour', async (t) => {
  const { st, lines } = rows('2027-01');
  t.same(lines, [
    'labour | block | 6 |  | 0.00 | Managed: labour, 7 h worked, 1 h included, 6 h from the prepaid block',
    'prepaid | grant | 1 | 1100.00 | 1100.00 | Managed: prepaid, 1 × 10 h prepaid this month',
  ]);
  t.same(st.balances, [{ subscription: 's1', component: 'prepaid', unit: 'minutes', opening: 0, granted: 600, used: 360, expired: 0, closing: 240 }]);
  t.equal(st.total, '1100.00');
  t.equal(st.warnings, undefined);
});

t.test('February: after-hours work drawn from January first; the carry capped at 5 h', async (t) => {
  const { st, lines } = rows('2027-02');
  t.same(lines, [
    'labour | block | 3.5 |  | 0.00 | Managed: labour, 4.5 h worked, 1 h included, 3.5 h from the prepaid block',
    'prepaid | grant | 1 | 1100.00 | 1100.00 | Managed: prepaid, 1 × 10 h prepaid this month',
  ]);
  // January's 30 minutes left and 300 of February's are dropped: 630 carried would exceed the 300 maximum
  t.same(st.balances, [{ subscription: 's1', component: 'prepaid', unit: 'minutes', opening: 240, granted: 600, used: 210, expired: 330, closing: 300 }]);
  t.equal(st.total, '1100.00');
});

t.test('March: overage before the purchase, the purchase drawn after it, BLOCK_LOW', async (t) => {
  const { st, lines } = rows('2027-03');
  t.same(lines, [
    'labour | block | 19 |  | 0.00 | Managed: labour, 23 h worked, 1 h included, 19 h from the prepaid block',
    'labour | overage | 2 | 150.00 | 300.00 | Managed: labour, business hours, 2 h beyond the prepaid block',
    'labour | overage | 1 | 225.00 | 225.00 | Managed: labour, after hours (× 1.5), 1 h beyond the prepaid block',
    'prepaid | grant | 1 | 1100.00 | 1100.00 | Managed: prepaid, 1 × 10 h prepaid this month',
    'prepaid | grant | 1 | 1100.00 | 1100.00 | Managed: prepaid, 1 × 10 h purchased',
  ]);
  t.same(st.balances, [{ subscription: 's1', component: 'prepaid', unit: 'minutes', opening: 300, granted: 1200, used: 1140, expired: 60, closing: 300 }]);
  t.equal(st.subtotal, '2725.00');
  t.same(st.warnings, [{ code: 'BLOCK_LOW', subscription: 's1', component: 'prepaid', unit: 'minutes', used: 1140, available: 1500, alertAt: '75%' }]);
  const doc = describeStatement(st, plan);
  t.same(doc.warnings, [{ code: 'BLOCK_LOW', message: 's1: prepaid block "prepaid" has used 19 hours of 25 hours, at or over its alert level of 75%' }]);
  const zh = describeStatement(st, plan, { customerLocale: 'zh-CN' });
  t.equal(zh.lines[2].description, 'Managed：labour，非工作时间（× 1.5），超出预付块 1 小时');
});

t.test('a statement ignores records after its period and prices the same from history alone', async (t) => {
  const all = priceStatement(input('2027-02'));
  const upTo = priceStatement({ ...input('2027-02'), worklogs: worklogs.filter((x) => x.start < '2027-03'), purchases: [] });
  t.same(upTo, all);
});

t.test('a subscription starting on the 20th: the whole block on its first day, not prorated; none after it ended', async (t) => {
  const late = (period: string, end?: string): BillingInput => ({
    ...input(period),
    subscriptions: [{ id: 's1', offering: 'managed', start: '2027-01-20', ...(end ? { end } : {}) }],
    worklogs: [w('w1', '2027-01-21T09:00:00-05:00', 120)],
    purchases: [],
  });
  const jan = priceStatement(late('2027-01'));
  t.same(
    jan.lines.map((l) => [l.component, l.kind, l.quantity, l.amount]),
    [
      ['labour', 'block', '1', '0.00'],
      ['prepaid', 'grant', '1', '1100.00'],
    ],
  );
  t.same(jan.balances, [{ subscription: 's1', component: 'prepaid', unit: 'minutes', opening: 0, granted: 600, used: 60, expired: 240, closing: 300 }]);
  const after = priceStatement(late('2027-03', '2027-01-31'));
  t.same(after.lines, []);
  t.equal(after.balances, undefined);
});

t.test('the ledger state at each period end, and March priced from February\'s state and March\'s records alone', async (t) => {
  t.same(priceStatementDetailed(input('2027-01')).ledgers, [{ subscription: 's1', component: 'prepaid', period: '2027-01', open: [{ made: '2027-01', left: 240 }] }]);
  const feb = priceStatementDetailed(input('2027-02')).ledgers;
  t.same(feb, [{ subscription: 's1', component: 'prepaid', period: '2027-02', open: [{ made: '2027-02', left: 300 }] }]);
  const march = priceStatement({ ...input('2027-03'), worklogs: worklogs.filter((x) => x.start.startsWith('2027-03')), ledgers: feb });
  t.same(march, priceStatement(input('2027-03')));
});
