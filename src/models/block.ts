// block (SPEC §10): hours or incidents sold in advance. This module is the
// model as the plan, the terms, the diff and the statement see it: its schema
// and checks (with the components it draws), its grant lines (a monthly block
// in full on the subscription's first active day of a period; purchases on
// their period), its words. The balance itself — draws in time order from the
// oldest grant, rollover, expiry — is the pure ledger of billing/ledger.ts,
// which lends the drawing components what they drew (ModelContext.block).
import type { Static } from '@sinclair/typebox';
import type { SchemaKit } from './schema-kit.js';
import type { Dec, Percent } from '../decimal.js';
import { parseDuration } from '../time/duration.js';
import { add, fromDec, int, mul, rat, toQuantity, ZERO, type Rat } from '../rational.js';
import type { DateRange } from '../time/period.js';
import type { ComponentBase, ModelDef, ModelLine, PricedPurchase } from './types.js';

const Amount = (k: SchemaKit, d: string) => k.Type.Union([k.Duration(d), k.Type.Integer()], { description: d, errorMessage: 'a duration like "10h" (hours) or a whole number (incidents)' });

const schema = (k: SchemaKit) =>
  k.Type.Object(
    {
      ...k.Version,
      model: k.Type.Literal('block'),
      unit: k.Type.Union([k.Type.Literal('hours'), k.Type.Literal('incidents')], { description: 'What a block holds', errorMessage: 'hours or incidents' }),
      size: Amount(k, 'One block: a duration for hours, a whole number for incidents'),
      amount: k.Money('Price of one block'),
      renew: k.Type.Union([k.Type.Literal('monthly'), k.Type.Literal('purchase')], { description: 'monthly: one block each period; purchase: blocks bought', errorMessage: 'monthly or purchase' }),
      rollover: k.Type.Optional(
        k.Type.Object(
          {
            periods: k.Type.Integer({ minimum: 0, description: 'Periods an unused grant is carried after the one it was made in' }),
            max: k.Type.Optional(Amount(k, 'Most carried into a period (oldest dropped first)')),
          },
          k.strict,
        ),
      ),
      overage: k.Type.Optional(k.UnitPrice('Price per hour or incident beyond the balance (default: the drawing component\'s own price)')),
      draws: k.Type.Array(k.Id('An hourly or per-incident component of this offering'), { minItems: 1, uniqueItems: true, description: 'Components whose usage the block pays for' }),
      alertAt: k.Type.Optional(k.Percentage('BLOCK_LOW when used reaches this share of opening + granted')),
    },
    k.strict,
  );

export interface BlockComponent extends ComponentBase {
  readonly model: 'block';
  readonly unit: 'hours' | 'incidents';
  /** One block in the ledger's unit: minutes (hours) or incidents. */
  readonly size: number;
  readonly amount: Dec;
  readonly renew: 'monthly' | 'purchase';
  /** null: an unused balance expires at the end of its period. `max` in the ledger's unit, null: no cap. */
  readonly rollover: { readonly periods: number; readonly max: number | null } | null;
  readonly overage: Dec | null;
  readonly draws: readonly string[];
  readonly alertAt: Percent | null;
}

/** "1 block of 10 h, monthly" / "2 blocks of 5 incidents, purchased". */
export interface BlockFacts {
  readonly unit: 'hours' | 'incidents';
  readonly blocks: number;
  /** One block as a quantity of its unit ("10" hours, "5" incidents). */
  readonly size: string;
  readonly renew: 'monthly' | 'purchase';
}

/** The ledger's unit of a block. */
export const ledgerUnit = (c: Pick<BlockComponent, 'unit'>): 'minutes' | 'incidents' => (c.unit === 'hours' ? 'minutes' : 'incidents');

/** A grant of a period: a date and its units. */
export interface Grant {
  readonly date: string;
  readonly units: number;
}

/**
 * The grants one version makes in a period (§10): `active` the version's
 * active dates in the period, `subscriptionFirst` the subscription's first
 * active day in it; purchases already of this version and period.
 */
export function blockGrants(c: BlockComponent, active: DateRange, subscriptionFirst: string, purchases: readonly PricedPurchase[]): { monthly: Grant | null; purchased: Grant[] } {
  const monthly = c.renew === 'monthly' && active.from === subscriptionFirst ? { date: active.from, units: c.size } : null;
  return { monthly, purchased: purchases.map((p) => ({ date: p.date, units: p.quantity * c.size })) };
}

/** The fields a size or a rollover max takes in the block's unit, or an error. */
function unitAmount(value: string | number, unit: 'hours' | 'incidents'): number | null {
  if (unit === 'hours') return typeof value === 'string' ? parseDuration(value) : null;
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

export const block: ModelDef<BlockComponent, Static<ReturnType<typeof schema>>, BlockFacts> = {
  // a monthly grant line is a recurring fee (service credits, §9.3), purchases are not: the line says so itself
  recurring: false,
  needsSpend: false,
  schema,
  compile(c, k) {
    const { ctx, segs } = k;
    const amount = ctx.money([...segs, 'amount'], c.amount, k.exponent, k.whole);
    const overage = c.overage !== undefined ? ctx.money([...segs, 'overage'], c.overage, k.unitDecimals, k.unit) : null;
    const size = unitAmount(c.size, c.unit);
    let ok = amount !== null && (c.overage === undefined || overage !== null);
    if (size === null || size <= 0) {
      ctx.error([...segs, 'size'], c.unit === 'hours' ? 'the size of a block of hours is a duration longer than 0m, e.g. 10h' : 'the size of a block of incidents is a whole number of at least 1, e.g. 5');
      ok = false;
    }
    let rollover: BlockComponent['rollover'] = null;
    if (c.rollover) {
      let max: number | null = null;
      if (c.rollover.max !== undefined) {
        max = unitAmount(c.rollover.max, c.unit);
        if (max === null) {
          ctx.error([...segs, 'rollover', 'max'], c.unit === 'hours' ? 'rollover.max of a block of hours is a duration, e.g. 5h' : 'rollover.max of a block of incidents is a whole number, e.g. 3');
          ok = false;
        } else if (max < 0) {
          ctx.error([...segs, 'rollover', 'max'], 'rollover.max must not be below 0');
          ok = false;
        }
      }
      rollover = { periods: c.rollover.periods, max };
    }
    const alertAt = c.alertAt !== undefined ? ctx.percent([...segs, 'alertAt'], c.alertAt) : null;
    if (c.alertAt !== undefined && alertAt === null) ok = false;
    if (!ok) return null;
    return { model: c.model, unit: c.unit, size: size as number, amount, renew: c.renew, rollover, overage, draws: Object.freeze([...c.draws]), alertAt };
  },
  checkOffering(own, all, ctx) {
    const drawnBy = new Map<string, string>();
    const seen = new Set<string>();
    for (const { component: c, segs } of own) {
      c.draws.forEach((d, j) => {
        const at = [...segs, 'draws', j];
        const target = all.find((x) => x.id === d);
        const want = c.unit === 'hours' ? 'hourly' : 'per-incident';
        if (!target) {
          ctx.error(at, `block "${c.id}" draws "${d}", which is not a component of this offering (components: ${[...new Set(all.map((x) => x.id))].join(', ')})`);
        } else if (target.model !== want) {
          ctx.error(at, `a block of ${c.unit} draws ${want} components; "${d}" is ${target.model}`);
        }
        const other = drawnBy.get(d);
        if (other !== undefined && other !== c.id) ctx.error(at, `component "${d}" is drawn by block "${other}" and by block "${c.id}"; a component is drawn by one block at most`);
        else if (!seen.has(`${c.id}\u0000${d}`)) drawnBy.set(d, c.id);
        seen.add(`${c.id}\u0000${d}`);
      });
    }
  },
  lines(ctx) {
    const c = ctx.component;
    const first = ctx.subscriptionActive?.from ?? ctx.active.from;
    const purchases = ctx.purchases ?? [];
    const { monthly } = blockGrants(c, ctx.active, first, purchases);
    const price = ctx.price(fromDec(c.amount));
    const size = toQuantity(c.unit === 'hours' ? rat(BigInt(c.size), 60n) : int(c.size));
    const out: ModelLine<BlockFacts>[] = [];
    if (monthly) out.push({ kind: 'grant', amount: fromDec(c.amount), facts: { unit: c.unit, blocks: 1, size, renew: 'monthly' }, quantity: '1', unit: 'blocks', unitPrice: price, recurring: true });
    if (purchases.length > 0) {
      const blocks = purchases.reduce((n, p) => n + p.quantity, 0);
      const amount = purchases.reduce((s: Rat, p) => add(s, p.amount ?? mul(int(p.quantity), fromDec(c.amount))), ZERO);
      const priced = purchases.every((p) => p.amount === null);
      out.push({ kind: 'grant', amount, facts: { unit: c.unit, blocks, size, renew: 'purchase' }, quantity: String(blocks), unit: 'blocks', ...(priced ? { unitPrice: price } : {}) });
    }
    return out;
  },
  describe: (f, w) =>
    w.t(f.renew === 'monthly' ? 'line.block.monthly' : 'line.block.purchase', {
      offering: w.offering,
      label: w.label,
      blocks: f.blocks,
      size: w.t(f.unit === 'hours' ? 'line.block.hours' : 'line.block.incidents', { n: f.size }),
    }),
  terms(c, w) {
    const size = c.unit === 'hours' ? w.duration(c.size) : w.t('price.block.incidents', { n: w.number(c.size) });
    const parts = [w.t(c.renew === 'monthly' ? 'price.block.monthly' : 'price.block.purchase', { size, amount: w.money(c.amount) })];
    const each = (m: number): string => (c.unit === 'hours' ? w.duration(m) : w.t('price.block.incidents', { n: w.number(m) }));
    if (c.rollover && c.rollover.periods > 0) {
      parts.push(
        c.rollover.max !== null
          ? w.t('price.block.rolloverMax', { periods: w.number(c.rollover.periods), max: each(c.rollover.max) })
          : w.t('price.block.rollover', { periods: w.number(c.rollover.periods) }),
      );
    } else parts.push(w.t('price.block.expires'));
    if (c.overage) parts.push(w.t(c.unit === 'hours' ? 'price.block.overageHour' : 'price.block.overageIncident', { amount: w.money(c.overage) }));
    else parts.push(w.t('price.block.overageOwn'));
    return parts;
  },
  diffFields: (c, d) => ({
    unit: c.unit,
    size: c.unit === 'hours' ? d.minutes(c.size) : `${c.size} incidents`,
    amount: `${d.money(c.amount)} per block`,
    renew: c.renew,
    rollover: c.rollover ? `${c.rollover.periods} periods, at most ${c.rollover.max === null ? 'no cap' : c.unit === 'hours' ? d.minutes(c.rollover.max) : `${c.rollover.max} incidents`}` : 'none',
    overage: c.overage ? `${d.money(c.overage)} per ${c.unit === 'hours' ? 'hour' : 'incident'}` : 'the drawing component\'s price',
    draws: d.list(c.draws),
    alertAt: c.alertAt ? c.alertAt.text : 'none',
  }),
  // a customer's price (§8.2): its block price, and its overage rate when given (else the plan's)
  override: {
    required: ['amount'],
    optional: ['overage'],
    apply(_c, o, k) {
      const amount = k.ctx.money([...k.segs, 'amount'], o.amount, k.exponent, k.whole);
      const overage = o.overage !== undefined ? k.ctx.money([...k.segs, 'overage'], o.overage, k.unitDecimals, k.unit) : undefined;
      return amount && overage !== null ? { amount, ...(overage ? { overage } : {}) } : null;
    },
  },
};
