// Customer impact of a plan change: for each changed offering, the customers
// holding it in a period and their statement total under the old and the new
// plan. Pure: the data comes in as billing inputs, and both sides are priced by
// the same priceStatement that prices quotes, so the amounts are exactly what a
// quote of the same data under each plan says.
import { priceStatement } from '../billing/statement.js';
import type { BilledStatement, BillingInput } from '../billing/types.js';
import type { Plan } from '../plans/types.js';

/** One customer's data for the period: a BillingInput without plan and period. */
export type CustomerData = Omit<BillingInput, 'plan' | 'period'>;

/** One side of a customer's statement: the amounts, or why there is none. */
export interface ImpactSide {
  readonly currency: string;
  /** Sum of this offering's lines (its components, minimum, discount, credit). */
  readonly offering: string;
  readonly total: string;
}

export interface ImpactRow {
  readonly customer: string;
  /** null: no plan on that side, or the statement could not be priced (see error). */
  readonly before: ImpactSide | null;
  readonly after: ImpactSide | null;
  /** after.total − before.total; null when a side is missing or the currencies differ. */
  readonly difference: string | null;
  readonly error?: string;
}

export interface OfferingImpact {
  readonly offering: string;
  readonly customers: readonly ImpactRow[];
}

export interface Impact {
  readonly partner: string;
  readonly period: string;
  readonly offerings: readonly OfferingImpact[];
}

// ---- exact decimal strings (statement amounts): bigint minor units, no float
function parse(s: string): { units: bigint; scale: number } {
  const neg = s.startsWith('-');
  const [i, f = ''] = (neg ? s.slice(1) : s).split('.');
  const units = BigInt(i + f);
  return { units: neg ? -units : units, scale: f.length };
}

function format(units: bigint, scale: number): string {
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(scale + 1, '0');
  const body = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return neg ? `-${body}` : body;
}

/** Exact sum of decimal strings, at the largest scale among them. */
export function decimalSum(xs: readonly string[], minScale = 0): string {
  const ps = xs.map(parse);
  const scale = Math.max(minScale, ...ps.map((p) => p.scale));
  return format(ps.reduce((acc, p) => acc + p.units * 10n ** BigInt(scale - p.scale), 0n), scale);
}

export function decimalDifference(after: string, before: string): string {
  const b = parse(before);
  return decimalSum([after, format(-b.units, b.scale)]);
}

/** Does a subscription overlap the period's dates (inclusive ranges)? */
function holds(c: CustomerData, offering: string, period: string): boolean {
  const first = `${period}-01`;
  const last = `${period}-31`; // string bounds: every real date of the month sorts at or before it
  return c.subscriptions.some((s) => s.offering === offering && s.start <= last && (!s.end || s.end >= first));
}

type Priced = BilledStatement | { error: string } | null;

function price(plan: Plan | null, period: string, c: CustomerData): Priced {
  if (!plan) return null;
  try {
    return priceStatement({ plan, period, ...c });
  } catch (e) {
    // e.g. the customer's offering no longer exists in this plan: report it on the row
    return { error: (e as Error).message };
  }
}

function side(st: Priced, offering: string): { side: ImpactSide | null; error?: string } {
  if (!st) return { side: null };
  if ('error' in st) return { side: null, error: st.error };
  const own = st.lines.filter((l) => l.offering === offering).map((l) => l.amount);
  return { side: { currency: st.currency, offering: decimalSum(own, parse(st.total).scale), total: st.total } };
}

/**
 * The impact of going from `before` to `after` on `offerings` for `period`.
 * Customers are listed in the order given; an offering no customer holds is
 * listed with no rows, so the report says so.
 */
export function planImpact(before: Plan | null, after: Plan | null, offerings: readonly string[], period: string, customers: readonly CustomerData[]): Impact {
  const partner = (after ?? before)?.partner.id ?? '';
  // each customer is priced once per side, however many changed offerings it holds
  const cache = new Map<CustomerData, [Priced, Priced]>();
  const priced = (c: CustomerData): [Priced, Priced] => {
    let p = cache.get(c);
    if (!p) cache.set(c, (p = [price(before, period, c), price(after, period, c)]));
    return p;
  };
  return {
    partner,
    period,
    offerings: offerings.map((offering) => ({
      offering,
      customers: customers
        .filter((c) => holds(c, offering, period))
        .map((c): ImpactRow => {
          const [sb, sa] = priced(c);
          const b = side(sb, offering);
          const a = side(sa, offering);
          const difference = b.side && a.side && b.side.currency === a.side.currency ? decimalDifference(a.side.total, b.side.total) : null;
          const error = [b.error && `before: ${b.error}`, a.error && `after: ${a.error}`].filter(Boolean).join('; ');
          return { customer: c.customer.id, before: b.side, after: a.side, difference, ...(error ? { error } : {}) };
        }),
    })),
  };
}
