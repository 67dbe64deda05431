// View model of the support terms (SPEC §5): everything is turned into plain
// display strings here; the templates only lay them out.
import type { Calendar, Window } from '../calendar/types.js';
import { PAUSE_STATUSES, type Offering, type PauseStatus, type Plan, type PricingComponent, type Tier } from '../plans/types.js';
import { parseLocalDate } from '../time/instant.js';
import { hhmm, type Formatter } from './format.js';
import type { MessageKey } from './i18n.js';
import { pricingModel } from '../models/index.js';
import { raisedText, rejectSentences } from './terms-rules.js';
import type { PriceOverride } from '../models/types.js';
import { overridden } from '../billing/prices.js';
import { headerView, referenceLine, type CustomerRef, type HeaderView, type Table } from './view.js';
import { metricParams } from './lines.js';

export interface PriceView {
  readonly id: string;
  readonly label: string;
  /** Where a customer's price comes from (§8.4) when it is not the plan's of today: "your agreed price", "price as of …". */
  readonly source?: string;
  readonly text: string;
  readonly from?: string;
  readonly tiers?: Table;
}

export interface TermsView {
  readonly header: HeaderView;
  readonly offering: { readonly id: string; readonly name: string; readonly summary: string };
  /** The one line with ids (customer, offering, plan version), in small print. */
  readonly reference: string;
  readonly at: string;
  readonly services: readonly string[];
  readonly categories: readonly string[];
  readonly delivery: { readonly text: string; readonly contract: string | null; readonly relationship: string };
  readonly hours: string;
  readonly holidays: readonly string[];
  /** Coming dates whose hours differ from the week's (calendar overrides): half days, make-up working days. */
  readonly overrides: readonly string[];
  readonly channels: readonly {
    readonly id: string;
    readonly type: string;
    readonly address: string;
    readonly href: string | null;
    readonly description: string;
    readonly hours: string;
  }[];
  readonly severities: readonly {
    readonly label: string;
    readonly name: string;
    readonly response: string;
    readonly resolution: string;
    readonly hours: string;
    /** When it can be raised, if narrower than its hours (channels and rules, §3): '' otherwise. */
    readonly raised: string;
  }[];
  /** The reject rules that can apply, in words ("Critical (A) requests must be raised by phone."). */
  readonly rules: readonly string[];
  /** When the clocks stop (pauseOn), one sentence per group of severities that pause alike. */
  readonly pausing: readonly string[];
  readonly free: boolean;
  readonly prices: readonly PriceView[];
  readonly future: readonly PriceView[];
  readonly minimum: string;
  readonly credits: string;
  readonly includes: readonly string[];
  readonly excludes: readonly string[];
  readonly escalation: readonly string[];
}

/** Is a component version in force on the local date `at` (inclusive ranges, ISO dates compare as strings)? */
export function inForce(c: PricingComponent, at: string): boolean {
  return (!c.from || c.from <= at) && (!c.to || c.to >= at);
}

/** Only links whose scheme cannot run script: https/http pages, mailto for e-mail addresses, tel for phones. */
function hrefFor(type: string, address: string): string | null {
  if (type === 'email' && /^[^\s@<>"']+@[^\s@<>"']+$/.test(address)) return `mailto:${address}`;
  if (type === 'phone' && /^\+?[0-9 ()-]+$/.test(address)) return `tel:${address.replace(/[^+0-9]/g, '')}`;
  if (/^https?:\/\/[^\s<>"']+$/i.test(address)) return address;
  return null;
}

function tierTable(fmt: Formatter, tiers: readonly Tier[], currency: string): Table {
  const withFlat = tiers.some((t) => t.flat);
  let next = 1;
  const rows = tiers.map((t) => {
    const from = next;
    if (t.upTo !== null) next = t.upTo + 1;
    const cells = [
      { text: fmt.number(from), numeric: true },
      { text: t.upTo === null ? fmt.t('terms.tiers.open') : fmt.number(t.upTo), numeric: t.upTo !== null },
      { text: fmt.money(t.amount, currency), numeric: true },
    ];
    if (withFlat) cells.push({ text: t.flat ? fmt.money(t.flat, currency) : '', numeric: true });
    return { cells };
  });
  const columns = [
    { text: fmt.t('terms.tiers.from'), numeric: true },
    { text: fmt.t('terms.tiers.to'), numeric: true },
    { text: fmt.t('terms.tiers.unitPrice'), numeric: true },
  ];
  if (withFlat) columns.push({ text: fmt.t('terms.tiers.flat'), numeric: true });
  return { columns, rows };
}

/** The words for one component version: "USD 95.00 per incident; the first incident each month is included." */
export function priceWords(fmt: Formatter, plan: Plan, offering: Offering, c: PricingComponent): string {
  const cur = offering.currency;
  // the model's clauses (src/models), in this document's words
  const parts = pricingModel(c.model).terms(c, {
    // a metric by its name ("per seat"), not its id
    t: (key, params) => fmt.t(key as MessageKey, metricParams(plan, fmt.locale, params)),
    money: (d) => fmt.money(d, cur),
    number: (x) => fmt.number(x),
    duration: (m) => fmt.duration(m),
    list: (xs) => fmt.list(xs),
    serviceName: (id) => fmt.text(plan.services.get(id)?.name ?? id),
  });
  if (c.to) parts.push(fmt.t('price.until', { date: fmt.date(c.to) }));
  return parts.join(fmt.t('price.join')) + fmt.t('price.end');
}

function priceView(fmt: Formatter, plan: Plan, offering: Offering, c: PricingComponent, source?: string): PriceView {
  const label = c.description ? fmt.text(c.description) : fmt.t(`component.${c.model}`);
  const view: PriceView = { id: c.id, label, ...(source ? { source } : {}), text: priceWords(fmt, plan, offering, c) };
  if (c.from) Object.assign(view, { from: fmt.date(c.from) });
  const tiers = pricingModel(c.model).tiers?.(c);
  if (tiers) Object.assign(view, { tiers: tierTable(fmt, tiers, offering.currency) });
  return view;
}

function hoursOf(fmt: Formatter, cal: Calendar): string {
  return fmt.schedule(cal);
}

/** The calendar's coming overrides (from `at` on, in date order), each as a sentence. */
function overridesOf(fmt: Formatter, cal: Calendar, at: string): string[] {
  const minutes = (ws: readonly Window[]): number => ws.reduce((m, w) => m + w.end - w.start, 0);
  return Object.entries(cal.overrides ?? {})
    .filter(([d]) => d >= at)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([d, ws]) => {
      const date = fmt.date(d, true);
      if (ws.length === 0) return fmt.t('terms.override.closed', { date });
      const windows = ws.map((w) => `${hhmm(w.start)}–${hhmm(w.end)}`).join(fmt.t('schedule.windowJoin'));
      const usual = cal.weekly[(((parseLocalDate(d) + 3) % 7) + 7) % 7]; // Monday 0: 1970-01-01 was a Thursday
      const key = usual.length === 0 ? 'terms.override.makeUp' : minutes(ws) < minutes(usual) ? 'terms.override.open' : 'terms.override.hours';
      return fmt.t(key, { date, windows });
    });
}

/** "For severities B and C, the clocks stop while we wait for you or Microsoft": severities grouped by their pauseOn. */
function pausingOf(fmt: Formatter, plan: Plan, offering: Offering): string[] {
  const groups = new Map<string, { labels: string[]; on: readonly PauseStatus[] }>();
  for (const s of offering.severities.values()) {
    const on = s.pauseOn ?? [];
    if (on.length === 0) continue;
    const key = [...on].sort().join(',');
    const g = groups.get(key) ?? { labels: [], on };
    g.labels.push(s.label);
    groups.set(key, g);
  }
  if (groups.size === 0) return [fmt.t('terms.pausing.none')];
  const provider = offering.provider ?? (offering.delivery !== 'partner' ? plan.providers.get(offering.delivery) ?? null : null);
  const party = (status: PauseStatus): string =>
    status === 'waiting-customer' ? fmt.t('terms.pausing.customer')
      : status === 'waiting-microsoft' ? fmt.t('terms.pausing.microsoft')
        : provider ? fmt.t('terms.pausing.provider', { provider: fmt.text(provider.name) }) : fmt.t('terms.pausing.providerAny');
  const or = new Intl.ListFormat(fmt.locale, { type: 'disjunction' });
  return [...groups.values()].map((g) => {
    const severities = g.labels.length === offering.severities.size
      ? fmt.t('terms.pausing.all')
      : fmt.t(g.labels.length === 1 ? 'terms.pausing.severity' : 'terms.pausing.severities', { labels: fmt.list(g.labels) });
    const parties = or.format(PAUSE_STATUSES.filter((p) => g.on.includes(p)).map(party));
    return fmt.t('terms.pausing.text', { severities, parties });
  });
}

/** A customer's own prices for an offering (§8.2, §8.3): those of its subscription, when terms are prepared for it. */
export interface CustomerPrices {
  readonly prices?: Readonly<Record<string, PriceOverride>> | null;
  readonly priceAsOf?: string | null;
}

/**
 * The subscription whose prices a customer's terms show: of this offering, in
 * force on `at`, else the one that starts next, else the last that ended; null
 * when the customer holds none.
 */
export function subscriptionOn<S extends { offering: string; start: string; end?: string | null }>(subs: readonly S[], offering: string, at: string): S | null {
  const own = subs.filter((s) => s.offering === offering).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  return (
    own.find((s) => s.start <= at && (!s.end || s.end >= at)) ?? own.find((s) => s.start > at) ?? own.filter((s) => s.end && s.end < at).pop() ?? null
  );
}

/**
 * The prices in force for this document: the plan's on `at`; for a customer
 * priced as of a date, each component's version in force on that date with
 * no end (§8.3); the customer's overrides on top (§8.2). Future versions that
 * will not reach the customer (grandfathered, or an agreed price) are left out.
 */
function pricesFor(plan: Plan, offering: Offering, fmt: Formatter, at: string, own: CustomerPrices | undefined): { prices: PriceView[]; future: PriceView[] } {
  const asOf = own?.priceAsOf ?? null;
  const prices = own?.prices ?? {};
  const agreed = (c: PricingComponent): PricingComponent | null => (Object.hasOwn(prices, c.id) ? overridden(offering, c, prices[c.id]) : null);
  const current = offering.pricing
    .filter((c) => inForce(c, asOf ?? at))
    .sort((a, b) => a.order - b.order)
    .map((c) => {
      const mine = agreed(c);
      // the version has no end for this customer when it is priced as of a date, or when its price is agreed and a later version follows
      const endless = asOf !== null || (mine !== null && offering.pricing.some((x) => x.id === c.id && x.from !== undefined && c.to !== undefined && x.from > c.to));
      const version = endless ? ({ ...(mine ?? c), from: undefined, to: undefined } as PricingComponent) : (mine ?? c);
      const source = mine ? fmt.t('price.source.override') : asOf ? fmt.t('price.source.grandfathered', { date: fmt.date(asOf) }) : undefined;
      return priceView(fmt, plan, offering, version, source);
    });
  const future = asOf
    ? []
    : offering.pricing
        .filter((c) => c.from !== undefined && c.from > at && !agreed(c))
        .sort((a, b) => (a.from! < b.from! ? -1 : a.from! > b.from! ? 1 : a.order - b.order))
        .map((c) => priceView(fmt, plan, offering, c));
  return { prices: current, future };
}

export function termsView(plan: Plan, offering: Offering, fmt: Formatter, at: string, customer?: CustomerRef, own?: CustomerPrices): TermsView {
  const partner = fmt.text(plan.partner.name);
  const offeringName = fmt.text(offering.name);

  let delivery: TermsView['delivery'];
  const provider = offering.provider ?? (offering.delivery !== 'partner' ? plan.providers.get(offering.delivery) ?? null : null);
  if (!provider) {
    delivery = { text: fmt.t('terms.delivery.partner', { partner }), contract: null, relationship: 'partner' };
  } else {
    const key = provider.relationship === 'resold' ? 'terms.delivery.resold' : 'terms.delivery.outsourced';
    delivery = {
      text: fmt.t(key, { partner, provider: fmt.text(provider.name) }),
      contract: fmt.t('terms.delivery.contract', { partner }),
      relationship: provider.relationship,
    };
  }

  const escalation: string[] = [];
  const cats = offering.categories;
  if (cats.includes('billing') || cats.includes('subscription')) {
    escalation.push(fmt.t(plan.partner.microsoft.commercial ? 'terms.escalation.commercial' : 'terms.escalation.noCommercial', { partner }));
  }
  if (cats.includes('technical')) {
    const vehicles = plan.partner.microsoft.technical.map((v) => fmt.t(`vehicle.${v}`));
    if (vehicles.length === 0) escalation.push(fmt.t('terms.escalation.noTechnical', { partner }));
    else {
      const programmes = vehicles.length === 1 ? vehicles[0] : fmt.t('terms.escalation.order', { first: vehicles[0], rest: fmt.list(vehicles.slice(1)) });
      escalation.push(fmt.t('terms.escalation.technical', { partner, programmes }));
    }
  }

  const { prices, future } = pricesFor(plan, offering, fmt, at, own);
  const cur = offering.currency;
  return {
    header: headerView(plan, fmt, fmt.t('doc.terms.title', { offering: offeringName }), customer),
    offering: { id: offering.id, name: offeringName, summary: fmt.text(offering.summary) },
    reference: referenceLine(fmt, [...(customer ? [customer.id] : []), offering.id], plan.hash),
    at: fmt.date(at),
    services: offering.services.map((s) => fmt.text(plan.services.get(s)?.name ?? s)),
    categories: offering.categories.map((k) => fmt.t(`category.${k}`)),
    delivery,
    hours: fmt.t('terms.hours.text', { schedule: hoursOf(fmt, offering.calendar) }),
    // The coming holidays: from `at` on, in date order.
    holidays: [...offering.calendar.holidays].filter((d) => d >= at).sort().map((d) => fmt.date(d, true)),
    overrides: overridesOf(fmt, offering.calendar, at),
    channels: offering.channels.flatMap((id) => {
      const ch = plan.channels.get(id);
      if (!ch) return [];
      return [
        {
          id,
          type: fmt.t(`channel.${ch.type}`),
          address: ch.address,
          href: hrefFor(ch.type, ch.address),
          description: fmt.text(ch.description),
          hours: hoursOf(fmt, ch.calendar),
        },
      ];
    }),
    severities: [...offering.severities.values()].map((s) => ({
      label: s.label,
      name: fmt.text(s.name),
      response: fmt.duration(s.responseMinutes),
      resolution: s.resolutionMinutes !== undefined ? fmt.duration(s.resolutionMinutes) : '',
      hours: hoursOf(fmt, s.calendar),
      raised: raisedText(fmt, plan, offering, s, (c) => hoursOf(fmt, c), s.name ? fmt.t('severity.named', { name: fmt.text(s.name), label: s.label }) : s.label),
    })),
    rules: rejectSentences(fmt, plan, offering),
    pausing: pausingOf(fmt, plan, offering),
    free: prices.length === 0,
    prices,
    future,
    minimum: offering.minimum ? fmt.t('terms.minimum.text', { amount: fmt.money(offering.minimum, cur) }) : '',
    credits: offering.serviceCredits
      ? fmt.t(offering.serviceCredits.on?.includes('resolution') ? 'terms.credits.textResolution' : 'terms.credits.text', { perBreach: offering.serviceCredits.perBreach.text, cap: offering.serviceCredits.cap.text })
      : '',
    includes: offering.includes.map((x) => fmt.text(x)),
    excludes: offering.excludes.map((x) => fmt.text(x)),
    escalation,
  };
}
