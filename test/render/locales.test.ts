// Message catalogs and locale-aware formatting.
import t from 'tap';
import { enUS } from '../../src/render/locales/en-US.js';
import { zhCN } from '../../src/render/locales/zh-CN.js';
import { resolveLocale, pickText } from '../../src/render/i18n.js';
import { Formatter } from '../../src/render/format.js';
import { compileCalendar, alwaysOpenCalendar } from '../../src/calendar/compile.js';

t.test('zh-CN has every key of en-US, and nothing else', async (t) => {
  const en = Object.keys(enUS).sort();
  const zh = Object.keys(zhCN).sort();
  t.same(en.filter((k) => !zh.includes(k)), [], 'missing in zh-CN');
  t.same(zh.filter((k) => !en.includes(k)), [], 'unknown in zh-CN');
  for (const k of en) {
    t.ok((zhCN as Record<string, string>)[k].length > 0 || k === 'duration.join', `${k} is translated`);
    const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    t.same(params((zhCN as Record<string, string>)[k]), params((enUS as Record<string, string>)[k]), `${k}: same placeholders`);
  }
});

t.test('locale resolution', async (t) => {
  t.equal(resolveLocale(undefined, undefined, 'zh-CN'), 'zh-CN');
  t.equal(resolveLocale(undefined, 'en-US', 'zh-CN'), 'en-US');
  t.equal(resolveLocale('zh-CN', 'en-US', 'en-US'), 'zh-CN');
  t.equal(resolveLocale('de-DE', 'zh-CN', 'zh-CN'), 'en-US', 'unsupported → en-US');
  t.equal(resolveLocale('zh-Hans-CN'), 'zh-CN');
  t.equal(resolveLocale('zh-TW'), 'en-US', 'traditional Chinese is not zh-CN');
  t.equal(resolveLocale(), 'en-US');
  t.equal(pickText({ 'en-US': 'Standard', 'zh-CN': '标准' }, 'zh-CN'), '标准');
  t.equal(pickText({ 'en-US': 'Standard' }, 'zh-CN'), 'Standard', 'en-US is the fallback');
});

t.test('money: exact from the decimal string, digits per currency, per locale', async (t) => {
  const en = new Formatter('en-US');
  const zh = new Formatter('zh-CN');
  t.equal(en.money('95.00', 'USD'), 'USD\u00a095.00');
  t.equal(en.money('1250.5', 'USD', 'symbol'), '$1,250.50');
  t.equal(en.money('12345678901234567890.12', 'USD', 'symbol'), '$12,345,678,901,234,567,890.12', 'beyond float precision');
  t.equal(en.money('0.1', 'USD', 'symbol'), '$0.10');
  t.equal(en.money('-14.55', 'USD', 'symbol'), '-$14.55');
  t.equal(en.money('30.5', 'KWD'), 'KWD\u00a030.500', 'KWD: 3 digits');
  t.equal(en.money('1500', 'JPY', 'symbol'), '¥1,500', 'JPY: 0 digits');
  t.equal(en.money('0.125', 'USD', 'symbol'), '$0.125', 'unit prices keep their digits');
  t.equal(zh.money('8000.00', 'CNY', 'symbol'), '¥8,000.00');
  t.throws(() => en.money('1e3', 'USD'));
});

t.test('durations, dates, instants in an explicit zone', async (t) => {
  const en = new Formatter('en-US');
  const zh = new Formatter('zh-CN');
  t.equal(en.duration(90), '1 hour 30 minutes');
  t.equal(en.duration(60), '1 hour');
  t.equal(en.duration(480), '8 hours');
  t.equal(en.duration(1), '1 minute');
  t.equal(zh.duration(90), '1小时30分钟');
  t.equal(en.date('2026-11-26'), 'November 26, 2026');
  t.equal(zh.date('2026-11-26'), '2026年11月26日');
  // 2026-11-24T22:30Z is 17:30 in New York and 06:30 the next day in Shanghai, whatever the machine's zone.
  t.match(en.instant('2026-11-24T22:30:00Z', 'America/New_York'), /Nov 24, 2026.*17:30/);
  t.match(zh.instant('2026-11-24T22:30:00Z', 'Asia/Shanghai'), /2026年11月25日.*06:30/);
  t.equal(en.month('2026-10'), 'October 2026');
  t.equal(zh.month('2026-10'), '2026年10月');
});

t.test('schedules in words', async (t) => {
  const en = new Formatter('en-US');
  const zh = new Formatter('zh-CN');
  const w = (s: number, e: number) => [{ start: s * 60, end: e * 60 }];
  const office = compileCalendar({
    id: 'office',
    timezone: 'America/New_York',
    weekly: [w(8, 18), w(8, 18), w(8, 18), w(8, 18), w(8, 18), w(9, 13), []],
    holidays: [],
    alwaysOpen: false,
  });
  t.equal(en.schedule(office), 'Monday to Friday 08:00–18:00, Saturday 09:00–13:00 (America/New_York)');
  t.equal(zh.schedule(office), '星期一至星期五 08:00–18:00，星期六 09:00–13:00（America/New_York）');
  const split = compileCalendar({
    id: 's',
    timezone: 'Asia/Shanghai',
    weekly: [[{ start: 540, end: 720 }, { start: 780, end: 1440 }], [{ start: 540, end: 720 }, { start: 780, end: 1440 }], [], [], [], [], w(0, 24)],
    holidays: [],
    alwaysOpen: false,
  });
  t.equal(en.schedule(split), 'Monday and Tuesday 09:00–12:00 and 13:00–24:00, Sunday all day (Asia/Shanghai)');
  t.equal(en.schedule(alwaysOpenCalendar('UTC')), '24 hours a day, 7 days a week');
  t.equal(zh.schedule(alwaysOpenCalendar('UTC')), '全天24小时，每周7天');
});
