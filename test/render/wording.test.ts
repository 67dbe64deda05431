// What a customer reads (issue 23): no internal ids in the visible text of a
// statement, the terms and a quote (HTML, both locales; the reference line is
// the one place for them), en-US spelling, zh-CN punctuation and names, metric
// display names from the plan (and `tierbook check` on them), quotes that look
// like quotes, and chart colours by severity that agree across documents.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { renderStatement, renderTerms } from '../../src/render/index.js';
import { catalogs } from '../../src/render/i18n.js';
import { loadPlan } from '../../src/plans/load.js';
import type { Plan } from '../../src/plans/types.js';
import { CUSTOMER, PLAN_FILE, PROSPECT, QUOTE, QUOTE_DATE, TERMS_AT, goldenPlan, goldenStatement } from './golden-input.js';
import { LOCALES, ROOT, norm, parse, texts, type El } from './helpers.js';

const plan = goldenPlan();
const month = goldenStatement(plan);
const planText = readFileSync(ROOT + PLAN_FILE, 'utf8');

/** Money and dates are written with no-break spaces; compared here with plain ones. */
const sp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

/** The text a reader sees: the page's title and body (the chart's SVG title and description too), without the reference line. */
function visibleText(html: string): string {
  const doc = parse(html);
  const ref = doc.querySelector('#reference') as (El & { remove(): void }) | null;
  ref?.remove();
  for (const s of doc.querySelectorAll('style')) (s as El & { remove(): void }).remove();
  return norm(`${doc.querySelector('title')?.textContent ?? ''} ${doc.body.textContent ?? ''}`);
}

/** An id as a word of its own (not part of an address like support@contoso.example, nor of a longer id). */
const word = (id: string) => new RegExp(`(?<![\\w@./-])${id.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}(?![\\w.-])`);

function documentsOf(p: Plan, locale: string): [string, string][] {
  const out: [string, string][] = [
    ['statement', renderStatement(month, { plan: p, format: 'html', locale, customer: CUSTOMER }).body],
    ['quote', renderStatement(month, { plan: p, format: 'html', locale, customer: CUSTOMER, quote: { date: QUOTE_DATE } }).body],
    ['prospect quote', renderStatement(goldenStatement(p, PROSPECT), { plan: p, format: 'html', locale, customer: PROSPECT.customer, quote: { date: QUOTE_DATE } }).body],
  ];
  for (const o of p.offerings.keys()) out.push([`terms ${o}`, renderTerms(p, o, { format: 'html', locale, at: TERMS_AT, customer: CUSTOMER }).body]);
  return out;
}

t.test('no internal id in the visible text of statements, quotes and terms (HTML, both locales)', async (t) => {
  const offerings = [...plan.offerings.keys()];
  const components = [...new Set([...plan.offerings.values()].flatMap((o) => o.pricing.map((c) => c.id)))];
  const hash = plan.hash.replace('sha256:', '');
  for (const locale of LOCALES) {
    // in en-US the names of some metrics and units are the same words as ids ("seats", "incidents"): those are words there, ids in zh-CN
    const words = locale === 'en-US' ? new Set(['seats', 'incidents', 'users', 'hours']) : new Set<string>();
    const ids = [CUSTOMER.id, PROSPECT.customer.id, plan.partner.id, ...offerings, ...components, ...(locale === 'zh-CN' ? ['seats', 'users', 'incidents', 'hours', 'days', 'blocks'] : [])];
    for (const [name, html] of documentsOf(plan, locale)) {
      const text = visibleText(html);
      for (const id of ids) if (!words.has(id)) t.notMatch(text, word(id), `${locale} ${name}: "${id}" is not shown`);
      t.notOk(text.includes(hash.slice(0, 8)), `${locale} ${name}: no plan hash`);
      t.notMatch(text, /sha256|Plan version|方案版本/, `${locale} ${name}: no plan version line`);
      // the ids are in the reference line, in small print at the end
      const ref = norm(parse(html).querySelector('#reference')?.textContent ?? '');
      t.match(ref, locale === 'en-US' ? /^Reference: / : /^参考编号：/, `${locale} ${name}: reference line`);
      t.ok(ref.endsWith(hash.slice(0, 12)), `${locale} ${name}: the reference names the plan version`);
      if (locale === 'zh-CN') {
        // full-width colons after Chinese text
        t.notMatch(text, /[\u3400-\u9fff\uff09]: ?/, `${name}: no ASCII colon after Chinese text`);
      }
    }
  }
  t.equal(
    norm(parse(documentsOf(plan, 'en-US')[0][1]).querySelector('#reference')!.textContent!),
    `Reference: northwind · essential · standard · plan ${hash.slice(0, 12)}`,
  );
});

t.test('en-US catalog: American spelling', async (t) => {
  const british = /\b(labour|licence|licences|programme|programmes|organisation|organise|cancelled|behaviour|colour|favour|centre|catalogue|neighbour|analyse)\b/i;
  // placeholders ({programmes}) are names, not words
  for (const [key, text] of Object.entries(catalogs['en-US'])) t.notMatch(text.replace(/\{\w+\}/g, ''), british, key);
  t.equal(catalogs['en-US']['component.hourly'], 'Labor');
  t.equal(catalogs['en-US']['category.subscription'], 'Subscriptions and licenses');
});

t.test('zh-CN: components and metrics by their Chinese names, full-width colons', async (t) => {
  const md = renderStatement(month, { plan, format: 'md', locale: 'zh-CN', customer: CUSTOMER }).body;
  t.ok(md.includes('| Standard：按量费用（Standard：按量费用，10 席位 × 22/31 个月 × 4.00） | 7.10 | 席位 | US$4.00 | US$28.39 |'), md);
  t.ok(md.includes('| 基础支持：月费（基础支持：月费，31 天中的 31 天） |'));
  t.ok(md.includes('账期：2026年10月 · 币种：USD'));
  t.ok(md.includes('客户：Northwind Traders\n'));
  const terms = sp(renderTerms(plan, 'standard', { format: 'md', locale: 'zh-CN', at: TERMS_AT }).body);
  t.ok(terms.includes('- **按量费用**：每个席位每月USD 4.00；不足一个月按天折算。'), terms);
  t.ok(terms.includes('- Critical（A）级请求必须通过电话提交。'));
  // the JSON is data: the SPEC's description with the component's id, in the statement's locale
  const json = JSON.parse(renderStatement(month, { plan, format: 'json', locale: 'zh-CN', customer: { ...CUSTOMER, locale: 'zh-CN' } }).body) as { lines: { component: string; description: string }[] };
  t.equal(json.lines[3].component, 'seats');
  t.equal(json.lines[3].description, 'Standard：seats，10 seats × 22/31 个月 × 4.00');
});

t.test('metric display names from the plan, and tierbook check on them', async (t) => {
  const named = planText.replace('providers:', 'metrics:\n  seats: { en-US: seat, zh-CN: 席位 }\n  users: { en-US: named user, zh-CN: 指定用户 }\n\nproviders:');
  const r = loadPlan(named, PLAN_FILE);
  const ofMetrics = <F extends { path: string }>(fs: readonly F[]): F[] => fs.filter((f) => f.path.startsWith('metrics'));
  t.same(ofMetrics(r.findings), []);
  const p = r.plan!;
  t.same(Object.fromEntries(p.metrics!), { seats: { 'en-US': 'seat', 'zh-CN': '席位' }, users: { 'en-US': 'named user', 'zh-CN': '指定用户' } });
  const en = sp(renderTerms(p, 'standard', { format: 'md', locale: 'en-US', at: TERMS_AT }).body);
  t.ok(en.includes('- **Per-unit fee**: USD 4.00 per seat per month; prorated by day for a partial month.'), en);
  t.ok(renderTerms(p, 'dynamics-plus', { format: 'md', locale: 'en-US', at: TERMS_AT }).body.includes('Graduated price per month by the number of named users: each unit is priced in the tier it falls in'));
  t.ok(renderTerms(p, 'dynamics-plus', { format: 'md', locale: 'zh-CN', at: TERMS_AT }).body.includes('按指定用户数量分档计价（每月）'));
  const st = goldenStatement(p);
  t.ok(renderStatement(st, { plan: p, format: 'md', locale: 'en-US' }).body.includes('| Standard: Per-unit fee (Standard: Per-unit fee, 10 seats × 22/31 of a month × 4.00) | 7.10 | seats |'));
  const one = goldenStatement(p, { ...QUOTE, subscriptions: [{ id: 's1', offering: 'standard', start: '2026-10-01', quantities: [{ metric: 'seats', value: 1, from: '2026-10-01' }] }], requests: [], worklogs: [] });
  t.ok(renderStatement(one, { plan: p, format: 'md', locale: 'en-US' }).body.includes('Standard: Per-unit fee, 1 seat × 4.00, 31 of 31 days) | 1 | seat |'), 'one unit is singular');
  // a bad locale key is named at the key; a name no component counts is a warning at the metric
  const bad = loadPlan(planText.replace('providers:', 'metrics:\n  seats: { en_US: seat }\n  devices: { en-US: device }\n\nproviders:'), PLAN_FILE);
  t.equal(bad.plan, null);
  const line = planText.slice(0, planText.indexOf('providers:')).split('\n').length;
  t.same(ofMetrics(bad.findings), [{ file: PLAN_FILE, line: line + 1, column: 12, path: 'metrics.seats.en_US', severity: 'error', message: 'invalid key "en_US": expected a locale like en-US or zh-CN' }]);
  const unused = loadPlan(planText.replace('providers:', 'metrics:\n  devices: { en-US: device }\n\nproviders:'), PLAN_FILE);
  t.same(ofMetrics(unused.findings), [
    { file: PLAN_FILE, line: line + 1, column: 3, path: 'metrics.devices', severity: 'warning', message: 'metric "devices" has display names but no pricing component counts it (metrics counted: seats, users)' },
  ]);
  const empty = loadPlan(planText.replace('providers:', 'metrics:\n  seats: {}\n\nproviders:'), PLAN_FILE);
  t.same(ofMetrics(empty.findings).map((f) => [f.line, f.column, f.path, f.message]), [[line + 1, 10, 'metrics.seats', 'must not be empty']]);
});

t.test('quotes look like quotes', async (t) => {
  for (const locale of LOCALES) {
    const en = locale === 'en-US';
    const doc = parse(renderStatement(month, { plan, format: 'html', locale, customer: CUSTOMER, quote: { date: QUOTE_DATE } }).body);
    t.same(texts(doc, 'h1'), [en ? 'Quote' : '报价单']);
    t.same(texts(doc, '#customer-name'), ['Northwind Traders']);
    t.same(texts(doc, '#quote-valid'), [en ? 'Valid until December 2, 2026' : '有效期至2026年12月2日'], 'valid 30 days from its date');
    t.same(texts(doc, '#quote-date'), [en ? 'November 2, 2026' : '2026年11月2日']);
    t.ok(doc.querySelector('#service-levels') && doc.querySelector('#requests') && doc.querySelector('#chart'), 'a quote with requests shows them');
    // a prospect's quote: no requests, so no service-level, request or chart section, and no draft warnings
    const prospect = parse(renderStatement(goldenStatement(plan, PROSPECT), { plan, format: 'html', locale, customer: PROSPECT.customer, quote: { date: QUOTE_DATE } }).body);
    for (const id of ['#service-levels', '#requests', '#chart-section', '#warnings']) t.equal(prospect.querySelector(id), null, `${locale}: no ${id}`);
    t.same(texts(prospect, '#customer-name'), ['Fabrikam Retail']);
    // a quote names a customer only by a name it was given
    const anonymous = parse(renderStatement(month, { plan, format: 'html', locale, customer: { id: 'northwind' }, quote: { date: QUOTE_DATE } }).body);
    t.equal(anonymous.querySelector('#customer-name'), null);
    // the statement of the same month is not a quote
    const st = parse(renderStatement(month, { plan, format: 'html', locale, customer: CUSTOMER }).body);
    t.equal(st.querySelector('#quote'), null);
    t.same(texts(st, 'h1'), [en ? 'Support statement October 2026' : '支持服务账单 2026年10月']);
  }
  // the partner sets how long its quotes are valid
  const p = loadPlan(planText.replace('  contact: {', '  billing: { quoteValidDays: 14 }\n  contact: {'), PLAN_FILE).plan!;
  t.same(texts(parse(renderStatement(month, { plan: p, format: 'html', customer: CUSTOMER, quote: { date: QUOTE_DATE } }).body), '#quote-valid'), ['Valid until November 16, 2026']);
  t.throws(() => renderStatement(month, { plan, format: 'html', quote: { date: '2026-11-31' } }), { code: 'INVALID_DATE' });
});

t.test('terms leave out empty Included / Not included sections', async (t) => {
  for (const locale of LOCALES) {
    const with_ = parse(renderTerms(plan, 'essential', { format: 'html', locale, at: TERMS_AT }).body);
    t.same(texts(with_, '#includes li'), ['Licence and billing questions', 'Microsoft 365 configuration help']);
    const without = renderTerms(plan, 'dynamics-plus', { format: 'html', locale, at: TERMS_AT }).body;
    t.equal(parse(without).querySelector('#includes'), null);
    t.equal(parse(without).querySelector('#excludes'), null);
    t.notMatch(without, /None listed|无。/);
    const md = renderTerms(plan, 'dynamics-plus', { format: 'md', locale, at: TERMS_AT }).body;
    t.notMatch(md, locale === 'en-US' ? /## (Included|Not included)/ : /## (包含内容|不包含内容)/);
  }
});

t.test('chart colours follow the plan’s severity order in every document', async (t) => {
  /** Legend entries of a rendered chart: [label, colour]. */
  const legend = (html: string): [string, string][] => {
    const svg = parse(html).querySelector('#chart svg')!;
    const rects = Array.from(svg.children).filter((e) => e.tagName.toLowerCase() === 'rect');
    const labels = Array.from(svg.children).filter((e) => e.tagName.toLowerCase() === 'text').slice(0, rects.length);
    return rects.map((r, i) => [norm(labels[i]!.textContent!), r.getAttribute('fill')!]);
  };
  const only = (offering: string) => goldenStatement(plan, { ...QUOTE, requests: QUOTE.requests.filter((r) => r.offering === offering), worklogs: [] });
  const withA = goldenStatement(plan, {
    ...QUOTE,
    requests: [...QUOTE.requests, { id: 'r5', offering: 'standard', service: 'm365', category: 'technical', severity: 'A', channel: 'phone', receivedAt: '2026-10-27T09:00:00-04:00', respondedAt: '2026-10-27T09:30:00-04:00' }],
  });
  const essential = legend(renderStatement(only('essential'), { plan, format: 'html' }).body);
  const all = legend(renderStatement(withA, { plan, format: 'html' }).body);
  t.same(all.map(([l]) => l), ['A · Critical', 'B · High', 'C · Normal'], 'legend in the plan’s severity order');
  t.same(essential, all.slice(1), 'B and C have the same colours whichever offerings the requests are of');
  t.equal(new Set(all.map(([, c]) => c)).size, 3, 'one colour per severity');
  // the bars use the legend's colours
  const bars = [...parse(renderStatement(withA, { plan, format: 'html' }).body).querySelectorAll('rect.bar')].map((b) => b.getAttribute('fill'));
  t.ok(bars.every((c) => all.some(([, x]) => x === c)));
});
