// Plan changes by meaning (SPEC §7 `diff`). Two compiled plans of one partner
// in, a flat list of entries out, in a stable order: what a reviewer of a
// pull request needs to know, not which YAML lines moved. Pure: no I/O.
//
// Kinds (stable; JSON consumers may switch on them):
//   plan-added, plan-removed                 a whole plan file appeared / went away
//   partner-changed                          partner.name|currency|timezone|locale|rounding|microsoft.*|contact
//   service-added|removed|changed            services.<id>
//   provider-added|removed|changed           providers.<id>[.name|relationship|costs|contact]
//   channel-added|removed|changed            channels.<id>[.type|address|calendar|calendar.holidays|description]
//   offering-added, offering-removed         offerings.<id>
//   offering-changed                         offerings.<id>.name|summary|services|categories|includes|excludes|currency
//   offerings-reordered                      offerings (matching order of SPEC §3.1)
//   delivery-changed                         offerings.<id>.delivery (partner <-> provider)
//   hours-changed                            offerings.<id>.calendar (weekly windows or timezone)
//                                            offerings.<id>.calendar.overrides.<date> (a dated override)
//   holiday-added, holiday-removed           offerings.<id>.calendar.holidays
//   offering-channel-added|removed           offerings.<id>.channels
//   severity-added|removed|changed           offerings.<id>.severities.<label>[.name|response|resolution|calendar|pauseOn]
//   price-added, price-removed               offerings.<id>.pricing.<component>[@<from>]
//   price-changed                            offerings.<id>.pricing.<component>[@<from>][.<field>]
//   minimum-changed                          offerings.<id>.minimum
//   service-credits-changed                  offerings.<id>.serviceCredits
//   rule-added, rule-removed                 rules.<id>
//   rule-changed                             rules.<id>.when|then|description
//   rules-reordered                          rules (evaluation order)
//
// Paths name list items by id (and a price version by id@from) instead of by
// index, because indexes shift between revisions. A renamed id is a removal
// plus an addition: the diff cannot know intent, and customers see both.
import type { Calendar } from '../calendar/types.js';
import { pricingModel } from '../models/index.js';
import type {
  Channel,
  Contact,
  CostComponent,
  Dec,
  LocaleText,
  Matcher,
  Offering,
  Plan,
  PricingComponent,
  Provider,
  Rule,
  RuleWhen,
  Severity,
  Tier,
} from './types.js';

export type DiffKind =
  | 'plan-added'
  | 'plan-removed'
  | 'partner-changed'
  | 'service-added'
  | 'service-removed'
  | 'service-changed'
  | 'provider-added'
  | 'provider-removed'
  | 'provider-changed'
  | 'channel-added'
  | 'channel-removed'
  | 'channel-changed'
  | 'offering-added'
  | 'offering-removed'
  | 'offering-changed'
  | 'offerings-reordered'
  | 'delivery-changed'
  | 'hours-changed'
  | 'holiday-added'
  | 'holiday-removed'
  | 'offering-channel-added'
  | 'offering-channel-removed'
  | 'severity-added'
  | 'severity-removed'
  | 'severity-changed'
  | 'price-added'
  | 'price-removed'
  | 'price-changed'
  | 'minimum-changed'
  | 'service-credits-changed'
  | 'rule-added'
  | 'rule-removed'
  | 'rule-changed'
  | 'rules-reordered';

export interface DiffEntry {
  readonly partner: string;
  /** Present when the change belongs to one offering. */
  readonly offering?: string;
  readonly kind: DiffKind;
  readonly path: string;
  /** Human-readable normalized value before the change (absent for additions). */
  readonly before?: string;
  /** Human-readable normalized value after the change (absent for removals). */
  readonly after?: string;
  /** One line, without the partner and offering (they are in their own fields). */
  readonly summary: string;
}

export type PlanDiff = readonly DiffEntry[];

// ---------------------------------------------------------------- words

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function hhmm(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** Weekly windows in words, e.g. `mon-fri 08:00-18:00, sat 09:00-13:00 (America/New_York)`. */
export function hoursInWords(cal: Calendar): string {
  if (cal.alwaysOpen) return '24x7';
  const day = (i: number) => (cal.weekly[i] ?? []).map((w) => `${hhmm(w.start)}-${hhmm(w.end)}`).join(', ');
  const parts: string[] = [];
  let i = 0;
  while (i < 7) {
    const text = day(i);
    let j = i;
    // consecutive days with the same windows read as one range, like the plan file's `mon-fri`
    while (j + 1 < 7 && day(j + 1) === text) j++;
    if (text !== '') parts.push(`${i === j ? DAYS[i] : `${DAYS[i]}-${DAYS[j]}`} ${text}`);
    i = j + 1;
  }
  return `${parts.length ? parts.join('; ') : 'closed'} (${cal.timezone})`;
}

function text(t: LocaleText | undefined): string {
  if (!t) return '(none)';
  const en = t['en-US'] ?? '';
  const others = Object.keys(t)
    .filter((k) => k !== 'en-US')
    .sort()
    .map((k) => `${k}: ${t[k]}`);
  return others.length ? `${en} (${others.join('; ')})` : en;
}

function list(xs: readonly string[] | null | undefined, none = '(none)'): string {
  return xs && xs.length ? xs.join(', ') : none;
}

/** A currency and its minor units: money reads the same however it was written. */
interface Cur {
  readonly code: string;
  readonly exponent: number;
}

/** `USD 250.00` for 250, "250" and 250.000 alike: by value, at least the currency's decimals. */
function money(d: Dec | undefined, cur: Cur): string {
  if (!d) return '(none)';
  let { units, scale } = d;
  while (scale > cur.exponent && units % 10n === 0n) {
    units /= 10n;
    scale--;
  }
  while (scale < cur.exponent) {
    units *= 10n;
    scale++;
  }
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(scale + 1, '0');
  const body = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return `${cur.code} ${neg ? '-' : ''}${body}`;
}

const curOf = (x: { currency: string; exponent: number }): Cur => ({ code: x.currency, exponent: x.exponent });

function minutes(m: number): string {
  if (m === 0) return '0m';
  const h = Math.floor(m / 60);
  const r = m % 60;
  return `${h ? `${h}h` : ''}${r ? `${r}m` : ''}`;
}

function contact(c: Contact | undefined): string {
  if (!c) return '(none)';
  const parts: string[] = [];
  if (c.email) parts.push(`email ${c.email}`);
  if (c.phone) parts.push(`phone ${c.phone}`);
  if (c.url) parts.push(`url ${c.url}`);
  return list(parts);
}

function tiers(ts: readonly Tier[], currency: Cur): string {
  let lower = 1;
  return ts
    .map((t) => {
      const range = t.upTo === null ? `${lower}+` : `${lower}-${t.upTo}`;
      if (t.upTo !== null) lower = t.upTo + 1;
      return `${range} ${money(t.amount, currency)}${t.flat ? ` + ${money(t.flat, currency)} flat` : ''}`;
    })
    .join('; ');
}

function validity(c: PricingComponent): string {
  if (c.from && c.to) return `${c.from} to ${c.to}`;
  if (c.from) return `from ${c.from}`;
  if (c.to) return `until ${c.to}`;
  return 'no end date';
}

/** The fields of a component that carry meaning, as words, per model. */
function componentFields(c: PricingComponent, cur: Cur): Record<string, string> {
  // the model's own fields (src/models), then what every version has
  const f: Record<string, string> = pricingModel(c.model).diffFields(c, {
    money: (d) => money(d, cur),
    minutes,
    list,
    tiers: (ts) => tiers(ts, cur),
  });
  f.to = c.to ?? '(no end date)';
  if (c.description) f.description = text(c.description);
  return f;
}

/** A price component in one line: `USD 250.00 per month (flat), from 2027-01-01`. */
export function componentInWords(c: PricingComponent, cur: Cur): string {
  const f = componentFields(c, cur);
  const body = Object.entries(f)
    .filter(([k]) => k !== 'to' && k !== 'description')
    .map(([k, v]) => (k === 'metric' ? `metric ${v}` : k === 'minimum' || k === 'maximum' ? `${k} ${v}` : v))
    .join(', ');
  return `${body} (${c.model}), ${validity(c)}`;
}

function costInWords(c: CostComponent, cur: Cur): string {
  switch (c.model) {
    case 'flat':
      return `${money(c.amount, cur)} per customer per month`;
    case 'per-incident':
      return `${money(c.amount, cur)} per incident`;
    case 'hourly':
      return `${money(c.amount, cur)} per hour`;
    case 'percent-of-price':
      return `${c.rate.text} of price`;
    default: {
      const never: never = c; // a new cost model must say its words here
      return never;
    }
  }
}

function condition(w: RuleWhen): string {
  const m = (v: Matcher) => {
    const vals = v.values.map(String);
    const s = vals.length === 1 ? vals[0] : `[${vals.join(', ')}]`;
    return v.negate ? `not ${s}` : s;
  };
  const parts = Object.keys(w.fields)
    .sort()
    .map((k) => `${k}: ${m(w.fields[k as keyof typeof w.fields] as Matcher)}`);
  if (w.any && w.any.length) parts.push(`any of (${w.any.map(condition).join(' | ')})`);
  return parts.length ? parts.join(', ') : 'always';
}

function effect(r: Rule): string {
  const t = r.then;
  const parts: string[] = [];
  if (t.reject !== undefined) parts.push(`reject ${JSON.stringify(t.reject)}`);
  if (t.route !== undefined) parts.push(`route ${t.route}`);
  if (t.billable !== undefined) parts.push(`billable ${t.billable}`);
  if (t.response !== undefined) parts.push(`response ${t.response}`);
  if (t.note !== undefined) parts.push(`note ${JSON.stringify(t.note)}`);
  return parts.join(', ') || '(nothing)';
}

function ruleInWords(r: Rule): string {
  return `when ${condition(r.when)} then ${effect(r)}`;
}

function severityInWords(s: Severity): string {
  const name = s.name ? `${text(s.name)}, ` : '';
  const res = s.resolution ? `, resolution ${s.resolution}` : '';
  return `${name}response ${s.response}${res}, ${hoursInWords(s.calendar)}`;
}

function deliveryInWords(o: Offering): string {
  return o.provider ? `${o.delivery} (${o.provider.relationship})` : o.delivery;
}

function serviceCreditsInWords(o: Offering): string {
  const sc = o.serviceCredits;
  return sc ? `${sc.perBreach.text} per breach, cap ${sc.cap.text}` : '(none)';
}

// ---------------------------------------------------------------- comparing

function sameOrder(before: readonly string[], after: readonly string[]): boolean {
  const common = new Set(after.filter((x) => before.includes(x)));
  const a = before.filter((x) => common.has(x));
  const b = after.filter((x) => common.has(x));
  return a.every((x, i) => x === b[i]);
}

class Collector {
  readonly out: DiffEntry[] = [];
  constructor(private readonly partner: string) {}
  add(e: Omit<DiffEntry, 'partner'>): void {
    const entry: Record<string, unknown> = { partner: this.partner, ...e };
    // drop undefined keys so JSON and deep-equality see only what is there
    for (const k of Object.keys(entry)) if (entry[k] === undefined) delete entry[k];
    this.out.push(entry as unknown as DiffEntry);
  }
  /** One `*-changed` entry when the words differ. */
  change(kind: DiffKind, path: string, what: string, before: string, after: string, offering?: string): void {
    if (before === after) return;
    this.add({ offering, kind, path, before, after, summary: `${what}: ${before} → ${after}` });
  }
}

/** Items keyed by id, in the after order, removed ones first at their place in before. */
function keyed<T>(before: ReadonlyMap<string, T>, after: ReadonlyMap<string, T>): Array<[string, T | undefined, T | undefined]> {
  const out: Array<[string, T | undefined, T | undefined]> = [];
  for (const [k, b] of before) if (!after.has(k)) out.push([k, b, undefined]);
  for (const [k, a] of after) out.push([k, before.get(k), a]);
  return out;
}

function planSummary(p: Plan): string {
  return `${text(p.partner.name)} (${p.partner.currency}, ${p.partner.timezone}); offerings: ${list([...p.offerings.keys()])}`;
}

// ---------------------------------------------------------------- the diff

/**
 * The changes from `before` to `after` (null = no plan on that side: the file
 * was added or deleted). Plans of different partners read as one removed and
 * one added plan.
 */
export function diffPlans(before: Plan | null, after: Plan | null): PlanDiff {
  if (!before && !after) return [];
  if (before && after && before.partner.id !== after.partner.id) {
    return [...diffPlans(before, null), ...diffPlans(null, after)];
  }
  if (!before || !after) {
    const p = (before ?? after) as Plan;
    const c = new Collector(p.partner.id);
    const added = !before;
    c.add({
      kind: added ? 'plan-added' : 'plan-removed',
      path: '',
      [added ? 'after' : 'before']: planSummary(p),
      summary: `plan ${added ? 'added' : 'removed'}: ${planSummary(p)}`,
    });
    return c.out;
  }
  const c = new Collector(after.partner.id);
  diffPartner(c, before, after);
  diffServices(c, before, after);
  diffProviders(c, before, after);
  diffChannels(c, before, after);
  const bIds = [...before.offerings.keys()];
  const aIds = [...after.offerings.keys()];
  for (const [id, b, a] of keyed(before.offerings, after.offerings)) diffOffering(c, id, b, a);
  if (!sameOrder(bIds, aIds)) {
    c.change('offerings-reordered', 'offerings', 'offering order (request matching)', bIds.filter((x) => aIds.includes(x)).join(', '), aIds.filter((x) => bIds.includes(x)).join(', '));
  }
  diffRules(c, before.rules, after.rules);
  return c.out;
}

function diffPartner(c: Collector, before: Plan, after: Plan): void {
  const b = before.partner;
  const a = after.partner;
  const fields: Array<[string, string, string]> = [
    ['name', text(b.name), text(a.name)],
    ['currency', b.currency, a.currency],
    ['timezone', b.timezone, a.timezone],
    ['locale', b.locale, a.locale],
    ['rounding', b.rounding, a.rounding],
    ['microsoft.commercial', String(b.microsoft.commercial), String(a.microsoft.commercial)],
    ['microsoft.technical', list(b.microsoft.technical), list(a.microsoft.technical)],
    ['contact', contact(b.contact), contact(a.contact)],
  ];
  for (const [f, x, y] of fields) c.change('partner-changed', `partner.${f}`, `partner ${f}`, x, y);
}

function diffServices(c: Collector, before: Plan, after: Plan): void {
  for (const [id, b, a] of keyed(before.services, after.services)) {
    const path = `services.${id}`;
    if (!a) c.add({ kind: 'service-removed', path, before: text(b!.name), summary: `service ${id} removed (${text(b!.name)})` });
    else if (!b) c.add({ kind: 'service-added', path, after: text(a.name), summary: `service ${id} added (${text(a.name)})` });
    else c.change('service-changed', path, `service ${id} name`, text(b.name), text(a.name));
  }
}

function providerInWords(p: Provider, cur: Cur): string {
  return `${text(p.name)}, ${p.relationship}, costs: ${list(p.costs.map((x) => costInWords(x, cur)))}`;
}

function diffProviders(c: Collector, before: Plan, after: Plan): void {
  const bc = curOf(before.partner);
  const ac = curOf(after.partner);
  for (const [id, b, a] of keyed(before.providers, after.providers)) {
    const path = `providers.${id}`;
    if (!a) c.add({ kind: 'provider-removed', path, before: providerInWords(b!, bc), summary: `provider ${id} removed (${providerInWords(b!, bc)})` });
    else if (!b) c.add({ kind: 'provider-added', path, after: providerInWords(a, ac), summary: `provider ${id} added (${providerInWords(a, ac)})` });
    else {
      c.change('provider-changed', `${path}.name`, `provider ${id} name`, text(b.name), text(a.name));
      c.change('provider-changed', `${path}.relationship`, `provider ${id} relationship`, b.relationship, a.relationship);
      c.change('provider-changed', `${path}.costs`, `provider ${id} costs`, list(b.costs.map((x) => costInWords(x, bc))), list(a.costs.map((x) => costInWords(x, ac))));
      c.change('provider-changed', `${path}.contact`, `provider ${id} contact`, contact(b.contact), contact(a.contact));
    }
  }
}

function channelInWords(ch: Channel): string {
  return `${ch.type} ${ch.address}, ${hoursInWords(ch.calendar)}`;
}

function diffChannels(c: Collector, before: Plan, after: Plan): void {
  for (const [id, b, a] of keyed(before.channels, after.channels)) {
    const path = `channels.${id}`;
    if (!a) c.add({ kind: 'channel-removed', path, before: channelInWords(b!), summary: `channel ${id} removed (${channelInWords(b!)})` });
    else if (!b) c.add({ kind: 'channel-added', path, after: channelInWords(a), summary: `channel ${id} added (${channelInWords(a)})` });
    else {
      c.change('channel-changed', `${path}.type`, `channel ${id} type`, b.type, a.type);
      c.change('channel-changed', `${path}.address`, `channel ${id} address`, b.address, a.address);
      c.change('channel-changed', `${path}.calendar`, `channel ${id} hours`, hoursInWords(b.calendar), hoursInWords(a.calendar));
      c.change('channel-changed', `${path}.calendar.holidays`, `channel ${id} holidays`, list(b.calendar.holidays), list(a.calendar.holidays));
      c.change('channel-changed', `${path}.description`, `channel ${id} description`, b.description ? text(b.description) : '(none)', a.description ? text(a.description) : '(none)');
    }
  }
}

function offeringInWords(o: Offering): string {
  return `${text(o.name)}; delivery ${deliveryInWords(o)}; hours ${hoursInWords(o.calendar)}; prices: ${list(o.pricing.map((p) => `${p.id} ${componentInWords(p, curOf(o))}`))}`;
}

function diffOffering(c: Collector, id: string, b: Offering | undefined, a: Offering | undefined): void {
  const path = `offerings.${id}`;
  if (!a) {
    c.add({ offering: id, kind: 'offering-removed', path, before: offeringInWords(b!), summary: `offering removed: ${offeringInWords(b!)}` });
    return;
  }
  if (!b) {
    c.add({ offering: id, kind: 'offering-added', path, after: offeringInWords(a), summary: `offering added: ${offeringInWords(a)}` });
    return;
  }
  const ch = (kind: DiffKind, sub: string, what: string, x: string, y: string) => c.change(kind, `${path}.${sub}`, what, x, y, id);
  ch('delivery-changed', 'delivery', 'delivery', deliveryInWords(b), deliveryInWords(a));
  ch('offering-changed', 'name', 'name', text(b.name), text(a.name));
  ch('offering-changed', 'summary', 'summary', b.summary ? text(b.summary) : '(none)', a.summary ? text(a.summary) : '(none)');
  ch('offering-changed', 'services', 'services', list(b.services), list(a.services));
  ch('offering-changed', 'categories', 'categories', list(b.categories), list(a.categories));
  ch('offering-changed', 'includes', 'includes', list(b.includes.map(text)), list(a.includes.map(text)));
  ch('offering-changed', 'excludes', 'excludes', list(b.excludes.map(text)), list(a.excludes.map(text)));
  ch('offering-changed', 'currency', 'currency', b.currency, a.currency);
  ch('hours-changed', 'calendar', 'coverage hours', hoursInWords(b.calendar), hoursInWords(a.calendar));
  for (const d of b.calendar.holidays) {
    if (!a.calendar.holidays.includes(d)) c.add({ offering: id, kind: 'holiday-removed', path: `${path}.calendar.holidays`, before: d, summary: `holiday ${d} removed (now a working day)` });
  }
  for (const d of a.calendar.holidays) {
    if (!b.calendar.holidays.includes(d)) c.add({ offering: id, kind: 'holiday-added', path: `${path}.calendar.holidays`, after: d, summary: `holiday ${d} added (closed all day)` });
  }
  // dated overrides (make-up days, half days): one entry per date whose hours changed
  const dayWords = (cal: Calendar, d: string): string => {
    const ws = cal.overrides?.[d];
    return ws === undefined ? '(weekly hours)' : ws.length === 0 ? 'closed' : ws.map((w) => `${hhmm(w.start)}-${hhmm(w.end)}`).join(', ');
  };
  const dates = [...new Set([...Object.keys(b.calendar.overrides ?? {}), ...Object.keys(a.calendar.overrides ?? {})])].sort();
  for (const d of dates) ch('hours-changed', `calendar.overrides.${d}`, `hours on ${d}`, dayWords(b.calendar, d), dayWords(a.calendar, d));
  for (const x of b.channels) {
    if (!a.channels.includes(x)) c.add({ offering: id, kind: 'offering-channel-removed', path: `${path}.channels`, before: x, summary: `channel ${x} no longer offered` });
  }
  for (const x of a.channels) {
    if (!b.channels.includes(x)) c.add({ offering: id, kind: 'offering-channel-added', path: `${path}.channels`, after: x, summary: `channel ${x} now offered` });
  }
  diffSeverities(c, id, b, a);
  diffPricing(c, id, b, a);
  const min = (o: Offering) => (o.minimum ? `${money(o.minimum, curOf(o))} per month` : '(none)');
  ch('minimum-changed', 'minimum', 'minimum commitment', min(b), min(a));
  ch('service-credits-changed', 'serviceCredits', 'service credits', serviceCreditsInWords(b), serviceCreditsInWords(a));
}

function diffSeverities(c: Collector, id: string, bo: Offering, ao: Offering): void {
  for (const [label, b, a] of keyed(bo.severities, ao.severities)) {
    const path = `offerings.${id}.severities.${label}`;
    if (!a) {
      c.add({ offering: id, kind: 'severity-removed', path, before: severityInWords(b!), summary: `severity ${label} removed (${severityInWords(b!)})` });
      continue;
    }
    if (!b) {
      c.add({ offering: id, kind: 'severity-added', path, after: severityInWords(a), summary: `severity ${label} added (${severityInWords(a)})` });
      continue;
    }
    const ch = (sub: string, what: string, x: string, y: string) => c.change('severity-changed', `${path}.${sub}`, `severity ${label} ${what}`, x, y, id);
    ch('name', 'name', b.name ? text(b.name) : '(none)', a.name ? text(a.name) : '(none)');
    ch('response', 'response target', b.response, a.response);
    ch('resolution', 'resolution target', b.resolution ?? '(none)', a.resolution ?? '(none)');
    ch('pauseOn', 'clock pauses on', (b.pauseOn ?? []).join(', ') || '(never)', (a.pauseOn ?? []).join(', ') || '(never)');
    // A severity that follows its offering's calendar on both sides is already
    // covered by the offering's hours-changed entry; repeating it is noise.
    const follows = (s: Severity, o: Offering) => hoursInWords(s.calendar) === hoursInWords(o.calendar);
    if (!(follows(b, bo) && follows(a, ao))) ch('calendar', 'hours', hoursInWords(b.calendar), hoursInWords(a.calendar));
  }
}

/** Versions of a component are told apart by their `from` (SPEC §4.1). */
function versionKey(p: PricingComponent): string {
  return p.from ? `${p.id}@${p.from}` : p.id;
}

function versionName(p: PricingComponent): string {
  return p.from ? `price ${p.id} from ${p.from}` : `price ${p.id}`;
}

function diffPricing(c: Collector, id: string, bo: Offering, ao: Offering): void {
  const bm = new Map(bo.pricing.map((p) => [versionKey(p), p]));
  const am = new Map(ao.pricing.map((p) => [versionKey(p), p]));
  for (const [key, b, a] of keyed(bm, am)) {
    const path = `offerings.${id}.pricing.${key}`;
    if (!a) {
      const w = componentInWords(b!, curOf(bo));
      c.add({ offering: id, kind: 'price-removed', path, before: w, summary: `price ${b!.id} removed: ${w}` });
      continue;
    }
    if (!b) {
      const w = componentInWords(a, curOf(ao));
      c.add({ offering: id, kind: 'price-added', path, after: w, summary: `price ${a.id} added: ${w}` });
      continue;
    }
    if (b.model !== a.model) {
      c.change('price-changed', path, versionName(a), componentInWords(b, curOf(bo)), componentInWords(a, curOf(ao)), id);
      continue;
    }
    const bf = componentFields(b, curOf(bo));
    const af = componentFields(a, curOf(ao));
    for (const f of new Set([...Object.keys(bf), ...Object.keys(af)])) {
      const x = bf[f] ?? '(none)';
      const y = af[f] ?? '(none)';
      if (f === 'to') c.change('price-changed', `${path}.to`, `${versionName(a)} ends`, x, y, id);
      else c.change('price-changed', `${path}.${f}`, `${versionName(a)} ${f}`, x, y, id);
    }
  }
}

function diffRules(c: Collector, before: readonly Rule[], after: readonly Rule[]): void {
  const bm = new Map(before.map((r) => [r.id, r]));
  const am = new Map(after.map((r) => [r.id, r]));
  for (const [id, b, a] of keyed(bm, am)) {
    const path = `rules.${id}`;
    if (!a) c.add({ kind: 'rule-removed', path, before: ruleInWords(b!), summary: `rule ${id} removed: ${ruleInWords(b!)}` });
    else if (!b) c.add({ kind: 'rule-added', path, after: ruleInWords(a), summary: `rule ${id} added: ${ruleInWords(a)}` });
    else {
      c.change('rule-changed', `${path}.when`, `rule ${id} condition`, condition(b.when), condition(a.when));
      c.change('rule-changed', `${path}.then`, `rule ${id} effect`, effect(b), effect(a));
      c.change('rule-changed', `${path}.description`, `rule ${id} description`, b.description ?? '(none)', a.description ?? '(none)');
    }
  }
  const bIds = before.map((r) => r.id);
  const aIds = after.map((r) => r.id);
  if (!sameOrder(bIds, aIds)) {
    c.change('rules-reordered', 'rules', 'rule order', bIds.filter((x) => am.has(x)).join(', '), aIds.filter((x) => bm.has(x)).join(', '));
  }
}

/**
 * Offerings whose customers' statements may change: those with an entry of
 * their own, and every offering when something plan-wide that pricing or
 * request evaluation reads has changed (partner fields, rules, channels,
 * offering order). Provider costs change margins, not statements.
 */
export function changedOfferings(diff: PlanDiff, before: Plan | null, after: Plan | null): string[] {
  const all = [...new Set([...(before?.offerings.keys() ?? []), ...(after?.offerings.keys() ?? [])])];
  const wide = diff.some((e) =>
    ['plan-added', 'plan-removed', 'partner-changed', 'channel-changed', 'channel-removed', 'rule-added', 'rule-removed', 'rule-changed', 'rules-reordered', 'offerings-reordered', 'service-removed'].includes(e.kind),
  );
  if (wide) return all;
  const named = new Set(diff.filter((e) => e.offering).map((e) => e.offering as string));
  return all.filter((o) => named.has(o));
}
