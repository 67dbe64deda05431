// Support terms (SPEC §5): every required item, for every example plan and
// offering, in both locales, checked on the parsed HTML; the Markdown twin too.
import t, { type Test } from 'tap';
import { renderTerms, RenderError } from '../../src/render/index.js';
import { catalogs } from '../../src/render/i18n.js';
import type { Plan } from '../../src/plans/types.js';
import { examplePlans, hhmm, LOCALES, money, norm, parse, pick, texts, weekdayName } from './helpers.js';
import { contoso } from './fixtures.js';

const AT = '2026-11-20';
const inForce = (c: { from?: string; to?: string }, at: string) => (!c.from || c.from <= at) && (!c.to || c.to >= at);

function checkOffering(t: Test, plan: Plan, offeringId: string, locale: (typeof LOCALES)[number]) {
  const o = plan.offerings.get(offeringId)!;
  const cat = catalogs[locale];
  const res = renderTerms(plan, offeringId, { format: 'html', locale, at: AT, customer: { id: 'northwind', name: 'Northwind Traders' } });
  t.match(res.contentType, /^text\/html/);
  const doc = parse(res.body);
  const body = norm(doc.body.textContent ?? '');
  t.equal(doc.documentElement.getAttribute('lang'), locale, 'lang attribute');
  t.ok(norm(doc.querySelector('h1')!.textContent!).includes(pick(o.name, locale)), 'title names the offering');
  t.equal(norm(doc.querySelector('#partner-name')!.textContent!), pick(plan.partner.name, locale), 'partner in header');
  t.match(norm(doc.querySelector('#customer-name')!.textContent!), 'Northwind Traders', 'customer in header');
  t.ok(doc.querySelectorAll('link[href], script, img').length === 0, 'no external assets');

  // covered services (display names) and categories in words
  t.same(texts(doc, '#services li'), o.services.map((s) => pick(plan.services.get(s)!.name, locale)), 'services');
  t.same(texts(doc, '#categories li'), o.categories.map((c) => cat[`category.${c}`]), 'categories');

  // who delivers
  const delivery = doc.querySelector('#delivery')!;
  const partnerName = pick(plan.partner.name, locale);
  t.ok(norm(delivery.textContent!).includes(partnerName), 'delivery names the partner');
  if (o.provider) {
    t.equal(delivery.getAttribute('data-relationship'), o.provider.relationship);
    t.ok(norm(delivery.textContent!).includes(pick(o.provider.name, locale)), 'delivery names the provider');
    const onBehalf = locale === 'en-US' ? 'on behalf of' : '代表';
    t.ok(norm(delivery.textContent!).includes(onBehalf), 'on behalf of the partner');
    const word = o.provider.relationship === 'resold' ? (locale === 'en-US' ? 'resells' : '转售') : locale === 'en-US' ? 'outsourced' : '外包';
    t.ok(norm(delivery.textContent!).includes(word), `says ${o.provider.relationship}`);
  } else t.equal(delivery.getAttribute('data-relationship'), 'partner');

  // coverage hours in words with timezone, and the coming holidays
  const hours = norm(doc.querySelector('#coverage-hours')!.textContent!);
  if (o.calendar.alwaysOpen) t.ok(hours.includes(cat['schedule.always']), '24x7 in words');
  else {
    t.ok(hours.includes(o.calendar.timezone), 'hours name the timezone');
    const first = o.calendar.weekly.findIndex((ws) => ws.length > 0);
    t.ok(hours.includes(weekdayName(first, locale)), 'hours name the first open day');
    for (const ws of o.calendar.weekly) for (const w of ws) t.ok(hours.includes(`${hhmm(w.start)}–${hhmm(w.end)}`), 'window in words');
  }
  const coming = o.calendar.holidays.filter((d) => d >= AT);
  t.equal(doc.querySelectorAll('ul#holidays li').length, coming.length, 'coming holidays listed');
  for (const d of coming) {
    const [y, m, day] = d.split('-').map(Number);
    const year = String(y);
    t.ok(texts(doc, 'ul#holidays li').some((x) => x.includes(year) && x.includes(String(day))), `holiday ${d} (${m})`);
  }

  // every channel with address and hours
  const rows = [...doc.querySelectorAll('#channels tbody tr')];
  t.same(rows.map((r) => r.getAttribute('data-channel')), [...o.channels], 'channels');
  for (const r of rows) {
    const ch = plan.channels.get(r.getAttribute('data-channel')!)!;
    t.equal(norm(r.querySelector('.address')!.textContent!), ch.address, 'channel address');
    t.equal(norm(r.querySelectorAll('td')[0].textContent!).startsWith(cat[`channel.${ch.type}`]), true, 'channel type in words');
    t.ok(norm(r.querySelectorAll('td')[2].textContent!).length > 0, 'channel hours');
  }

  // severities with response targets and their hours
  const sevRows = [...doc.querySelectorAll('#severities tbody tr')];
  t.same(sevRows.map((r) => r.getAttribute('data-severity')), [...o.severities.keys()], 'severities');
  for (const r of sevRows) {
    const s = o.severities.get(r.getAttribute('data-severity')!)!;
    const response = norm(r.querySelector('.response')!.textContent!);
    const h = Math.floor(s.responseMinutes / 60);
    const m = s.responseMinutes % 60;
    if (h) t.match(response, new RegExp(`^${h}\\s?(hour|小时)`), `response hours of ${s.label}`);
    if (m) t.match(response, new RegExp(`${m}\\s?(minute|分钟)`), `response minutes of ${s.label}`);
    const sh = norm(r.querySelector('.hours')!.textContent!);
    t.ok(s.calendar.alwaysOpen ? sh === cat['schedule.always'] : sh.includes(s.calendar.timezone), 'severity hours');
  }

  // every price component in force, in words, with the currency formatted
  const current = o.pricing.filter((c) => inForce(c, AT));
  const priceDivs = [...doc.querySelectorAll('#pricing div.price')];
  t.same(priceDivs.map((d) => d.getAttribute('data-component')), current.map((c) => c.id), 'components in force');
  if (current.length === 0) t.ok(doc.querySelector('#free'), 'free support said so');
  current.forEach((c, i) => {
    const txt = norm(priceDivs[i].textContent!);
    const m = (d: { text: string }) => money(d.text, o.currency, locale);
    switch (c.model) {
      case 'flat':
      case 'per-unit':
      case 'per-incident':
      case 'hourly':
        t.ok(txt.includes(m(c.amount)), `${c.id}: amount ${m(c.amount)} in "${txt}"`);
        break;
      case 'graduated':
      case 'volume':
        t.equal(priceDivs[i].querySelectorAll('tbody tr').length, c.tiers.length, `${c.id}: tier table`);
        for (const tier of c.tiers) t.ok(txt.includes(m(tier.amount)), `${c.id}: tier price`);
        break;
      case 'percent-of-spend':
        t.ok(txt.includes(c.rate.text), `${c.id}: rate`);
        if (c.minimum) t.ok(txt.includes(m(c.minimum)), 'minimum');
        if (c.maximum) t.ok(txt.includes(m(c.maximum)), 'maximum');
        break;
    }
    if (c.model === 'per-incident' && c.included > 0) {
      t.ok(txt.includes(c.included === 1 ? cat['price.perIncident.includedOne'] : String(c.included)), 'included incidents');
    }
    if (c.model === 'hourly') {
      t.ok(txt.includes(String(c.incrementMinutes)) || c.incrementMinutes % 60 === 0, 'increment');
      if (c.afterHoursMultiplier.text !== '1') t.ok(txt.includes(c.afterHoursMultiplier.text), 'multiplier');
    }
  });
  // announced future price changes
  const future = o.pricing.filter((c) => c.from !== undefined && c.from > AT);
  t.same(texts(doc, '#future-prices li.price').length, future.length, 'future price changes');
  for (const li of doc.querySelectorAll('#future-prices li.price')) t.ok(norm(li.textContent!).length > 10);

  // minimum commitment, service credits
  const minimum = norm(doc.querySelector('#minimum')!.textContent!);
  t.ok(o.minimum ? minimum.includes(money(o.minimum.text, o.currency, locale)) : minimum.includes(cat['terms.minimum.none']), 'minimum');
  const credits = norm(doc.querySelector('#credits')!.textContent!);
  if (o.serviceCredits) t.ok(credits.includes(o.serviceCredits.perBreach.text) && credits.includes(o.serviceCredits.cap.text), 'credits');
  else t.ok(credits.includes(cat['terms.credits.none']));

  // includes / excludes
  t.same(texts(doc, '#includes li'), o.includes.map((x) => pick(x, locale)), 'includes');
  t.same(texts(doc, '#excludes li'), o.excludes.map((x) => pick(x, locale)), 'excludes');

  // escalation to Microsoft
  const esc = norm(doc.querySelector('#escalation')!.textContent!);
  if (o.categories.includes('technical')) {
    for (const v of plan.partner.microsoft.technical) t.ok(esc.includes(cat[`vehicle.${v}`]), `vehicle ${v}`);
    if (plan.partner.microsoft.technical.length === 0) t.ok(esc.includes(cat['terms.escalation.noTechnical'].slice(10, 30)) || esc.length > 0);
  }
  if ((o.categories.includes('billing') || o.categories.includes('subscription')) && plan.partner.microsoft.commercial) {
    t.ok(esc.includes(locale === 'en-US' ? 'commercial support' : '商业支持'), 'commercial support');
  }
  t.notOk(body.match(/\{\{|\}\}|undefined|NaN|\[object/), 'no template leftovers');

  // Markdown carries the same items
  const md = renderTerms(plan, offeringId, { format: 'md', locale, at: AT }).body;
  t.ok(md.startsWith('# '), 'markdown title');
  // a component is named by its description when it has one, else by its model's name (never its id)
  for (const c of current) {
    const named = c.description ? md.includes(c.description[locale] ?? c.description['en-US']) : md.includes(`**${cat[`component.${c.model}`]}**`);
    t.ok(named, `md component ${c.id}`);
  }
  for (const id of o.channels) t.ok(md.includes(norm(plan.channels.get(id)!.address).replace(/^\+/, '\\+').replace(/_/g, '\\_')), `md channel ${id}`);
  t.notOk(md.match(/undefined|NaN|\[object/), 'md: no leftovers');
}

t.test('terms: every item, every example plan and offering, both locales', async (t) => {
  const plans = examplePlans();
  t.ok(plans.length >= 3);
  for (const plan of plans) {
    for (const id of plan.offerings.keys()) {
      for (const locale of LOCALES) {
        t.test(`${plan.partner.id}/${id} ${locale}`, async (t) => checkOffering(t, plan, id, locale));
      }
    }
  }
});

t.test('the SPEC example reads as the SPEC says', async (t) => {
  const plan = contoso();
  const ess = parse(renderTerms(plan, 'essential', { format: 'html', at: AT, locale: 'en-US' }).body);
  const incidents = norm(ess.querySelector('[data-component="incidents"] .price-text')!.textContent!);
  t.match(incidents, /^USD\s95\.00 per incident; the first incident each month is included/);
  const std = parse(renderTerms(plan, 'standard', { format: 'html', at: AT, locale: 'en-US' }).body);
  t.equal(
    norm(std.querySelector('#coverage-hours')!.textContent!),
    'Support is available Monday to Friday 08:00–18:00, Saturday 09:00–13:00 (America/New_York).',
  );
  t.match(norm(std.querySelector('[data-component="base"] .price-text')!.textContent!), /USD\s250\.00 per month.*until December 31, 2026/);
  t.match(norm(std.querySelector('#future-prices li')!.textContent!), /From January 1, 2027: .*USD\s275\.00 per month/);
  t.match(norm(std.querySelector('[data-component="labour"]')!.textContent!), /increments of 15 minutes.*first 2 hours.*1\.5 times/);
  t.same(texts(std, 'ul#holidays li'), ['Thursday, November 26, 2026', 'Friday, December 25, 2026', 'Friday, January 1, 2027']);
  // After the price change the new price is in force and nothing is announced.
  const later = parse(renderTerms(plan, 'standard', { format: 'html', at: '2027-02-01', locale: 'en-US' }).body);
  t.match(norm(later.querySelector('[data-component="base"]')!.textContent!), /USD\s275\.00/);
  t.equal(later.querySelectorAll('#future-prices li').length, 0);
  t.equal(later.querySelectorAll('ul#holidays li').length, 0);
  const dyn = parse(renderTerms(plan, 'dynamics-plus', { format: 'html', at: AT, locale: 'zh-CN' }).body);
  t.match(norm(dyn.querySelector('#delivery')!.textContent!), /Fabrikam Managed Services代表Contoso Cloud Services提供/);
  t.equal(dyn.querySelectorAll('[data-component="users"] tbody tr').length, 3);
});

t.test('locale: explicit, else customer, else partner; unsupported → en-US', async (t) => {
  const plan = contoso();
  const lang = (o: Parameters<typeof renderTerms>[2]) => parse(renderTerms(plan, 'essential', o).body).documentElement.getAttribute('lang');
  t.equal(lang({ format: 'html', at: AT }), 'en-US');
  t.equal(lang({ format: 'html', at: AT, customer: { id: 'c', locale: 'zh-CN' } }), 'zh-CN');
  t.equal(lang({ format: 'html', at: AT, locale: 'en-US', customer: { id: 'c', locale: 'zh-CN' } }), 'en-US');
  t.equal(lang({ format: 'html', at: AT, locale: 'fr-FR', customer: { id: 'c', locale: 'zh-CN' } }), 'en-US');
  t.equal(lang({ format: 'html', at: AT, locale: 'zh' }), 'zh-CN');
  const zh = parse(renderTerms(plan, 'essential', { format: 'html', at: AT, locale: 'zh-CN' }).body);
  t.match(norm(zh.querySelector('h1')!.textContent!), '基础支持', 'display text map picks the zh-CN name');
});

t.test('unknown offering and bad date are typed errors', async (t) => {
  const plan = contoso();
  const err = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return e;
    }
    return null;
  };
  const unknown = err(() => renderTerms(plan, 'gold', { format: 'html', at: AT }));
  t.ok(unknown instanceof RenderError);
  t.match(unknown, { code: 'UNKNOWN_OFFERING', declared: ['essential', 'standard', 'dynamics-plus'] });
  t.match(err(() => renderTerms(plan, 'standard', { format: 'html', at: '2026-13-01' })), { name: 'RenderError', code: 'INVALID_DATE' });
});
