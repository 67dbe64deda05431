import t from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import { loadPlan } from '../../src/plans/load.js';
import { text } from '../../src/plans/text.js';
import { formatDuration, parseDuration } from '../../src/time/duration.js';
import { parseDec, parsePercent } from '../../src/plans/decimal.js';

// The examples in plans/ are only checked for being valid; what a plan compiles
// to is checked on the fixture copy (a partner editing an example's price must
// not break the tests).
const dir = new URL('../../plans/', import.meta.url);
const fixtures = new URL('../fixtures/plans/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

t.test('every example plan compiles without errors and names the schema', async (t) => {
  t.ok(files.length >= 3);
  const models = new Set<string>();
  for (const f of files) {
    const src = readFileSync(new URL(f, dir), 'utf8');
    t.match(src.split('\n')[0], /^# yaml-language-server: \$schema=\.\.\/schema\/plan\.schema\.json$/, f);
    const r = loadPlan(src, `plans/${f}`);
    t.same(r.findings.filter((x) => x.severity === 'error'), [], f);
    t.ok(r.plan, f);
    t.equal(r.plan!.partner.id, f.replace(/\.yaml$/, ''));
    for (const o of r.plan!.offerings.values()) for (const p of o.pricing) models.add(p.model);
  }
  t.same([...models].sort(), ['block', 'flat', 'graduated', 'hourly', 'per-incident', 'per-unit', 'percent-of-spend', 'volume']);
});

t.test('contoso compiles to the expected plan', async (t) => {
  const src = readFileSync(new URL('contoso.yaml', fixtures), 'utf8');
  const { plan, findings } = loadPlan(src, 'plans/contoso.yaml');
  t.ok(plan);
  const p = plan!;
  t.match(p.hash, /^sha256:[0-9a-f]{64}$/);
  t.equal(p.partner.currency, 'USD');
  t.equal(p.partner.exponent, 2);
  t.equal(p.partner.rounding, 'half-up');
  t.same(p.partner.microsoft, { commercial: true, technical: ['advanced-support'] });
  t.same([...p.calendars.keys()], ['24x7', 'office']);
  const office = p.calendars.get('office')!;
  t.equal(office.timezone, 'America/New_York');
  t.same(office.weekly[0], [{ start: 480, end: 1080 }]);
  t.same(office.weekly[5], [{ start: 540, end: 780 }]);
  t.same(office.weekly[6], []);
  t.same(office.holidays, ['2026-11-26', '2026-12-25', '2027-01-01']);
  t.ok(p.calendars.get('24x7')!.alwaysOpen);
  t.equal(p.channels.get('phone')!.calendar, office);
  t.same([...p.offerings.keys()], ['essential', 'standard', 'dynamics-plus']);
  const std = p.offerings.get('standard')!;
  t.equal(std.index, 1);
  t.equal(std.severities.get('A')!.calendar.id, '24x7');
  t.equal(std.severities.get('B')!.calendar, office);
  t.equal(std.severities.get('A')!.responseMinutes, 60);
  t.same(std.pricing.map((c) => [c.id, c.order]), [['base', 0], ['base', 0], ['seats', 2], ['labour', 3], ['azure', 4]]);
  const [b1, b2, , labour, azure] = std.pricing;
  t.match(b1, { model: 'flat', amount: { text: '250.00', units: 25000n, scale: 2 }, to: '2026-12-31' });
  t.match(b2, { model: 'flat', amount: { text: '275.00' }, from: '2027-01-01' });
  t.match(labour, { model: 'hourly', includedMinutes: 120, incrementMinutes: 15, afterHoursMultiplier: { text: '1.5' } });
  t.match(azure, { model: 'percent-of-spend', rate: { text: '8%', num: 8n, den: 100n }, services: ['azure'], minimum: { text: '100.00' }, maximum: { text: '5000.00' } });
  t.equal(std.minimum!.text, '300.00');
  t.same(std.serviceCredits!.perBreach, { text: '5%', num: 5n, den: 100n });
  const ess = p.offerings.get('essential')!;
  t.match(ess.pricing[1], { model: 'per-incident', included: 1, categories: ['technical'], amount: { text: '95.00' } });
  t.equal(text(ess.name, 'zh-CN'), '基础支持');
  t.equal(text(std.name, 'zh-CN'), 'Standard');
  const dyn = p.offerings.get('dynamics-plus')!;
  t.equal(dyn.delivery, 'fabrikam');
  t.equal(dyn.provider, p.providers.get('fabrikam'));
  t.match(dyn.pricing[0], { model: 'graduated', tiers: [{ upTo: 25, amount: { text: '12.00' } }, { upTo: 100 }, { upTo: null, amount: { text: '7.00' } }] });
  t.match(p.providers.get('fabrikam')!.costs, [{ model: 'hourly', amount: { text: '55.00' } }, { model: 'per-incident', amount: { text: '30.00' } }]);
  t.match(p.providers.get('adatum')!.costs, [{ model: 'percent-of-price', rate: { num: 60n, den: 100n } }]);
  t.equal(p.services.get('d365')!.name['en-US'], 'Dynamics 365');
  t.match(p.rules[0], { id: 'sev-a-by-phone', when: { fields: { severity: { negate: false, values: ['A'] }, channel: { negate: true, values: ['phone'] } } } });
  t.same(p.rules[2].then, { route: 'fabrikam' });
  t.ok(Object.isFrozen(p) && Object.isFrozen(std.pricing));
  // the example's own warnings: unused adatum, sev A only by an office-hours phone
  t.same(findings.map((f) => [f.severity, f.path]), [
    ['warning', 'providers.adatum'],
    ['warning', 'offerings.standard.severities.A'],
    ['warning', 'offerings.dynamics-plus.severities.A'],
  ]);
});

t.test('amounts keep their source text', async (t) => {
  const src = readFileSync(new URL('contoso.yaml', fixtures), 'utf8').replace('amount: 49.00', 'amount: 49.10');
  const { plan } = loadPlan(src, 'c.yaml');
  t.equal(plan!.offerings.get('essential')!.pricing[0].model === 'flat' && (plan!.offerings.get('essential')!.pricing[0] as { amount: { text: string } }).amount.text, '49.10');
});

t.test('helpers', async (t) => {
  t.equal(parseDuration('1h30m'), 90);
  t.equal(parseDuration('45m'), 45);
  t.equal(parseDuration('4h'), 240);
  t.equal(parseDuration('4x'), null);
  t.equal(parseDuration(''), null);
  t.equal(formatDuration(90), '1h30m');
  t.equal(formatDuration(240), '4h');
  t.equal(formatDuration(0), '0m');
  t.same(parseDec('049.10'), { text: '49.10', units: 4910n, scale: 2 });
  t.equal(parseDec('1e3'), null);
  t.same(parsePercent('12.5%'), { text: '12.5%', num: 125n, den: 1000n });
  t.equal(parsePercent('12.12345%'), null);
  t.equal(text({ 'en-US': 'a', 'zh-CN': 'b' }, 'zh-CN'), 'b');
  t.equal(text({ 'en-US': 'a' }, 'fr-FR'), 'a');
});
