// The plan: every offering at a glance, then one offering in detail — its
// hours (weekly, holidays, dated changes), channels, severities and response
// targets, and its prices in words as the API's terms state them.
import { addStrings, currentLocale, localText } from '../lib/i18n.js';
import { errorBox, field, fill, h, loading, select, table } from '../lib/dom.js';
import { markdown, sectionText } from '../lib/markdown.js';
import type { Ctx, Page } from './types.js';
import { loadPlan, type Calendar, type Offering, type PlanJson, type Window } from './plan-data.js';
import { planStrings } from './plan.strings.js';

addStrings(planStrings);

const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const windows = (ws: readonly Window[], closed: string): string => (ws.length === 0 ? closed : ws.map((w) => `${hhmm(w.start)}–${hhmm(w.end)}`).join(', '));

/** Monday … Sunday in the locale (the plan's weekly rows start on Monday). */
function weekdays(): string[] {
  const f = new Intl.DateTimeFormat(currentLocale(), { weekday: 'long', timeZone: 'UTC' });
  return Array.from({ length: 7 }, (_, i) => f.format(Date.UTC(2024, 0, 1 + i)));
}

export const planPage: Page = {
  id: 'plan',
  titleKey: 'nav.plan',
  async render(root, ctx, params) {
    const { t } = ctx;
    const data = await loadPlan(ctx.api);
    const { plan } = data;
    const offerings = Object.values(plan.offerings);
    const name = (o: Offering) => localText(o.name, o.id);
    const svc = (id: string) => localText(plan.services[id]?.name, id);
    const chosen = plan.offerings[params.get('offering') ?? ''] ?? offerings[0];

    const overview = table(
      [t('plan.offering'), t('plan.delivery'), t('plan.services'), t('plan.channels'), t('plan.severities'), t('plan.components')],
      offerings.map((o) => [
        h('a', { href: `#/plan?offering=${encodeURIComponent(o.id)}` }, name(o)),
        o.provider ? `${localText(o.provider.name, o.provider.id)} (${o.provider.relationship})` : t('plan.delivery.partner'),
        o.services.map(svc).join(', '),
        o.channels.join(', '),
        Object.values(o.severities)
          .map((s) => `${s.label}${s.response ? ` (${s.response})` : ''}`)
          .join(', '),
        [...new Set(o.pricing.map((c) => c.id))].join(', '),
      ]),
      { caption: t('plan.offerings') },
    );

    const picker = select(
      offerings.map((o) => [o.id, `${name(o)} (${o.id})`] as const),
      chosen?.id,
      { name: 'offering', onchange: (ev: Event) => ctx.navigate(`#/plan?offering=${encodeURIComponent((ev.target as HTMLSelectElement).value)}`) },
    );
    const detail = h('div', { class: 'offering-detail' });
    fill(
      root,
      h('h1', null, t('nav.plan')),
      h('p', { class: 'muted' }, t('plan.intro', { partner: localText(plan.partner.name, plan.partner.id), currency: plan.partner.currency, zone: plan.partner.timezone, hash: data.planHash.slice(0, 12) })),
      overview,
      field('plan.show', picker),
      detail,
    );
    if (chosen) await renderOffering(detail, ctx, data, chosen);
  },
};

async function renderOffering(root: HTMLElement, ctx: Ctx, data: PlanJson, o: Offering): Promise<void> {
  const { t } = ctx;
  const { plan } = data;
  const prices = h('section', { class: 'card prices', 'aria-labelledby': 'prices-h' }, h('h3', { id: 'prices-h' }, t('plan.prices')), loading());
  const terms = h('details', { class: 'card terms' }, h('summary', null, t('plan.terms')), loading());
  fill(
    root,
    h('h2', null, `${localText(o.name, o.id)} (${o.id})`),
    o.summary ? h('p', null, localText(o.summary)) : null,
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, t('plan.services')),
      h('dd', null, o.services.map((s) => localText(plan.services[s]?.name, s)).join(', ')),
      h('dt', null, t('plan.categories')),
      h('dd', null, o.categories.join(', ')),
    ),
    prices,
    hours(ctx, o.calendar),
    h('h3', null, t('plan.channels')),
    table(
      [t('plan.channel'), t('plan.channel.type'), t('plan.channel.address'), t('plan.channel.hours')],
      o.channels.map((id) => {
        const c = plan.channels[id];
        return [id, c?.type ?? '', c?.address ?? '', c ? calendarSummary(ctx, c.calendar) : ''];
      }),
    ),
    h('h3', null, t('plan.severities')),
    table(
      [t('plan.severity'), t('plan.severity.name'), t('plan.severity.response'), t('plan.severity.resolution'), t('plan.severity.hours')],
      Object.values(o.severities).map((s) => [s.label, localText(s.name, s.label), s.response ?? t('plan.none'), s.resolution ?? t('plan.none'), calendarSummary(ctx, s.calendar)]),
    ),
    terms,
  );
  // prices in words, and the whole terms, as the API writes them for customers (in this locale)
  try {
    const md = await ctx.api.text(`./offerings/${encodeURIComponent(o.id)}/terms?format=md&locale=${ctx.locale}`);
    const priceText = sectionText(md, t('plan.termsHeading.prices'));
    fill(prices, h('h3', { id: 'prices-h' }, t('plan.prices')), markdown(priceText ?? md, 2));
    fill(terms, h('summary', null, t('plan.terms')), markdown(md, 2));
  } catch (err) {
    fill(prices, h('h3', { id: 'prices-h' }, t('plan.prices')), errorBox(err));
    terms.remove();
  }
}

function calendarSummary(ctx: Ctx, c: Calendar): string {
  if (c.alwaysOpen) return ctx.t('plan.alwaysOpen');
  const days = weekdays();
  const open = c.weekly.map((ws, i) => (ws.length ? `${days[i]} ${windows(ws, '')}` : '')).filter(Boolean);
  return `${open.join('; ')} (${ctx.t('plan.calendar', { id: c.id })})`;
}

function hours(ctx: Ctx, c: Calendar): HTMLElement {
  const { t } = ctx;
  const days = weekdays();
  const overrides = Object.entries(c.overrides ?? {});
  return h(
    'section',
    { class: 'card hours', 'aria-labelledby': 'hours-h' },
    h('h3', { id: 'hours-h' }, `${t('plan.hours')} · ${c.timezone}`),
    c.alwaysOpen ? h('p', null, t('plan.alwaysOpen')) : table([t('plan.day'), t('plan.windows')], c.weekly.map((ws, i) => [days[i] ?? String(i), windows(ws, t('plan.closed'))])),
    h('h4', null, t('plan.holidays')),
    c.holidays.length ? h('ul', null, ...c.holidays.map((d) => h('li', null, fmtLong(d)))) : h('p', null, t('plan.noHolidays')),
    h('h4', null, t('plan.overrides')),
    overrides.length
      ? table([t('plan.override.date'), t('plan.windows')], overrides.map(([d, ws]) => [fmtLong(d), windows(ws, t('plan.closed'))]))
      : h('p', null, t('plan.noOverrides')),
  );
}

const fmtLong = (d: string): string => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  return m ? new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'full', timeZone: 'UTC' }).format(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!)) : d;
};
