// The quote calculator: an offering, the month, dates, quantities, hours,
// incidents, spend and customer prices become a quote document for
// POST ./quotes (nothing stored); the statement it answers — lines, tax,
// total, warnings — is shown and priced again as the form changes.
import { addStrings, fmtMoney, fmtNumber, localText, zonedInstant, zonedNow } from '../lib/i18n.js';
import { debounce, errorBox, field, fill, h, select, table } from '../lib/dom.js';
import type { Ctx, Page } from './types.js';
import { loadPlan, metricsOf, type Offering, type PlanJson } from './plan-data.js';
import { quoteStrings } from './quote.strings.js';

addStrings(quoteStrings);

export interface StatementLine {
  description: string;
  quantity?: string;
  unit?: string;
  unitPrice?: string;
  amount: string;
  priceSource?: 'plan' | 'override' | 'grandfathered';
}
export interface Statement {
  currency: string;
  lines: StatementLine[];
  subtotal: string;
  tax: string;
  taxRate?: string;
  total: string;
  warnings?: { code: string; message: string }[];
}

/** The dates of a month from `from` on, Monday to Friday only (the quote's requests and work fall on working days). */
function workingDays(period: string, from: string): string[] {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const out: string[] = [];
  for (let d = 1; d <= last; d++) {
    const date = `${period}-${String(d).padStart(2, '0')}`;
    const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
    if (date >= from && dow !== 0 && dow !== 6) out.push(date);
  }
  return out;
}

/** The request type the quote's incidents have: the one a per-incident charge counts, else technical if covered, else the first. */
const incidentCategory = (o: Offering): string =>
  o.pricing.find((c) => c.model === 'per-incident')?.categories?.[0] ?? (o.categories.includes('technical') ? 'technical' : o.categories[0] ?? 'technical');

/** "1.5" hours → 90 minutes; null when not a number of hours. */
function minutesOf(hours: string): number | null {
  const m = /^(\d{1,6})(?:[.,](\d{1,2}))?$/.exec(hours.trim());
  if (!m) return null;
  return Number(m[1]) * 60 + Math.round(Number(`0.${m[2] ?? '0'}`) * 60);
}

interface Inputs {
  offering: HTMLSelectElement;
  period: HTMLInputElement;
  start: HTMLInputElement;
  end: HTMLInputElement;
  hours: HTMLInputElement;
  incidents: HTMLInputElement;
  taxRate: HTMLInputElement;
  metrics: Map<string, HTMLInputElement>;
  spend: Map<string, HTMLInputElement>;
  prices: Map<string, { field: 'amount' | 'rate'; input: HTMLInputElement }>;
}

/** The quote document of the form (what POST ./quotes receives). */
export function quoteBody(ctx: Ctx, o: Offering, f: Inputs): Record<string, unknown> {
  const period = f.period.value;
  const start = f.start.value || `${period}-01`;
  const days = workingDays(period, start);
  const at = (i: number) => zonedInstant(`${days[Math.min(i, days.length - 1)] ?? start}T10:00`, ctx.zone);
  const prices: Record<string, Record<string, string>> = {};
  for (const [component, p] of f.prices) if (p.input.value.trim()) prices[component] = { [p.field]: p.input.value.trim() };
  const category = incidentCategory(o);
  const severities = Object.keys(o.severities);
  const incidents = Math.min(500, Math.max(0, Math.trunc(Number(f.incidents.value) || 0)));
  const minutes = minutesOf(f.hours.value || '0');
  const requests = Array.from({ length: incidents }, (_, i) => ({
    id: `incident-${i + 1}`,
    offering: o.id,
    service: o.services[0],
    category,
    severity: severities[severities.length - 1],
    channel: o.channels[0],
    receivedAt: at(i),
  }));
  const spend = [...f.spend].filter(([, input]) => input.value.trim() !== '').map(([service, input]) => ({ service, amount: input.value.trim() }));
  return {
    partner: ctx.partner,
    period,
    customer: { id: 'quote', name: 'Quote', locale: ctx.locale, ...(f.taxRate.value.trim() ? { taxRate: f.taxRate.value.trim() } : {}) },
    subscriptions: [
      {
        id: 'quote',
        offering: o.id,
        start,
        ...(f.end.value ? { end: f.end.value } : {}),
        quantities: [...f.metrics].map(([metric, input]) => ({ metric, value: Math.max(0, Math.trunc(Number(input.value) || 0)), from: start })),
        ...(Object.keys(prices).length ? { prices } : {}),
      },
    ],
    ...(requests.length ? { requests } : {}),
    ...(minutes ? { worklogs: [{ id: 'work', offering: o.id, start: at(0), minutes }] } : {}),
    ...(spend.length ? { spend } : {}),
  };
}

export function statementView(ctx: Ctx, s: Statement): HTMLElement {
  const { t } = ctx;
  const money = (a: string | undefined) => (a === undefined ? '' : fmtMoney(a, s.currency));
  const lines = s.lines.length
    ? table(
        [t('quote.line'), t('quote.quantity'), t('quote.unitPrice'), t('quote.amount')],
        s.lines.map((l) => [
          [l.description, l.priceSource && l.priceSource !== 'plan' ? [' ', h('span', { class: 'badge' }, t(`quote.source.${l.priceSource}`))] : null],
          l.quantity ? `${fmtNumber(l.quantity)}${l.unit ? ` ${l.unit}` : ''}` : '',
          money(l.unitPrice),
          money(l.amount),
        ]),
        { numeric: [1, 2, 3], class: 'lines' },
      )
    : h('p', null, t('quote.noLines'));
  return h(
    'div',
    { class: 'statement' },
    lines,
    table([t('quote.subtotal'), `${t('quote.tax')}${s.taxRate ? ` (${s.taxRate})` : ''}`, t('quote.total')], [[money(s.subtotal), money(s.tax), h('span', { id: 'quote-total', 'data-amount': s.total, 'data-currency': s.currency }, money(s.total))]], {
      numeric: [0, 1, 2],
      class: 'totals',
    }),
    s.warnings?.length ? [h('h3', null, t('quote.warnings')), h('ul', { class: 'warnings' }, ...s.warnings.map((w) => h('li', { class: 'warning' }, h('code', null, w.code), ' ', w.message)))] : null,
  );
}

export const quotePage: Page = {
  id: 'quote',
  titleKey: 'nav.quote',
  async render(root, ctx, params) {
    const { t } = ctx;
    const data: PlanJson = await loadPlan(ctx.api);
    const offerings = Object.values(data.plan.offerings);
    const now = zonedNow(Date.now(), ctx.zone);
    const num = (name: string, value: string, attrs: Record<string, string> = {}) => h('input', { type: 'number', name, value, min: '0', inputmode: 'numeric', ...attrs });
    const f: Inputs = {
      offering: select(
        offerings.map((o) => [o.id, `${localText(o.name, o.id)} (${o.id})`] as const),
        params.get('offering') && data.plan.offerings[params.get('offering')!] ? params.get('offering')! : offerings[0]?.id,
        { name: 'offering' },
      ),
      period: h('input', { type: 'month', name: 'period', value: params.get('period') ?? now.period, required: true }),
      start: h('input', { type: 'date', name: 'start', value: `${params.get('period') ?? now.period}-01` }),
      end: h('input', { type: 'date', name: 'end' }),
      hours: num('hours', '0', { step: '0.25', inputmode: 'decimal' }),
      incidents: num('incidents', '0', { step: '1' }),
      taxRate: h('input', { type: 'text', name: 'taxRate', autocomplete: 'off' }),
      metrics: new Map(),
      spend: new Map(),
      prices: new Map(),
    };
    const dyn = h('div', { class: 'grid' });
    const overrides = h('fieldset', { class: 'overrides' });
    // aria-busy from the first keystroke until the latest quote is answered (assistive technology, and tests, wait on it)
    const result = h('div', { class: 'result', 'aria-live': 'polite', 'aria-busy': 'true' });
    const status = h('p', { class: 'muted', role: 'status' });
    const sent = h('pre', { class: 'quote-body' });
    const offering = () => data.plan.offerings[f.offering.value]!;
    let incidentsField = field('quote.incidents', f.incidents);

    const build = () => {
      const o = offering();
      f.metrics.clear();
      f.spend.clear();
      f.prices.clear();
      const cat = incidentCategory(o);
      const rebuilt = field('quote.incidents', f.incidents);
      fill(rebuilt.querySelector('label')!, t('quote.incidents', { category: cat }));
      incidentsField.replaceWith(rebuilt);
      incidentsField = rebuilt;
      const metricFields = metricsOf(o).map((m) => {
        const input = num(`metric-${m}`, '10', { step: '1' });
        f.metrics.set(m, input);
        const el = field('quote.metric', input);
        fill(el.querySelector('label')!, t('quote.metric', { metric: m }));
        return el;
      });
      const services = [...new Set(o.pricing.filter((c) => c.model === 'percent-of-spend').flatMap((c) => c.services ?? o.services))];
      const spendFields = services.map((s) => {
        const input = h('input', { type: 'text', name: `spend-${s}`, inputmode: 'decimal', autocomplete: 'off', placeholder: '0.00' });
        f.spend.set(s, input);
        const el = field('quote.spend', input);
        fill(el.querySelector('label')!, t('quote.spend', { service: localText(data.plan.services[s]?.name, s), currency: ctx.currency }));
        return el;
      });
      fill(dyn, ...metricFields, ...spendFields);
      const seen = new Set<string>();
      const priceFields = o.pricing.flatMap((c) => {
        if (seen.has(c.id) || (c.amount === undefined && c.rate === undefined)) return [];
        seen.add(c.id);
        const which = c.amount !== undefined ? 'amount' : 'rate';
        const planPrice = which === 'amount' ? fmtMoney(c.amount!, ctx.currency) : c.rate!;
        const input = h('input', { type: 'text', name: `price-${c.id}`, inputmode: 'decimal', autocomplete: 'off', placeholder: which === 'amount' ? c.amount! : c.rate! });
        f.prices.set(c.id, { field: which, input });
        const el = field('quote.overrides', input);
        fill(el.querySelector('label')!, t(`quote.override.${which}`, { component: c.id, price: planPrice }));
        return [el];
      });
      fill(overrides, h('legend', null, t('quote.overrides')), h('p', { class: 'hint muted' }, t('quote.overrides.hint')), h('div', { class: 'grid' }, ...priceFields));
    };

    let seq = 0;
    const price = async () => {
      const mine = ++seq;
      const body = quoteBody(ctx, offering(), f);
      sent.textContent = JSON.stringify(body, null, 2);
      status.textContent = t('quote.pricing');
      try {
        const s = await ctx.api.post<Statement>('./quotes', body);
        if (mine !== seq) return;
        fill(result, statementView(ctx, s));
      } catch (err) {
        if (mine !== seq) return;
        fill(result, errorBox(err));
      }
      status.textContent = '';
      result.setAttribute('aria-busy', 'false');
    };
    const debounced = debounce(() => void price(), 300);
    const later = () => {
      result.setAttribute('aria-busy', 'true');
      debounced();
    };

    const form = h(
      'form',
      {
        class: 'quote-form',
        oninput: () => later(),
        onchange: (ev: Event) => {
          if (ev.target === f.offering) build();
          if (ev.target === f.period && f.period.value && !f.start.value.startsWith(f.period.value)) f.start.value = `${f.period.value}-01`;
          later();
        },
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          void price();
        },
      },
      h('div', { class: 'grid' }, field('quote.offering', f.offering), field('quote.period', f.period), field('quote.start', f.start), field('quote.end', f.end), field('quote.hours', f.hours), incidentsField, field('quote.taxRate', f.taxRate)),
      dyn,
      overrides,
    );
    build();
    fill(
      root,
      h('h1', null, t('nav.quote')),
      h('p', { class: 'muted' }, t('quote.intro')),
      h('div', { class: 'cols' }, form, h('section', { class: 'card', 'aria-labelledby': 'quote-result-h' }, h('h2', { id: 'quote-result-h' }, t('quote.result')), status, result)),
      h('details', null, h('summary', null, t('quote.body')), sent),
    );
    await price();
  },
};
