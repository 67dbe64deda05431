// The shipped example plans (plans/) are consistent: `tierbook check
// --strict` passes on them, and their terms promise nothing the rules and
// channel hours refuse: every severity can be raised whenever its clock
// counts. The case: contoso promised Critical (A) 24×7 while a 22:30
// phone request was CHANNEL_CLOSED and an e-mail one RULE_REJECTED.
import t from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import { runMain } from '../helpers/run-main.js';
import { loadPlan } from '../../src/plans/load.js';
import type { Plan } from '../../src/plans/types.js';
import { evaluate } from '../../src/rules/evaluate.js';
import { raisedText } from '../../src/render/terms-rules.js';
import { Formatter } from '../../src/render/format.js';
import { renderTerms } from '../../src/render/index.js';

const dir = new URL('../../plans/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const plans: Plan[] = files.map((f) => {
  const r = loadPlan(readFileSync(new URL(f, dir), 'utf8'), `plans/${f}`);
  if (!r.plan) throw new Error(`plans/${f} does not load`);
  return r.plan;
});

const run = runMain;

t.test('tierbook check --strict passes on every example plan', async (t) => {
  const r = await run('check', '--strict', new URL('.', dir).pathname);
  t.equal(r.out, '', 'no finding, not even a warning');
  t.equal(r.err, `${files.length} plan files checked: 0 errors, 0 warnings\n`);
  t.equal(r.code, 0);
});

t.test('no severity of an example is promised beyond the hours it can be raised in', async (t) => {
  for (const locale of ['en-US', 'zh-CN']) {
    const fmt = new Formatter(locale as 'en-US' | 'zh-CN');
    for (const p of plans)
      for (const o of p.offerings.values())
        for (const s of o.severities.values()) t.equal(raisedText(fmt, p, o, s, (c) => fmt.schedule(c)), '', `${p.partner.id} ${o.id} ${s.label} ${locale}`);
  }
});

t.test('contoso: a Critical (A) request at 22:30 is accepted on the hotline, refused by e-mail and on the office line', async (t) => {
  const p = plans.find((x) => x.partner.id === 'contoso')!;
  const at = (channel: string) =>
    evaluate(p, { partner: 'contoso', offering: 'standard', service: 'azure', category: 'technical', severity: 'A', channel, receivedAt: '2026-11-24T22:30:00-05:00' });
  const hotline = at('hotline');
  t.equal(hotline.accepted, true);
  t.equal(hotline.responseDueAt, '2026-11-24T23:30:00-05:00', '1h round the clock');
  t.same(at('email').reasons.map((r) => r.code), ['RULE_REJECTED']);
  t.same(at('phone').reasons.map((r) => r.code), ['CHANNEL_CLOSED']);
  // and the terms say so, in both locales
  const en = renderTerms(p, 'standard', { locale: 'en-US', format: 'md', at: '2026-11-01' }).body;
  t.ok(en.includes('- Critical (A) requests must be raised by phone.'));
  t.notOk(en.includes('(raised '), 'no severity is narrowed: the hotline is open whenever A counts');
  const zh = renderTerms(p, 'standard', { locale: 'zh-CN', format: 'md', at: '2026-11-01' }).body;
  t.ok(zh.includes('- Critical（A）级请求必须通过电话提交。'));
});

t.test('terms sentences: what reject rules and channel hours do, both locales', async (t) => {
  // the fixture copy keeps the old inconsistency: Critical (A) only by phone, an office-hours line
  let src = readFileSync(new URL('../fixtures/plans/contoso.yaml', import.meta.url), 'utf8');
  src += `  - id: no-azure-after-hours\n    when: { service: azure, withinHours: false, offering: essential }\n    then: { reject: "No Azure after hours." }\n`;
  const p = loadPlan(src, 'contoso.yaml').plan!;
  const md = (locale: string, offering = 'standard') => renderTerms(p, offering, { locale, format: 'md', at: '2026-11-01' }).body;
  const en = md('en-US');
  t.ok(en.includes('\nCritical (A) requests can be raised Monday to Friday 08:00–18:00, Saturday 09:00–13:00 (America/New\\_York) by phone; the response time counts from then.\n'));
  t.ok(en.includes('- Critical (A) requests must be raised by phone.\n'));
  t.notOk(en.includes('No Azure'), "a rule of another offering is not in this offering's terms");
  const zh = md('zh-CN');
  t.ok(zh.includes('\nCritical（A）级请求的提交时间：星期一至星期五 08:00–18:00，星期六 09:00–13:00（America/New\\_York）通过电话；响应时间自提交时起计算。\n'));
  t.ok(zh.includes('- Critical（A）级请求必须通过电话提交。\n'));
  t.ok(md('en-US', 'essential').includes('- Requests are not accepted for Microsoft Azure and outside coverage hours.\n'));
  t.ok(md('zh-CN', 'essential').includes('- 请求涉及Microsoft Azure时且在服务时间外提交时不予受理。\n'));
  // HTML: the same sentence, escaped, beside the table
  const html = renderTerms(p, 'standard', { locale: 'en-US', format: 'html', at: '2026-11-01' }).body;
  t.match(html, /<p class="raised" data-severity="A">Critical \(A\) requests can be raised Monday to Friday 08:00–18:00, Saturday 09:00–13:00 \(America\/New_York\) by phone; the response time counts from then\.<\/p>/);
  t.match(html, /<ul id="rules"><li>Critical \(A\) requests must be raised by phone\.<\/li><\/ul>/);
});

t.test('terms: credits on response and resolution say so, both locales', async (t) => {
  const p = plans.find((x) => x.partner.id === 'contoso')!;
  const md = (locale: string) => renderTerms(p, 'standard', { locale, format: 'md', at: '2026-11-01' }).body;
  t.ok(md('en-US').includes('For each missed response or resolution target, 5% of the month’s fixed and per-unit fees is credited, up to 25% in a month; a target counts in the month it falls due.'));
  t.ok(md('zh-CN').includes('每次未达到响应或解决目标，抵扣当月固定费用和按量费用的5%，每月最多抵扣25%；目标计入其到期的月份。'));
});
