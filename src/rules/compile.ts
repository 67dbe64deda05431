// Compiles a Plan once into what evaluation needs: sets for the checks,
// per-offering severities with their zone, billable date ranges as day
// numbers, and the rules as plain closures. Cached per Plan object, so
// per-request work never reads rule data.
import type { Calendar } from '../calendar/types.js';
import type {
  Category,
  Channel,
  Matcher,
  Offering,
  Plan,
  Rule,
  RuleField,
  RuleThen,
  RuleWhen,
  Severity,
} from '../plans/types.js';
import { dayOfDate, zoneOffsets, type ZoneOffsets } from '../time/instant.js';
import { pricingModel } from '../models/index.js';

/** What rule matchers see: the request as evaluated against one offering. */
export interface RuleContext {
  readonly customer: string | undefined;
  readonly offering: string;
  readonly service: string;
  readonly category: string;
  readonly severity: string;
  readonly channel: string;
  readonly withinHours: boolean;
  readonly serviceIncident: boolean;
}

/** The accumulated effects of the rules that matched (§3.3). */
export interface RuleOutcome {
  rules: string[];
  notes: string[];
  reject: string | null;
  route: string | null;
  billable: boolean | null;
  responseMinutes: number;
  responseText: string | null;
}

export type Predicate = (c: RuleContext) => boolean;

export interface CompiledRule {
  readonly id: string;
  readonly test: Predicate;
  readonly rule: Rule;
}

export interface CompiledSeverity {
  readonly severity: Severity;
  readonly minutes: number;
  readonly text: string;
  readonly calendar: Calendar;
  /** The zone a due time is written in: the calendar's, the partner's for 24x7. */
  readonly zone: ZoneOffsets;
}

/** Billability per category: always, never, or only on some local days. */
type BillableWhen = true | false | ReadonlyArray<readonly [number, number]>;

export interface CompiledOffering {
  readonly offering: Offering;
  readonly id: string;
  readonly services: ReadonlySet<string>;
  readonly categories: ReadonlySet<string>;
  /** Offered channels only, resolved. */
  readonly channels: ReadonlyMap<string, Channel>;
  readonly severities: ReadonlyMap<string, CompiledSeverity>;
  readonly calendar: Calendar;
  readonly billable: Readonly<Record<string, BillableWhen>>;
  /** The plan's rules that can match a request accepted by this offering, in file order. */
  readonly rules: readonly CompiledRule[];
  readonly runRules: (c: RuleContext, out: RuleOutcome) => void;
  /** Lists for messages, joined once: services, categories, channels, severities. */
  readonly text: { readonly services: string; readonly categories: string; readonly channels: string; readonly severities: string };
}

export interface CompiledPlan {
  readonly plan: Plan;
  readonly offerings: ReadonlyMap<string, CompiledOffering>;
  readonly partnerZone: ZoneOffsets;
  /** Escalation vehicle per category (§3.4). */
  readonly escalation: Readonly<Record<string, string | null>>;
  readonly channels: ReadonlyMap<string, Channel>;
  /** The plan's offering ids, joined for messages. */
  readonly offeringsText: string;
}

const cache = new WeakMap<Plan, CompiledPlan>();

export function compilePlan(plan: Plan): CompiledPlan {
  let cp = cache.get(plan);
  if (cp === undefined) {
    cp = build(plan);
    cache.set(plan, cp);
  }
  return cp;
}

function build(plan: Plan): CompiledPlan {
  const partnerZone = zoneOffsets(plan.partner.timezone);
  const ms = plan.partner.microsoft;
  const escalation: Record<string, string | null> = {
    billing: ms.commercial ? 'commercial' : null,
    subscription: ms.commercial ? 'commercial' : null,
    technical: ms.technical.length > 0 ? ms.technical[0] : null,
  };
  const rules = plan.rules.map((rule) => ({ id: rule.id, rule, test: compileWhen(rule.when) }));
  const offerings = new Map<string, CompiledOffering>();
  for (const o of plan.offerings.values()) offerings.set(o.id, compileOffering(plan, o, rules, partnerZone));
  return { plan, offerings, partnerZone, escalation, channels: plan.channels, offeringsText: list(plan.offerings.keys()) };
}

function compileOffering(
  plan: Plan,
  o: Offering,
  allRules: readonly CompiledRule[],
  partnerZone: ZoneOffsets,
): CompiledOffering {
  const channels = new Map<string, Channel>();
  for (const id of o.channels) {
    const ch = plan.channels.get(id);
    if (ch !== undefined) channels.set(id, ch);
  }
  const severities = new Map<string, CompiledSeverity>();
  for (const [label, s] of o.severities) {
    const cal = s.calendar;
    const zone = cal.alwaysOpen || cal.id === '24x7' ? partnerZone : zoneOffsets(cal.timezone);
    severities.set(label, { severity: s, minutes: s.responseMinutes, text: formatMinutes(s.responseMinutes), calendar: cal, zone });
  }
  const billable: Record<string, BillableWhen> = {};
  for (const cat of o.categories) billable[cat] = billableWhen(o, cat);
  const domain: Domain = {
    offering: [o.id],
    service: o.services,
    category: o.categories,
    channel: o.channels,
    severity: [...o.severities.keys()],
  };
  const rules = allRules.filter((r) => canMatch(r.rule.when, domain));
  return {
    offering: o,
    id: o.id,
    services: new Set(o.services),
    categories: new Set<string>(o.categories),
    channels,
    severities,
    calendar: o.calendar,
    billable,
    rules,
    runRules: compileRun(rules),
    text: {
      services: list(o.services),
      categories: list(o.categories),
      channels: list(o.channels),
      severities: list(o.severities.keys()),
    },
  };
}

function billableWhen(o: Offering, cat: Category): BillableWhen {
  const ranges: Array<readonly [number, number]> = [];
  for (const c of o.pricing) {
    // the model says whether it charges requests of this category (per-incident does)
    if (!pricingModel(c.model).billsRequests?.(c, cat)) continue;
    const from = c.from === undefined ? -Infinity : dayOfDate(c.from);
    const to = c.to === undefined ? Infinity : dayOfDate(c.to);
    if (from === -Infinity && to === Infinity) return true;
    ranges.push([from, to]);
  }
  return ranges.length === 0 ? false : ranges;
}

/** Is a per-incident component in force on the local day? */
export function billableOn(when: BillableWhen | undefined, zone: ZoneOffsets, at: number): boolean {
  if (when === true) return true;
  if (when === false || when === undefined) return false;
  const d = zone.localDay(at);
  for (const [from, to] of when) if (d >= from && d <= to) return true;
  return false;
}

// ---- rule conditions

type Getter = (c: RuleContext) => string | boolean | undefined;
const getters: Record<RuleField, Getter> = {
  customer: (c) => c.customer,
  offering: (c) => c.offering,
  service: (c) => c.service,
  category: (c) => c.category,
  severity: (c) => c.severity,
  channel: (c) => c.channel,
  withinHours: (c) => c.withinHours,
  serviceIncident: (c) => c.serviceIncident,
};

const TRUE: Predicate = () => true;

/** One matcher as a closure; each field gets its own shape so V8 can inline. */
function compileMatcher(field: RuleField, m: Matcher): Predicate {
  const get = getters[field];
  const vs = m.values;
  if (vs.length === 1) {
    const v = vs[0];
    return m.negate ? (c) => get(c) !== v : (c) => get(c) === v;
  }
  if (vs.length <= 8) {
    return m.negate ? (c) => !vs.includes(get(c) as string) : (c) => vs.includes(get(c) as string);
  }
  const set = new Set<unknown>(vs);
  return m.negate ? (c) => !set.has(get(c)) : (c) => set.has(get(c));
}

function allOf(ps: readonly Predicate[]): Predicate {
  switch (ps.length) {
    case 0:
      return TRUE;
    case 1:
      return ps[0];
    case 2: {
      const [a, b] = ps;
      return (c) => a(c) && b(c);
    }
    case 3: {
      const [a, b, d] = ps;
      return (c) => a(c) && b(c) && d(c);
    }
    default:
      return (c) => {
        for (let i = 0; i < ps.length; i++) if (!ps[i](c)) return false;
        return true;
      };
  }
}

function anyOf(ps: readonly Predicate[]): Predicate {
  if (ps.length === 1) return ps[0];
  return (c) => {
    for (let i = 0; i < ps.length; i++) if (ps[i](c)) return true;
    return false;
  };
}

export function compileWhen(when: RuleWhen): Predicate {
  const ps: Predicate[] = [];
  for (const [field, m] of Object.entries(when.fields) as Array<[RuleField, Matcher | undefined]>) {
    if (m !== undefined) ps.push(compileMatcher(field, m));
  }
  // an empty `any` list can never be satisfied
  if (when.any !== undefined) ps.push(when.any.length === 0 ? () => false : anyOf(when.any.map(compileWhen)));
  return allOf(ps);
}

// Rules run only after every check passed, so service, category, channel and
// severity are within the offering's own lists: a rule whose matcher admits
// none of those values can never fire for this offering and is left out.
type Domain = Readonly<Partial<Record<RuleField, readonly string[]>>>;

function admitsSome(m: Matcher, values: readonly string[]): boolean {
  return values.some((v) => m.values.includes(v) !== m.negate);
}

function canMatch(when: RuleWhen, d: Domain): boolean {
  for (const [field, m] of Object.entries(when.fields) as Array<[RuleField, Matcher | undefined]>) {
    const dom = d[field];
    if (m !== undefined && dom !== undefined && !admitsSome(m, dom)) return false;
  }
  if (when.any !== undefined && !when.any.some((w) => canMatch(w, d))) return false;
  return true;
}

// ---- rule effects

function compileRun(rules: readonly CompiledRule[]): (c: RuleContext, out: RuleOutcome) => void {
  const ids = rules.map((r) => r.id);
  const tests = rules.map((r) => r.test);
  const thens = rules.map((r) => normalizeThen(r.rule.then));
  const { general, byCustomer } = indexByCustomer(rules);
  return (c, out) => {
    // only the rules that can match this customer, still in file order
    const order = (c.customer !== undefined && byCustomer?.get(c.customer)) || general;
    for (let k = 0; k < order.length; k++) {
      const i = order[k];
      if (!tests[i](c)) continue;
      // lists start as a shared empty one: most decisions match no rule
      if (out.rules.length === 0) out.rules = [];
      out.rules.push(ids[i]);
      const t = thens[i];
      if (t.reject !== undefined) {
        // reject ends evaluation at once: later rules do not run
        out.reject = t.reject;
        return;
      }
      if (t.route !== undefined) out.route = t.route;
      if (t.billable !== undefined) out.billable = t.billable;
      if (t.responseText !== null) {
        out.responseMinutes = t.responseMinutes;
        out.responseText = t.responseText;
      }
      if (t.note !== undefined) {
        if (out.notes.length === 0) out.notes = [];
        out.notes.push(t.note);
      }
    }
  };
}

/**
 * Plans grow by customer-specific rules (`customer: x` or a list): those can
 * only match their customers, so each customer gets the list of rule indices
 * that can concern it (the others plus its own, in file order). Without such
 * rules, or when the lists would be too large, every rule is tried.
 */
function indexByCustomer(rules: readonly CompiledRule[]): {
  general: readonly number[];
  byCustomer: ReadonlyMap<string, readonly number[]> | null;
} {
  const all = rules.map((_, i) => i);
  const keyed = new Map<string, number[]>();
  const general: number[] = [];
  rules.forEach((r, i) => {
    const m = r.rule.when.fields.customer;
    if (m === undefined || m.negate) {
      general.push(i);
      return;
    }
    for (const v of m.values) {
      if (typeof v !== 'string') continue;
      const list = keyed.get(v);
      if (list === undefined) keyed.set(v, [i]);
      else if (list[list.length - 1] !== i) list.push(i);
    }
  });
  if (keyed.size === 0 || keyed.size * general.length > 1_000_000) return { general: all, byCustomer: null };
  const byCustomer = new Map<string, number[]>();
  for (const [customer, own] of keyed) byCustomer.set(customer, [...general, ...own].sort((a, b) => a - b));
  return { general, byCustomer };
}

interface Then {
  readonly reject?: string;
  readonly route?: string;
  readonly billable?: boolean;
  readonly responseMinutes: number;
  readonly responseText: string | null;
  readonly note?: string;
}

function normalizeThen(t: RuleThen): Then {
  let minutes = t.responseMinutes;
  if (minutes === undefined && t.response !== undefined) minutes = parseMinutes(t.response);
  return {
    reject: t.reject,
    route: t.route,
    billable: t.billable,
    note: t.note,
    responseMinutes: minutes ?? 0,
    responseText: minutes === undefined ? null : formatMinutes(minutes),
  };
}

/** "1h30m" -> 90; the loader has validated the text, this only reads it. */
function parseMinutes(text: string): number | undefined {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?$/.exec(text);
  return m === null || text === '' ? undefined : Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}

/** Minutes as duration text: 90 -> "1h30m", 45 -> "45m", 240 -> "4h". */
export function formatMinutes(min: number): string {
  const h = Math.floor(min / 60);
  const m = min % 60;
  if (h === 0) return m + 'm';
  return m === 0 ? h + 'h' : h + 'h' + m + 'm';
}

/** Ids joined for a message ("(none)" when empty). */
export function list(ids: Iterable<string>): string {
  return [...ids].join(', ') || '(none)';
}
