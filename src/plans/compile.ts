// Validated plan data -> the compiled, immutable Plan (SPEC §2.2 semantic
// checks on the way). Every check reports; the Plan is built only when no
// error was found.
import { alwaysOpenCalendar, compileCalendar, isValidTimeZone } from '../calendar/compile.js';
import { Memo } from '../memo.js';
import type { Calendar, CalendarSpec } from '../calendar/types.js';
import type {
  Category, Channel, CostComponent, Dec, LocaleText, Offering, Partner, Plan, PricingComponent, Provider, Service, Severity, TechnicalVehicle, Tier,
} from './types.js';
import type { OfferingFile, PlanFile } from './schema.js';
import { pricingModel, type PricingFile } from '../models/index.js';
import { Ctx, UNIT_PRICE_DECIMALS, decimalsRule, declared } from './context.js';
import { currencyExponent } from '../currency.js';
import { ALWAYS_OPEN, calendarSpec, isNarrower } from './calendars.js';
import { alwaysRejected, compileRules } from './rules.js';
import { compareDec, percentOver100 } from '../decimal.js';
import { formatDuration, parseDuration } from '../time/duration.js';
import { toLocaleText } from './text.js';
import { matchProblems, type ServiceMatch } from './service-match.js';
import type { Seg } from './path.js';

const freeze = Object.freeze;

/**
 * Compiled calendars by spec. A Calendar is a pure function of its spec (its
 * caches only remember answers), so plans whose calendars are written alike
 * (the same zone, hours and holidays under the same id) share one: compiling
 * one costs its zone's offset tables and cache arrays, per plan file.
 */
const compiledCalendars = new Memo<string, Calendar>(256);

function calendarOf(spec: CalendarSpec | string): Calendar {
  const key = typeof spec === 'string' ? spec : JSON.stringify(spec);
  return compiledCalendars.get(key) ?? compiledCalendars.set(key, typeof spec === 'string' ? alwaysOpenCalendar(spec) : compileCalendar(spec));
}
const entries = <V>(m: Readonly<Record<string, V>> | undefined): [string, V][] => (m ? Object.entries(m) : []);

export function compilePlan(ctx: Ctx, data: PlanFile, hash: string): Plan | null {
  const p = data.partner;
  const locale = p.locale ?? 'en-US';
  const lt = (v: string | Readonly<Record<string, string>>): LocaleText => toLocaleText(v, locale);

  // ---- partner
  let exponent = currencyExponent(p.currency);
  if (exponent === null) {
    ctx.error(['partner', 'currency'], `unknown currency "${p.currency}"; expected an ISO 4217 code like USD, EUR, CNY, JPY`);
    exponent = 2;
  }
  const tzOk = isValidTimeZone(p.timezone);
  if (!tzOk) ctx.error(['partner', 'timezone'], `unknown time zone "${p.timezone}"; expected an IANA zone like America/New_York`);
  const partnerTz = tzOk ? p.timezone : 'UTC';
  // §12.4: signature-cloud is now Partner Cloud Support; read it as that, once, and say so
  const technical: TechnicalVehicle[] = [];
  (p.microsoft?.technical ?? []).forEach((v, i) => {
    let name = v as TechnicalVehicle | 'signature-cloud';
    if (name === 'signature-cloud') {
      ctx.warn(['partner', 'microsoft', 'technical', i], 'signature-cloud is Partner Cloud Support (formerly Signature Cloud Support): write partner-cloud-support; read as partner-cloud-support');
      name = 'partner-cloud-support';
    }
    if (!technical.includes(name)) technical.push(name);
  });
  const partner: Partner = freeze({
    id: p.id, name: lt(p.name), currency: p.currency, exponent, timezone: partnerTz, locale,
    rounding: p.rounding ?? 'half-up',
    ...(p.taxInclusive ? { taxInclusive: true } : {}),
    microsoft: freeze({ commercial: p.microsoft?.commercial ?? true, technical: freeze([...technical]) }),
    ...(p.contact ? { contact: freeze({ ...p.contact }) } : {}),
    ...(p.billing ? { billing: freeze({ paymentTerms: p.billing.paymentTerms ?? 30, ...(p.billing.taxId ? { taxId: p.billing.taxId } : {}), ...(p.billing.quoteValidDays !== undefined ? { quoteValidDays: p.billing.quoteValidDays } : {}) }) } : {}),
  });
  const wholeRule = decimalsRule(p.currency, exponent);
  const unitRule = `unit prices allow up to ${UNIT_PRICE_DECIMALS} decimals`;

  // ---- services
  const services = new Map<string, Service>();
  for (const [id, s] of entries(data.services)) {
    // the long form { name, match } (§12.1); a locale map never has a `name` key
    if (typeof s === 'object' && s !== null && 'name' in s) {
      const long = s as { name: Parameters<typeof lt>[0]; match?: unknown };
      for (const k of Object.keys(s)) if (k !== 'name' && k !== 'match') ctx.error(['services', id, k], `unknown key "${k}" in a service (keys: name, match)`, true);
      let match: ServiceMatch | undefined;
      if (long.match !== undefined) {
        const problems = matchProblems(long.match);
        for (const [path, message, onKey] of problems) ctx.error(['services', id, 'match', ...path], message, onKey);
        if (problems.length === 0) match = freeze(Object.fromEntries(Object.entries(long.match as Record<string, string[]>).map(([f, l]) => [f, freeze([...l])])));
      }
      services.set(id, freeze({ id, name: lt(long.name), ...(match ? { match } : {}) }));
    } else services.set(id, freeze({ id, name: lt(s as Parameters<typeof lt>[0]) }));
  }

  // ---- metric display names (the schema checked the locale keys)
  const metrics = new Map<string, LocaleText>(entries(data.metrics).map(([id, m]) => [id, lt(m)]));

  // ---- providers
  const providers = new Map<string, Provider>();
  for (const [id, pr] of entries(data.providers)) {
    const segs: Seg[] = ['providers', id];
    if (id === 'partner') ctx.error(segs, 'the id "partner" is reserved for delivery by the partner itself; choose another provider id', true);
    const models = new Map<string, number>();
    const costs: CostComponent[] = [];
    pr.costs.forEach((c, i) => {
      const cs = [...segs, 'costs', i];
      const prev = models.get(c.model);
      if (prev !== undefined) ctx.error([...cs, 'model'], `cost model "${c.model}" is given twice (also costs[${prev}]); give each model once`);
      models.set(c.model, i);
      if (c.model === 'percent-of-price') {
        const rate = ctx.percent([...cs, 'rate'], c.rate);
        if (rate && percentOver100(rate)) ctx.error([...cs, 'rate'], `${c.rate} is over 100%: a cost share of the price cannot exceed the whole price`);
        if (rate) costs.push(freeze({ model: c.model, rate }));
      } else {
        const amount = ctx.money([...cs, 'amount'], c.amount, c.model === 'hourly' ? UNIT_PRICE_DECIMALS : exponent, c.model === 'hourly' ? unitRule : wholeRule);
        if (amount) costs.push(freeze({ model: c.model, amount }));
      }
    });
    providers.set(id, freeze({
      id, name: lt(pr.name), relationship: pr.relationship, costs: freeze(costs), ...(pr.contact ? { contact: freeze({ ...pr.contact }) } : {}),
    }));
  }

  // ---- calendars
  const calendars = new Map<string, Calendar>([[ALWAYS_OPEN, calendarOf(partnerTz)]]);
  for (const [id, cal] of entries(data.calendars)) {
    const segs: Seg[] = ['calendars', id];
    if (id === ALWAYS_OPEN) {
      ctx.error(segs, `"${ALWAYS_OPEN}" is the built-in always-open calendar and cannot be declared; choose another id`, true);
      continue;
    }
    let tz = partnerTz;
    if (cal.timezone !== undefined) {
      if (isValidTimeZone(cal.timezone)) tz = cal.timezone;
      else ctx.error([...segs, 'timezone'], `unknown time zone "${cal.timezone}"; expected an IANA zone like Asia/Shanghai`);
    }
    const spec = calendarSpec(ctx, id, cal, tz, segs);
    if (spec) calendars.set(id, calendarOf(spec));
  }
  const declaredCalendars = [ALWAYS_OPEN, ...Object.keys(data.calendars ?? {})];
  const calendarRef = (segs: readonly Seg[], id: string | undefined): Calendar => {
    const ref = id ?? ALWAYS_OPEN;
    const c = calendars.get(ref);
    if (c) return c;
    if (!declaredCalendars.includes(ref)) ctx.error(segs, `unknown calendar "${ref}" ${declared(declaredCalendars)}`);
    return calendars.get(ALWAYS_OPEN)!; // placeholder; the plan is not built on error
  };

  // ---- channels
  const channels = new Map<string, Channel>();
  for (const [id, ch] of entries(data.channels)) {
    const segs: Seg[] = ['channels', id];
    channels.set(id, freeze({
      id, type: ch.type, address: ch.address, calendar: calendarRef([...segs, 'calendar'], ch.calendar),
      ...(ch.description !== undefined ? { description: lt(ch.description) } : {}),
    }));
  }

  // ---- offerings
  const usedProviders = new Set<string>();
  const offerings = new Map<string, Offering>();
  entries(data.offerings).forEach(([id, o], index) => {
    const off = compileOffering(ctx, id, index, o, {
      lt, exponent: exponent!, partnerCurrency: p.currency, services, providers, channels, calendarRef, usedProviders,
    });
    if (off) offerings.set(id, off);
  });

  // ---- rules
  const severityLabels = new Set<string>();
  for (const o of Object.values(data.offerings)) for (const l of Object.keys(o.severities)) severityLabels.add(l);
  const rules = compileRules(ctx, data.rules ?? [], {
    offerings: new Set(Object.keys(data.offerings)), services: new Set(services.keys()), channels: new Set(channels.keys()),
    severities: severityLabels, providers: new Set(providers.keys()),
  });
  for (const r of rules) if (r.then.route && r.then.route !== 'partner') usedProviders.add(r.then.route);

  // ---- warnings
  for (const [id, o] of offerings) {
    const ti = o.categories.indexOf('technical');
    if (ti >= 0 && technical.length === 0)
      ctx.warn(['offerings', id, 'categories', ti], 'covers technical issues, but partner.microsoft.technical lists no technical escalation vehicle (premier-support, advanced-support, partner-cloud-support, unified-support)');
    for (const [label, sev] of o.severities) {
      const reachable = o.channels.filter((c) => !alwaysRejected(rules, id, label, c)).map((c) => channels.get(c)).filter((c): c is Channel => !!c);
      if (reachable.length > 0 && reachable.every((c) => isNarrower(c.calendar, sev.calendar))) {
        const via = reachable.map((c) => `${c.id} (calendar "${c.calendar.id}")`).join(', ');
        ctx.warn(['offerings', id, 'severities', label],
          `severity ${label} runs on calendar "${sev.calendar.id}" but can only be raised through ${via}, which is closed at some of those times`, true);
      }
    }
  }
  for (const [id, o] of offerings) {
    // §8.6: a worklog naming no component goes to the first hourly one; with two, worklogs should say which
    const labour = [...new Set(o.pricing.filter((c) => c.model === 'hourly').map((c) => c.id))];
    if (labour.length > 1) {
      const i = data.offerings[id].pricing.findIndex((c) => c.model === 'hourly' && c.id === labour[1]);
      ctx.warn(['offerings', id, 'pricing', i], `offering "${id}" has ${labour.length} hourly components (${labour.join(', ')}): worklogs that name no component are billed under "${labour[0]}"; give worklogs a component`);
    }
  }
  const metered = new Set(Object.values(data.offerings).flatMap((o) => o.pricing.map((c) => (c as { metric?: string }).metric).filter((m) => m !== undefined)));
  for (const id of metrics.keys()) if (!metered.has(id)) ctx.warn(['metrics', id], `metric "${id}" has display names but no pricing component counts it (metrics counted: ${[...metered].join(', ') || 'none'})`, true);
  for (const id of providers.keys())
    if (!usedProviders.has(id)) ctx.warn(['providers', id], `provider "${id}" is never used: no offering delivers through it and no rule routes to it`, true);

  if (ctx.failed) return null;
  return freeze({
    version: 1, file: ctx.file, hash, partner, services, ...(metrics.size > 0 ? { metrics } : {}), providers, calendars, channels, offerings, rules: freeze(rules),
  });
}

interface OfferingEnv {
  lt(v: string | Readonly<Record<string, string>>): LocaleText;
  exponent: number;
  partnerCurrency: string;
  services: ReadonlyMap<string, Service>;
  providers: ReadonlyMap<string, Provider>;
  channels: ReadonlyMap<string, Channel>;
  calendarRef(segs: readonly Seg[], id: string | undefined): Calendar;
  usedProviders: Set<string>;
}

function compileOffering(ctx: Ctx, id: string, index: number, o: OfferingFile, env: OfferingEnv): Offering | null {
  const segs: Seg[] = ['offerings', id];
  const delivery = o.delivery ?? 'partner';
  let provider: Provider | null = null;
  if (delivery !== 'partner') {
    provider = env.providers.get(delivery) ?? null;
    if (!provider) ctx.error([...segs, 'delivery'], `unknown provider "${delivery}"; delivery is partner or a provider ${declared(env.providers.keys())}`);
    env.usedProviders.add(delivery);
  }
  o.services.forEach((s, i) => {
    if (!env.services.has(s)) ctx.error([...segs, 'services', i], `unknown service "${s}" ${declared(env.services.keys())}`);
  });
  o.channels.forEach((c, i) => {
    if (!env.channels.has(c)) ctx.error([...segs, 'channels', i], `unknown channel "${c}" ${declared(env.channels.keys())}`);
  });
  const calendar = env.calendarRef([...segs, 'calendar'], o.calendar);

  let currency = env.partnerCurrency;
  let exponent = env.exponent;
  if (o.currency !== undefined) {
    const e = currencyExponent(o.currency);
    if (e === null) ctx.error([...segs, 'currency'], `unknown currency "${o.currency}"; expected an ISO 4217 code like USD, EUR, CNY, JPY`);
    else [currency, exponent] = [o.currency, e];
  }
  const whole = decimalsRule(currency, exponent);
  const unit = `unit prices allow up to ${UNIT_PRICE_DECIMALS} decimals`;

  const severities = new Map<string, Severity>();
  for (const [label, s] of Object.entries(o.severities)) {
    const ss = [...segs, 'severities', label];
    const responseMinutes = parseDuration(s.response) ?? 0;
    if (responseMinutes <= 0) ctx.error([...ss, 'response'], 'a response target must be longer than 0m');
    const resolutionMinutes = s.resolution !== undefined ? parseDuration(s.resolution) ?? undefined : undefined;
    // the resolution target runs a clock now: 0m would breach every request at receipt
    if (resolutionMinutes !== undefined && resolutionMinutes <= 0) ctx.error([...ss, 'resolution'], 'a resolution target must be longer than 0m');
    else if (resolutionMinutes !== undefined && responseMinutes > 0 && resolutionMinutes < responseMinutes)
      ctx.warn([...ss, 'resolution'], `resolution target ${formatDuration(resolutionMinutes)} is shorter than the response target ${formatDuration(responseMinutes)}: requests would have to be resolved before they must first be answered; is one of them mistyped?`);
    // built key by key (same key order as before): object spreads cost far more, times every severity of every file
    const sev: Record<string, unknown> = { label };
    if (s.name !== undefined) sev.name = env.lt(s.name);
    sev.responseMinutes = responseMinutes;
    sev.response = formatDuration(responseMinutes);
    if (resolutionMinutes !== undefined) {
      sev.resolutionMinutes = resolutionMinutes;
      sev.resolution = formatDuration(resolutionMinutes);
    }
    sev.calendar = s.calendar !== undefined ? env.calendarRef([...ss, 'calendar'], s.calendar) : calendar;
    // the severity's own pauseOn replaces the offering's (a Critical severity may pause on nothing)
    const pauseOn = s.pauseOn ?? o.pauseOn;
    if (pauseOn !== undefined && pauseOn.length > 0) sev.pauseOn = freeze([...pauseOn]);
    severities.set(label, freeze(sev) as unknown as Severity);
  }

  const pricing = compilePricing(ctx, segs, o, env, exponent, whole, unit);
  const minimum = o.minimum !== undefined ? ctx.money([...segs, 'minimum'], o.minimum, exponent, whole) ?? undefined : undefined;
  let serviceCredits: Offering['serviceCredits'];
  if (o.serviceCredits) {
    const cs = [...segs, 'serviceCredits'];
    const perBreach = ctx.percent([...cs, 'perBreach'], o.serviceCredits.perBreach);
    const cap = ctx.percent([...cs, 'cap'], o.serviceCredits.cap);
    if (perBreach && percentOver100(perBreach)) ctx.error([...cs, 'perBreach'], `${perBreach.text} is over 100%: a credit cannot exceed the fees it is taken from`);
    if (cap && percentOver100(cap)) ctx.error([...cs, 'cap'], `${cap.text} is over 100%: a credit cannot exceed the fees it is taken from`);
    // the clocks whose breaches count (§11.4); absent: the response clock, as before resolution targets existed
    const on = freeze([...(o.serviceCredits.on ?? ['response'])]);
    if (perBreach && cap) serviceCredits = freeze({ perBreach, cap, on });
  }
  const off: Record<string, unknown> = { id, index, name: env.lt(o.name) };
  if (o.summary !== undefined) off.summary = env.lt(o.summary);
  off.delivery = delivery;
  off.provider = provider;
  off.services = freeze([...o.services]);
  off.categories = freeze([...o.categories]) as readonly Category[];
  off.channels = freeze([...o.channels]);
  off.calendar = calendar;
  off.severities = severities;
  off.pricing = freeze(pricing);
  if (minimum) off.minimum = minimum;
  if (serviceCredits) off.serviceCredits = serviceCredits;
  if (o.pauseOn !== undefined && o.pauseOn.length > 0) off.pauseOn = freeze([...o.pauseOn]);
  off.includes = freeze((o.includes ?? []).map(env.lt));
  off.excludes = freeze((o.excludes ?? []).map(env.lt));
  off.currency = currency;
  off.exponent = exponent;
  return freeze(off) as unknown as Offering;
}

function compilePricing(ctx: Ctx, segs: readonly Seg[], o: OfferingFile, env: OfferingEnv, exponent: number, whole: string, unit: string): PricingComponent[] {
  const order = new Map<string, number>();
  const versions = new Map<string, { from: string; to: string; i: number }[]>();
  const out: PricingComponent[] = [];
  const refs: { id: string; model: string; segs: readonly Seg[]; component: PricingComponent }[] = [];
  o.pricing.forEach((c: PricingFile, i) => {
    const cs = [...segs, 'pricing', i];
    if (!order.has(c.id)) order.set(c.id, i);
    if (c.from !== undefined && c.to !== undefined && c.from > c.to) ctx.error([...cs, 'from'], `from ${c.from} is after to ${c.to}`);
    const span = { from: c.from ?? '0000-01-01', to: c.to ?? '9999-12-31', i };
    const vs = versions.get(c.id) ?? [];
    const clash = vs.find((v) => v.from <= span.to && span.from <= v.to);
    if (clash) ctx.error([...cs, 'id'], `versions of component "${c.id}" overlap in time (also pricing[${clash.i}]); give them from/to dates that do not overlap`);
    vs.push(span);
    versions.set(c.id, vs);

    // the component is built key by key on `base` (same key order as spreads gave, at a fraction of the cost)
    const base: Record<string, unknown> = { id: c.id, order: order.get(c.id)! };
    if (c.from !== undefined) base.from = c.from;
    if (c.to !== undefined) base.to = c.to;
    if (c.description !== undefined) base.description = env.lt(c.description);
    // the model checks and builds its own fields (src/models); a model missing from the registry cannot compile
    const fields = pricingModel(c.model).compile(c, { ctx, segs: cs, exponent, whole, unitDecimals: UNIT_PRICE_DECIMALS, unit, services: env.services, offeringServices: o.services, declared });
    if (fields) {
      const built = freeze(Object.assign(base, fields)) as unknown as PricingComponent;
      out.push(built);
      refs.push({ id: c.id, model: c.model, segs: cs, component: built });
    }
  });
  // checks across the offering's components (a block's draws, §10), once per model that has them
  for (const model of new Set(refs.map((r) => r.model))) {
    const def = pricingModel(model as PricingComponent['model']);
    if (def.checkOffering) def.checkOffering(refs.filter((r) => r.model === model), refs, ctx);
  }
  return out;
}
