// Balances on every statement format (SPEC §10), golden snippets in both
// locales: HTML and Markdown show opening, granted, used, expired and closing
// (hours and minutes for hours, whole incidents), CSV a row per balance
// without an amount, JSON as computed; BLOCK_LOW never reaches an issued body.
import t from 'tap';
import { priceStatement } from '../../src/billing/statement.js';
import type { BillingInput } from '../../src/billing/types.js';
import { renderStatement } from '../../src/render/index.js';
import { describeStatement } from '../../src/render/lines.js';
import { issuable } from '../../src/app/statements.js';
import { blocksPlan } from '../api/purchases-plan.js';
import { norm, parse, texts } from './helpers.js';

const plan = blocksPlan();
const request = (id: string, receivedAt: string) => ({ id, offering: 'tickets', service: 'm365', category: 'technical', severity: 'B', channel: 'email', receivedAt });
const input: BillingInput = {
  plan,
  period: '2026-11',
  customer: { id: 'alpha', name: 'Alpha & Sons' },
  subscriptions: [
    { id: 'a-mon', offering: 'monthly', start: '2026-10-01' },
    { id: 'a-tix', offering: 'tickets', start: '2026-11-01' },
  ],
  requests: [request('r1', '2026-11-02T10:00:00-05:00'), request('r2', '2026-11-09T10:00:00-05:00'), request('r3', '2026-11-16T10:00:00-05:00')],
  // October: 4 h, 1 h included, 3 h drawn; November: 13 h 5 min rounded to 13 h 15 min, 1 h included
  worklogs: [
    { id: 'w1', offering: 'monthly', start: '2026-10-06T10:00:00-04:00', minutes: 240 },
    { id: 'w2', offering: 'monthly', start: '2026-11-03T08:00:00-05:00', minutes: 785 },
  ],
  spend: [],
};
const statement = priceStatement(input);

t.test('JSON: the ledgers as computed, one per subscription and block', async (t) => {
  t.same(statement.balances, [
    { subscription: 'a-mon', component: 'prepaid', unit: 'minutes', opening: 300, granted: 600, used: 735, expired: 0, closing: 165 },
    { subscription: 'a-tix', component: 'pack', unit: 'incidents', opening: 0, granted: 5, used: 3, expired: 2, closing: 0 },
  ]);
  const json = JSON.parse(renderStatement(statement, { plan, format: 'json' }).body);
  t.same(json.balances, statement.balances);
});

t.test('HTML: the balances table in both locales', async (t) => {
  const en = parse(renderStatement(statement, { plan, format: 'html' }).body);
  t.same(texts(en, '#balances h2'), ['Prepaid balances']);
  t.same(texts(en, '#balances-table thead th'), ['Offering', 'Block', 'Opening', 'Granted', 'Used', 'Expired', 'Closing']);
  t.same(
    [...en.querySelectorAll('#balances-table tbody tr')].map((r) => texts(r, 'td')),
    [
      ['Prepaid Monthly', 'Prepaid block', '5 hours', '10 hours', '12 hours 15 minutes', '0 minutes', '2 hours 45 minutes'],
      ['Ticket Pack', 'Ticket pack', '0 incidents', '5 incidents', '3 incidents', '2 incidents', '0 incidents'],
    ],
  );
  t.same(texts(en, '#balances-table td.num').length, 10, 'figures align as numbers');
  const zh = parse(renderStatement(statement, { plan, format: 'html', locale: 'zh-CN' }).body);
  t.same(texts(zh, '#balances h2'), ['预付余额']);
  t.same(texts(zh, '#balances-table thead th'), ['服务方案', '预付块', '期初', '本期授予', '本期使用', '本期过期', '期末']);
  t.same(
    [...zh.querySelectorAll('#balances-table tbody tr')].map((r) => texts(r, 'td')),
    [
      ['包月预付', '预付块', '5小时', '10小时', '12小时15分钟', '0分钟', '2小时45分钟'],
      ['工单包', '工单包', '0个事件', '5个事件', '3个事件', '2个事件', '0个事件'],
    ],
  );
});

t.test('Markdown: a section after the charges, both locales', async (t) => {
  const en = renderStatement(statement, { plan, format: 'md' }).body;
  t.ok(
    en.includes(
      [
        '## Prepaid balances',
        '',
        '| Offering | Block | Opening | Granted | Used | Expired | Closing |',
        '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
        '| Prepaid Monthly | Prepaid block | 5 hours | 10 hours | 12 hours 15 minutes | 0 minutes | 2 hours 45 minutes |',
        '| Ticket Pack | Ticket pack | 0 incidents | 5 incidents | 3 incidents | 2 incidents | 0 incidents |',
        '',
        '## Service levels',
      ].join('\n'),
    ),
    en,
  );
  t.ok(en.indexOf('## Charges') < en.indexOf('## Prepaid balances'));
  const zh = renderStatement(statement, { plan, format: 'md', locale: 'zh-CN' }).body;
  t.ok(zh.includes('## 预付余额\n\n| 服务方案 | 预付块 | 期初 | 本期授予 | 本期使用 | 本期过期 | 期末 |'), zh);
  t.ok(zh.includes('| 工单包 | 工单包 | 0个事件 | 5个事件 | 3个事件 | 2个事件 | 0个事件 |'));
});

t.test('CSV: a row per balance without an amount (the amount column still sums to the subtotal)', async (t) => {
  const en = renderStatement(statement, { plan, format: 'csv' }).body.split('\r\n');
  t.same(en.filter((l) => l.includes(',balance,')), [
    ',prepaid,block,balance,"a-mon, Prepaid block: opening 5 hours, granted 10 hours, used 12 hours 15 minutes, expired 0 minutes, closing 2 hours 45 minutes",165,minutes,,,',
    ',pack,block,balance,"a-tix, Ticket pack: opening 0 incidents, granted 5 incidents, used 3 incidents, expired 2 incidents, closing 0 incidents",0,incidents,,,',
  ]);
  const zh = renderStatement(statement, { plan, format: 'csv', locale: 'zh-CN' }).body.split('\r\n');
  t.same(zh.filter((l) => l.includes(',balance,'))[1], ',pack,block,balance,a-tix，工单包：期初 0个事件，本期授予 5个事件，本期使用 3个事件，本期过期 2个事件，期末 0个事件,0,incidents,,,');
});

t.test('no block: no section, no rows', async (t) => {
  const plain = priceStatement({ ...input, subscriptions: [{ id: 'a-plain', offering: 'plain', start: '2026-10-01' }], requests: [], worklogs: [] });
  t.equal(plain.balances, undefined);
  t.notMatch(renderStatement(plain, { plan, format: 'html' }).body, /id="balances/);
  t.notMatch(renderStatement(plain, { plan, format: 'md' }).body, /Prepaid balances/);
  t.notMatch(renderStatement(plain, { plan, format: 'csv' }).body, /,balance,/);
});

t.test('BLOCK_LOW: on the draft for the admin, never on the issued document', async (t) => {
  const doc = describeStatement(statement, plan);
  t.same(doc.warnings, [{ code: 'BLOCK_LOW', message: 'a-mon: prepaid block "prepaid" has used 12 hours 15 minutes of 15 hours, at or over its alert level of 80%' }]);
  const html = parse(renderStatement(doc, { plan, format: 'html' }).body);
  t.same(texts(html, '#warnings li'), [norm('BLOCK_LOW a-mon: prepaid block "prepaid" has used 12 hours 15 minutes of 15 hours, at or over its alert level of 80%')]);
  // in words of its unit in both locales: hours and minutes, never the ledger's minutes
  const zh = describeStatement(statement, plan, { locale: 'zh-CN' });
  t.same(zh.warnings, [{ code: 'BLOCK_LOW', message: 'a-mon：预付块“prepaid”已用 12小时15分钟（共 15小时），达到或超过提醒线 80%' }]);
  const issued = issuable(doc);
  t.equal(issued.warnings, undefined);
  t.same(issued.balances, doc.balances, 'the balances stay');
  t.notMatch(renderStatement(issued, { plan, format: 'html' }).body, /BLOCK_LOW/);
});
