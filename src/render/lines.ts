// Line descriptions: the billing engine prices lines as facts (no words); the
// statement document (JSON, CSV, issued statements, the HTML note) gets its
// descriptions here, from the locale catalogs, in the statement's locale: the
// customer's, else the partner's, through the one resolution of i18n.ts
// (zh, zh-Hans, zh-CN → zh-CN; anything else → en-US).
// Kept light (catalogs only, no luxon, no templates): `tierbook quote` and the
// API load it to write JSON.
import type { AdjustmentFacts, LineWords } from '../models/types.js';
import { isModelName, pricingModel, type ModelFacts, type PricingComponent } from '../models/index.js';
import type { BilledLine, BilledStatement, PricingWarning, Statement, StatementLine } from '../billing/types.js';
import type { LocaleText, Offering, Plan } from '../plans/types.js';
import { catalogs, message, resolveLocale, type MessageKey, type SupportedLocale } from './i18n.js';
import { Formatter } from './format.js';

/** The statement's locale: the customer's, else the partner's (an explicit document locale does not change the words of a statement). */
export function statementLocale(plan: Plan, customerLocale?: string | null): SupportedLocale {
  return resolveLocale(undefined, customerLocale, plan.partner.locale);
}

/** A name in the statement's words: en-US text, or for zh-CN the Chinese text falling back to the English one. */
function nameIn(locale: SupportedLocale, t: LocaleText | undefined, fallback: string): string {
  return (locale === 'en-US' ? t?.['en-US'] : (t?.[locale] ?? t?.['en-US'])) ?? fallback;
}

type Params = Readonly<Record<string, string | number>>;

/** English plural of a unit's name: seat → seats, box → boxes, entry → entries (a plan names irregular ones in full). */
function englishPlural(one: string): string {
  if (/(s|x|z|ch|sh)$/i.test(one)) return `${one}es`;
  if (/[^aeiou]y$/i.test(one)) return `${one.slice(0, -1)}ies`;
  return `${one}s`;
}

/**
 * A metric as a customer reads it: one unit ("seat", "席位") or several
 * ("seats"): the plan's `metrics` name, else the catalogs' name of a common
 * metric (`metric.<id>.one|other`), else the id as written.
 */
export function metricName(plan: Plan, locale: SupportedLocale, metric: string, count: 'one' | 'other'): string {
  const named = plan.metrics?.get(metric);
  if (named) {
    const one = nameIn(locale, named, metric);
    return count === 'one' || locale !== 'en-US' ? one : englishPlural(one);
  }
  const key = `metric.${metric}.${count}`;
  return Object.hasOwn(catalogs['en-US'], key) ? message(locale, key as MessageKey) : metric;
}

/** Message parameters with a `metric` (an id, by the models' contract) named for customers: {metric} counts as {quantity} says, {metricOne} is one unit. */
export function metricParams(plan: Plan, locale: SupportedLocale, params: Params | undefined): Params | undefined {
  const m = params?.metric;
  if (typeof m !== 'string') return params;
  const q = params!.quantity ?? params!.min;
  const one = q !== undefined && String(q) === '1';
  return { ...params, metric: metricName(plan, locale, m, one ? 'one' : 'other'), metricOne: metricName(plan, locale, m, 'one') };
}

/**
 * The words of one statement in one locale, lent to the models' describe for
 * each line in turn (offering, label and named are the current line's). One
 * object per statement and methods, not closures per line: describing runs at
 * every render.
 */
class Words implements LineWords {
  offering = '';
  label = '';
  named = false;
  constructor(
    private readonly plan: Plan,
    readonly locale: SupportedLocale,
    /** Words for the customer's eyes (HTML, Markdown): components and metrics by name, never by id. */
    readonly display = false,
  ) {}
  t(key: string, params?: Params): string {
    return message(this.locale, key as MessageKey, this.display ? metricParams(this.plan, this.locale, params) : params);
  }
  serviceName(id: string): string {
    return nameIn(this.locale, this.plan.services.get(id)?.name, id);
  }
}

/** One line's description in `locale`. */
export function describeLine(plan: Plan, line: BilledLine, locale: SupportedLocale): string {
  return describeWith(plan, line, new Words(plan, locale));
}

function describeWith(plan: Plan, line: BilledLine, w: Words): string {
  const offering = plan.offerings.get(line.offering);
  const off = offering ? nameIn(w.locale, offering.name, offering.id) : line.offering;
  const facts = line.facts as AdjustmentFacts;
  switch (facts.line) {
    case 'minimum':
      return w.t('line.minimum', {
        offering: off,
        minimum: facts.minimum,
        prorated: facts.days === facts.of ? '' : w.t('line.minimum.prorated', { days: facts.days, of: facts.of, amount: facts.prorated }),
        charges: facts.charges,
      });
    case 'discount':
      return w.t('line.discount', { offering: off, rate: facts.rate, base: facts.base });
    case 'adjustment':
      // the partner's own words, as written when the adjustment was made
      return facts.description;
    case 'correction':
      return facts.description ?? w.t('line.correction', { offering: off, number: facts.corrects, period: facts.period });
    case 'service-credit':
      return w.t('line.credit', {
        offering: off,
        missed:
          facts.resolution !== undefined
            ? w.t(facts.breaches === 1 ? 'line.credit.kinds.one' : 'line.credit.kinds.many', { n: facts.breaches, response: facts.response ?? 0, resolution: facts.resolution })
            : w.t(facts.breaches === 1 ? 'line.credit.one' : 'line.credit.many', { n: facts.breaches }),
        perBreach: facts.perBreach,
        cap: facts.cap,
        rate: facts.rate,
        base: facts.discount ? w.t('line.credit.discounted', { base: facts.base, discount: facts.discount }) : facts.base,
      });
    default: {
      if (!isModelName(line.model)) throw new RangeError(`a line of component "${line.component}" has no pricing model`);
      const c = versionOf(offering, line);
      w.offering = off;
      // the data (JSON, CSV) names an unnamed component by its id, as SPEC §4.6 shows; the customer's documents by its model's name
      w.named = c?.description !== undefined || w.display;
      w.label = c?.description !== undefined ? nameIn(w.locale, c.description, c.id) : w.display ? w.t(`component.${line.model}`) : line.component;
      return pricingModel(line.model).describe(line.facts as ModelFacts, w);
    }
  }
}

/** The component version a line priced: its description (per version) labels the line. */
function versionOf(offering: Offering | undefined, line: BilledLine): PricingComponent | undefined {
  if (!offering) return undefined;
  const v = line.version !== undefined ? offering.pricing[line.version] : undefined;
  return v && v.id === line.component ? v : offering.pricing.find((c) => c.id === line.component);
}

/** A document line: the billed line with its description in place of the facts (the JSON key order of statements). */
function documentLine(plan: Plan, l: BilledLine, w: Words): StatementLine {
  // key by key, absent keys left out: the same object a spread would give, at a fraction of the cost (every render)
  const d: Record<string, unknown> = { offering: l.offering, component: l.component };
  if (l.model !== undefined) d.model = l.model;
  if (l.kind !== undefined) d.kind = l.kind;
  if (l.adjustment !== undefined) d.adjustment = l.adjustment;
  if (l.corrects !== undefined) d.corrects = l.corrects;
  d.description = describeWith(plan, l, w);
  if (l.priceSource !== undefined) d.priceSource = l.priceSource;
  if (l.priceAsOf !== undefined) d.priceAsOf = l.priceAsOf;
  if (l.quantity !== undefined) d.quantity = l.quantity;
  if (l.unit !== undefined) d.unit = l.unit;
  if (l.unitPrice !== undefined) d.unitPrice = l.unitPrice;
  d.amount = l.amount;
  if (l.taxable !== undefined) d.taxable = l.taxable;
  if (l.subscription !== undefined) d.subscription = l.subscription;
  return d as unknown as StatementLine;
}

/**
 * The statement document: a billed statement with every line described in
 * `locale` (default: the statement's locale, see statementLocale). A
 * statement that already is a document comes back as it is.
 */
export function describeStatement(
  st: BilledStatement | Statement,
  plan: Plan,
  opts: { customerLocale?: string | null; locale?: SupportedLocale; /** customer's words: no ids (HTML, Markdown) */ display?: boolean } = {},
): Statement {
  if (!isBilled(st)) return st;
  const locale = opts.locale ?? statementLocale(plan, opts.customerLocale);
  const w = new Words(plan, locale, opts.display);
  const warnings = st.warnings;
  // overriding keys keeps their place, so the document's key order is billing's;
  // the cast is for `warnings`, which the spread types as facts though it is replaced whenever present
  return <Statement>{
    ...st,
    lines: st.lines.map((l) => documentLine(plan, l, w)),
    ...(warnings ? { warnings: warnings.map((x) => ({ code: x.code, message: w.t(`warning.${x.code}`, warningParams(plan, x, w)) })) } : {}),
  };
}

/** A warning's facts as message parameters: services by display name (joined), an offering by its name, the rest as they are. */
function warningParams(plan: Plan, x: PricingWarning, w: Words): Params {
  const out: Record<string, string | number> = {};
  if (x.code === 'BLOCK_LOW') {
    // a balance in the words of its unit ("12 hours", "3 incidents"), not in the ledger's minutes
    const f = new Formatter(w.locale);
    const amount = (n: number): string => (x.unit === 'minutes' ? f.duration(n) : w.t('price.block.incidents', { n: f.number(n) }));
    return { subscription: x.subscription, component: x.component, used: amount(x.used), available: amount(x.available), alertAt: x.alertAt };
  }
  for (const [k, v] of Object.entries(x)) {
    if (k === 'services' && Array.isArray(v)) out[k] = v.map((s: string) => w.serviceName(s)).join(w.t('line.percent.join'));
    else if (k === 'offering' && typeof v === 'string') out[k] = nameIn(w.locale, plan.offerings.get(v)?.name, v);
    else if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  }
  return out;
}

/** Lines carry facts (billing output) rather than descriptions (a document); a statement without lines is billed while its warnings are facts. */
export function isBilled(st: BilledStatement | Statement): st is BilledStatement {
  if (st.lines.length > 0) return 'facts' in st.lines[0];
  return (st.warnings ?? []).some((x) => !('message' in x));
}
