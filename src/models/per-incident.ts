// per-incident: n = accepted, billable requests of the period in a listed
// category; max(0, n − included) × amount (SPEC §4.1), the allowance once per
// period across versions (§8.5); a block may draw it (§10). No requests, no line.
// Its categories also make requests billable by default (§3.2, rules/compile.ts).
import type { Static } from '@sinclair/typebox';
import type { SchemaKit } from './schema-kit.js';
import type { Dec } from '../decimal.js';
import type { Category } from '../wire/patterns.js';
import { fromDec, int, mul, ZERO } from '../rational.js';
import type { ComponentBase, ModelContext, ModelDef, ModelLine } from './types.js';
import { amountOverride } from './overrides.js';

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
/** "2 incidents, 1 included, 1 × 95.00"; drawn by a block (§10): `part` block (billed = incidents drawn) or overage. */
export interface PerIncidentFacts {
  readonly part?: 'block' | 'overage';
  readonly incidents: number;
  readonly included: number; // incidents the monthly allowance covered
  readonly billed: number;
  readonly price: string;
}

/**
 * The chargeable incidents of ctx in time order, each marked when the
 * allowance covers it: the allowance is shared by the component's versions in
 * the period (§8.5), set by the first version priced from its own `included`.
 */
function chargeable(ctx: ModelContext<PerIncidentComponent>): { id: string; date: string; ms: number; included: boolean }[] {
  const c = ctx.component;
  const cats = c.categories;
  const allowance = ctx.allowance ?? { left: null };
  if (allowance.left === null) allowance.left = c.included;
  const out: { id: string; date: string; ms: number; included: boolean }[] = [];
  for (const r of ctx.requests) {
    if (!r.billable || (cats !== null && !(cats as readonly string[]).includes(r.category))) continue;
    const included = allowance.left > 0;
    if (included) allowance.left -= 1;
    out.push({ id: r.id, date: r.date, ms: r.receivedMs, included });
  }
  return out;
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
    const counted = chargeable(ctx);
    const n = counted.length;
    if (n === 0) return [];
    const used = counted.filter((r) => r.included).length;
    const price = ctx.price(fromDec(c.amount));
    if (ctx.block) {
      // drawn by a block (§10): the incidents drawn at 0.00, then overage at the block's overage price or the own price
      const drawn = counted.filter((r) => !r.included && (ctx.block?.drawn.get(r.id) ?? 0) > 0).length;
      const over = n - used - drawn;
      const rate = fromDec(ctx.block.overage ?? c.amount);
      const lines: ModelLine<PerIncidentFacts>[] = [
        { kind: 'block', amount: ZERO, facts: { part: 'block', incidents: n, included: used, billed: drawn, price }, quantity: String(drawn), unit: 'incidents' },
      ];
      if (over > 0) {
        const overPrice = ctx.price(rate);
        lines.push({ kind: 'overage', amount: mul(int(over), rate), facts: { part: 'overage', incidents: over, included: 0, billed: over, price: overPrice }, quantity: String(over), unit: 'incidents', unitPrice: overPrice });
      }
      return lines;
    }
    const billed = n - used;
    return [
      {
        amount: mul(int(billed), fromDec(c.amount)),
        facts: { incidents: n, included: used, billed, price },
        quantity: String(billed),
        unit: 'incidents',
        unitPrice: price,
      },
    ];
  },
  draws: 'incidents',
  meter: (ctx) => chargeable(ctx).filter((r) => !r.included).map((r) => ({ id: r.id, date: r.date, ms: r.ms, units: 1 })),
  describe: (f, w) =>
    f.part === 'block'
      ? w.t('line.perIncident.block', {
          offering: w.offering,
          label: w.label,
          incidents: w.t(f.incidents === 1 ? 'line.perIncident.one' : 'line.perIncident.many', { n: f.incidents }),
          included: f.included > 0 ? w.t('line.perIncident.included', { n: f.included }) : '',
          drawn: f.billed,
        })
      : f.part === 'overage'
        ? w.t('line.perIncident.overage', { offering: w.offering, label: w.label, billed: f.billed, price: f.price })
        : w.t('line.perIncident', {
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
  override: amountOverride('whole'),
};
