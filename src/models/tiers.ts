// Shared by graduated and volume: the tier table in the plan file, its checks,
// Q = max q(d) over the active days, and the price of Q units under a table.
import type { Static, TLiteral } from '@sinclair/typebox';
import type { SchemaKit } from './schema-kit.js';
import type { Dec } from '../decimal.js';
import { add, fromDec, int, mul, rat, ZERO, type Rat } from '../rational.js';
import { eachDate, rangeDays, type DateRange } from '../time/period.js';
import type { CompileKit, ComponentBase, ModelDef, Tier } from './types.js';

export function peakQuantity(active: DateRange, quantity: (date: string) => number): number {
  let q = 0;
  for (const d of eachDate(active)) q = Math.max(q, quantity(d));
  return q;
}

/** One term of a tier price: units at a unit price, or a tier's block price. */
export type TierPart = { readonly units: number; readonly price: string } | { readonly flat: string };

type Price = (x: Rat) => string;

/** Graduated: each unit in the tier it falls in, plus the flat of every tier reached. */
export function graduatedPrice(tiers: readonly Tier[], q: number, price: Price): { amount: Rat; parts: TierPart[]; tier?: undefined } {
  let amount = ZERO;
  const parts: TierPart[] = [];
  let lower = 0;
  for (const t of tiers) {
    if (q <= lower) break;
    const units = Math.min(q, t.upTo ?? Infinity) - lower;
    amount = add(amount, mul(int(units), fromDec(t.amount)));
    parts.push({ units, price: price(fromDec(t.amount)) });
    if (t.flat) {
      amount = add(amount, fromDec(t.flat));
      parts.push({ flat: price(fromDec(t.flat)) });
    }
    lower = t.upTo ?? Infinity;
  }
  return { amount, parts };
}

/** Volume: all Q units at the first tier whose upTo >= Q (else the last), plus its flat. */
export function volumePrice(tiers: readonly Tier[], q: number, price: Price): { amount: Rat; parts: TierPart[]; tier: Tier | null } {
  if (q === 0 || tiers.length === 0) return { amount: ZERO, parts: [], tier: null }; // nothing used, no tier reached
  const t = tiers.find((x) => x.upTo === null || x.upTo >= q) ?? tiers[tiers.length - 1];
  let amount = mul(int(q), fromDec(t.amount));
  const parts: TierPart[] = [{ units: q, price: price(fromDec(t.amount)) }];
  if (t.flat) {
    amount = add(amount, fromDec(t.flat));
    parts.push({ flat: price(fromDec(t.flat)) });
  }
  return { amount, parts, tier: t };
}

/** Checks a validated tier list: ascending upTo, one open-ended last tier, decimals. */
function compileTiers(k: CompileKit, tiers: readonly { upTo?: number; amount: number | string; flat?: number | string }[]): Tier[] | null {
  const { ctx } = k;
  const out: Tier[] = [];
  let ok = true;
  let prev = 0;
  tiers.forEach((t, i) => {
    const ts = [...k.segs, 'tiers', i];
    const last = i === tiers.length - 1;
    if (t.upTo === undefined && !last) {
      ctx.error(ts, 'only the last tier may be open-ended (no upTo); give this tier an upTo');
      ok = false;
    } else if (t.upTo !== undefined && last) {
      ctx.error([...ts, 'upTo'], `the last tier must be open-ended: remove upTo or add a tier without upTo after it`);
      ok = false;
    } else if (t.upTo !== undefined && t.upTo <= prev) {
      ctx.error([...ts, 'upTo'], `tiers must ascend: upTo ${t.upTo} is not above the previous tier's ${prev}`);
      ok = false;
    }
    if (t.upTo !== undefined) prev = Math.max(prev, t.upTo);
    const amount = ctx.money([...ts, 'amount'], t.amount, k.unitDecimals, k.unit);
    const flat = t.flat !== undefined ? ctx.money([...ts, 'flat'], t.flat, k.exponent, k.whole) : undefined;
    if (!amount || flat === null) ok = false;
    else out.push(Object.freeze(flat ? { upTo: t.upTo ?? null, amount, flat } : { upTo: t.upTo ?? null, amount }));
  });
  return ok ? out : null;
}

export interface TieredComponent<M extends 'graduated' | 'volume'> extends ComponentBase {
  readonly model: M;
  readonly metric: string;
  readonly tiers: readonly Tier[];
}
/** "30 users (25 × 12.00 + 5 × 9.00), 31 of 31 days". */
export interface TieredFacts {
  readonly metric: string;
  readonly quantity: number;
  readonly parts: readonly TierPart[];
  readonly days: number;
  readonly of: number;
}

const tieredSchema = <M extends 'graduated' | 'volume'>(model: M) => (k: SchemaKit) =>
  k.Type.Object({ ...k.Version, model: k.Type.Literal(model) as TLiteral<M>, metric: k.Metric, tiers: k.Tiers }, k.strict);

type TierPrice = (tiers: readonly Tier[], q: number, price: Price) => { amount: Rat; parts: TierPart[]; tier?: Tier | null };

/** graduated and volume differ only in how Q units are priced (and in words); both prorate by activeDays / D. */
export function tieredModel<M extends 'graduated' | 'volume'>(
  model: M,
  price: TierPrice,
): ModelDef<TieredComponent<M>, Static<ReturnType<ReturnType<typeof tieredSchema<M>>>>, TieredFacts> {
  return {
    recurring: true,
    needsSpend: false,
    schema: tieredSchema(model),
    compile(c, k) {
      const tiers = compileTiers(k, c.tiers);
      return tiers ? { model: c.model, metric: c.metric, tiers } : null;
    },
    lines(ctx) {
      const c = ctx.component;
      const q = peakQuantity(ctx.active, (d) => ctx.quantity(c.metric, d));
      const { amount, parts, tier } = price(c.tiers, q, ctx.price);
      const days = rangeDays(ctx.active);
      return [
        {
          amount: mul(amount, rat(BigInt(days), BigInt(ctx.period.days))),
          facts: { metric: c.metric, quantity: q, parts, days, of: ctx.period.days },
          quantity: String(q),
          unit: c.metric,
          // One unit price means something only for a volume tier without a block price.
          ...(tier && !tier.flat ? { unitPrice: ctx.price(fromDec(tier.amount)) } : {}),
        },
      ];
    },
    describe(f, w) {
      const parts = f.parts.map((p) => ('flat' in p ? p.flat : w.t('line.tiers.part', { units: p.units, price: p.price }))).join(w.t('line.tiers.join'));
      const breakdown = parts ? w.t('line.tiers.breakdown', { parts }) : '';
      return w.t('line.tiered', { offering: w.offering, label: w.label, quantity: f.quantity, metric: f.metric, breakdown, days: f.days, of: f.of });
    },
    terms: (c, w) => [w.t(model === 'graduated' ? 'price.graduated' : 'price.volume', { metric: c.metric })],
    tiers: (c) => c.tiers,
    diffFields: (c, d) => ({ metric: c.metric, tiers: d.tiers(c.tiers) }),
    override: {
      required: ['tiers'],
      optional: [],
      apply(_c, o, k) {
        if (!Array.isArray(o.tiers) || o.tiers.length === 0) {
          k.ctx.error([...k.segs, 'tiers'], 'give a list of at least one tier like [{ "upTo": null, "amount": "9.00" }]');
          return null;
        }
        let shaped = true;
        const bad = (segs: readonly (string | number)[], message: string): void => {
          k.ctx.error(segs, message);
          shaped = false;
        };
        o.tiers.forEach((t: unknown, i) => {
          const ts = [...k.segs, 'tiers', i];
          if (typeof t !== 'object' || t === null || Array.isArray(t)) return bad(ts, 'a tier is an object like { "upTo": 10, "amount": "12.00" }');
          const extra = Object.keys(t).find((f) => f !== 'upTo' && f !== 'amount' && f !== 'flat');
          if (extra !== undefined) bad([...ts, extra], `"${extra}" is not a field of a tier (fields: upTo, amount, flat)`);
          const { upTo, amount } = t as { upTo?: unknown; amount?: unknown };
          if (upTo !== undefined && upTo !== null && !(Number.isSafeInteger(upTo) && (upTo as number) >= 1)) bad([...ts, 'upTo'], 'upTo is a whole number of units (1 or more), or null for the last tier');
          if (amount === undefined) bad(ts, 'a tier needs "amount"');
        });
        if (!shaped) return null;
        // the wire writes the open-ended last tier as upTo null, the plan file by leaving upTo out
        const rows = o.tiers.map((t) => (t.upTo === null ? { amount: t.amount, ...(t.flat !== undefined ? { flat: t.flat } : {}) } : t));
        const tiers = compileTiers(k, rows as { upTo?: number; amount: string; flat?: string }[]);
        return tiers ? { tiers } : null;
      },
    },
  };
}

export type { Dec };
