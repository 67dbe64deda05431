// Customer prices in documents (SPEC §8.2–§8.4): the statement's HTML and
// Markdown say where a price came from, in both locales; the support terms for
// a customer (GET …/terms?customer=, tierbook terms --customer --db) show that
// customer's own prices.
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlan } from '../../src/plans/load.js';
import { priceStatement } from '../../src/billing/statement.js';
import { renderStatement, renderTerms } from '../../src/render/index.js';
import { runTerms } from '../../src/cli/terms-run.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { startServer } from '../api/helpers.js';
import { PRICES_PLAN } from './prices-plan.js';

t.setTimeout(120_000);

const source = PRICES_PLAN;
const plan = loadPlan(source, 'plans/contoso.yaml').plan!;

const statement = priceStatement({
  plan,
  period: '2026-11',
  customer: { id: 'northwind' },
  subscriptions: [
    { id: 's1', offering: 'standard', start: '2026-01-01', priceAsOf: '2026-10-01', prices: { azure: { rate: '6%' } }, quantities: [{ metric: 'seats', value: 10, from: '2026-01-01' }] },
  ],
  requests: [],
  worklogs: [],
  spend: [{ service: 'azure', amount: '2000.00' }],
});

t.test('the statement says where each price came from, en-US and zh-CN', async (t) => {
  const md = renderStatement(statement, { plan, format: 'md' }).body;
  t.match(md, '| Standard: Monthly fee · price as of 2026-10-01');
  t.match(md, '| Standard: Per-unit fee · price as of 2026-10-01');
  t.match(md, '| Standard: Share of cloud spend · your agreed price');
  const html = renderStatement(statement, { plan, format: 'html' }).body;
  t.match(html, 'Standard: Monthly fee · price as of 2026-10-01');
  t.match(html, 'Standard: Share of cloud spend · your agreed price');
  const zh = renderStatement(statement, { plan, format: 'html', locale: 'zh-CN' }).body;
  t.match(zh, '标准支持：月费 · 按 2026-10-01 的价格');
  t.match(zh, '标准支持：云消费分成 · 您的协议价格');
  const plain = priceStatement({ plan, period: '2026-11', customer: { id: 'x' }, subscriptions: [{ offering: 'standard', start: '2026-01-01' }], requests: [], worklogs: [], spend: [] });
  t.notMatch(renderStatement(plain, { plan, format: 'md' }).body, /agreed|as of/, 'the plan’s price needs no words');
});

/** Money and dates are written with no-break spaces; compared here with plain ones. */
const sp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const pricesMd = (body: string) => sp(body.slice(body.indexOf('## Prices'), body.indexOf('## Minimum')).trim());

t.test('terms with a customer’s prices (render)', async (t) => {
  t.equal(
    pricesMd(renderTerms(plan, 'standard', { format: 'md', at: '2026-10-05', prices: { priceAsOf: '2026-10-01', prices: { azure: { rate: '6%' } } } }).body),
    [
      '## Prices',
      '',
      '- **Monthly fee** (price as of October 1, 2026): USD 250.00 per month; prorated by day for a partial month.',
      '- **Per-unit fee** (price as of October 1, 2026): USD 4.00 per seat per month; prorated by day for a partial month.',
      '- **Share of cloud spend** (your agreed price): 6% of your monthly spend on Microsoft Azure; at least USD 100.00; at most USD 5,000.00.',
      '',
      '### Announced price changes',
      '',
      'No price changes are announced.',
    ].join('\n'),
  );
  // an agreed base fee applies to both versions: no end, and the 300.00 version is not announced to this customer
  const agreed = pricesMd(renderTerms(plan, 'standard', { format: 'md', at: '2026-10-05', prices: { prices: { base: { amount: '180.00' } } } }).body);
  t.match(agreed, '- **Monthly fee** (your agreed price): USD 180.00 per month; prorated by day for a partial month.\n');
  t.notMatch(agreed, /300\.00/);
  // the plan's terms, for comparison
  const planTerms = pricesMd(renderTerms(plan, 'standard', { format: 'md', at: '2026-10-05' }).body);
  t.match(planTerms, '- **Monthly fee**: USD 250.00 per month; prorated by day for a partial month; until October 15, 2026.');
  t.match(planTerms, 'From October 16, 2026: Monthly fee USD 300.00 per month');
  const zh = renderTerms(plan, 'standard', { format: 'html', locale: 'zh-CN', at: '2026-10-05', prices: { prices: { base: { amount: '180.00' } } } }).body;
  t.match(zh, '<h3>月费<span class="price-source">（您的协议价格）</span></h3>');
});

t.test('GET …/offerings/:offering/terms?customer= shows the customer’s prices', async (t) => {
  const s = await startServer([plan]);
  t.teardown(() => s.close());
  const h = (x: unknown) => ({ record: x, bodyHash: JSON.stringify(x) });
  await s.repo.insertMany('contoso', 'customers', [h({ id: 'northwind', name: 'Northwind Traders', locale: null, taxRate: null, email: null }), h({ id: 'plain', name: 'Plain', locale: null, taxRate: null, email: null })] as never);
  await s.repo.insertMany(
    'contoso',
    'subscriptions',
    [
      h({ id: 'old', customer: 'northwind', offering: 'standard', start: '2025-01-01', end: '2025-12-31', discount: null, prices: { base: { amount: '1.00' } }, quantities: [] }),
      h({ id: 's1', customer: 'northwind', offering: 'standard', start: '2026-01-01', end: null, discount: null, priceAsOf: '2026-10-01', quantities: [] }),
    ] as never,
  );
  const r = await s.call('GET', '/offerings/standard/terms?format=md&at=2026-10-20&customer=northwind');
  t.equal(r.status, 200, r.text);
  t.match(r.text, 'Northwind Traders');
  const text = sp(r.text);
  // the subscription in force on 2026-10-20 (not the one that ended in 2025): base as of 2026-10-01, though 300.00 is in force that day
  t.match(text, '- **Monthly fee** (price as of October 1, 2026): USD 250.00 per month; prorated by day for a partial month.');
  const plain = await s.call('GET', '/offerings/standard/terms?format=md&at=2026-10-20&customer=plain');
  t.match(sp(plain.text), '- **Monthly fee**: USD 300.00 per month; prorated by day for a partial month.');
  const missing = await s.call('GET', '/offerings/standard/terms?customer=nobody');
  t.equal(missing.status, 404);
  t.equal(missing.json.code, 'NOT_FOUND');

  // the stored prices reach the draft (store → billing input → engine)
  const draft = await s.call('GET', '/statements/northwind/2026-11');
  t.equal(draft.status, 200, draft.text);
  t.same(
    draft.json.lines.map((l: { component: string; amount: string; priceSource: string; priceAsOf?: string }) => [l.component, l.amount, l.priceSource, l.priceAsOf]),
    [
      ['base', '250.00', 'grandfathered', '2026-10-01'], // as of 2026-10-01, all November
      ['seats', '0.00', 'grandfathered', '2026-10-01'],
      ['azure', '100.00', 'grandfathered', '2026-10-01'], // no spend: the minimum
    ],
  );

  // POST /quotes: customer prices priced, or refused with every problem positioned
  const quote = (prices: unknown) => ({ partner: 'contoso', period: '2026-11', customer: { id: 'p' }, subscriptions: [{ offering: 'standard', start: '2026-11-01', priceAsOf: '2026-10-01', prices }] });
  const ok = await s.call('POST', '/quotes', { body: quote({ base: { amount: '199.00' } }) });
  t.equal(ok.status, 200, ok.text);
  t.match(ok.json.lines[0], { component: 'base', amount: '199.00', priceSource: 'override', priceAsOf: '2026-10-01' });
  const bad = await s.call('POST', '/quotes', { body: quote({ support: { amount: '1.00' }, azure: { amount: '1.00' } }) });
  t.equal(bad.status, 400);
  t.equal(bad.json.code, 'UNKNOWN_COMPONENT');
  t.same(
    bad.json.errors.map((e: { pointer: string }) => e.pointer),
    ['/subscriptions/0/prices/support', '/subscriptions/0/prices/azure/amount', '/subscriptions/0/prices/azure'],
  );
  // the wire takes up to 6 decimals; a fee in USD, 2
  const shape = await s.call('POST', '/quotes', { body: quote({ base: { amount: '199.999' } }) });
  t.equal(shape.status, 400);
  t.equal(shape.json.code, 'PRICE_OVERRIDE_INVALID');
  t.same(shape.json.errors, [{ in: 'body', pointer: '/subscriptions/0/prices/base/amount', detail: '199.999 has 3 decimals; USD allows 2 decimals' }]);
});

t.test('tierbook terms --customer --db', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tierbook-h1-terms-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'contoso.yaml'), source);
  const db = join(dir, 'store.db');
  const store = await openSqlite(db);
  const h = (x: unknown) => ({ record: x, bodyHash: JSON.stringify(x) });
  await store.insertMany('contoso', 'customers', [h({ id: 'northwind', name: 'Northwind Traders', locale: 'zh-CN', taxRate: null, email: null })] as never);
  await store.insertMany('contoso', 'subscriptions', [h({ id: 's1', customer: 'northwind', offering: 'standard', start: '2026-01-01', end: null, discount: null, prices: { azure: { rate: '6%' } }, quantities: [] })] as never);
  await store.close();
  const run = async (args: Partial<Parameters<typeof runTerms>[2]>) => {
    let out = '';
    let err = '';
    const code = await runTerms('contoso', 'standard', { format: 'md', plans: dir, at: '2026-10-20', ...args }, { out: (s) => (out += s), err: (s) => (err += s) });
    return { code, out, err };
  };
  const r = await run({ customer: 'northwind', db });
  t.equal(r.code, 0, r.err);
  // the customer's locale (zh-CN) and its agreed rate
  t.match(sp(r.out), '- **云消费分成**（您的协议价格）');
  t.match(r.out, '6%');
  const unknown = await run({ customer: 'nobody', db });
  t.equal(unknown.code, 1);
  t.equal(unknown.err, 'tierbook terms: NOT_FOUND: customer "nobody" not found\n');
  const noDb = await run({ customer: 'northwind', db: join(dir, 'missing.db') });
  t.equal(noDb.code, 2);
  t.match(noDb.err, 'NO_DATABASE');
});
