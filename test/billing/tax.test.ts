// Tax base, tax-inclusive prices and the credit base after discount (§9.2, §9.3), exact amounts.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { loadPlan } from '../../src/plans/load.js';
import type { Plan } from '../../src/plans/types.js';
import { priceStatement } from '../../src/billing/statement.js';
import type { BillingInput, RequestInput } from '../../src/billing/types.js';
import { renderStatement } from '../../src/render/index.js';
import { describeStatement } from '../../src/render/lines.js';

const yaml = readFileSync('test/fixtures/plans/contoso.yaml', 'utf8');
const plan = loadPlan(yaml, 'plans/contoso.yaml').plan!;
const inclusive: Plan = loadPlan(yaml.replace('rounding: half-up ', 'taxInclusive: true\n  rounding: half-up '), 'plans/contoso.yaml').plan!;

const breach = (i: number): RequestInput => ({
  id: `r${i}`,
  offering: 'standard',
  service: 'm365',
  category: 'technical',
  severity: 'B',
  channel: 'email',
  receivedAt: `2026-10-0${i}T10:00:00-04:00`,
  respondedAt: null,
  decision: { accepted: true, offering: 'standard', billable: true, responseDueAt: `2026-10-0${i}T14:00:00-04:00`, handledBy: 'partner', reasons: [] } as unknown as RequestInput['decision'],
});

const base = (over: Partial<BillingInput> = {}): BillingInput => ({
  plan,
  period: '2026-10',
  customer: { id: 'northwind', taxRate: '10%' },
  subscriptions: [{ id: 's1', offering: 'standard', start: '2026-01-01', discount: '90%', quantities: [{ metric: 'seats', value: 50, from: '2026-01-01' }] }],
  requests: [1, 2, 3, 4, 5].map(breach),
  worklogs: [],
  spend: [{ service: 'azure', amount: '0.00' }],
  ...over,
});

t.test('50 seats, discount 90 %, 5 breaches, tax 10 %: the credit is on what the fees cost after the discount (was −63.25)', async (t) => {
  const s = priceStatement(base());
  t.same(
    s.lines.map((l) => [l.component, l.amount]),
    [
      ['base', '250.00'],
      ['seats', '200.00'], // 50 × 4.00
      ['azure', '100.00'], // spend 0 -> minimum
      ['discount', '-495.00'], // 90 % of 550.00
      ['service-credit', '-11.25'], // min(5 × 5 %, 25 %) × (250 + 200) × (1 − 90 %) = 25 % × 45.00
    ],
  );
  t.equal(s.subtotal, '43.75');
  t.equal(s.tax, '4.38'); // 4.375 half-up
  t.equal(s.total, '48.13');
  t.ok(Number(s.total) >= 0);
});

t.test('tax on the taxable subtotal: non-taxable adjustments left out', async (t) => {
  const s = priceStatement(
    base({
      requests: [],
      subscriptions: [{ id: 's1', offering: 'essential', start: '2026-01-01' }],
      adjustments: [
        { id: 'a1', description: 'Setup fee', amount: '100.00' },
        { id: 'a2', description: 'Travel, passed through', amount: '40.00', taxable: false },
      ],
    }),
  );
  t.same(s.lines.map((l) => [l.component, l.amount]), [['base', '49.00'], ['adjustment', '100.00'], ['adjustment', '40.00']]);
  t.equal(s.subtotal, '189.00');
  t.equal(s.tax, '14.90'); // 10 % × 149.00
  t.equal(s.total, '203.90');
});

t.test('tax-inclusive: total = subtotal, tax is the part contained, in every format and both locales', async (t) => {
  const input = base({ plan: inclusive, requests: [], subscriptions: [{ id: 's1', offering: 'essential', start: '2026-01-01' }], adjustments: [{ id: 'a1', description: 'Setup', amount: '61.00' }, { id: 'a2', description: 'Pass-through', amount: '5.00', taxable: false }] });
  const s = priceStatement(input);
  t.equal(s.subtotal, '115.00');
  t.equal(s.tax, '10.00'); // (49 + 61) × 10 % / 110 % = 10.00
  t.equal(s.total, '115.00');
  t.equal(s.taxInclusive, true);
  t.equal(priceStatement(base({ requests: [] })).taxInclusive, undefined);

  const json = JSON.parse(renderStatement(s, { plan: inclusive, format: 'json' }).body);
  t.equal(json.taxInclusive, true);
  t.equal(json.total, '115.00');
  const html = renderStatement(s, { plan: inclusive, format: 'html' }).body;
  t.match(html, 'Tax included (10%)');
  t.match(html, '<p class="muted" id="tax-note">Prices include tax; the total contains tax of $10.00.</p>');
  const md = renderStatement(s, { plan: inclusive, format: 'md' }).body;
  t.match(md, 'Prices include tax; the total contains tax of $10.00.');
  const csv = renderStatement(s, { plan: inclusive, format: 'csv' }).body;
  t.match(csv, ',tax-included,,,Prices include tax; the total contains tax of USD 10.00.,,,10%,,USD\r\n');
  const zh = renderStatement(s, { plan: inclusive, format: 'html', locale: 'zh-CN' }).body;
  t.match(zh, '含税（10%）');
  t.match(zh, '价格已含税；合计中含税额');
  const zhCsv = renderStatement(s, { plan: inclusive, format: 'csv', locale: 'zh-CN' }).body;
  t.match(zhCsv, '价格已含税；合计中含税额 USD 10.00。');
  const zhMd = renderStatement(s, { plan: inclusive, format: 'md', locale: 'zh-CN' }).body;
  t.match(zhMd, '价格已含税');
});

t.test('guards as draft warnings: PERIOD_NOT_ENDED with the lent instant, SPEND_MISSING without spend of the services', async (t) => {
  const octEnd = Date.parse('2026-11-01T04:00:00Z'); // midnight New York
  const input = base({ requests: [], spend: [{ service: 'm365', amount: '10.00' }], asOfMs: octEnd - 1 });
  const s = priceStatement(input);
  t.same(s.warnings, [
    { code: 'PERIOD_NOT_ENDED', period: '2026-10' },
    { code: 'SPEND_MISSING', offering: 'standard', component: 'azure', services: ['azure'] },
  ]);
  t.same(priceStatement({ ...input, asOfMs: octEnd, spend: [{ service: 'azure', amount: '0.00' }] }).warnings, undefined);
  const doc = describeStatement(s, plan);
  t.same(doc.warnings, [
    { code: 'PERIOD_NOT_ENDED', message: 'the period 2026-10 has not ended yet: this draft can change and cannot be finalized' },
    { code: 'SPEND_MISSING', message: 'Standard (azure): no cloud spend of Microsoft Azure is stored for this period; finalizing would bill the minimum (finalize with force to issue anyway)' },
  ]);
  const html = renderStatement(s, { plan, format: 'html' }).body;
  t.match(html, '<li data-code="PERIOD_NOT_ENDED"><strong>PERIOD_NOT_ENDED</strong> the period 2026-10 has not ended yet');
  const zh = describeStatement(s, plan, { locale: 'zh-CN' });
  t.equal(zh.warnings?.[0]?.message, '账期 2026-10 尚未结束：本草稿仍可能变化，不能定稿');
  const csv = renderStatement(s, { plan, format: 'csv' }).body;
  t.match(csv, ',warning,,SPEND_MISSING,');
});
