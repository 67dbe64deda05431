// per-incident: n = accepted, billable requests of the period in a listed
// category; max(0, n − included) × amount (SPEC §4.1). No requests, no line.
// Its categories also make requests billable by default (§3.2, rules/compile.ts).
import type { Static } from '@sinclair/typebox';
import type { SchemaKit } from './schema-kit.js';
import type { Dec } from '../decimal.js';
import type { Category } from '../wire/patterns.js';
import { fromDec, int, mul } from '../rational.js';
import type { ComponentBase, ModelDef } from './types.js';

const schema = (k: SchemaKit) =>
  k.Type.Object(
    {
      ...k.Version,
      model: k.Type.Literal('per-incident'),
      amount: k.Money('Price per billable incident'),
      included: k.Type.Optional(k.Type.Integer({ minimum: 0, default: 0, description: 'Incidents included each month' })),
      categories: k.Type.Optional(k.Type.Array(k.Category, { minItems: 1, uniqueItems: true, description: 'Categories charged (default all)' })),
    },
    k.strict,
  );

export interface PerIncidentComponent extends ComponentBase {
  readonly model: 'per-incident';
  readonly amount: Dec;
  readonly included: number;
  readonly categories: readonly Category[] | null; // null = all
}
/** "2 incidents, 1 included, 1 × 95.00". */
export interface PerIncidentFacts {
  readonly incidents: number;
  readonly included: number; // the component's monthly allowance
  readonly billed: number;
  readonly price: string;
}

export const perIncident: ModelDef<PerIncidentComponent, Static<ReturnType<typeof schema>>, PerIncidentFacts> = {
  recurring: false,
  needsSpend: false,
  schema,
  compile(c, k) {
    const amount = k.ctx.money([...k.segs, 'amount'], c.amount, k.exponent, k.whole);
    return amount ? { model: c.model, amount, included: c.included ?? 0, categories: c.categories ? Object.freeze([...c.categories]) : null } : null;
  },
  lines(ctx) {
    const c = ctx.component;
    const cats = c.categories;
    const n = ctx.requests.filter((r) => r.billable && (cats === null || (cats as readonly string[]).includes(r.category))).length;
    if (n === 0) return [];
    const billed = Math.max(0, n - c.included);
    const price = ctx.price(fromDec(c.amount));
    return [
      {
        amount: mul(int(billed), fromDec(c.amount)),
        facts: { incidents: n, included: c.included, billed, price },
        quantity: String(billed),
        unit: 'incidents',
        unitPrice: price,
      },
    ];
  },
  describe: (f, w) =>
    w.t('line.perIncident', {
      offering: w.offering,
      label: w.label,
      incidents: w.t(f.incidents === 1 ? 'line.perIncident.one' : 'line.perIncident.many', { n: f.incidents }),
      included: f.included > 0 ? w.t('line.perIncident.included', { n: Math.min(f.incidents, f.included) }) : '',
      billed: f.billed,
      price: f.price,
    }),
  terms(c, w) {
    const parts = [w.t('price.perIncident', { amount: w.money(c.amount) })];
    if (c.included === 1) parts.push(w.t('price.perIncident.includedOne'));
    else if (c.included > 1) parts.push(w.t('price.perIncident.included', { n: w.number(c.included) }));
    if (c.categories) parts.push(w.t('price.perIncident.categories', { categories: w.list(c.categories.map((k) => w.t(`category.${k}`))) }));
    return parts;
  },
  diffFields: (c, d) => ({ amount: `${d.money(c.amount)} per incident`, included: `${c.included} included`, categories: d.list(c.categories, 'all categories') }),
  billsRequests: (c, category) => c.categories === null || c.categories.includes(category),
};
