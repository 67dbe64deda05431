// Adjustment and correction lines (§9.1, §9.6): where they go, what they say, exact amounts.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { loadPlan } from '../../src/plans/load.js';
import { BillingError, priceStatement } from '../../src/billing/statement.js';
import type { BillingInput } from '../../src/billing/types.js';
import { describeStatement } from '../../src/render/lines.js';
import { parseQuote, quoteStatement } from '../../src/billing/quote.js';
import { renderStatement } from '../../src/render/index.js';

const plan = loadPlan(readFileSync('test/fixtures/plans/contoso.yaml', 'utf8'), 'plans/contoso.yaml').plan!;
const input = (over: Partial<BillingInput> = {}): BillingInput => ({
  plan,
  period: '2026-11',
  customer: { id: 'northwind' },
  subscriptions: [
    { id: 's2', offering: 'standard', start: '2026-02-01', quantities: [{ metric: 'seats', value: 10, from: '2026-02-01' }] },
    { id: 's1', offering: 'essential', start: '2026-01-01' },
  ],
  requests: [],
  worklogs: [],
  spend: [{ service: 'azure', amount: '2000.00' }],
  ...over,
});

t.test('adjustments come after every subscription line, in the order given, then corrections oldest first', async (t) => {
  const s = describeStatement(
    priceStatement(
      input({
        adjustments: [
          { id: 'adj-2', description: 'Onboarding workshop', amount: '300.00', offering: 'standard' },
          { id: 'adj-1', description: 'Goodwill credit', amount: '-25.50' },
        ],
        corrections: [
          { offering: 'standard', corrects: 'CONTOSO-202610-0001', period: '2026-10', amount: '12.90' },
          { offering: 'essential', corrects: 'CONTOSO-202609-0001', period: '2026-09', amount: '-49.00' },
          { offering: 'essential', corrects: 'CONTOSO-202610-0001', period: '2026-10', amount: '95.00' },
          { offering: 'standard', corrects: 'CONTOSO-202609-0001', period: '2026-09', amount: '0.00' },
        ],
      }),
    ),
    plan,
  );
  t.same(
    s.lines.map((l) => [l.offering, l.component, l.amount]),
    [
      ['essential', 'base', '49.00'],
      ['standard', 'base', '250.00'],
      ['standard', 'seats', '40.00'],
      ['standard', 'azure', '160.00'],
      ['standard', 'adjustment', '300.00'],
      ['', 'adjustment', '-25.50'],
      ['essential', 'correction', '-49.00'], // 2026-09 first; its zero standard correction left out
      ['essential', 'correction', '95.00'], // 2026-10: plan order of offerings
      ['standard', 'correction', '12.90'],
    ],
  );
  const adj = s.lines.find((l) => l.adjustment === 'adj-2')!;
  t.same(adj, { offering: 'standard', component: 'adjustment', model: 'adjustment', adjustment: 'adj-2', description: 'Onboarding workshop', amount: '300.00' });
  const cor = s.lines.find((l) => l.component === 'correction')!;
  t.same(cor, { offering: 'essential', component: 'correction', model: 'correction', corrects: 'CONTOSO-202609-0001', description: 'Essential: correction of invoice CONTOSO-202609-0001 (2026-09)', amount: '-49.00' });
  // 49 + 250 + 40 + 160 + 300 − 25.50 − 49 + 95 + 12.90
  t.equal(s.subtotal, '832.40');
  const zh = describeStatement(priceStatement(input({ corrections: [{ offering: 'essential', corrects: 'CONTOSO-202609-0001', period: '2026-09', amount: '1.00' }] })), plan, { locale: 'zh-CN' });
  t.equal(zh.lines.at(-1)!.description, '基础支持：更正发票 CONTOSO-202609-0001（2026-09）');
  const html = renderStatement(priceStatement(input({ adjustments: [{ id: 'x', description: '<b>Workshop</b>', amount: '1.00' }] })), { plan, format: 'html' }).body;
  t.match(html, 'Adjustment: &lt;b&gt;Workshop&lt;/b&gt;');
  t.notMatch(html, '<b>Workshop');
});

t.test('a customer without subscriptions: a statement of its adjustments and corrections', async (t) => {
  const s = priceStatement(input({ subscriptions: [], spend: [], corrections: [{ offering: 'standard', corrects: 'CONTOSO-202610-0001', period: '2026-10', amount: '-177.42' }] }));
  t.same(s.lines.map((l) => [l.component, l.amount]), [['correction', '-177.42']]);
  t.equal(s.currency, 'USD');
  t.equal(s.total, '-177.42');
});

t.test('amounts in the currency: more decimals than the minor unit or an unknown offering are refused', async (t) => {
  t.throws(() => priceStatement(input({ adjustments: [{ id: 'a', description: 'x', amount: '1.005' }] })), BillingError);
  t.throws(() => priceStatement(input({ adjustments: [{ id: 'a', description: 'x', amount: '1.00', offering: 'nope' }] })), /unknown offering "nope"/);
  t.equal(priceStatement(input({ adjustments: [{ id: 'a', description: 'x', amount: '1.500' }] })).lines.at(-1)!.amount, '1.50');
});

t.test('quotes take adjustments', async (t) => {
  const doc = {
    partner: 'contoso',
    period: '2026-11',
    customer: { id: 'q', taxRate: '10%' },
    subscriptions: [{ offering: 'essential', start: '2026-01-01' }],
    adjustments: [{ id: 'setup', description: 'Setup', amount: '51.00', taxable: false }],
  };
  const parsed = parseQuote(doc);
  t.ok(parsed.ok);
  if (!parsed.ok) return;
  const s = quoteStatement(parsed.value, plan);
  t.same(s.lines.map((l) => [l.component, l.amount]), [['base', '49.00'], ['adjustment', '51.00']]);
  t.equal(s.tax, '4.90');
  t.equal(s.total, '104.90');
  const bad = parseQuote({ ...doc, adjustments: [{ id: 'setup', description: 'Setup', amount: 51 }] });
  t.notOk(bad.ok);
  if (!bad.ok) t.equal(bad.errors[0]!.field, '/adjustments/0/amount');
});
