// Customer prices (SPEC §8.2): checking a subscription's `prices` against its
// offering when they are written (PATCH, quotes), and applying one override
// to one compiled version when a statement is priced. How an override applies
// is each model's own (ModelDef.override in src/models); this module only
// walks the map, names the problems with JSON pointers and lends the models
// the plan compiler's checks (decimals, percentages) on wire values.
import type { Offering } from '../plans/types.js';
import type { CompileCtx, CompileKit, PriceOverride } from '../models/types.js';
import { pricingModel, type PricingComponent } from '../models/index.js';
import { parseDec, parsePercent } from '../plans/decimal.js';
import { UNIT_PRICE_DECIMALS, decimalsRule } from '../plans/context.js';
import { ERR, type FieldError, type TierbookError } from '../errors.js';

export type PriceProblemCode = 'UNKNOWN_COMPONENT' | 'PRICE_OVERRIDE_INVALID';

export interface PriceProblem {
  /** JSON pointer (RFC 6901) of the field, from the document's root (base + component id + field). */
  readonly pointer: string;
  readonly code: PriceProblemCode;
  readonly message: string;
}

type Seg = string | number;
const escape = (s: Seg): string => String(s).replace(/~/g, '~0').replace(/\//g, '~1');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The compiler's checks on an override's values: money is a decimal string (never a number), a rate a percentage string. */
class OverrideCtx implements CompileCtx {
  readonly problems: PriceProblem[] = [];
  constructor(private readonly base: string) {}
  error(segs: readonly Seg[], message: string): void {
    const pointer = this.base + segs.map((s) => `/${escape(s)}`).join('');
    if (!this.problems.some((p) => p.pointer === pointer && p.message === message)) this.problems.push({ pointer, code: 'PRICE_OVERRIDE_INVALID', message });
  }
  money(segs: readonly Seg[], value: unknown, maxDecimals: number, why: string) {
    const d = typeof value === 'string' ? parseDec(value) : null;
    if (!d || d.units < 0n) {
      this.error(segs, `write the amount as a decimal string in major units like "49.00", not ${JSON.stringify(value) ?? 'nothing'}`);
      return null;
    }
    if (d.scale > maxDecimals) {
      this.error(segs, `${value as string} has ${d.scale} decimals; ${why}`);
      return null;
    }
    return d;
  }
  percent(segs: readonly Seg[], value: string) {
    const p = typeof value === 'string' ? parsePercent(value) : null;
    if (!p) this.error(segs, `expected a percentage like "12.5%", got ${JSON.stringify(value) ?? 'nothing'}`);
    return p;
  }
}

function kitFor(offering: Offering, ctx: OverrideCtx, segs: readonly Seg[]): CompileKit {
  return {
    ctx,
    segs,
    exponent: offering.exponent,
    whole: decimalsRule(offering.currency, offering.exponent),
    unitDecimals: UNIT_PRICE_DECIMALS,
    unit: `unit prices allow up to ${UNIT_PRICE_DECIMALS} decimals`,
    services: new Map(),
    offeringServices: offering.services,
    declared: (ids) => `(declared: ${[...ids].join(', ')})`,
  };
}

/** The component ids of an offering, in plan order, once each. */
function componentIds(offering: Offering): string[] {
  return [...new Set(offering.pricing.map((c) => c.id))];
}

/** The fields of a model's override as words: "{ rate, minimum?, maximum? }". */
function shapeOf(model: string): string {
  const o = pricingModel(model as PricingComponent['model']).override;
  return o ? `{ ${[...o.required, ...o.optional.map((f) => `${f}?`)].join(', ')} }` : 'no customer price';
}

/**
 * One override on one version: the shape (fields the model takes, the
 * required ones given), then the model's own checks. Problems go to ctx at
 * segs; the version priced at the override, or null.
 */
function applyChecked(offering: Offering, v: PricingComponent, o: unknown, ctx: OverrideCtx, segs: readonly Seg[]): PricingComponent | null {
  const def = pricingModel(v.model);
  const what = `${/^(?:[aeiou]|hour)/.test(v.model) ? 'an' : 'a'} ${v.model} component`;
  if (!def.override) {
    ctx.error(segs, `${what} ("${v.id}") takes no customer price`);
    return null;
  }
  if (!isObject(o)) {
    ctx.error(segs, `the price of ${what} ("${v.id}") is an object ${shapeOf(v.model)}`);
    return null;
  }
  const fields: readonly string[] = [...def.override.required, ...def.override.optional];
  let shaped = true;
  for (const f of Object.keys(o)) {
    if (!fields.includes(f)) {
      ctx.error([...segs, f], `"${f}" is not a field of the price of ${what} ("${v.id}" takes ${shapeOf(v.model)})`);
      shaped = false;
    }
  }
  for (const f of def.override.required) {
    if (o[f] === undefined) {
      ctx.error(segs, `the price of ${what} ("${v.id}") needs "${f}" (it takes ${shapeOf(v.model)})`);
      shaped = false;
    }
  }
  if (!shaped) return null;
  const own = def.override.apply(v, o as PriceOverride, kitFor(offering, ctx, segs));
  return own ? (Object.freeze({ ...v, ...own }) as PricingComponent) : null;
}

/**
 * Checks a subscription's `prices` (§8.2) against its offering, for writers:
 * UNKNOWN_COMPONENT for an id the offering does not have (the message lists
 * its ids), PRICE_OVERRIDE_INVALID for a price of the wrong shape for the
 * component's model or a value the plan would refuse, each positioned by a
 * JSON pointer under `base` (default "/prices": the PATCH body's member).
 * null or absent prices are fine (null removes them). Every version of a
 * component must take the price, since it applies to all of them.
 */
export function checkPrices(offering: Offering, prices: unknown, base = '/prices'): PriceProblem[] {
  if (prices === undefined || prices === null) return [];
  if (!isObject(prices)) {
    return [{ pointer: base, code: 'PRICE_OVERRIDE_INVALID', message: 'prices map component ids to prices, like { "base": { "amount": "200.00" } }' }];
  }
  const problems: PriceProblem[] = [];
  const ctx = new OverrideCtx(base);
  const ids = componentIds(offering);
  for (const [id, o] of Object.entries(prices)) {
    const versions = offering.pricing.filter((c) => c.id === id);
    if (versions.length === 0) {
      problems.push({ pointer: `${base}/${escape(id)}`, code: 'UNKNOWN_COMPONENT', message: `offering "${offering.id}" has no component "${id}" (components: ${ids.join(', ')})` });
      continue;
    }
    for (const v of versions) applyChecked(offering, v, o, ctx, [id]);
  }
  return [...problems, ...ctx.problems];
}

/** The registry error for checkPrices' problems (the first one's code; every problem in `errors`), or null when there are none. */
export function pricesError(problems: readonly PriceProblem[], where: FieldError['in'] = 'body'): TierbookError | null {
  if (problems.length === 0) return null;
  const detail = problems.map((p) => `${p.pointer}: ${p.message}`).join('; ');
  const errors = problems.map((p) => ({ in: where, pointer: p.pointer, detail: p.message }));
  return problems[0].code === 'UNKNOWN_COMPONENT' ? ERR.UNKNOWN_COMPONENT({ detail }, { errors }) : ERR.PRICE_OVERRIDE_INVALID({ detail }, { errors });
}

/**
 * A version priced at a stored override (the statement's lines step), or null
 * when the override does not fit the version's model: prices are checked when
 * written, so only a later plan that changed the component's model gets here,
 * and the statement then prices it from the plan with a warning.
 */
export function overridden(offering: Offering, v: PricingComponent, o: PriceOverride): PricingComponent | null {
  const ctx = new OverrideCtx('');
  const out = applyChecked(offering, v, o, ctx, []);
  return ctx.problems.length === 0 ? out : null;
}
