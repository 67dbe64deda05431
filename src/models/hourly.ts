// hourly (SPEC §4.1): each worklog rounded up to the increment; worklogs in
// start order use up the included minutes first; the rest is billed per hour,
// × afterHoursMultiplier for a worklog that starts while the offering's
// calendar is closed. One line per kind that has work.
import type { Static } from '@sinclair/typebox';
import type { SchemaKit } from './schema-kit.js';
import type { Dec } from '../decimal.js';
import { parseDuration } from '../time/duration.js';
import { fromDec, mul, rat, toQuantity, type Rat } from '../rational.js';
import type { ComponentBase, ModelDef, ModelLine, PricedWorklog } from './types.js';

const schema = (k: SchemaKit) =>
  k.Type.Object(
    {
      ...k.Version,
      model: k.Type.Literal('hourly'),
      amount: k.UnitPrice('Price per hour'),
      included: k.Type.Optional(k.Duration('Hours included each month (default 0m)')),
      increment: k.Type.Optional(k.Duration('Each worklog is rounded up to a multiple of this (default 15m)')),
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
  readonly afterHoursMultiplier: Dec;
}
/** "after hours (× 1.5), 1 h worked, 0.25 h included, 0.75 h billed" (hours as quantities). */
export interface HourlyFacts {
  readonly afterHours: boolean;
  /** The multiplier as written, when it changes the rate (after hours only). */
  readonly multiplier: string | null;
  readonly worked: string;
  readonly included: string;
  readonly billed: string;
}

/** Minutes as billed: rounded up to a whole multiple of the increment. */
export function roundedMinutes(minutes: number, increment: number): number {
  return increment > 0 ? Math.ceil(minutes / increment) * increment : minutes;
}

export interface HourlySplit {
  readonly kind: 'business-hours' | 'after-hours';
  worked: number; // rounded minutes
  included: number;
  billed: number;
}

/** Splits worklogs (already in start order) into business and after-hours minutes. */
export function splitWorklogs(
  worklogs: readonly PricedWorklog[],
  includedMinutes: number,
  incrementMinutes: number,
  isOpen: (ms: number) => boolean,
): HourlySplit[] {
  const kinds: Record<'business-hours' | 'after-hours', HourlySplit> = {
    'business-hours': { kind: 'business-hours', worked: 0, included: 0, billed: 0 },
    'after-hours': { kind: 'after-hours', worked: 0, included: 0, billed: 0 },
  };
  let left = includedMinutes;
  for (const w of worklogs) {
    const m = roundedMinutes(w.minutes, incrementMinutes);
    const k = kinds[isOpen(w.startMs) ? 'business-hours' : 'after-hours'];
    const used = Math.min(left, m);
    left -= used;
    k.worked += m;
    k.included += used;
    k.billed += m - used;
  }
  return [kinds['business-hours'], kinds['after-hours']].filter((k) => k.worked > 0);
}

const hours = (minutes: number): Rat => rat(BigInt(minutes), 60n);
/** A multiplier of exactly 1 changes nothing and is not worth words. */
const isOne = (d: Dec): boolean => d.units === 10n ** BigInt(d.scale);
const ONE: Dec = Object.freeze({ text: '1', units: 1n, scale: 0 });

export const hourly: ModelDef<HourlyComponent, Static<ReturnType<typeof schema>>, HourlyFacts> = {
  recurring: false,
  needsSpend: false,
  schema,
  compile(c, k) {
    const { ctx, segs } = k;
    const amount = ctx.money([...segs, 'amount'], c.amount, k.unitDecimals, k.unit);
    const includedMinutes = c.included !== undefined ? parseDuration(c.included) ?? 0 : 0;
    const incrementMinutes = c.increment !== undefined ? parseDuration(c.increment) ?? 15 : 15;
    if (incrementMinutes <= 0) ctx.error([...segs, 'increment'], 'the increment must be longer than 0m, e.g. 15m');
    const mult = c.afterHoursMultiplier !== undefined ? ctx.money([...segs, 'afterHoursMultiplier'], c.afterHoursMultiplier, 4, 'a multiplier allows up to 4 decimals') : ONE;
    if (mult && mult.units === 0n) ctx.error([...segs, 'afterHoursMultiplier'], 'the multiplier must be more than 0');
    return amount && mult ? { model: c.model, amount, includedMinutes, incrementMinutes, afterHoursMultiplier: mult } : null;
  },
  lines(ctx) {
    const c = ctx.component;
    const cal = ctx.offering.calendar;
    const splits = splitWorklogs(ctx.worklogs, c.includedMinutes, c.incrementMinutes, (ms) => cal.isOpen(ms));
    const mult = fromDec(c.afterHoursMultiplier);
    return splits.map((s): ModelLine<HourlyFacts> => {
      const after = s.kind === 'after-hours';
      const rate = after ? mul(fromDec(c.amount), mult) : fromDec(c.amount);
      const billed = hours(s.billed);
      return {
        kind: s.kind,
        amount: mul(billed, rate),
        facts: {
          afterHours: after,
          multiplier: after && !isOne(c.afterHoursMultiplier) ? c.afterHoursMultiplier.text : null,
          worked: toQuantity(hours(s.worked)),
          included: toQuantity(hours(s.included)),
          billed: toQuantity(billed),
        },
        quantity: toQuantity(billed),
        unit: 'hours',
        unitPrice: ctx.price(rate),
      };
    });
  },
  describe: (f, w) =>
    w.t('line.hourly', {
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
    if (!isOne(c.afterHoursMultiplier)) parts.push(w.t('price.hourly.multiplier', { multiplier: w.number(c.afterHoursMultiplier.text) }));
    return parts;
  },
  workIncrement: (c) => c.incrementMinutes,
  diffFields: (c, d) => ({
    amount: `${d.money(c.amount)} per hour`,
    included: `${d.minutes(c.includedMinutes)} included`,
    increment: `${d.minutes(c.incrementMinutes)} increment`,
    afterHoursMultiplier: `x${c.afterHoursMultiplier.text} after hours`,
  }),
};
