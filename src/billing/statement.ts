// priceStatement: one customer, one period, data in, statement out (SPEC §4).
// Pure: no I/O, no clock, no machine timezone; the same input in any record
// order gives the same statement. Quotes (§4.7) and stored statements both
// come through here.
import type { Offering, Plan, PricingComponent } from '../plans/types.js';
import type { Decision } from '../rules/types.js';
import { evaluate as evaluateRequest } from '../rules/evaluate.js';
import { heldOn } from '../rules/subscriptions.js';
import type { BillingInput, RequestInput, Statement, StatementLine, StatementRequest, SubscriptionInput } from './types.js';
import { pricingModel, type ModelContext, type ModelLine, type PricedRequest, type PricedWorklog } from './models/index.js';
import { offeringName, textsFor } from './describe.js';
import { currencyOf, formatMoney, formatPrice, moneyToRat, roundMoney, sumMoney, type Currency, type Money } from './money.js';
import { add, cmp, fromDec, fromPercent, min, mul, neg, parseDecimal, parsePercent, rat, sub as minus, toFixed, ZERO, type Rat } from './rational.js';
import { inRange, instantMs, intersect, localDate, period as makePeriod, rangeDays, type DateRange, type Period } from './period.js';

/** Input the engine cannot price (unknown offering, mixed currencies...): a caller error, never a crash. */
export class BillingError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'BillingError';
  }
}

export type Evaluator = (plan: Plan, request: RequestInput & { partner: string }) => Decision;

export interface PriceOptions {
  /** How requests without a stored decision are decided; default: the rules engine (§3). */
  readonly evaluate?: Evaluator;
}

/** A subscription as priced: its lines and what margin.ts needs to cost it. */
export interface PricedSubscription {
  readonly index: number; // position in the statement's subscription order
  readonly input: SubscriptionInput;
  readonly offering: Offering;
  readonly active: DateRange | null;
  readonly lines: readonly (StatementLine & { readonly money: Money })[];
  readonly requests: readonly PricedRequest[];
  readonly worklogs: readonly PricedWorklog[];
}

export interface PricedStatement {
  readonly statement: Statement;
  readonly period: Period;
  readonly currency: Currency;
  readonly subscriptions: readonly PricedSubscription[];
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const canonical = (x: unknown): string =>
  JSON.stringify(x, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => byText(a, b))) : v,
  );

/** Statement order of subscriptions: by start, then the plan's offering order, then the rest, so input order never matters. */
function orderSubscriptions(plan: Plan, subs: readonly SubscriptionInput[]): SubscriptionInput[] {
  const idx = (s: SubscriptionInput): number => plan.offerings.get(s.offering)?.index ?? Number.MAX_SAFE_INTEGER;
  return [...subs].sort(
    (a, b) =>
      byText(a.start, b.start) || idx(a) - idx(b) || byText(a.end ?? '9999', b.end ?? '9999') || byText(a.id ?? '', b.id ?? '') || byText(canonical(a), canonical(b)),
  );
}

/** q(d) for one subscription: the last record of the metric dated on or before d; on one date the larger value wins. */
function quantityLookup(sub: SubscriptionInput): (metric: string, date: string) => number {
  const byMetric = new Map<string, { from: string; value: number }[]>();
  for (const q of sub.quantities ?? []) {
    const list = byMetric.get(q.metric) ?? [];
    list.push({ from: q.from, value: q.value });
    byMetric.set(q.metric, list);
  }
  for (const list of byMetric.values()) list.sort((a, b) => byText(a.from, b.from) || a.value - b.value);
  return (metric, date) => {
    let v = 0;
    for (const r of byMetric.get(metric) ?? []) {
      if (r.from > date) break;
      v = r.value;
    }
    return v;
  };
}

function versionsInOrder(o: Offering): PricingComponent[][] {
  const groups = new Map<string, PricingComponent[]>();
  for (const c of o.pricing) groups.set(c.id, [...(groups.get(c.id) ?? []), c]);
  return [...groups.values()]
    .map((vs) => vs.sort((a, b) => byText(a.from ?? '', b.from ?? '')))
    .sort((a, b) => a[0].order - b[0].order);
}

const ms = (instant: string | null | undefined): number | null => {
  if (!instant) return null;
  const v = instantMs(instant);
  return Number.isNaN(v) ? null : v;
};

/** §4.4: met, breached, or open (no answer yet and not due before the period ends). */
export function responseStatus(r: Pick<PricedRequest, 'responseDueAt' | 'respondedAt'>, periodEndMs: number): 'met' | 'breached' | 'open' {
  const due = ms(r.responseDueAt);
  const answered = ms(r.respondedAt);
  if (answered !== null) return due !== null && answered > due ? 'breached' : 'met';
  return due !== null && due < periodEndMs ? 'breached' : 'open';
}

export function priceStatement(input: BillingInput, opts: PriceOptions = {}): Statement {
  return priceStatementDetailed(input, opts).statement;
}

export function priceStatementDetailed(input: BillingInput, opts: PriceOptions = {}): PricedStatement {
  const { plan } = input;
  const zone = plan.partner.timezone;
  let P: Period;
  try {
    P = makePeriod(input.period, zone);
  } catch (e) {
    throw new BillingError((e as Error).message, 'period');
  }
  const periodRange: DateRange = { from: P.first, to: P.last };
  const text = textsFor(input.customer.locale ?? plan.partner.locale);
  const mode = plan.partner.rounding;
  const evaluate: Evaluator = opts.evaluate ?? ((p, r) => evaluateRequest(p, toSupportRequest(r)));

  // ---- subscriptions and the statement's one currency
  input.subscriptions.forEach((s, i) => {
    if (!plan.offerings.has(s.offering)) throw new BillingError(`unknown offering "${s.offering}" in plan ${plan.partner.id}`, `subscriptions/${i}/offering`);
  });
  const subs = orderSubscriptions(plan, input.subscriptions).map((s) => ({
    input: s,
    offering: plan.offerings.get(s.offering) as Offering,
    active: intersect(periodRange, { from: s.start, to: s.end ?? null }),
    quantity: quantityLookup(s),
  }));
  const codes = [...new Set(subs.map((s) => s.offering.currency))];
  if (codes.length > 1) throw new BillingError(`a statement has one currency; these subscriptions are in ${codes.join(' and ')}`, 'subscriptions');
  const code = codes[0] ?? plan.partner.currency;
  const exponent = subs[0]?.offering.exponent ?? plan.partner.exponent;
  const currency = currencyOf(code, exponent);
  const round = (x: Rat): Money => roundMoney(x, currency, mode);

  /** The subscription (statement order) of an offering active on a local date. */
  // the date is in the period, so holding on it is the §3.1 match (rules/subscriptions.ts) the API decided with
  const subscriptionOn = (offering: string, date: string): number => subs.findIndex((s) => s.offering.id === offering && heldOn(s.input, date));

  // ---- requests: decided once each (lazily: worklogs may point at earlier months)
  const requestsById = new Map<string, RequestInput>();
  for (const r of [...input.requests].sort((a, b) => byText(a.id, b.id) || byText(canonical(a), canonical(b)))) if (!requestsById.has(r.id)) requestsById.set(r.id, r);
  const decisions = new Map<string, Decision>();
  const decide = (r: RequestInput): Decision => {
    let d = decisions.get(r.id);
    if (!d) {
      d = r.decision ?? evaluate(plan, { ...r, partner: plan.partner.id, customer: r.customer ?? input.customer.id });
      decisions.set(r.id, d);
    }
    return d;
  };

  const requestsBySub = subs.map((): PricedRequest[] => []);
  for (const r of requestsById.values()) {
    const received = ms(r.receivedAt);
    if (received === null) continue;
    const date = localDate(received, zone);
    if (!inRange(date, periodRange)) continue;
    const d = decide(r);
    const offering = d.offering ?? r.offering;
    const si = d.accepted ? subscriptionOn(offering, date) : -1;
    if (si < 0) continue; // rejected, or no subscription on that date (§3.2 NO_ACTIVE_SUBSCRIPTION): not billed, not counted
    requestsBySub[si].push({
      id: r.id,
      offering,
      category: r.category,
      severity: r.severity,
      date,
      receivedMs: received,
      billable: d.billable === true,
      handledBy: d.handledBy ?? subs[si].offering.delivery,
      receivedAt: r.receivedAt,
      responseDueAt: d.responseDueAt ?? null,
      respondedAt: r.respondedAt ?? null,
    });
  }
  for (const list of requestsBySub) list.sort((a, b) => a.receivedMs - b.receivedMs || byText(a.id, b.id));

  // ---- worklogs: the request's offering (when accepted) or their own
  const worklogsBySub = subs.map((): PricedWorklog[] => []);
  let workedMinutes = 0;
  input.worklogs.forEach((w, i) => {
    const start = ms(w.start);
    if (start === null || !(w.minutes > 0)) return;
    const date = localDate(start, zone);
    if (!inRange(date, periodRange)) return;
    let offering = w.offering;
    let handledBy: string | null = null;
    if (w.request) {
      const r = requestsById.get(w.request);
      if (!r) return; // unknown request: nothing to bill it under
      const d = decide(r);
      if (!d.accepted) return; // work on a request outside the offering is not billed under it
      offering = d.offering ?? r.offering;
      handledBy = d.handledBy;
    }
    if (!offering) return;
    const si = subscriptionOn(offering, date);
    if (si < 0) return;
    workedMinutes += w.minutes;
    worklogsBySub[si].push({
      id: w.id ?? `#${i}`,
      request: w.request ?? null,
      offering,
      startMs: start,
      date,
      minutes: w.minutes,
      handledBy: handledBy ?? subs[si].offering.delivery,
    });
  });
  // Start order decides which work the included hours cover; ties broken by content, not input position.
  for (const list of worklogsBySub) list.sort((a, b) => a.startMs - b.startMs || byText(a.request ?? '', b.request ?? '') || a.minutes - b.minutes || byText(a.id, b.id));

  // ---- spend of the period, per service; one subscription per offering carries it
  const spend = new Map<string, Rat>();
  input.spend.forEach((s, i) => {
    if (s.period && s.period !== P.id) return;
    const amount = parseDecimal(s.amount);
    if (!amount) throw new BillingError(`spend amount "${s.amount}" is not a decimal`, `spend/${i}/amount`);
    spend.set(s.service, add(spend.get(s.service) ?? ZERO, amount));
  });
  const spendCarrier = new Map<string, number>();
  subs.forEach((s, i) => {
    if (s.active) spendCarrier.set(s.offering.id, i); // the last active subscription of the offering in the period
  });

  // ---- lines
  const priced: PricedSubscription[] = subs.map((s, si) => {
    const out: (StatementLine & { money: Money })[] = [];
    const o = s.offering;
    const off = offeringName(text, o);
    const push = (component: string, model: string | undefined, l: ModelLine): Money => {
      const money = round(l.amount);
      out.push({
        offering: o.id,
        component,
        ...(model ? { model } : {}),
        ...(l.kind ? { kind: l.kind } : {}),
        description: l.description,
        ...(l.quantity !== undefined ? { quantity: l.quantity } : {}),
        ...(l.unit !== undefined ? { unit: l.unit } : {}),
        ...(l.unitPrice !== undefined ? { unitPrice: l.unitPrice } : {}),
        amount: formatMoney(money),
        ...(s.input.id ? { subscription: s.input.id } : {}),
        money,
      });
      return money;
    };
    if (!s.active) return { index: si, input: s.input, offering: o, active: null, lines: out, requests: [], worklogs: [] };

    const componentMoney: Money[] = [];
    const recurringMoney: Money[] = [];
    for (const versions of versionsInOrder(o)) {
      // Spend is a monthly figure, not dated: it goes to the version in force on the subscription's last active day.
      const spendVersion = versions.find((v) => inRange((s.active as DateRange).to, v));
      for (const v of versions) {
        const active = intersect(s.active, v);
        if (!active) continue;
        const ctx: ModelContext = {
          offering: o,
          component: v,
          period: P,
          active,
          quantity: s.quantity,
          requests: requestsBySub[si].filter((r) => inRange(r.date, active)),
          worklogs: worklogsBySub[si].filter((w) => inRange(w.date, active)),
          spend: v.model === 'percent-of-spend' && v === spendVersion && spendCarrier.get(o.id) === si ? spend : null,
          currency,
          text,
          serviceName: (id) => text.name(plan.services.get(id)?.name, id),
        };
        for (const l of pricingModel(v.model).lines(ctx)) {
          const m = push(v.id, v.model, l);
          componentMoney.push(m);
          if (v.model === 'flat' || v.model === 'per-unit' || v.model === 'graduated' || v.model === 'volume') recurringMoney.push(m);
        }
      }
    }

    // §4.2 minimum commitment, prorated by the subscription's days
    const charges = moneyToRat(sumMoney(componentMoney, currency));
    let committed = charges;
    if (o.minimum) {
      const days = rangeDays(s.active);
      const M = mul(fromDec(o.minimum), rat(BigInt(days), BigInt(P.days)));
      if (cmp(charges, M) < 0) {
        const m = push('minimum', undefined, {
          amount: minus(M, charges),
          description: text.minimum(off, formatPrice(fromDec(o.minimum), currency), days, P.days, formatMoney(round(M)), formatPrice(charges, currency)),
        });
        committed = add(charges, moneyToRat(m));
      }
    }

    // §4.3 discount on the component lines and the minimum
    const discount = s.input.discount ? parsePercent(s.input.discount) : null;
    if (discount && cmp(discount, ZERO) > 0) {
      push('discount', undefined, {
        amount: neg(mul(committed, discount)),
        description: text.discount(off, s.input.discount as string, formatPrice(committed, currency)),
        quantity: formatPrice(committed, currency),
        unitPrice: `-${s.input.discount}`,
      });
    }

    // §4.4 service credits on the recurring fees
    if (o.serviceCredits) {
      const breaches = requestsBySub[si].filter((r) => responseStatus(r, P.endMs) === 'breached').length;
      if (breaches > 0) {
        const { perBreach, cap } = o.serviceCredits;
        const rate = min(mul(rat(BigInt(breaches)), fromPercent(perBreach)), fromPercent(cap));
        const base = moneyToRat(sumMoney(recurringMoney, currency));
        push('service-credit', undefined, {
          amount: neg(mul(base, rate)),
          description: text.credit(off, breaches, perBreach.text, cap.text, percentText(rate), formatPrice(base, currency)),
          quantity: String(breaches),
          unit: 'breaches',
        });
      }
    }
    return { index: si, input: s.input, offering: o, active: s.active, lines: out, requests: requestsBySub[si], worklogs: worklogsBySub[si] };
  });

  // ---- totals (§4.5): sums of rounded lines; tax rounded once
  const allMoney = priced.flatMap((p) => p.lines.map((l) => l.money));
  const subtotal = sumMoney(allMoney, currency);
  const taxRate = input.customer.taxRate ? parsePercent(input.customer.taxRate) : null;
  if (input.customer.taxRate && !taxRate) throw new BillingError(`tax rate "${input.customer.taxRate}" is not a percentage`, 'customer/taxRate');
  const tax = round(mul(moneyToRat(subtotal), taxRate ?? ZERO));
  const total = sumMoney([subtotal, tax], currency);

  // ---- service levels and the month's requests
  const counted = priced.flatMap((p) => p.requests).sort((a, b) => a.receivedMs - b.receivedMs || byText(a.id, b.id));
  const requests: StatementRequest[] = counted.map((r) => ({
    id: r.id,
    offering: r.offering,
    severity: r.severity,
    category: r.category,
    receivedAt: r.receivedAt,
    responseDueAt: r.responseDueAt,
    respondedAt: r.respondedAt,
    status: responseStatus(r, P.endMs),
    billable: r.billable,
  }));

  const statement: Statement = {
    partner: plan.partner.id,
    customer: input.customer.id,
    period: P.id,
    currency: code,
    lines: priced.flatMap((p) => p.lines.map(({ money: _m, ...line }) => line)),
    subtotal: formatMoney(subtotal),
    tax: formatMoney(tax),
    ...(input.customer.taxRate ? { taxRate: input.customer.taxRate } : {}),
    total: formatMoney(total),
    serviceLevels: {
      requests: requests.length,
      met: requests.filter((r) => r.status === 'met').length,
      breached: requests.filter((r) => r.status === 'breached').length,
    },
    requests,
    hoursWorked: toFixed(rat(BigInt(workedMinutes), 60n), 2),
    planHash: plan.hash,
  };
  return { statement, period: P, currency, subscriptions: priced };
}

/** A fraction of one as a percentage for people: "10%", "12.5%". */
function percentText(x: Rat): string {
  const p = mul(x, rat(100n));
  return `${toFixed(p, 4).replace(/\.0+$|(\.\d*?)0+$/, '$1')}%`;
}

function toSupportRequest(r: RequestInput & { partner: string }): import('../rules/types.js').SupportRequest {
  return {
    partner: r.partner,
    offering: r.offering,
    ...(r.customer ? { customer: r.customer } : {}),
    service: r.service,
    category: r.category,
    severity: r.severity,
    channel: r.channel,
    receivedAt: r.receivedAt,
    ...(r.serviceIncident !== undefined ? { serviceIncident: r.serviceIncident } : {}),
  };
}

