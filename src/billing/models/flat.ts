// flat: amount × activeDays / D (SPEC §4.1).
import { fromDec, mul, rat } from '../rational.js';
import { formatPrice } from '../money.js';
import { rangeDays } from '../period.js';
import { componentLabel, offeringName } from '../describe.js';
import type { PricingModel } from './types.js';

export const flat: PricingModel = {
  lines(ctx) {
    const c = ctx.component;
    if (c.model !== 'flat' || !ctx.active) return [];
    const days = rangeDays(ctx.active);
    const D = ctx.period.days;
    const { label, named } = componentLabel(ctx.text, c);
    return [
      {
        amount: mul(fromDec(c.amount), rat(BigInt(days), BigInt(D))),
        description: ctx.text.flat(offeringName(ctx.text, ctx.offering), label, named, days, D),
        quantity: `${days}/${D}`, // as the customer counts it: unreduced days of the month
        unit: 'days',
        unitPrice: formatPrice(fromDec(c.amount), ctx.currency),
      },
    ];
  },
};
