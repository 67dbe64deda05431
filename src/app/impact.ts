// Customer impact of a plan change: for each changed offering, the customers
// holding it in a period and their statement total under the old and the new
// plan. Pure: the data comes in as billing inputs, and both sides are priced by
// the same priceStatement that prices quotes, so the amounts are exactly what a
// quote of the same data under each plan says. Customer prices (§8.2) are what
// the customer pays and a grandfathered subscription (§8.3) keeps the versions
// in force on its priceAsOf, so a new version of a price leaves it unaffected.
// A period already issued is not re-billed: its row shows instead what the new
// plan would make of the offering's lines against the issued statement, the
// difference that would reach the customer as a correction on its next open
// statement (§9.6).
import { priceStatement } from '../billing/statement.js';
import type { BilledStatement, BillingInput } from '../billing/types.js';
import type { Plan, PricingComponent } from '../plans/types.js';

/** A statement issued for the period: its number and its lines (offering, amount) as issued. */
export interface IssuedPeriod {
  readonly number: string;
  readonly currency: string;
  readonly lines: readonly { readonly offering: string; readonly amount: string }[];
}

/** One customer's data for the period: a BillingInput without plan and period, and the period's issued statement if any. */
export type CustomerData = Omit<BillingInput, 'plan' | 'period'> & { readonly issued?: IssuedPeriod | null };

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
  /** after.total − before.total; null when a side is missing or the currencies differ, or the period is issued. */
  readonly difference: string | null;
  /** The customer's subscriptions to the offering in the period priced as of this date (§8.3; the earliest when several). */
  readonly grandfathered?: string;
  /** Components of the offering the customer has its own price for (§8.2), in id order. */
  readonly agreed?: readonly string[];
  /**
   * Grandfathered, yet affected: components whose version in force on the
   * subscription's priceAsOf differs between the two plans (a price edited in
   * place rather than changed by a new version), in id order.
   */
  readonly editedAsOf?: readonly string[];
  /**
   * The period is issued (this statement number): it is left out. `before` is
   * the offering's lines as issued, `after` under the new plan, and
   * `correction` = after.offering − before.offering, what would reach the
   * customer on its next open statement; null when a side is missing.
   */
  readonly issued?: string;
  readonly correction?: string | null;
  readonly error?: string;
}

export interface OfferingImpact {
  readonly offering: string;
  readonly customers: readonly ImpactRow[];
  /**
   * Present when customers had the period issued: how many, and the sum of
   * their corrections per currency ("USD" -> "50.00"), what the offering's
   * next open statements will carry.
   */
  readonly corrections?: { readonly customers: number; readonly total: Readonly<Record<string, string>> };
}

/** The issued rows' corrections summed per currency. */
function corrections(rows: readonly ImpactRow[]): OfferingImpact['corrections'] {
  const issued = rows.filter((r) => r.issued);
  if (issued.length === 0) return undefined;
  const by = new Map<string, string[]>();
  for (const r of issued) {
    const cur = r.before?.currency;
    if (cur && r.correction) by.set(cur, [...(by.get(cur) ?? []), r.correction]);
  }
  return { customers: issued.length, total: Object.fromEntries([...by].map(([cur, xs]) => [cur, decimalSum(xs)])) };
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
  return held(c, offering, period).length > 0;
}

function held(c: CustomerData, offering: string, period: string): CustomerData['subscriptions'] {
  const first = `${period}-01`;
  const last = `${period}-31`; // string bounds: every real date of the month sorts at or before it
  return c.subscriptions.filter((s) => s.offering === offering && s.start <= last && (!s.end || s.end >= first));
}

/** How the customer's own prices shape its row: grandfathered as of, agreed components. */
function ownPrices(c: CustomerData, offering: string, period: string): Pick<ImpactRow, 'grandfathered' | 'agreed' | 'editedAsOf'> {
  const subs = held(c, offering, period);
  const asOf = subs.map((s) => s.priceAsOf).filter((d): d is string => !!d).sort()[0];
  const agreed = [...new Set(subs.flatMap((s) => Object.keys(s.prices ?? {})))].sort();
  return { ...(asOf ? { grandfathered: asOf } : {}), ...(agreed.length ? { agreed } : {}) };
}

/** A compiled version's price, comparable across plans (exact decimals as text; where and how it is labelled left out). */
function priceKey(c: PricingComponent): string {
  const { from: _f, to: _t, order: _o, description: _d, ...price } = c;
  return JSON.stringify(price, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** The component ids whose version in force on `asOf` is not the same price in both plans. */
function editedAsOf(before: Plan | null, after: Plan | null, offering: string, asOf: string): string[] {
  const inForce = (p: Plan | null): Map<string, string> =>
    new Map((p?.offerings.get(offering)?.pricing ?? []).filter((c) => (!c.from || c.from <= asOf) && (!c.to || c.to >= asOf)).map((c) => [c.id, priceKey(c)]));
  const b = inForce(before);
  const a = inForce(after);
  return [...new Set([...b.keys(), ...a.keys()])].filter((id) => b.get(id) !== a.get(id)).sort();
}

/** The offering's lines of an issued statement, as one side. */
function issuedSide(issued: IssuedPeriod, offering: string, scale: number): ImpactSide {
  const own = issued.lines.filter((l) => l.offering === offering).map((l) => l.amount);
  const offeringSum = decimalSum(own, scale);
  return { currency: issued.currency, offering: offeringSum, total: decimalSum(issued.lines.map((l) => l.amount), scale) };
}

type Priced = BilledStatement | { error: string } | null;

function price(plan: Plan | null, period: string, c: CustomerData): Priced {
  if (!plan) return null;
  const { issued: _issued, ...data } = c;
  try {
    return priceStatement({ plan, period, ...data });
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
    offerings: offerings.map((offering) => {
      const rows = customers
        .filter((c) => holds(c, offering, period))
        .map((c): ImpactRow => {
          const [sb, sa] = priced(c);
          const a = side(sa, offering);
          const mine = ownPrices(c, offering, period);
          const edited = mine.grandfathered && before && after ? editedAsOf(before, after, offering, mine.grandfathered) : [];
          const own = edited.length ? { ...mine, editedAsOf: edited } : mine;
          if (c.issued) {
            // issued: not re-billed; the new plan's difference to what was issued reaches the next open statement
            const before = issuedSide(c.issued, offering, a.side ? parse(a.side.total).scale : 0);
            const correction = a.side && a.side.currency === before.currency ? decimalDifference(a.side.offering, before.offering) : null;
            const error = a.error ? `after: ${a.error}` : '';
            return { customer: c.customer.id, before, after: a.side, difference: null, ...own, issued: c.issued.number, correction, ...(error ? { error } : {}) };
          }
          const b = side(sb, offering);
          const difference = b.side && a.side && b.side.currency === a.side.currency ? decimalDifference(a.side.total, b.side.total) : null;
          const error = [b.error && `before: ${b.error}`, a.error && `after: ${a.error}`].filter(Boolean).join('; ');
          return { customer: c.customer.id, before: b.side, after: a.side, difference, ...own, ...(error ? { error } : {}) };
        });
      const fixes = corrections(rows);
      return { offering, customers: rows, ...(fixes ? { corrections: fixes } : {}) };
    }),
  };
}
