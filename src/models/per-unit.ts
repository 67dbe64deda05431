// per-unit: Σ over active days of q(d) × amount / D (SPEC §4.1), so a seat
// added on the 20th costs its share of the month from the 20th.
import type { Static } from '@sinclair/typebox';
import type { SchemaKit } from './schema-kit.js';
import type { Dec } from '../decimal.js';
import { fromDec, mul, rat, toQuantity } from '../rational.js';
import { eachDate, rangeDays } from '../time/period.js';
import type { ComponentBase, ModelDef } from './types.js';
import { amountOverride } from './overrides.js';

const schema = (k: SchemaKit) =>
  k.Type.Object({ ...k.Version, model: k.Type.Literal('per-unit'), metric: k.Metric, amount: k.UnitPrice('Monthly price per unit') }, k.strict);

export interface PerUnitComponent extends ComponentBase {
  readonly model: 'per-unit';
  readonly metric: string;
  readonly amount: Dec;
}
/** "12 seats × 4.00, 22 of 31 days", or "10 to 20 seats (420 seats-days of 31) × 4.00" when q changed. */
export interface PerUnitFacts {
  readonly metric: string;
  readonly min: number;
  readonly max: number;
  readonly unitDays: string; // Σ q(d), a bigint as text
  readonly price: string;
  readonly days: number;
  readonly of: number;
}

export const perUnit: ModelDef<PerUnitComponent, Static<ReturnType<typeof schema>>, PerUnitFacts> = {
  recurring: true,
  needsSpend: false,
  schema,
  compile(c, k) {
    const amount = k.ctx.money([...k.segs, 'amount'], c.amount, k.unitDecimals, k.unit);
    return amount ? { model: c.model, metric: c.metric, amount } : null;
  },
  lines(ctx) {
    const c = ctx.component;
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
    const unitPrice = ctx.price(price);
    return [
      {
        amount: mul(quantity, price),
        facts: { metric: c.metric, min: qMin, max: qMax, unitDays: String(unitDays), price: unitPrice, days: rangeDays(ctx.active), of: D },
        quantity: toQuantity(quantity),
        unit: c.metric,
        unitPrice,
      },
    ];
  },
  describe: (f, w) =>
    f.min === f.max
      ? // part of a month reads "10 seats × 22/31 of a month", never "220/31 seats"
        w.t(f.days < f.of ? 'line.perUnit.part' : 'line.perUnit', { offering: w.offering, label: w.label, quantity: f.min, metric: f.metric, price: f.price, days: f.days, of: f.of })
      : w.t('line.perUnit.varying', { offering: w.offering, label: w.label, min: f.min, max: f.max, metric: f.metric, unitDays: f.unitDays, price: f.price, of: f.of }),
  terms: (c, w) => [w.t('price.perUnit', { amount: w.money(c.amount), metric: c.metric }), w.t('price.prorated')],
  diffFields: (c, d) => ({ metric: c.metric, amount: `${d.money(c.amount)} per unit per month` }),
  override: amountOverride('unit'),
};
