// percent-of-spend: clamp(Σ spend of the listed services × rate, minimum,
// maximum) (SPEC §4.1). Spend is monthly, not dated: the statement hands it to
// one subscription of the offering and one version (needsSpend, statement.ts).
import type { Static } from '@sinclair/typebox';
import type { SchemaKit } from './schema-kit.js';
import { compareDec, percentOver100, type Dec, type Percent } from '../decimal.js';
import { add, cmp, fromDec, fromPercent, max, mul, ZERO } from '../rational.js';
import type { ComponentBase, ModelDef } from './types.js';

const schema = (k: SchemaKit) =>
  k.Type.Object(
    {
      ...k.Version,
      model: k.Type.Literal('percent-of-spend'),
      rate: k.Percentage('Share of the cloud spend'),
      services: k.Type.Optional(k.Type.Array(k.Id('Service id'), { minItems: 1, uniqueItems: true, description: 'Services whose spend counts (default all of the offering)' })),
      minimum: k.Type.Optional(k.Money('Lowest monthly charge')),
      maximum: k.Type.Optional(k.Money('Highest monthly charge')),
      basis: k.Type.Optional(
        k.Type.Union([k.Type.Literal('cost'), k.Type.Literal('retail')], {
          default: 'cost',
          description: "Spend priced: the partner's cost (default) or its retail value (SPEC §12.3)",
        }),
      ),
    },
    k.strict,
  );

export interface PercentOfSpendComponent extends ComponentBase {
  readonly model: 'percent-of-spend';
  readonly rate: Percent;
  readonly services: readonly string[] | null; // null = all
  readonly minimum?: Dec;
  readonly maximum?: Dec;
  /** Absent: cost (§12.3). */
  readonly basis?: 'retail';
}
/** "8% of 1830.25 Azure spend (minimum 100.00)". */
export interface PercentOfSpendFacts {
  readonly rate: string;
  readonly spend: string;
  readonly services: readonly string[] | null; // service ids; null: all services
  readonly clamp: 'minimum' | 'maximum' | null;
  readonly bound: string;
  /** Present when the spend is taken at retail price (§12.3). */
  readonly basis?: 'retail';
}

export const percentOfSpend: ModelDef<PercentOfSpendComponent, Static<ReturnType<typeof schema>>, PercentOfSpendFacts> = {
  recurring: false,
  needsSpend: true,
  schema,
  compile(c, k) {
    const { ctx, segs } = k;
    const rate = ctx.percent([...segs, 'rate'], c.rate);
    if (rate && percentOver100(rate)) ctx.error([...segs, 'rate'], `${rate.text} is over 100%: a share of the spend cannot exceed the spend`);
    c.services?.forEach((s, j) => {
      if (!k.services.has(s)) ctx.error([...segs, 'services', j], `unknown service "${s}" ${k.declared(k.services.keys())}`);
      else if (!k.offeringServices.includes(s))
        ctx.error([...segs, 'services', j], `service "${s}" is not covered by this offering (services: ${k.offeringServices.join(', ')}); add it to the offering's services or remove it here`);
    });
    const minimum = c.minimum !== undefined ? ctx.money([...segs, 'minimum'], c.minimum, k.exponent, k.whole) ?? undefined : undefined;
    const maximum = c.maximum !== undefined ? ctx.money([...segs, 'maximum'], c.maximum, k.exponent, k.whole) ?? undefined : undefined;
    if (minimum && maximum && compareDec(minimum, maximum) > 0) ctx.error([...segs, 'minimum'], `minimum ${minimum.text} is above maximum ${maximum.text}`);
    if (!rate) return null;
    const f: Record<string, unknown> = { model: c.model, rate, services: c.services ? Object.freeze([...c.services]) : null };
    if (minimum) f.minimum = minimum;
    if (maximum) f.maximum = maximum;
    if (c.basis === 'retail') f.basis = 'retail'; // cost is the default: existing plans compile as before
    return f;
  },
  lines(ctx) {
    const c = ctx.component;
    if (!ctx.spend) return [];
    const retail = c.basis === 'retail' ? ctx.retail : null;
    let spend = ZERO;
    const short: string[] = []; // services whose spend lacks retail: their cost stands in
    for (const [service, amount] of retail ? retail.amounts : ctx.spend) {
      if (c.services !== null && !c.services.includes(service)) continue;
      spend = add(spend, amount);
      if (retail?.missing.has(service)) short.push(service);
    }
    const raw = mul(spend, fromPercent(c.rate));
    // A charge is never negative, even when credits outweigh the month's spend.
    let amount = max(raw, ZERO);
    let clamp: 'minimum' | 'maximum' | null = null;
    let bound = '';
    if (c.minimum && cmp(amount, fromDec(c.minimum)) < 0) {
      amount = fromDec(c.minimum);
      clamp = 'minimum';
      bound = ctx.price(amount);
    } else if (c.maximum && cmp(amount, fromDec(c.maximum)) > 0) {
      amount = fromDec(c.maximum);
      clamp = 'maximum';
      bound = ctx.price(amount);
    }
    const spendText = ctx.price(spend);
    return [
      {
        amount,
        facts: { rate: c.rate.text, spend: spendText, services: c.services, clamp, bound, ...(retail ? { basis: 'retail' as const } : {}) },
        quantity: spendText,
        unit: 'spend',
        unitPrice: c.rate.text,
        ...(short.length > 0
          ? {
              warnings: [
                {
                  code: 'SPEND_BASIS_MISSING' as const,
                  component: c.id,
                  services: short.sort(),
                },
              ],
            }
          : {}),
      },
    ];
  },
  describe: (f, w) =>
    w.t(f.basis === 'retail' ? 'line.percent.retail' : 'line.percent', {
      offering: w.offering,
      label: w.label,
      rate: f.rate,
      spend: f.spend,
      services: f.services === null ? w.t('line.percent.allServices') : f.services.map((s) => w.serviceName(s)).join(w.t('line.percent.join')),
      clamp: f.clamp ? w.t(f.clamp === 'minimum' ? 'line.percent.minimum' : 'line.percent.maximum', { bound: f.bound }) : '',
    }),
  terms(c, w) {
    const services = c.services ? w.list(c.services.map((s) => w.serviceName(s))) : w.t('price.percent.allServices');
    const parts = [w.t(c.basis === 'retail' ? 'price.percent.retail' : 'price.percent', { rate: c.rate.text, services })];
    if (c.minimum) parts.push(w.t('price.percent.minimum', { amount: w.money(c.minimum) }));
    if (c.maximum) parts.push(w.t('price.percent.maximum', { amount: w.money(c.maximum) }));
    return parts;
  },
  diffFields: (c, d) => ({
    rate: `${c.rate.text} of spend`,
    services: d.list(c.services, 'all services'),
    minimum: d.money(c.minimum),
    maximum: d.money(c.maximum),
    ...(c.basis === 'retail' ? { basis: 'at retail price' } : {}),
  }),
  override: {
    required: ['rate'],
    optional: ['minimum', 'maximum'],
    // the customer's rate; a minimum or maximum it gives replaces the plan's, one it leaves out keeps the plan's
    apply(c, o, k) {
      const { ctx, segs } = k;
      const rate = ctx.percent([...segs, 'rate'], o.rate as string);
      if (rate && percentOver100(rate)) ctx.error([...segs, 'rate'], `${rate.text} is over 100%: a share of the spend cannot exceed the spend`);
      const minimum = o.minimum !== undefined ? ctx.money([...segs, 'minimum'], o.minimum, k.exponent, k.whole) : c.minimum;
      const maximum = o.maximum !== undefined ? ctx.money([...segs, 'maximum'], o.maximum, k.exponent, k.whole) : c.maximum;
      if (!rate || percentOver100(rate) || minimum === null || maximum === null) return null;
      if (minimum && maximum && compareDec(minimum, maximum) > 0) {
        ctx.error([...segs, o.minimum !== undefined ? 'minimum' : 'maximum'], `minimum ${minimum.text} is above maximum ${maximum.text}`);
        return null;
      }
      return { rate, ...(minimum ? { minimum } : {}), ...(maximum ? { maximum } : {}) };
    },
  },
};
