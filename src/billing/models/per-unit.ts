// per-unit: Σ over active days of q(d) × amount / D (SPEC §4.1), so a seat
// added on the 20th costs its share of the month from the 20th.
import { fromDec, mul, rat, toQuantity } from '../rational.js';
import { formatPrice } from '../money.js';
import { eachDate, rangeDays } from '../period.js';
import { componentLabel, offeringName } from '../describe.js';
import type { PricingModel } from './types.js';

export const perUnit: PricingModel = {
  lines(ctx) {
    const c = ctx.component;
    if (c.model !== 'per-unit' || !ctx.active) return [];
    const D = ctx.period.days;
    let unitDays = 0n;
    let qMin = Infinity;
    let qMax = 0;
    for (const d of eachDate(ctx.active)) {
      const q = ctx.quantity(c.metric, d);
      unitDays += BigInt(q);
      qMin = Math.min(qMin, q);
      qMax = Math.max(qMax, q);
    }
    const price = fromDec(c.amount);
    const quantity = rat(unitDays, BigInt(D)); // unit-months: quantity × unitPrice = amount
    const { label } = componentLabel(ctx.text, c);
    const unitPrice = formatPrice(price, ctx.currency);
    return [
      {
        amount: mul(quantity, price),
        description: ctx.text.perUnit(offeringName(ctx.text, ctx.offering), label, c.metric, qMin, qMax, unitDays, unitPrice, rangeDays(ctx.active), D),
        quantity: toQuantity(quantity),
        unit: c.metric,
        unitPrice,
      },
    ];
  },
};
