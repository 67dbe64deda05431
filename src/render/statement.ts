// View model of the support statement (SPEC §4.6, §5): lines, totals, the
// service-level summary, the month's requests and a chart of requests per week.
import { DateTime } from 'luxon';
import type { Balance, Statement, StatementLine, StatementRequest } from '../billing/types.js';
import type { Plan } from '../plans/types.js';
import { isModelName } from '../models/index.js';
import { percentFormat, type Formatter } from './format.js';
import { catalogs, type MessageKey } from './i18n.js';
import { daysFromCivil, formatDay, parseInstant, parseLocalDate, zoneOffsets } from '../time/instant.js';
import { isPlainDecimal } from '../decimal.js';
import { parseDecimal, rat, sum, toFixed, ZERO } from '../rational.js';
import { headerView, referenceLine, type Cell, type CustomerRef, type HeaderView, type Table } from './view.js';
import { metricName } from './lines.js';

/** Worked time the billing engine may attach (optional): feeds the chart's hours series. */
export interface WorkEntry {
  readonly start: string; // instant
  readonly minutes: number;
}
export type RenderableStatement = Statement & { readonly worklogs?: readonly WorkEntry[] };

/** Severity colours, by the severity's place in the plan (every offering's severities in plan order): the same severity has the same colour in every chart. */
const PALETTE = ['#b03a2e', '#d68910', '#2874a6', '#239b56', '#7d3c98', '#566573'];

/**
 * The plan's severity labels in order, most severe first: each offering's
 * order kept, merged across offerings (essential's B, C and standard's A, B,
 * C give A, B, C: a label new to the list goes before the first label that
 * follows it in its offering and is already listed).
 */
export function severityOrder(plan: Plan): string[] {
  const order: string[] = [];
  for (const o of plan.offerings.values()) {
    const labels = [...o.severities.keys()];
    labels.forEach((label, i) => {
      if (order.includes(label)) return;
      const next = labels.slice(i + 1).find((l) => order.includes(l));
      if (next === undefined) order.push(label);
      else order.splice(order.indexOf(next), 0, label);
    });
  }
  return order;
}

/** A severity's colour: by its place in the plan's order (labels the plan does not know follow it). */
export function severityColor(order: readonly string[], label: string): string {
  const i = order.indexOf(label);
  return PALETTE[(i < 0 ? order.length : i) % PALETTE.length]!;
}

/** Days a quote is valid from its date when the plan does not say (`partner.billing.quoteValidDays`). */
export const QUOTE_VALID_DAYS = 30;

/** A quote (§4.7): its date and how long it is valid. */
export interface QuoteInfo {
  readonly date: string; // local date YYYY-MM-DD
}

export interface ChartView {
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly desc: string;
  readonly plot: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly right: number;
  readonly barW: number;
  readonly labelY: number;
  readonly ticks: readonly { readonly y: number; readonly label: string }[];
  readonly weeks: readonly {
    readonly x: number;
    readonly labelX: number;
    readonly label: string;
    readonly total: number;
    readonly bars: readonly { readonly y: number; readonly h: number; readonly color: string; readonly title: string }[];
    readonly hours: { readonly x: number; readonly y: number; readonly label: string } | null;
  }[];
  readonly hoursLine: string | null; // SVG points of the hours series
  readonly legend: readonly { readonly x: number; readonly color: string; readonly label: string }[];
  readonly hoursLegend: { readonly x: number; readonly label: string } | null;
  readonly table: Table; // the same data as text (Markdown, screen readers)
}

export interface StatementView {
  readonly header: HeaderView;
  readonly period: string;
  readonly currency: string;
  readonly planHash: string;
  /** The one line with ids (customer, offerings, plan version), in small print. */
  readonly reference: string;
  /** A quote's date, validity and what it is based on; null for a statement. */
  readonly quote: { readonly date: string; readonly validUntil: string; readonly basis: string } | null;
  /** Service levels and requests sections: a quote without requests has none. */
  readonly showServiceLevels: boolean;
  readonly showRequests: boolean;
  readonly showChart: boolean;
  readonly timezone: string;
  readonly lines: Table;
  readonly empty: boolean;
  readonly serviceLevels: readonly Cell[][];
  readonly requests: Table;
  readonly hasRequests: boolean;
  readonly hoursWorked: string;
  /** The hours billed on hourly lines (after included hours, minimums, increments); null when none. */
  readonly hoursBilled: string | null;
  readonly chart: ChartView;
  /** Prices include tax: the sentence saying so, with the tax contained. */
  readonly taxNote: string | null;
  /** A draft's warnings for the admin (§9.4); an issued document has none. */
  readonly warnings: readonly { readonly code: string; readonly message: string }[];
  /** Prepaid block ledgers of the period (§10); null when the statement has none. */
  readonly balances: Table | null;
}

/** A block's figure: hours and minutes for hours blocks, a whole count for incidents. */
export function balanceAmount(fmt: Formatter, unit: 'minutes' | 'incidents', n: number): string {
  return unit === 'minutes' ? fmt.duration(n) : fmt.t('statement.balance.incidents', { n: fmt.number(n) });
}

/** The block component's name: its description, else "Prepaid block (id)"; its offering from the statement's line of that subscription, else the plan's first offering with that block. */
export function balanceLabel(fmt: Formatter, plan: Plan, st: Statement, b: Balance): string {
  const offeringId = st.lines.find((l) => l.subscription === b.subscription && l.component === b.component)?.offering;
  const offerings = offeringId !== undefined ? [plan.offerings.get(offeringId)] : [...plan.offerings.values()];
  for (const o of offerings) {
    const def = o?.pricing.find((c) => c.id === b.component && c.model === 'block');
    if (def) return def.description ? fmt.text(def.description) : fmt.t('component.block');
  }
  return b.component;
}

/** The offering a balance's subscription holds, by name: from the statement's lines of that subscription, else the plan's offering with that block. */
function offeringOfBalance(fmt: Formatter, plan: Plan, st: Statement, b: Balance): string {
  const id = st.lines.find((l) => l.subscription === b.subscription)?.offering ?? [...plan.offerings.values()].find((o) => o.pricing.some((c) => c.id === b.component && c.model === 'block'))?.id;
  const o = id !== undefined ? plan.offerings.get(id) : undefined;
  return o ? fmt.text(o.name) : b.subscription;
}

/** One row per subscription and block: opening, granted, used, expired, closing. */
function balancesTable(fmt: Formatter, plan: Plan, st: Statement): Table | null {
  const balances = st.balances ?? [];
  if (balances.length === 0) return null;
  const n = (text: string): Cell => ({ text: fmt.t(`statement.balance.${text}` as MessageKey), numeric: true });
  return {
    columns: [{ text: fmt.t('statement.req.offering') }, { text: fmt.t('statement.balance.block') }, n('opening'), n('granted'), n('used'), n('expired'), n('closing')],
    rows: balances.map((b) => ({
      cells: [
        // the subscription by its offering's name (its id is data: JSON, CSV)
        { text: offeringOfBalance(fmt, plan, st, b) },
        { text: balanceLabel(fmt, plan, st, b) },
        ...[b.opening, b.granted, b.used, b.expired, b.closing].map((x) => ({ text: balanceAmount(fmt, b.unit, x), numeric: true })),
      ],
    })),
  };
}


function lineLabel(fmt: Formatter, plan: Plan, line: StatementLine): string {
  const offering = plan.offerings.get(line.offering);
  const offeringName = offering ? fmt.text(offering.name) : line.offering;
  let component: string;
  // the partner's own words name an adjustment; a correction names the invoice it corrects
  const colon = fmt.t('punct.colon');
  if (line.component === 'adjustment' && line.adjustment !== undefined) {
    const text = `${fmt.t('component.adjustment')}${colon}${line.description}`;
    return offering ? `${offeringName}${colon}${text}` : text;
  }
  if (line.component === 'correction' && line.corrects !== undefined) return `${offeringName}${colon}${fmt.t('component.correction', { number: line.corrects })}`;
  if (line.component === 'minimum' || line.component === 'discount' || line.component === 'service-credit') {
    component = fmt.t(`component.${line.component}`);
  } else {
    const def = offering?.pricing.find((c) => c.id === line.component);
    const model = def?.model ?? line.model;
    // a component by its description, else its model's name: never by its id (that is in the JSON and CSV)
    component = def?.description ? fmt.text(def.description) : isModelName(model) ? fmt.t(`component.${model}`) : line.component;
  }
  if (line.kind) component += ` · ${fmt.t(`kind.${line.kind}`)}`;
  // where the price came from (§8.4), when it is not the plan's of today: the customer's own wins
  if (line.priceSource === 'override') component += ` · ${fmt.t('price.source.override')}`;
  else if (line.priceSource === 'grandfathered' && line.priceAsOf) component += ` · ${fmt.t('price.source.grandfathered', { date: line.priceAsOf })}`;
  return `${offeringName}${colon}${component}`;
}

/** "22/31" stays a fraction; decimals get the locale's separators. */

function quantityText(fmt: Formatter, q: string | undefined, model?: string): string {
  if (q === undefined) return '';
  if (isPlainDecimal(q)) return fmt.number(q);
  // a per-unit quantity over part of a month is unit-months ("220/31"): shown as a decimal, the description says "10 seats × 22/31 of a month"
  const m = model === 'per-unit' ? /^(\d+)\/(\d+)$/.exec(q) : null;
  return m ? fmt.number(toFixed(rat(BigInt(m[1]!), BigInt(m[2]!)), 2)) : q;
}

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

function daysIn(period: string): number {
  const m = PERIOD.exec(period);
  if (m) {
    // arithmetic, not a luxon DateTime: this runs for every statement
    const y = Number(m[1]);
    const mo = Number(m[2]);
    return daysFromCivil(mo === 12 ? y + 1 : y, mo === 12 ? 1 : mo + 1, 1) - daysFromCivil(y, mo, 1);
  }
  const d = DateTime.fromISO(`${period}-01`, { zone: 'UTC' });
  return d.isValid ? (d.daysInMonth ?? 31) : 31;
}

/** Week of the month by local day: days 1–7 → 0, 8–14 → 1, … (the last week may be short). */
function weekOf(iso: string, zone: string, period: string): number | null {
  const ms = parseInstant(iso);
  if (!Number.isNaN(ms)) {
    // the rules engine's cached offsets: no luxon DateTime per request and worklog
    const local = formatDay(zoneOffsets(zone).localDay(ms)); // YYYY-MM-DD
    if (local.slice(0, 7) !== period) return null;
    return Math.floor((Number(local.slice(8, 10)) - 1) / 7);
  }
  const d = DateTime.fromISO(iso, { setZone: true }).setZone(zone);
  if (!d.isValid || d.toFormat('yyyy-MM') !== period) return null;
  return Math.floor((d.day - 1) / 7);
}

function niceMax(n: number): number {
  if (n <= 4) return Math.max(n, 1);
  const step = Math.ceil(n / 4);
  return step * 4;
}

function chartView(fmt: Formatter, plan: Plan, st: RenderableStatement, zone: string, hoursWorked: string): ChartView {
  const days = daysIn(st.period);
  const nWeeks = Math.ceil(days / 7);
  // Severity order: the plan's (each offering's severities in plan order), whatever offerings the requests belong to, so colours agree across documents
  const order = severityOrder(plan);
  const planOrder = [...order];
  const counts = Array.from({ length: nWeeks }, () => new Map<string, number>());
  for (const r of st.requests ?? []) {
    const w = weekOf(r.receivedAt, zone, st.period);
    if (w === null) continue;
    if (!order.includes(r.severity)) order.push(r.severity);
    counts[w].set(r.severity, (counts[w].get(r.severity) ?? 0) + 1);
  }
  const used = order.filter((s) => counts.some((m) => m.has(s)));
  const severities = used.length > 0 ? used : order.slice(0, 3);
  const minutes = Array.from({ length: nWeeks }, () => 0);
  for (const w of st.worklogs ?? []) {
    const i = weekOf(w.start, zone, st.period);
    if (i !== null) minutes[i] += w.minutes;
  }
  const hasHours = (st.worklogs ?? []).length > 0;

  const width = 640;
  const height = 260;
  const plot = { x: 44, y: 36, w: width - 44 - (hasHours ? 48 : 16), h: height - 36 - 40 };
  const totals = counts.map((m) => [...m.values()].reduce((a, b) => a + b, 0));
  const max = niceMax(Math.max(0, ...totals));
  const ticks = [0, 1, 2, 3, 4]
    .map((i) => Math.round((max * i) / 4))
    .filter((v, i, a) => a.indexOf(v) === i)
    .map((v) => ({ y: plot.y + plot.h - (v / max) * plot.h, label: fmt.number(v) }));
  const slot = plot.w / nWeeks;
  const barW = Math.min(56, slot * 0.6);
  const maxMinutes = Math.max(60, ...minutes);
  const colorOf = (s: string) => severityColor(planOrder.includes(s) ? planOrder : order, s);
  const sevName = (label: string) => {
    for (const o of plan.offerings.values()) {
      const s = o.severities.get(label);
      if (s?.name) return `${label} · ${fmt.text(s.name)}`;
    }
    return label;
  };

  const weeks = counts.map((m, i) => {
    const from = i * 7 + 1;
    const to = Math.min(days, from + 6);
    const label = fmt.t('statement.chart.week', { from: fmt.number(from), to: fmt.number(to) });
    const x = plot.x + i * slot + (slot - barW) / 2;
    let base = plot.y + plot.h;
    const bars = severities
      .filter((s) => (m.get(s) ?? 0) > 0)
      .map((s) => {
        const n = m.get(s) ?? 0;
        const h = (n / max) * plot.h;
        base -= h;
        return { y: round(base), h: round(h), color: colorOf(s), title: `${label}${fmt.t('punct.colon')}${sevName(s)} ${fmt.number(n)}` };
      });
    const hours = hasHours
      ? {
          x: round(plot.x + i * slot + slot / 2),
          y: round(plot.y + plot.h - (minutes[i] / maxMinutes) * plot.h),
          label: minutes[i] > 0 ? fmt.duration(minutes[i]) : '', // no label on empty weeks
        }
      : null;
    return { x: round(x), labelX: round(plot.x + i * slot + slot / 2), label, total: totals[i], bars, hours };
  });
  let lx = plot.x;
  const legend = severities.map((s) => {
    const item = { x: lx, color: colorOf(s), label: sevName(s) };
    lx += 28 + Math.min(160, 9 * [...sevName(s)].length);
    return item;
  });
  const columns: Cell[] = [{ text: '' }, ...severities.map((s) => ({ text: sevName(s), numeric: true }))];
  const rows = weeks.map((w, i) => ({
    cells: [{ text: w.label }, ...severities.map((s) => ({ text: fmt.number(counts[i].get(s) ?? 0), numeric: true }))],
  }));
  if (hasHours) {
    columns.push({ text: fmt.t('statement.hoursWorked'), numeric: true });
    rows.forEach((r, i) => (r.cells as Cell[]).push({ text: fmt.duration(minutes[i]), numeric: true }));
  }
  return {
    width,
    height,
    title: fmt.t('statement.chart'),
    desc: fmt.t('statement.chart.desc', { period: fmt.month(st.period), hours: hoursWorked }),
    plot,
    right: plot.x + plot.w,
    barW: round(barW),
    labelY: plot.y + plot.h + 18,
    ticks: ticks.map((t) => ({ ...t, y: round(t.y) })),
    weeks,
    hoursLine: hasHours ? weeks.map((w) => `${w.hours!.x},${w.hours!.y}`).join(' ') : null,
    legend,
    hoursLegend: hasHours ? { x: lx, label: fmt.t('statement.hoursWorked') } : null,
    table: { columns, rows },
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** `notes`: show each line's description under its label (the caller knows whether they are in the document's locale). */
export function statementView(plan: Plan, st: RenderableStatement, fmt: Formatter, customer?: CustomerRef, notes = fmt.locale === 'en-US', quote?: QuoteInfo): StatementView {
  const cur = st.currency;
  const zone = plan.partner.timezone;
  const money = (a: string) => fmt.money(a, cur, 'symbol');

  const lines: Table = {
    columns: [
      { text: fmt.t('statement.item') },
      { text: fmt.t('statement.quantity'), numeric: true },
      { text: fmt.t('statement.unit') },
      { text: fmt.t('statement.unitPrice'), numeric: true },
      { text: fmt.t('statement.amount'), numeric: true },
    ],
    rows: st.lines.map((l) => ({
      cells: [
        { text: lineLabel(fmt, plan, l), note: notes ? l.description : undefined },
        { text: quantityText(fmt, l.quantity, l.model), numeric: true },
        // a unit the catalogs name (a model's: days, hours, …) is translated; a metric is shown as written
        { text: l.unit ? (Object.hasOwn(catalogs['en-US'], `unit.${l.unit}`) ? fmt.t(`unit.${l.unit}` as MessageKey) : metricName(plan, fmt.locale, l.unit, l.quantity === '1' ? 'one' : 'other')) : '' },
        // a unit price is money, or a rate ("8%", "-10%") shown as written
        { text: l.unitPrice ? (isPlainDecimal(l.unitPrice) ? money(l.unitPrice) : l.unitPrice) : '', numeric: true },
        { text: money(l.amount), numeric: true },
      ],
    })),
    foot: [
      { cells: [{ text: fmt.t('statement.subtotal') }, { text: '' }, { text: '' }, { text: '' }, { text: money(st.subtotal), numeric: true }] },
      {
        cells: [
          {
            text: st.taxInclusive
              ? fmt.t('statement.taxIncluded', { rate: st.taxRate ?? '0%' })
              : st.taxRate
                ? fmt.t('statement.taxRate', { rate: st.taxRate })
                : fmt.t('statement.tax'),
          },
          { text: '' },
          { text: '' },
          { text: '' },
          { text: money(st.tax), numeric: true },
        ],
      },
      { strong: true, cells: [{ text: fmt.t('statement.total') }, { text: '' }, { text: '' }, { text: '' }, { text: money(st.total), numeric: true }] },
    ],
  };

  const sl = st.serviceLevels;
  // §11.4: the response clock's own open count when the statement has one (clocks belong to the period of their due time)
  const open = sl.response ? sl.response.open : Math.max(0, sl.requests - sl.met - sl.breached);
  const decided = sl.met + sl.breached;
  const rate = decided > 0 ? percentFormat(fmt.locale).format(sl.met / decided) : fmt.t('statement.none');
  const serviceLevels: Cell[][] = [
    [{ text: fmt.t('statement.sl.requests') }, { text: fmt.number(sl.requests), numeric: true }],
    [{ text: fmt.t('statement.sl.met') }, { text: fmt.number(sl.met), numeric: true }],
    [{ text: fmt.t('statement.sl.breached') }, { text: fmt.number(sl.breached), numeric: true }],
    [{ text: fmt.t('statement.sl.open') }, { text: fmt.number(open), numeric: true }],
    [{ text: fmt.t('statement.sl.rate') }, { text: rate, numeric: true }],
  ];
  const res = sl.resolution;
  if (res && res.met + res.breached + res.open > 0) {
    serviceLevels.push(
      [{ text: fmt.t('statement.sl.resolutionMet') }, { text: fmt.number(res.met), numeric: true }],
      [{ text: fmt.t('statement.sl.resolutionBreached') }, { text: fmt.number(res.breached), numeric: true }],
      [{ text: fmt.t('statement.sl.resolutionOpen') }, { text: fmt.number(res.open), numeric: true }],
    );
  }

  const sevLabel = (offering: string, label: string) => {
    const name = plan.offerings.get(offering)?.severities.get(label)?.name;
    return name ? `${label} · ${fmt.text(name)}` : label;
  };
  // each time parsed once, not at every comparison (the order is the same: a stable sort on the same keys)
  const keyed = (st.requests ?? []).map((r) => ({ r, at: parseInstant(r.receivedAt) }));
  const reqs = keyed.sort((a, b) => a.at - b.at).map((k) => k.r);
  // the resolution and pause columns only when a request has a resolution clock or was paused (§11.3)
  const withResolution = reqs.some((r) => r.resolution);
  const withPauses = reqs.some((r) => (r.pauses?.length ?? 0) > 0);
  const requests: Table = {
    columns: [
      { text: fmt.t('statement.req.id') },
      { text: fmt.t('statement.req.offering') },
      { text: fmt.t('statement.req.received') },
      { text: fmt.t('statement.req.severity') },
      { text: fmt.t('statement.req.due') },
      { text: fmt.t('statement.req.responded') },
      { text: fmt.t('statement.req.status') },
      ...(withResolution ? [{ text: fmt.t('statement.req.resolution') }] : []),
      ...(withPauses ? [{ text: fmt.t('statement.req.paused') }] : []),
    ],
    rows: reqs.map((r) => ({
      status: r.status,
      cells: [
        { text: r.id },
        { text: fmt.text(plan.offerings.get(r.offering)?.name ?? r.offering) },
        { text: fmt.instant(r.receivedAt, zone) },
        { text: r.severityNow ? `${r.severity} → ${sevLabel(r.offering, r.severityNow)}` : sevLabel(r.offering, r.severity) },
        { text: r.responseDueAt ? fmt.instant(r.responseDueAt, zone) : fmt.t('statement.none') },
        { text: r.respondedAt ? fmt.instant(r.respondedAt, zone) : fmt.t('statement.notYet') },
        { text: clockState(fmt, st.period, r.status, r.response?.period) },
        ...(withResolution ? [{ text: resolutionText(fmt, zone, st.period, r.resolution) }] : []),
        ...(withPauses ? [{ text: pausesText(fmt, zone, r.pauses) }] : []),
      ],
    })),
  };

  let hoursWorked = fmt.t('statement.none');
  if (st.hoursWorked !== undefined) hoursWorked = fmt.t('statement.hoursValue', { n: fmt.number(st.hoursWorked) });
  else if (st.worklogs?.length) hoursWorked = fmt.duration(st.worklogs.reduce((a, w) => a + w.minutes, 0));
  // the time billed beside the time worked (they differ by included hours, minimums and increments)
  const billedLines = st.lines.filter((l) => l.model === 'hourly' && l.unit === 'hours' && (l.kind === 'business-hours' || l.kind === 'after-hours' || l.kind === 'overage') && l.quantity !== undefined);
  const hoursBilled = billedLines.length > 0 ? fmt.t('statement.hoursValue', { n: fmt.number(toFixed(sum(billedLines.map((l) => parseDecimal(l.quantity!) ?? ZERO)), 2)) }) : null;

  const period = fmt.month(st.period);
  const offeringIds = [...new Set([...st.lines.map((l) => l.offering), ...reqs.map((r) => r.offering)])].filter((o) => plan.offerings.has(o));
  // a quote names its customer only by a name it was given; a statement by its name, else its id
  const who = quote ? (customer?.name ? customer : undefined) : (customer ?? { id: st.customer });
  const hasRequests = reqs.length > 0;
  return {
    header: headerView(plan, fmt, quote ? fmt.t('doc.quote.title') : fmt.t('doc.statement.title', { period }), who),
    period,
    currency: cur,
    planHash: st.planHash,
    reference: referenceLine(fmt, [st.customer, ...offeringIds], st.planHash),
    quote: quote
      ? {
          date: fmt.date(quote.date),
          validUntil: fmt.t('doc.quote.validUntil', { date: fmt.date(formatDay(parseLocalDate(quote.date) + (plan.partner.billing?.quoteValidDays ?? QUOTE_VALID_DAYS))) }),
          basis: fmt.t('doc.quote.basis', { period }),
        }
      : null,
    showServiceLevels: !quote || hasRequests,
    showRequests: !quote || hasRequests,
    showChart: !quote || hasRequests || (st.worklogs?.length ?? 0) > 0,
    timezone: fmt.t('statement.times', { timezone: zone }),
    lines,
    empty: st.lines.length === 0,
    serviceLevels,
    requests,
    hasRequests,
    hoursWorked,
    hoursBilled,
    chart: chartView(fmt, plan, st, zone, hoursWorked),
    taxNote: st.taxInclusive ? fmt.t('statement.taxInclusiveNote', { tax: money(st.tax) }) : null,
    // a draft's warnings are for the admin; a quote is sent to the customer as it is
    warnings: quote ? [] : (st.warnings ?? []),
    balances: balancesTable(fmt, plan, st),
  };
}

/** A clock's state, and the period it is counted in when that is not this statement's (§11.4). */
function clockState(fmt: Formatter, period: string, state: string, counted: string | null | undefined): string {
  const text = fmt.t(`statement.status.${state}` as MessageKey);
  return counted && counted !== period ? fmt.t('statement.req.countedIn', { state: text, period: fmt.month(counted) }) : text;
}

/** "due <instant> · <state>" of a resolution clock, or a dash when the severity has no resolution target. */
function resolutionText(fmt: Formatter, zone: string, period: string, c: StatementRequest['resolution']): string {
  if (!c) return fmt.t('statement.none');
  const due = c.dueAt ? fmt.instant(c.dueAt, zone) : fmt.t('statement.req.paused');
  return fmt.t('statement.req.resolutionText', { due, state: clockState(fmt, period, c.state, c.period) });
}

/** The spans the clocks did not count: "<from> – <to>", "<from> –" while still waiting. */
function pausesText(fmt: Formatter, zone: string, pauses: StatementRequest['pauses']): string {
  if (!pauses || pauses.length === 0) return fmt.t('statement.none');
  return pauses.map((p) => `${fmt.instant(p.from, zone)} – ${p.to ? fmt.instant(p.to, zone) : ''}`.trimEnd()).join('; ');
}

/** A request's clocks in one line (CSV): "r1 (B, received …): response due … · Met; resolution due … · Open; paused … – …". */
export function requestClocksText(fmt: Formatter, plan: Plan, period: string, r: StatementRequest): string {
  const zone = plan.partner.timezone;
  const parts = [fmt.t('statement.req.responseText', { due: r.responseDueAt ? fmt.instant(r.responseDueAt, zone) : fmt.t('statement.req.paused'), state: clockState(fmt, period, r.status, r.response?.period) })];
  if (r.resolution) parts.push(`${fmt.t('statement.req.resolution')} ${resolutionText(fmt, zone, period, r.resolution)}`);
  if (r.pauses && r.pauses.length > 0) parts.push(`${fmt.t('statement.req.paused')} ${pausesText(fmt, zone, r.pauses)}`);
  return fmt.t('statement.req.clocksRow', { id: r.id, severity: r.severityNow ?? r.severity, received: fmt.instant(r.receivedAt, zone), clocks: parts.join(fmt.t('price.join')) });
}
