// per-incident: n = accepted, billable requests of the period in a listed
// category; max(0, n − included) × amount (SPEC §4.1). No requests, no line.
import { fromDec, int, mul } from '../rational.js';
import { formatPrice } from '../money.js';
import { componentLabel, offeringName } from '../describe.js';
import type { PricingModel } from './types.js';

export const perIncident: PricingModel = {
  lines(ctx) {
    const c = ctx.component;
    if (c.model !== 'per-incident' || !ctx.active) return [];
    const cats = c.categories;
    const n = ctx.requests.filter((r) => r.billable && (cats === null || (cats as readonly string[]).includes(r.category))).length;
    if (n === 0) return [];
    const billed = Math.max(0, n - c.included);
    const price = formatPrice(fromDec(c.amount), ctx.currency);
    const { label } = componentLabel(ctx.text, c);
    return [
      {
        amount: mul(int(billed), fromDec(c.amount)),
        description: ctx.text.perIncident(offeringName(ctx.text, ctx.offering), label, n, c.included, billed, price),
        quantity: String(billed),
        unit: 'incidents',
        unitPrice: price,
      },
    ];
  },
};
