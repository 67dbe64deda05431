// hourly (SPEC §4.1, §8.5, §8.6): each worklog raised to the minimum, then
// rounded up to the increment; worklogs in start order use up the included
// minutes (once per period, across versions) first; the rest is billed per
// hour, the minutes worked outside the offering's calendar × the after-hours
// multiplier. One line per kind that has work; worklogs not billable on a
// no-charge line; drawn by a block (§10): the hours drawn, then overage.
import type { Static } from '@sinclair/typebox';
import type { SchemaKit } from './schema-kit.js';
import type { Dec } from '../decimal.js';
import { parseDuration } from '../time/duration.js';
import { fromDec, mul, rat, toQuantity, ZERO, type Rat } from '../rational.js';
import type { Calendar } from '../calendar/types.js';
import type { BlockDraw, ComponentBase, Metered, ModelContext, ModelDef, ModelLine, PricedWorklog } from './types.js';
import { amountOverride } from './overrides.js';

const schema = (k: SchemaKit) =>
  k.Type.Object(
    {
      ...k.Version,
      model: k.Type.Literal('hourly'),
      amount: k.UnitPrice('Price per hour'),
      included: k.Type.Optional(k.Duration('Hours included each month (default 0m)')),
      increment: k.Type.Optional(k.Duration('Each worklog is rounded up to a multiple of this (default 15m)')),
      minimum: k.Type.Optional(k.Duration('Each worklog is first raised to this (default 0m)')),
      afterHoursMultiplier: k.Type.Optional(
        k.Type.Union([k.Type.Number({ exclusiveMinimum: 0 }), k.Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?$' })], {
          default: 1,
          description: 'Factor for worklogs starting outside the offering calendar',
          errorMessage: 'a positive decimal like 1.5',
        }),
      ),
    },
    k.strict,
  );

export interface HourlyComponent extends ComponentBase {
  readonly model: 'hourly';
  readonly amount: Dec;
  readonly includedMinutes: number;
  readonly incrementMinutes: number;
  /** Each worklog is first raised to this (§8.6), then rounded up to the increment. */
  readonly minimumMinutes?: number;
  readonly afterHoursMultiplier: Dec;
}
/**
 * "after hours (× 1.5), 1 h worked, 0.25 h included, 0.75 h billed" (hours as
 * quantities). `part` marks the lines beside the two kinds: hours drawn from
 * a prepaid block (billed = hours drawn), overage beyond it, work not charged.
 */
export interface HourlyFacts {
  readonly afterHours: boolean;
  /** The multiplier as written, when it changes the rate (after hours only). */
  readonly multiplier: string | null;
  readonly worked: string;
  readonly included: string;
  readonly billed: string;
  readonly part?: 'block' | 'overage' | 'no-charge';
  /** Overage lines: one line for both parts when their rates are the same. */
  readonly split?: boolean;
}

/** Minutes as billed: rounded up to a whole multiple of the increment. */
export function roundedMinutes(minutes: number, increment: number): number {
  return increment > 0 ? Math.ceil(minutes / increment) * increment : minutes;
}

/** A worklog's billed minutes (§8.6): raised to the minimum, then rounded up to the increment. */
export function billedMinutes(minutes: number, c: Pick<HourlyComponent, 'minimumMinutes' | 'incrementMinutes'>): number {
  return roundedMinutes(Math.max(minutes, c.minimumMinutes ?? 0), c.incrementMinutes);
}

/**
 * A worklog's billed minutes and their after-hours part (§8.6): the minutes
 * worked outside the calendar, by its window arithmetic (never minute
 * stepping); the minutes added by minimum and rounding go to the business
 * part when any of the work was in business hours, else to after hours.
 */
export function splitWorklog(w: Pick<PricedWorklog, 'startMs' | 'minutes'>, c: Pick<HourlyComponent, 'minimumMinutes' | 'incrementMinutes'>, calendar: Calendar): { total: number; after: number } {
  const total = billedMinutes(w.minutes, c);
  const open = calendar.workingTimeBetween(w.startMs, w.startMs + w.minutes * MINUTE);
  const business = Math.min(w.minutes, Math.max(0, Math.round(open)));
  return { total, after: business > 0 ? w.minutes - business : total };
}

/** One billable worklog as billed: its minutes, their after-hours part, and the allowance it used (business part first). */
export interface WorkPart {
  readonly id: string;
  readonly date: string;
  readonly ms: number;
  readonly total: number;
  readonly after: number;
  readonly included: number;
}

const MINUTE = 60_000;

/**
 * The billable worklogs of ctx (start order) as billed, using the allowance
 * shared by the component's versions in the period (§8.5): the first version
 * priced sets it from its own `included`; each later worklog uses what is left.
 */
export function workParts(ctx: ModelContext<HourlyComponent>): WorkPart[] {
  const c = ctx.component;
  const allowance = ctx.allowance ?? { left: null };
  if (allowance.left === null) allowance.left = c.includedMinutes;
  const out: WorkPart[] = [];
  for (const w of ctx.worklogs) {
    if (w.billable === false) continue;
    const { total, after } = splitWorklog(w, c, ctx.offering.calendar);
    const included = Math.min(allowance.left, total);
    allowance.left -= included;
    out.push({ id: w.id, date: w.date, ms: w.startMs, total, after, included });
  }
  return out;
}

/** The part of a worklog covered by its allowance and block draw, business minutes first; the rest by kind. */
function uncovered(p: WorkPart, covered: number): { business: number; after: number } {
  const business = p.total - p.after;
  return { business: business - Math.min(business, covered), after: p.after - Math.max(0, covered - business) };
}

const hours = (minutes: number): Rat => rat(BigInt(minutes), 60n);
/** A multiplier of exactly 1 changes nothing and is not worth words. */
const isOne = (d: Dec): boolean => d.units === 10n ** BigInt(d.scale);
const ONE: Dec = Object.freeze({ text: '1', units: 1n, scale: 0 });
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** Without a block: up to two lines, business hours and after hours (the rate × the multiplier). */
function kindLines(ctx: ModelContext<HourlyComponent>, parts: readonly WorkPart[]): ModelLine<HourlyFacts>[] {
  const c = ctx.component;
  const out: ModelLine<HourlyFacts>[] = [];
  for (const after of [false, true]) {
    const worked = sum(parts.map((p) => (after ? p.after : p.total - p.after)));
    if (worked === 0) continue;
    const billed = sum(parts.map((p) => (after ? uncovered(p, p.included).after : uncovered(p, p.included).business)));
    const rate = after ? mul(fromDec(c.amount), fromDec(c.afterHoursMultiplier)) : fromDec(c.amount);
    out.push({
      kind: after ? 'after-hours' : 'business-hours',
      amount: mul(hours(billed), rate),
      facts: {
        afterHours: after,
        multiplier: after && !isOne(c.afterHoursMultiplier) ? c.afterHoursMultiplier.text : null,
        worked: toQuantity(hours(worked)),
        included: toQuantity(hours(worked - billed)),
        billed: toQuantity(hours(billed)),
      },
      quantity: toQuantity(hours(billed)),
      unit: 'hours',
      unitPrice: ctx.price(rate),
    });
  }
  return out;
}

/** Drawn by a block (§10): the hours drawn (0.00), then overage at the block's overage price or the own rate, split where the rates differ. */
function blockLines(ctx: ModelContext<HourlyComponent>, parts: readonly WorkPart[], block: BlockDraw): ModelLine<HourlyFacts>[] {
  const c = ctx.component;
  const worked = sum(parts.map((p) => p.total));
  if (worked === 0) return [];
  const drawn = sum(parts.map((p) => block.drawn.get(p.id) ?? 0));
  const included = sum(parts.map((p) => p.included));
  const over = parts.map((p) => uncovered(p, p.included + (block.drawn.get(p.id) ?? 0)));
  const out: ModelLine<HourlyFacts>[] = [
    {
      kind: 'block',
      amount: ZERO,
      facts: { part: 'block', afterHours: false, multiplier: null, worked: toQuantity(hours(worked)), included: toQuantity(hours(included)), billed: toQuantity(hours(drawn)) },
      quantity: toQuantity(hours(drawn)),
      unit: 'hours',
    },
  ];
  const base = fromDec(block.overage ?? c.amount);
  const split = !isOne(c.afterHoursMultiplier);
  const groups = split ? [false, true] : [null];
  for (const after of groups) {
    const billed = sum(over.map((o) => (after === null ? o.business + o.after : after ? o.after : o.business)));
    if (billed === 0) continue;
    const rate = after ? mul(base, fromDec(c.afterHoursMultiplier)) : base;
    out.push({
      kind: 'overage',
      amount: mul(hours(billed), rate),
      facts: { part: 'overage', split, afterHours: after === true, multiplier: after ? c.afterHoursMultiplier.text : null, worked: toQuantity(hours(billed)), included: '0', billed: toQuantity(hours(billed)) },
      quantity: toQuantity(hours(billed)),
      unit: 'hours',
      unitPrice: ctx.price(rate),
    });
  }
  return out;
}

/** Worklogs with billable false: one line of the hours worked, amount 0.00 (§8.6). */
function noChargeLine(ctx: ModelContext<HourlyComponent>): ModelLine<HourlyFacts>[] {
  const minutes = sum(ctx.worklogs.filter((w) => w.billable === false).map((w) => w.minutes));
  if (minutes === 0) return [];
  const q = toQuantity(hours(minutes));
  return [{ kind: 'no-charge', amount: ZERO, facts: { part: 'no-charge', afterHours: false, multiplier: null, worked: q, included: '0', billed: '0' }, quantity: q, unit: 'hours' }];
}

export const hourly: ModelDef<HourlyComponent, Static<ReturnType<typeof schema>>, HourlyFacts> = {
  recurring: false,
  needsSpend: false,
  schema,
  compile(c, k) {
    const { ctx, segs } = k;
    const amount = ctx.money([...segs, 'amount'], c.amount, k.unitDecimals, k.unit);
    const includedMinutes = c.included !== undefined ? parseDuration(c.included) ?? 0 : 0;
    const incrementMinutes = c.increment !== undefined ? parseDuration(c.increment) ?? 15 : 15;
    const minimumMinutes = c.minimum !== undefined ? parseDuration(c.minimum) ?? 0 : 0;
    if (incrementMinutes <= 0) ctx.error([...segs, 'increment'], 'the increment must be longer than 0m, e.g. 15m');
    const mult = c.afterHoursMultiplier !== undefined ? ctx.money([...segs, 'afterHoursMultiplier'], c.afterHoursMultiplier, 4, 'a multiplier allows up to 4 decimals') : ONE;
    if (mult && mult.units === 0n) ctx.error([...segs, 'afterHoursMultiplier'], 'the multiplier must be more than 0');
    return amount && mult ? { model: c.model, amount, includedMinutes, incrementMinutes, minimumMinutes, afterHoursMultiplier: mult } : null;
  },
  lines(ctx) {
    const parts = workParts(ctx);
    return [...(ctx.block ? blockLines(ctx, parts, ctx.block) : kindLines(ctx, parts)), ...noChargeLine(ctx)];
  },
  draws: 'minutes',
  // the ledger needs billed minutes only, not their after-hours part: no calendar arithmetic for years of history
  meter(ctx) {
    const c = ctx.component;
    const allowance = ctx.allowance ?? { left: null };
    if (allowance.left === null) allowance.left = c.includedMinutes;
    const out: Metered[] = [];
    for (const w of ctx.worklogs) {
      if (w.billable === false) continue;
      const total = billedMinutes(w.minutes, c);
      const included = Math.min(allowance.left, total);
      allowance.left -= included;
      if (total > included) out.push({ id: w.id, date: w.date, ms: w.startMs, units: total - included });
    }
    return out;
  },
  describe: (f, w) =>
    f.part === 'block'
      ? w.t('line.hourly.block', { offering: w.offering, label: w.label, worked: f.worked, included: f.included !== '0' ? w.t('line.hourly.included', { included: f.included }) : '', drawn: f.billed })
      : f.part === 'no-charge'
        ? w.t('line.hourly.noCharge', { offering: w.offering, label: w.label, worked: f.worked })
        : f.part === 'overage'
          ? w.t('line.hourly.overage', {
              offering: w.offering,
              label: w.label,
              when: !f.split ? '' : f.afterHours ? w.t('line.hourly.overageWhen', { when: w.t('line.hourly.afterTimes', { multiplier: f.multiplier ?? '1' }) }) : w.t('line.hourly.overageWhen', { when: w.t('line.hourly.business') }),
              billed: f.billed,
            })
          : w.t('line.hourly', {
      offering: w.offering,
      label: w.label,
      when: f.afterHours ? (f.multiplier ? w.t('line.hourly.afterTimes', { multiplier: f.multiplier }) : w.t('line.hourly.after')) : w.t('line.hourly.business'),
      worked: f.worked,
      included: f.included !== '0' ? w.t('line.hourly.included', { included: f.included }) : '',
      billed: f.billed,
    }),
  terms(c, w) {
    const parts = [w.t('price.hourly', { amount: w.money(c.amount) }), w.t('price.hourly.increment', { increment: w.duration(c.incrementMinutes) })];
    if (c.includedMinutes > 0) parts.push(w.t('price.hourly.included', { included: w.duration(c.includedMinutes) }));
    if (c.minimumMinutes) parts.push(w.t('price.hourly.minimum', { minimum: w.duration(c.minimumMinutes) }));
    if (!isOne(c.afterHoursMultiplier)) parts.push(w.t('price.hourly.multiplier', { multiplier: w.number(c.afterHoursMultiplier.text) }));
    return parts;
  },
  workIncrement: (c) => c.incrementMinutes,
  diffFields: (c, d) => ({
    amount: `${d.money(c.amount)} per hour`,
    included: `${d.minutes(c.includedMinutes)} included`,
    increment: `${d.minutes(c.incrementMinutes)} increment`,
    // only when set: plans without a minimum keep the words `tierbook diff` always gave them
    ...(c.minimumMinutes ? { minimum: `${d.minutes(c.minimumMinutes)} minimum per worklog` } : {}),
    afterHoursMultiplier: `x${c.afterHoursMultiplier.text} after hours`,
  }),
  // the customer's hourly rate; the after-hours multiplier still applies to it
  override: amountOverride('unit'),
};
