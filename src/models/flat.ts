// flat: amount × activeDays / D (SPEC §4.1).
import type { Static } from '@sinclair/typebox';
import type { SchemaKit } from './schema-kit.js';
import type { Dec } from '../decimal.js';
import { fromDec, mul, rat } from '../rational.js';
import { rangeDays } from '../time/period.js';
import type { ComponentBase, ModelDef } from './types.js';
import { amountOverride } from './overrides.js';

const schema = (k: SchemaKit) =>
  k.Type.Object({ ...k.Version, model: k.Type.Literal('flat'), amount: k.Money('Monthly fee, prorated by active days') }, k.strict);

export interface FlatComponent extends ComponentBase {
  readonly model: 'flat';
  readonly amount: Dec;
}
/** "22 of 31 days". */
export interface FlatFacts {
  readonly days: number;
  readonly of: number;
}

export const flat: ModelDef<FlatComponent, Static<ReturnType<typeof schema>>, FlatFacts> = {
  recurring: true,
  needsSpend: false,
  schema,
  compile(c, k) {
    const amount = k.ctx.money([...k.segs, 'amount'], c.amount, k.exponent, k.whole);
    return amount ? { model: c.model, amount } : null;
  },
  lines(ctx) {
    const c = ctx.component;
    const days = rangeDays(ctx.active);
    const D = ctx.period.days;
    return [
      {
        amount: mul(fromDec(c.amount), rat(BigInt(days), BigInt(D))),
        facts: { days, of: D },
        quantity: `${days}/${D}`, // as the customer counts it: unreduced days of the month
        unit: 'days',
        unitPrice: ctx.price(fromDec(c.amount)),
      },
    ];
  },
  describe: (f, w) => w.t(w.named ? 'line.flat.named' : 'line.flat', { offering: w.offering, label: w.label, days: f.days, of: f.of }),
  terms: (c, w) => [w.t('price.flat', { amount: w.money(c.amount) }), w.t('price.prorated')],
  diffFields: (c, d) => ({ amount: `${d.money(c.amount)} per month` }),
  override: amountOverride('whole'),
};
