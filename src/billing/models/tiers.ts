// Shared by graduated and volume: Q = max q(d) over the active days, and the
// price of Q units under a tier table, exactly.
import type { Tier } from '../../plans/types.js';
import { add, fromDec, int, mul, rat, ZERO, type Rat } from '../rational.js';
import { formatPrice, type Currency } from '../money.js';
import { eachDate, rangeDays, type DateRange } from '../period.js';
import { componentLabel, offeringName } from '../describe.js';
import type { PricingModel } from './types.js';

export function peakQuantity(active: DateRange, quantity: (date: string) => number): number {
  let q = 0;
  for (const d of eachDate(active)) q = Math.max(q, quantity(d));
  return q;
}

/** Graduated: each unit in the tier it falls in, plus the flat of every tier reached. */
export function graduatedPrice(tiers: readonly Tier[], q: number, currency: Currency): { amount: Rat; breakdown: string } {
  let amount = ZERO;
  const parts: string[] = [];
  let lower = 0;
  for (const t of tiers) {
    if (q <= lower) break;
    const units = Math.min(q, t.upTo ?? Infinity) - lower;
    amount = add(amount, mul(int(units), fromDec(t.amount)));
    parts.push(`${units} × ${formatPrice(fromDec(t.amount), currency)}`);
    if (t.flat) {
      amount = add(amount, fromDec(t.flat));
      parts.push(formatPrice(fromDec(t.flat), currency));
    }
    lower = t.upTo ?? Infinity;
  }
  return { amount, breakdown: parts.join(' + ') };
}

/** Volume: all Q units at the first tier whose upTo >= Q (else the last), plus its flat. */
export function volumePrice(tiers: readonly Tier[], q: number, currency: Currency): { amount: Rat; breakdown: string; tier: Tier | null } {
  if (q === 0 || tiers.length === 0) return { amount: ZERO, breakdown: '', tier: null }; // nothing used, no tier reached
  const t = tiers.find((x) => x.upTo === null || x.upTo >= q) ?? tiers[tiers.length - 1];
  let amount = mul(int(q), fromDec(t.amount));
  let breakdown = `${q} × ${formatPrice(fromDec(t.amount), currency)}`;
  if (t.flat) {
    amount = add(amount, fromDec(t.flat));
    breakdown += ` + ${formatPrice(fromDec(t.flat), currency)}`;
  }
  return { amount, breakdown, tier: t };
}

type TierPrice = (tiers: readonly Tier[], q: number, currency: Currency) => { amount: Rat; breakdown: string; tier?: Tier | null };

/** graduated and volume differ only in how Q units are priced; both prorate by activeDays / D. */
export function tieredModel(model: 'graduated' | 'volume', price: TierPrice): PricingModel {
  return {
    lines(ctx) {
      const c = ctx.component;
      if (c.model !== model || !ctx.active) return [];
      const q = peakQuantity(ctx.active, (d) => ctx.quantity(c.metric, d));
      const { amount, breakdown, tier } = price(c.tiers, q, ctx.currency);
      const days = rangeDays(ctx.active);
      const { label } = componentLabel(ctx.text, c);
      return [
        {
          amount: mul(amount, rat(BigInt(days), BigInt(ctx.period.days))),
          description: ctx.text.tiered(offeringName(ctx.text, ctx.offering), label, c.metric, q, breakdown, days, ctx.period.days),
          quantity: String(q),
          unit: c.metric,
          // One unit price means something only for a volume tier without a block price.
          ...(tier && !tier.flat ? { unitPrice: formatPrice(fromDec(tier.amount), ctx.currency) } : {}),
        },
      ];
    },
  };
}
