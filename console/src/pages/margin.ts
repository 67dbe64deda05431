// The margin page: GET ./reports/margin?period= — the total, a chart of
// revenue and cost by customer (inline SVG built with DOM calls; colours
// from console.css classes, since the CSP allows no inline style), and the
// tables by customer, offering and provider. Bar lengths are worked out in
// whole minor units (BigInt), never by adding floats.
import { addStrings, fmtMoney, fmtMonth, t } from '../lib/i18n.js';
import { field, fill, h, table, type Child } from '../lib/dom.js';
import type { Ctx, Page } from './types.js';
import { marginStrings } from './margin.strings.js';
import { money, periodInput, periodParam } from './shared.js';

addStrings(marginStrings);

interface Total {
  key?: string;
  revenue: string;
  cost: string;
  margin: string;
  marginPercent: string | null;
}
interface Row extends Total {
  customer: string;
  offering: string;
  provider: string;
}
interface Report {
  currency: string;
  periods: string[];
  rows: Row[];
  byCustomer: (Total & { key: string })[];
  byOffering: (Total & { key: string })[];
  byProvider: (Total & { key: string })[];
  total: Total;
  skipped: { customer: string; period: string; reason: string }[];
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag: string, attrs: Record<string, string | number>, ...children: (Node | string)[]): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

/** A decimal text in whole units of its last digit ("491.25" → 49125n); every amount of a report has the currency's decimals. */
const units = (amount: string): bigint => BigInt(amount.replace('.', ''));
const abs = (x: bigint): bigint => (x < 0n ? -x : x);

/** Horizontal bars: revenue and cost of each customer on one scale. */
function chart(report: Report, period: string): SVGElement {
  const rows = report.byCustomer;
  const max = rows.reduce((m, r) => [units(r.revenue), units(r.cost)].reduce((a, b) => (abs(b) > a ? abs(b) : a), m), 1n);
  const W = 800;
  const LABEL = 170;
  const BAR = 420;
  const ROW = 54;
  const height = rows.length * ROW + 30;
  const titleId = `margin-chart-title`;
  const descId = `margin-chart-desc`;
  const length = (amount: string): number => Number((abs(units(amount)) * BigInt(BAR * 100)) / max) / 100;
  const out = svg(
    'svg',
    { class: 'chart margin-chart', viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-labelledby': `${titleId} ${descId}` },
    svg('title', { id: titleId }, t('margin.chart', { period: fmtMonth(period) })),
    svg('desc', { id: descId }, t('margin.chart.desc')),
  );
  // the legend
  out.appendChild(svg('rect', { class: 'bar', x: LABEL, y: 4, width: 14, height: 12 }));
  out.appendChild(svg('text', { x: LABEL + 20, y: 15, 'font-size': 13 }, t('margin.revenue')));
  out.appendChild(svg('rect', { class: 'bar cost', x: LABEL + 120, y: 4, width: 14, height: 12 }));
  out.appendChild(svg('text', { x: LABEL + 140, y: 15, 'font-size': 13 }, t('margin.cost')));
  rows.forEach((r, i) => {
    const y = 30 + i * ROW;
    const g = svg('g', { 'data-customer': r.key });
    g.appendChild(svg('text', { x: LABEL - 8, y: y + 24, 'text-anchor': 'end', 'font-size': 14 }, r.key));
    const revenue = svg('rect', { class: units(r.revenue) < 0n ? 'bar negative' : 'bar', x: LABEL, y, width: length(r.revenue), height: 18 });
    revenue.appendChild(svg('title', {}, `${t('margin.revenue')}: ${fmtMoney(r.revenue, report.currency)}`));
    const cost = svg('rect', { class: 'bar cost', x: LABEL, y: y + 22, width: length(r.cost), height: 18 });
    cost.appendChild(svg('title', {}, `${t('margin.cost')}: ${fmtMoney(r.cost, report.currency)}`));
    g.append(revenue, cost);
    g.appendChild(svg('text', { x: LABEL + length(r.revenue) + 6, y: y + 14, 'font-size': 12 }, fmtMoney(r.revenue, report.currency)));
    g.appendChild(svg('text', { x: LABEL + length(r.cost) + 6, y: y + 36, 'font-size': 12 }, `${fmtMoney(r.cost, report.currency)} · ${t('margin.margin')} ${fmtMoney(r.margin, report.currency)}${r.marginPercent ? ` (${r.marginPercent})` : ''}`));
    out.appendChild(g);
  });
  return out;
}


function totals(title: string, keyTitle: string, rows: (Total & { key: string })[], currency: string, name: (key: string) => string = (k) => k): HTMLElement {
  return h(
    'section',
    null,
    h('h2', null, title),
    table(
      [keyTitle, t('margin.revenue'), t('margin.cost'), t('margin.margin'), t('margin.percent')],
      rows.map((r) => [name(r.key), money(r.revenue, currency), money(r.cost, currency), money(r.margin, currency), r.marginPercent ?? t('margin.na')] as Child[]),
      { numeric: [1, 2, 3, 4] },
    ),
  );
}

async function render(root: HTMLElement, ctx: Ctx, params: URLSearchParams): Promise<void> {
  const period = periodParam(params, ctx.zone);
  const report = await ctx.api.get<Report>(`./reports/margin?period=${period}`);
  const cur = report.currency;
  const picker = periodInput(ctx, period, (p) => `#/margin?period=${p}`);
  const provider = (k: string): string => (k === 'partner' ? t('margin.partner') : k);
  const summary = h(
    'section',
    { class: 'card margin-total' },
    h('h2', null, t('margin.total', { period: fmtMonth(period) })),
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, t('margin.revenue')),
      h('dd', null, money(report.total.revenue, cur, { 'data-field': 'revenue' })),
      h('dt', null, t('margin.cost')),
      h('dd', null, money(report.total.cost, cur, { 'data-field': 'cost' })),
      h('dt', null, t('margin.margin')),
      h('dd', { class: 'total-line' }, money(report.total.margin, cur, { 'data-field': 'margin' })),
      h('dt', null, t('margin.percent')),
      h('dd', { 'data-field': 'percent' }, report.total.marginPercent ?? t('margin.na')),
    ),
  );
  fill(
    root,
    h('h1', null, t('nav.margin')),
    h('div', { class: 'grid' }, field('margin.period', picker)),
    summary,
    report.byCustomer.length === 0 ? h('p', { class: 'muted' }, t('margin.none')) : h('figure', { class: 'card' }, chart(report, period)),
    report.skipped.length > 0
      ? h('section', { class: 'warning' }, h('h2', null, t('margin.skipped')), h('ul', null, ...report.skipped.map((s) => h('li', null, h('strong', null, s.customer), ': ', s.reason))))
      : null,
    totals(t('margin.byCustomer'), t('margin.col.customer'), report.byCustomer, cur),
    totals(t('margin.byOffering'), t('margin.col.offering'), report.byOffering, cur),
    totals(t('margin.byProvider'), t('margin.col.provider'), report.byProvider, cur, provider),
    h(
      'section',
      null,
      h('h2', null, t('margin.rows')),
      table(
        [t('margin.col.customer'), t('margin.col.offering'), t('margin.col.provider'), t('margin.revenue'), t('margin.cost'), t('margin.margin'), t('margin.percent')],
        report.rows.map((r) => [r.customer, r.offering, provider(r.provider), money(r.revenue, cur), money(r.cost, cur), money(r.margin, cur), r.marginPercent ?? t('margin.na')] as Child[]),
        { numeric: [3, 4, 5, 6] },
      ),
    ),
  );
}

export const marginPage: Page = { id: 'margin', titleKey: 'nav.margin', render };
