// Cost and margin (SPEC §4.9). Revenue is what the statement charges (lines
// net of minimum, discount and credits, before tax); cost is what the partner
// owes its providers under their `costs`. Each cost item is exact until it is
// rounded once, like a statement line.
import type { CostComponent, Provider } from '../plans/types.js';
import type { BillingInput } from './types.js';
import { formatMoney, moneyToRat, roundMoney, sumMoney, type Currency, type Money } from './money.js';
import { div, fromDec, fromPercent, int, mul, rat, sub, toFixed, type Rat } from '../rational.js';
import { rangeDays } from '../time/period.js';
import { roundedMinutes } from '../models/hourly.js';
import { pricingModel } from '../models/index.js';
import { BillingError, priceStatementDetailed, type PriceOptions, type PricedSubscription } from './statement.js';
import type { Period } from '../time/period.js';

export interface MarginCost {
  readonly model: CostComponent['model'];
  readonly quantity: string; // days "22/31", incidents, hours, or the price base
  readonly amount: string;
}

export interface MarginRow {
  readonly customer: string;
  readonly period: string;
  readonly offering: string;
  /** Who incurs the cost: 'partner' (no cost) or a provider id. */
  readonly provider: string;
  readonly revenue: string;
  readonly cost: string;
  readonly margin: string;
  /** margin / revenue, one decimal, e.g. "42.5%"; null when there is no revenue. */
  readonly marginPercent: string | null;
  readonly costs: readonly MarginCost[];
}

export interface MarginTotal {
  readonly key: string;
  readonly revenue: string;
  readonly cost: string;
  readonly margin: string;
  readonly marginPercent: string | null;
}

export interface MarginReport {
  readonly partner: string;
  readonly currency: string;
  readonly periods: readonly string[];
  readonly rows: readonly MarginRow[];
  readonly byCustomer: readonly MarginTotal[];
  readonly byOffering: readonly MarginTotal[];
  readonly byProvider: readonly MarginTotal[];
  readonly total: Omit<MarginTotal, 'key'>;
  /** Customers that could not be priced (e.g. a subscription to an offering the plan dropped), left out of every total. */
  readonly skipped: readonly MarginSkipped[];
}

export interface MarginSkipped {
  readonly customer: string;
  readonly period: string;
  readonly reason: string;
}

interface Acc {
  customer: string;
  period: string;
  offering: string;
  provider: string;
  revenue: Money[];
  cost: Money[];
  costs: MarginCost[];
}

const DEFAULT_INCREMENT = 15; // §4.1's default, for work on an offering without an hourly component

function percentOf(margin: Rat, revenue: Rat): string | null {
  if (revenue.n === 0n) return null;
  return `${toFixed(mul(div(margin, revenue), int(100)), 1)}%`;
}

/** Cost items of one provider for one priced subscription. */
function providerCosts(
  provider: Provider,
  s: PricedSubscription,
  P: Period,
  round: (x: Rat) => Money,
  currency: Currency,
): { money: Money; cost: MarginCost }[] {
  const out: { money: Money; cost: MarginCost }[] = [];
  const delivers = s.offering.delivery === provider.id;
  for (const c of provider.costs) {
    switch (c.model) {
      case 'flat': {
        if (!delivers || !s.active) continue;
        const days = rangeDays(s.active);
        const money = round(mul(fromDec(c.amount), rat(BigInt(days), BigInt(P.days))));
        out.push({ money, cost: { model: c.model, quantity: `${days}/${P.days}`, amount: formatMoney(money) } });
        break;
      }
      case 'per-incident': {
        const n = s.requests.filter((r) => r.handledBy === provider.id).length;
        if (n === 0) continue;
        const money = round(mul(int(n), fromDec(c.amount)));
        out.push({ money, cost: { model: c.model, quantity: String(n), amount: formatMoney(money) } });
        break;
      }
      case 'hourly': {
        let minutes = 0;
        for (const w of s.worklogs) {
          if (w.handledBy !== provider.id) continue;
          // Rounded as billed: the increment of the time-billing version (hourly) in force on the worklog's date.
          let increment = DEFAULT_INCREMENT;
          for (const p of s.offering.pricing) {
            const inc = (!p.from || w.date >= p.from) && (!p.to || w.date <= p.to) ? pricingModel(p.model).workIncrement?.(p) : undefined;
            if (inc !== undefined) {
              increment = inc;
              break;
            }
          }
          minutes += roundedMinutes(w.minutes, increment);
        }
        if (minutes === 0) continue;
        const hours = rat(BigInt(minutes), 60n);
        const money = round(mul(hours, fromDec(c.amount)));
        out.push({ money, cost: { model: c.model, quantity: toFixed(hours, 2), amount: formatMoney(money) } });
        break;
      }
      case 'percent-of-price': {
        if (!delivers || s.lines.length === 0) continue;
        const net = moneyToRat(sumMoney(s.lines.map((l) => l.money), currency));
        const money = round(mul(net, fromPercent(c.rate)));
        out.push({ money, cost: { model: c.model, quantity: formatMoney(sumMoney(s.lines.map((l) => l.money), currency)), amount: formatMoney(money) } });
        break;
      }
      default: {
        const never: never = c; // a new cost model must be costed here
        throw new RangeError(`unknown cost model ${JSON.stringify(never)}`);
      }
    }
  }
  return out;
}

export function marginReport(inputs: readonly BillingInput[], opts: PriceOptions = {}): MarginReport {
  const rows = new Map<string, Acc>();
  let currency: Currency | null = null;
  let partner = '';
  const periods = new Set<string>();
  const acc = (customer: string, period: string, offering: string, provider: string): Acc => {
    const key = JSON.stringify([customer, period, offering, provider]);
    let a = rows.get(key);
    if (!a) rows.set(key, (a = { customer, period, offering, provider, revenue: [], cost: [], costs: [] }));
    return a;
  };

  const skipped: MarginSkipped[] = [];
  for (const input of inputs) {
    let priced: ReturnType<typeof priceStatementDetailed>;
    try {
      priced = priceStatementDetailed(input, opts);
    } catch (err) {
      // one customer the engine cannot price must not hide everyone else's margin
      if (!(err instanceof BillingError)) throw err;
      skipped.push({ customer: input.customer.id, period: input.period, reason: err.message });
      continue;
    }
    if (currency && currency.code !== priced.currency.code)
      throw new BillingError(`a margin report has one currency: ${currency.code} and ${priced.currency.code} found`);
    if (partner && partner !== input.plan.partner.id) throw new BillingError(`a margin report covers one partner: ${partner} and ${input.plan.partner.id} found`);
    currency = priced.currency;
    partner = input.plan.partner.id;
    periods.add(priced.period.id);
    const round = (x: Rat): Money => roundMoney(x, priced.currency, input.plan.partner.rounding);
    for (const s of priced.subscriptions) {
      if (s.lines.length === 0 && s.requests.length === 0 && s.worklogs.length === 0) continue;
      // Revenue belongs to whoever delivers the offering; a provider a rule routed work to shows as cost only.
      acc(input.customer.id, priced.period.id, s.offering.id, s.offering.delivery).revenue.push(...s.lines.map((l) => l.money));
      for (const provider of input.plan.providers.values()) {
        for (const { money, cost } of providerCosts(provider, s, priced.period, round, priced.currency)) {
          const a = acc(input.customer.id, priced.period.id, s.offering.id, provider.id);
          a.cost.push(money);
          a.costs.push(cost);
        }
      }
    }
  }

  const cur = currency ?? { code: 'USD', base: 10n, exponent: 2n };
  const totals = (revenue: Money[], cost: Money[]) => {
    const r = sumMoney(revenue, cur);
    const c = sumMoney(cost, cur);
    const m = sub(moneyToRat(r), moneyToRat(c));
    return {
      revenue: formatMoney(r),
      cost: formatMoney(c),
      margin: formatMoney(roundMoney(m, cur, 'half-up')), // exact already: a difference of rounded amounts
      marginPercent: percentOf(m, moneyToRat(r)),
    };
  };
  const list = [...rows.values()].sort(
    (a, b) => cmpText(a.customer, b.customer) || cmpText(a.period, b.period) || cmpText(a.offering, b.offering) || cmpText(a.provider, b.provider),
  );
  const group = (key: (a: Acc) => string): MarginTotal[] => {
    const g = new Map<string, { revenue: Money[]; cost: Money[] }>();
    for (const a of list) {
      const k = key(a);
      const e = g.get(k) ?? { revenue: [], cost: [] };
      e.revenue.push(...a.revenue);
      e.cost.push(...a.cost);
      g.set(k, e);
    }
    return [...g.entries()].sort(([a], [b]) => cmpText(a, b)).map(([k, e]) => ({ key: k, ...totals(e.revenue, e.cost) }));
  };
  return {
    partner,
    currency: cur.code,
    periods: [...periods].sort(),
    rows: list.map((a) => ({ customer: a.customer, period: a.period, offering: a.offering, provider: a.provider, ...totals(a.revenue, a.cost), costs: a.costs })),
    byCustomer: group((a) => a.customer),
    byOffering: group((a) => a.offering),
    byProvider: group((a) => a.provider),
    total: totals(
      list.flatMap((a) => a.revenue),
      list.flatMap((a) => a.cost),
    ),
    skipped,
  };
}

const cmpText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
