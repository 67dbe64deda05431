// hourly (SPEC §4.1): each worklog rounded up to the increment; worklogs in
// start order use up the included minutes first; the rest is billed per hour,
// × afterHoursMultiplier for a worklog that starts while the offering's
// calendar is closed. One line per kind that has work.
import { fromDec, mul, rat, toQuantity, type Rat } from '../rational.js';
import { formatPrice } from '../money.js';
import { componentLabel, offeringName } from '../describe.js';
import type { ModelLine, PricedWorklog, PricingModel } from './types.js';

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

export const hourly: PricingModel = {
  lines(ctx) {
    const c = ctx.component;
    if (c.model !== 'hourly' || !ctx.active) return [];
    const cal = ctx.offering.calendar;
    const splits = splitWorklogs(ctx.worklogs, c.includedMinutes, c.incrementMinutes, (ms) => cal.isOpen(ms));
    const off = offeringName(ctx.text, ctx.offering);
    const { label } = componentLabel(ctx.text, c);
    const mult = fromDec(c.afterHoursMultiplier);
    return splits.map((s): ModelLine => {
      const after = s.kind === 'after-hours';
      const rate = after ? mul(fromDec(c.amount), mult) : fromDec(c.amount);
      const billed = hours(s.billed);
      return {
        kind: s.kind,
        amount: mul(billed, rate),
        description: ctx.text.hourly(off, label, after, toQuantity(hours(s.worked)), toQuantity(hours(s.included)), toQuantity(billed),
          after && c.afterHoursMultiplier.units !== 10n ** BigInt(c.afterHoursMultiplier.scale) ? c.afterHoursMultiplier.text : null),
        quantity: toQuantity(billed),
        unit: 'hours',
        unitPrice: formatPrice(rate, ctx.currency),
      };
    });
  },
};


