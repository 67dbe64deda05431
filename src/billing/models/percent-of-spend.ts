// percent-of-spend: clamp(Σ spend of the listed services × rate, minimum,
// maximum) (SPEC §4.1). Spend is monthly, not dated: the statement hands it to
// one subscription of the offering and one version (see statement.ts).
import { add, cmp, fromDec, fromPercent, max, mul, ZERO } from '../rational.js';
import { formatPrice } from '../money.js';
import { componentLabel, offeringName } from '../describe.js';
import type { PricingModel } from './types.js';

export const percentOfSpend: PricingModel = {
  lines(ctx) {
    const c = ctx.component;
    if (c.model !== 'percent-of-spend' || !ctx.active || !ctx.spend) return [];
    let spend = ZERO;
    for (const [service, amount] of ctx.spend) if (c.services === null || c.services.includes(service)) spend = add(spend, amount);
    const raw = mul(spend, fromPercent(c.rate));
    // A charge is never negative, even when credits outweigh the month's spend.
    let amount = max(raw, ZERO);
    let clamp: 'minimum' | 'maximum' | null = null;
    let bound = '';
    if (c.minimum && cmp(amount, fromDec(c.minimum)) < 0) {
      amount = fromDec(c.minimum);
      clamp = 'minimum';
      bound = formatPrice(amount, ctx.currency);
    } else if (c.maximum && cmp(amount, fromDec(c.maximum)) > 0) {
      amount = fromDec(c.maximum);
      clamp = 'maximum';
      bound = formatPrice(amount, ctx.currency);
    }
    const services = c.services === null ? ctx.text.allServices : c.services.map((s) => ctx.serviceName(s)).join(', ');
    const { label } = componentLabel(ctx.text, c);
    const spendText = formatPrice(spend, ctx.currency);
    return [
      {
        amount,
        description: ctx.text.percentOfSpend(offeringName(ctx.text, ctx.offering), label, c.rate.text, spendText, services, clamp, bound),
        quantity: spendText,
        unit: 'spend',
        unitPrice: c.rate.text,
      },
    ];
  },
};
