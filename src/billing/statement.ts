// priceStatement: one customer, one period, data in, statement out (SPEC §4).
// Pure: no I/O, no clock, no machine timezone; the same input in any record
// order gives the same statement. Quotes (§4.7) and stored statements both
// come through here.
import type { Offering, Plan } from '../plans/types.js';
import type { Decision } from '../rules/types.js';
import { ERR, TierbookError } from '../errors.js';
import { evaluate as evaluateRequest } from '../rules/evaluate.js';
import { heldOn } from '../rules/subscriptions.js';
import type { Balance, BilledLine, LedgerState, BilledStatement, BillingInput, RequestInput, PricingWarning, StatementRequest, SubscriptionInput } from './types.js';
import { hasBlocks, runBlocks } from './ledger.js';
import type { BlockDraw, PricedPurchase } from '../models/types.js';
import { overridden } from './prices.js';
import { breaches, clockRequests, serviceLevels, type ClockedRequest } from './sla.js';
import type { PriceOverride } from '../models/types.js';
import { pricingModel, type AdjustmentFacts, type ModelContext, type PricedRequest, type PricedWorklog, type PricingComponent } from '../models/index.js';
import { currencyOf, exponentOf, formatMoney, formatPrice, minorUnits, moneyToRat, roundMoney, sumMoney, type Currency, type Money } from './money.js';
import { add, cmp, div, fromDec, fromPercent, min, mul, neg, ONE, parseDecimal, parsePercent, rat, sub as minus, toFixed, ZERO, type Rat } from '../rational.js';
import { inRange, instantMs, intersect, localDate, period as makePeriod, rangeDays, type DateRange, type Period } from '../time/period.js';

/** Input the engine cannot price (unknown offering, mixed currencies...): a caller error, never a crash. */
/** Data the engine cannot price: the registry's BILLING_REFUSED (422; exit 1), naming the field when known. */
export class BillingError extends TierbookError<'BILLING_REFUSED'> {
  override readonly name = 'BillingError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super('BILLING_REFUSED', message, ERR.BILLING_REFUSED.status, ERR.BILLING_REFUSED.exit, { detail: message });
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
  readonly lines: readonly (BilledLine & { readonly money: Money })[];
  readonly requests: readonly PricedRequest[];
  readonly worklogs: readonly PricedWorklog[];
}

export interface PricedStatement {
  readonly statement: BilledStatement;
  readonly period: Period;
  readonly currency: Currency;
  readonly subscriptions: readonly PricedSubscription[];
  /** Block ledgers at the period's end (§10), for a later statement to resume from (BillingInput.ledgers). */
  readonly ledgers: readonly LedgerState[];
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

export function priceStatement(input: BillingInput, opts: PriceOptions = {}): BilledStatement {
  return priceStatementDetailed(input, opts).statement;
}

/**
 * The pipeline of named pure steps (each reads what the earlier ones made):
 * setup (period, subscriptions, currency) → usage (requests, worklogs, spend)
 * → per subscription: lines → minimum → discount → credits → tax → service
 * levels. Same input, same statement, byte for byte.
 */
export function priceStatementDetailed(input: BillingInput, opts: PriceOptions = {}): PricedStatement {
  const setup = statementSetup(input);
  const usage = collectUsage(setup, input, opts.evaluate ?? ((p, r) => evaluateRequest(p, toSupportRequest(r))));
  const priced = setup.subs.map((s, si) => priceSubscription(setup, usage, s, si));
  const extra = [...adjustmentStep(setup, input), ...correctionStep(setup, input)];
  guardStep(setup, input, usage);
  const totals = taxStep(setup, input.customer, priced, extra);
  const requests = serviceLevelsStep(setup, usage, priced);
  const statement: BilledStatement = {
    partner: setup.plan.partner.id,
    customer: input.customer.id,
    period: setup.period.id,
    currency: setup.code,
    lines: [...priced.flatMap((p) => p.lines), ...extra.map((e) => e.line)].map(({ money: _m, ...line }) => line),
    subtotal: formatMoney(totals.subtotal),
    tax: formatMoney(totals.tax),
    ...(input.customer.taxRate ? { taxRate: input.customer.taxRate } : {}),
    ...(setup.plan.partner.taxInclusive ? { taxInclusive: true as const } : {}),
    total: formatMoney(totals.total),
    serviceLevels: serviceLevels(usage.clocked, requests.filter((r) => !r.earlier).length, setup.period),
    requests,
    hoursWorked: toFixed(rat(BigInt(usage.workedMinutes), 60n), 2),
    ...(usage.balances.length > 0 ? { balances: usage.balances } : {}),
    ...(usage.warnings.length > 0 ? { warnings: usage.warnings } : {}),
    planHash: setup.plan.hash,
  };
  return { statement, period: setup.period, currency: setup.currency, subscriptions: priced, ledgers: usage.ledgers };
}

interface OrderedSubscription {
  readonly input: SubscriptionInput;
  readonly offering: Offering;
  readonly active: DateRange | null;
  readonly quantity: (metric: string, date: string) => number;
}

/** What every later step reads: the plan, the period, the subscriptions in statement order, the one currency. */
interface Setup {
  readonly plan: Plan;
  readonly period: Period;
  readonly zone: string;
  readonly subs: readonly OrderedSubscription[];
  readonly code: string;
  readonly currency: Currency;
  round(x: Rat): Money;
  price(x: Rat): string;
}

function statementSetup(input: BillingInput): Setup {
  const { plan } = input;
  const zone = plan.partner.timezone;
  let P: Period;
  try {
    P = makePeriod(input.period, zone);
  } catch (e) {
    throw new BillingError((e as Error).message, 'period');
  }
  const periodRange: DateRange = { from: P.first, to: P.last };
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
  const mode = plan.partner.rounding;
  return {
    plan,
    period: P,
    zone,
    subs,
    code,
    currency,
    round: (x) => roundMoney(x, currency, mode),
    price: (x) => formatPrice(x, currency),
  };
}

/** The period's usage per subscription (statement order), decided once each. */
interface Usage {
  readonly requestsBySub: readonly PricedRequest[][];
  readonly worklogsBySub: readonly PricedWorklog[][];
  readonly workedMinutes: number;
  /** Spend of the period per service, and per offering the subscription that carries it. */
  readonly spend: ReadonlyMap<string, Rat>;
  /** Retail per service (retail, else cost) and the services with spend lacking retail (§12.3). */
  readonly retail: { readonly amounts: ReadonlyMap<string, Rat>; readonly missing: ReadonlySet<string> };
  readonly spendCarrier: ReadonlyMap<string, number>;
  /** Warnings the models gave, in line order (filled by the lines step). */
  readonly warnings: PricingWarning[];
  /** Accepted requests with their SLA clocks (§11.4): the period's, and earlier ones with a clock belonging to it. */
  readonly clocked: readonly ClockedRequest[];
  /** Subscriptions with a block (§10): their usage before the period, by period id (the ledger reads it). */
  readonly history: ReadonlyMap<number, ReadonlyMap<string, { requests: PricedRequest[]; worklogs: PricedWorklog[] }>>;
  /** Purchases of blocks (§10) per subscription (statement order), any date. */
  readonly purchasesBySub: readonly (PricedPurchase & { readonly component: string })[][];
  /** Block balances of the period (filled by the lines step), in statement order. */
  readonly balances: Balance[];
  /** Ledger states to resume from (input), and those at the period's end (filled by the blocks step). */
  readonly resume: readonly LedgerState[];
  readonly ledgers: LedgerState[];
}

function collectUsage(setup: Setup, input: BillingInput, evaluate: Evaluator): Usage {
  const { plan, zone, subs, period: P } = setup;
  const periodRange: DateRange = { from: P.first, to: P.last };
  /** The subscription (statement order) of an offering active on a local date. */
  const subscriptionOn = (offering: string, date: string): number => subs.findIndex((s) => s.offering.id === offering && s.active && inRange(date, s.active));

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

  // ---- history (§10): usage before the period of subscriptions with a block, for their ledgers
  const withBlock = subs.map((s) => hasBlocks(s.offering));
  // §8.6: the hourly component a worklog is billed under, per subscription (looked up once, not per worklog)
  const hourlyIds = subs.map((s) => new Set(s.offering.pricing.filter((c) => c.model === 'hourly').map((c) => c.id)));
  const firstHourly = subs.map((s) => labourComponent(s.offering, undefined));
  const blockSubs = withBlock.includes(true);
  const history = new Map<number, Map<string, { requests: PricedRequest[]; worklogs: PricedWorklog[] }>>();
  /** The subscription with a block of an offering on an earlier local date (its whole start..end), else -1. */
  const earlierOn = (offering: string, date: string): number => {
    // a loop, not findIndex with a closure: it runs for every record of years of history
    for (let i = 0; i < subs.length; i++) {
      const s = subs[i];
      if (withBlock[i] && s.offering.id === offering && date >= s.input.start && (!s.input.end || date <= s.input.end)) return i;
    }
    return -1;
  };
  let last: { si: number; key: string; h: { requests: PricedRequest[]; worklogs: PricedWorklog[] } } | null = null;
  const historyOf = (si: number, date: string): { requests: PricedRequest[]; worklogs: PricedWorklog[] } => {
    // records mostly come in time order: the last bucket is usually the one
    if (last !== null && last.si === si && date.startsWith(last.key)) return last.h;
    const bySub = history.get(si) ?? new Map<string, { requests: PricedRequest[]; worklogs: PricedWorklog[] }>();
    history.set(si, bySub);
    const key = date.slice(0, 7);
    const h = bySub.get(key) ?? { requests: [], worklogs: [] };
    bySub.set(key, h);
    last = { si, key, h };
    return h;
  };

  const requestsBySub = subs.map((): PricedRequest[] => []);
  for (const r of requestsById.values()) {
    const received = ms(r.receivedAt);
    if (received === null) continue;
    const date = localDate(received, zone);
    const earlier = date < P.first;
    if (earlier ? !blockSubs : !inRange(date, periodRange)) continue;
    if (earlier && earlierOn(r.offering, date) < 0) continue; // no block would read it: not decided
    const d = decide(r);
    const offering = d.offering ?? r.offering;
    const si = d.accepted ? (earlier ? earlierOn(offering, date) : subscriptionOn(offering, date)) : -1;
    if (si < 0) continue; // rejected, or no subscription on that date (§3.2 NO_ACTIVE_SUBSCRIPTION): not billed, not counted
    (earlier ? historyOf(si, date).requests : requestsBySub[si]).push({
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
  const byReceived = (a: PricedRequest, b: PricedRequest): number => a.receivedMs - b.receivedMs || byText(a.id, b.id);
  for (const list of requestsBySub) list.sort(byReceived);

  // ---- worklogs: the request's offering (when accepted) or their own
  const worklogsBySub = subs.map((): PricedWorklog[] => []);
  let workedMinutes = 0;
  input.worklogs.forEach((w, i) => {
    const start = ms(w.start);
    if (start === null || !(w.minutes > 0)) return;
    const date = localDate(start, zone);
    const earlier = date < P.first;
    if (earlier ? !blockSubs : !inRange(date, periodRange)) return;
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
    const si = earlier ? earlierOn(offering, date) : subscriptionOn(offering, date);
    if (si < 0) return;
    if (!earlier) workedMinutes += w.minutes;
    (earlier ? historyOf(si, date).worklogs : worklogsBySub[si]).push({
      id: w.id ?? `#${i}`,
      request: w.request ?? null,
      offering,
      startMs: start,
      date,
      minutes: w.minutes,
      handledBy: handledBy ?? subs[si].offering.delivery,
      component: w.component !== undefined && hourlyIds[si].has(w.component) ? w.component : firstHourly[si],
      billable: w.billable !== false,
    });
  });
  // Start order decides which work the included hours cover; ties broken by content, not input position.
  const byStart = (a: PricedWorklog, b: PricedWorklog): number => a.startMs - b.startMs || byText(a.request ?? '', b.request ?? '') || a.minutes - b.minutes || byText(a.id, b.id);
  for (const list of worklogsBySub) list.sort(byStart);
  for (const bySub of history.values())
    for (const h of bySub.values()) {
      h.requests.sort(byReceived);
      h.worklogs.sort(byStart);
    }

  // ---- purchases of blocks (§10), any date: the ledger grants them
  const purchasesBySub = subs.map((): (PricedPurchase & { component: string })[] => []);
  (input.purchases ?? []).forEach((p, i) => {
    const si = subs.findIndex((s) => s.input.id !== undefined && s.input.id === p.subscription);
    if (si < 0) return;
    const amount = p.amount === undefined ? null : parseDecimal(p.amount);
    if (p.amount !== undefined && !amount) throw new BillingError(`purchase amount "${p.amount}" is not a decimal`, `purchases/${i}/amount`);
    purchasesBySub[si].push({ id: p.id, component: p.component, date: p.date, quantity: p.quantity ?? 1, amount });
  });
  for (const list of purchasesBySub) list.sort((a, b) => byText(a.date, b.date) || byText(a.id, b.id));

  // ---- spend of the period, per service; one subscription per offering carries it
  const spend = new Map<string, Rat>();
  const retailAmounts = new Map<string, Rat>();
  const missing = new Set<string>();
  input.spend.forEach((s, i) => {
    if (s.period && s.period !== P.id) return;
    const amount = parseDecimal(s.amount);
    if (!amount) throw new BillingError(`spend amount "${s.amount}" is not a decimal`, `spend/${i}/amount`);
    spend.set(s.service, add(spend.get(s.service) ?? ZERO, amount));
    const retail = s.retail === undefined ? null : parseDecimal(s.retail);
    if (s.retail !== undefined && !retail) throw new BillingError(`spend retail "${s.retail}" is not a decimal`, `spend/${i}/retail`);
    if (!retail) missing.add(s.service);
    retailAmounts.set(s.service, add(retailAmounts.get(s.service) ?? ZERO, retail ?? amount));
  });
  const spendCarrier = new Map<string, number>();
  subs.forEach((s, i) => {
    if (s.active) spendCarrier.set(s.offering.id, i); // the last active subscription of the offering in the period
  });
  // ---- SLA clocks (§11.4): over each request's life, held by the subscription of its receipt date
  const holder = (offering: string, date: string): number => subs.findIndex((s) => s.offering.id === offering && inRange(date, { from: s.input.start, to: s.input.end ?? null }));
  const clocked = clockRequests(plan, P, requestsById.values(), decide, holder);
  return { requestsBySub, worklogsBySub, workedMinutes, spend, retail: { amounts: retailAmounts, missing }, spendCarrier, warnings: [], history, purchasesBySub, balances: [], resume: input.ledgers ?? [], ledgers: [], clocked };
}

type MoneyLine = BilledLine & { readonly money: Money };

/** One subscription: its component lines, then minimum, discount and credits on them. */
function priceSubscription(setup: Setup, usage: Usage, s: OrderedSubscription, si: number): PricedSubscription {
  const out: MoneyLine[] = [];
  const push = (line: Omit<BilledLine, 'offering' | 'amount' | 'subscription'>, amount: Rat): Money => {
    const money = setup.round(amount);
    out.push(toLine(s, line, money));
    return money;
  };
  if (!s.active) return { index: si, input: s.input, offering: s.offering, active: null, lines: out, requests: [], worklogs: [] };
  const requests = usage.requestsBySub[si];
  const blocks = hasBlocks(s.offering) ? blockStep(setup, usage, s, si) : null;
  const { charges, recurring } = componentLines(setup, usage, s, si, push, blocks);
  const committed = minimumStep(setup, s, charges, push);
  const discount = discountStep(setup, s, committed, push);
  const on = s.offering.serviceCredits?.on ?? ['response'];
  // per kind, so that the line can say which targets were missed
  const missed = { response: on.includes('response') ? breaches(usage.clocked, si, setup.period.id, ['response']) : 0, resolution: on.includes('resolution') ? breaches(usage.clocked, si, setup.period.id, ['resolution']) : null };
  creditStep(setup, s, missed, recurring, discount, push);
  return { index: si, input: s.input, offering: s.offering, active: s.active, lines: out, requests, worklogs: usage.worklogsBySub[si] };
}

type Push = (line: Omit<BilledLine, 'offering' | 'amount' | 'subscription'>, amount: Rat) => Money;

/** A priced line with the statement's key order (the document keeps it), built key by key: object spreads cost far more, times every line. */
function toLine(s: OrderedSubscription, l: Omit<BilledLine, 'offering' | 'amount' | 'subscription'>, money: Money): MoneyLine {
  const line: Record<string, unknown> = { offering: s.offering.id, component: l.component };
  if (l.model) line.model = l.model;
  if (l.kind) line.kind = l.kind;
  line.facts = l.facts;
  if (l.version !== undefined) line.version = l.version;
  if (l.priceSource !== undefined) line.priceSource = l.priceSource;
  if (l.priceAsOf !== undefined) line.priceAsOf = l.priceAsOf;
  if (l.quantity !== undefined) line.quantity = l.quantity;
  if (l.unit !== undefined) line.unit = l.unit;
  if (l.unitPrice !== undefined) line.unitPrice = l.unitPrice;
  line.amount = formatMoney(money);
  if (s.input.id) line.subscription = s.input.id;
  line.money = money;
  return line as unknown as MoneyLine;
}

/**
 * Step blocks (§10): the subscription's block ledgers from its start through
 * the period (the period's balances and BLOCK_LOW warnings go to usage), and
 * per drawing component what the block lends it.
 */
function blockStep(setup: Setup, usage: Usage, s: OrderedSubscription, si: number): Map<string, BlockDraw> {
  const history = usage.history.get(si);
  const current = { requests: usage.requestsBySub[si], worklogs: usage.worklogsBySub[si] };
  const none = { requests: [], worklogs: [] };
  const runs = runBlocks({
    offering: s.offering,
    start: s.input.start,
    end: s.input.end ?? null,
    zone: setup.zone,
    period: setup.period,
    usage: (id) => (id === setup.period.id ? current : (history?.get(id) ?? none)),
    purchases: usage.purchasesBySub[si],
    quantity: s.quantity,
    price: setup.price,
    // only states of this subscription from before the period: a later one cannot be resumed from
    resume: new Map(usage.resume.filter((x) => s.input.id !== undefined && x.subscription === s.input.id && x.period < setup.period.id).map((x) => [x.component, x])),
  });
  const lent = new Map<string, BlockDraw>();
  const subscription = s.input.id ?? s.offering.id;
  for (const [id, run] of runs) {
    const b = run.balance;
    usage.balances.push({ subscription, component: id, unit: run.unit, opening: b.opening, granted: b.granted, used: b.used, expired: b.expired, closing: b.closing });
    usage.ledgers.push({ subscription, component: id, period: setup.period.id, open: run.open });
    if (run.low && run.block.alertAt)
      usage.warnings.push({ code: 'BLOCK_LOW', subscription, component: id, unit: run.unit, used: b.used, available: b.opening + b.granted, alertAt: run.block.alertAt.text });
    // the customer's overage rate when it has its own price for the block (§8.2)
    const own = s.input.prices && Object.hasOwn(s.input.prices, id) ? overridden(s.offering, run.block, s.input.prices[id]) : null;
    const overage = own?.model === 'block' ? own.overage : run.block.overage;
    for (const d of run.block.draws) lent.set(d, { block: id, drawn: run.drawn.get(d) ?? new Map<string, number>(), overage });
  }
  return lent;
}

/** The hourly component a worklog is billed under (§8.6): the one it names, else (or when it names none of them) the offering's first in plan order. */
function labourComponent(o: Offering, named: string | undefined): string | null {
  let first: PricingComponent | null = null;
  for (const c of o.pricing) {
    if (c.model !== 'hourly') continue;
    if (c.id === named) return named;
    if (first === null || c.order < first.order) first = c;
  }
  return first?.id ?? null;
}

/** Step lines: every version of every component, priced by its model. Returns the charges and the recurring part (§4.4). */
function componentLines(setup: Setup, usage: Usage, s: OrderedSubscription, si: number, push: Push, blocks: ReadonlyMap<string, BlockDraw> | null): { charges: Rat; recurring: Rat } {
  const o = s.offering;
  const active = s.active as DateRange;
  const componentMoney: Money[] = [];
  const recurringMoney: Money[] = [];
  const asOf = s.input.priceAsOf ?? null;
  const prices = customerPrices(usage, s);
  for (const all of versionsInOrder(o)) {
    // Grandfathered (§8.3): only the version in force on priceAsOf, on every active day (its own from/to no longer limit it).
    const versions = asOf === null ? all : all.filter((v) => inRange(asOf, v)).slice(0, 1);
    // Spend is a monthly figure, not dated: it goes to the version in force on the subscription's last active day.
    const spendVersion = asOf === null ? versions.find((v) => inRange(active.to, v)) : versions[0];
    // the included allowance once per component and period, whatever its versions (§8.5)
    const allowance = { left: null as number | null };
    for (const v of versions) {
      const range = asOf === null ? intersect(active, v) : active;
      if (!range) continue;
      const model = pricingModel(v.model);
      const carries = model.needsSpend && v === spendVersion && usage.spendCarrier.get(o.id) === si;
      const worklogs = usage.worklogsBySub[si].filter((w) => inRange(w.date, range));
      const own = prices?.get(v.id);
      const priced = own ? overridden(o, v, own) : null;
      // a later plan changed the component's model: the plan's price, and the draft says so
      if (own && !priced) warnOnce(usage, { code: 'PRICE_OVERRIDE_UNKNOWN', offering: o.id, component: v.id, ...(s.input.id ? { subscription: s.input.id } : {}), model: v.model });
      const priceSource = priced ? 'override' : asOf !== null ? 'grandfathered' : 'plan';
      // overage beyond a block is priced at the block's overage rate: the customer's when its block price gives one
      const lent = blocks?.get(v.id);
      const overageSource = lent && prices?.get(lent.block)?.overage !== undefined ? 'override' : priceSource;
      const ctx: ModelContext<PricingComponent> = {
        offering: o,
        component: priced ?? v,
        period: setup.period,
        active: range,
        quantity: s.quantity,
        requests: usage.requestsBySub[si].filter((r) => inRange(r.date, range)),
        // a worklog is billed under one hourly component (§8.6); other models see all of them (margin, rules)
        worklogs: v.model === 'hourly' ? worklogs.filter((w) => w.component === v.id) : worklogs,
        spend: carries ? usage.spend : null,
        retail: carries ? usage.retail : null,
        price: setup.price,
        subscriptionActive: active,
        allowance,
        block: blocks?.get(v.id) ?? null,
        purchases: v.model === 'block' ? usage.purchasesBySub[si].filter((p) => p.component === v.id && inRange(p.date, range)) : [],
      };
      const version = o.pricing.indexOf(v);
      for (const l of model.lines(ctx)) {
        const m = push({ component: v.id, model: v.model, kind: l.kind, facts: l.facts, version, priceSource: l.kind === 'overage' ? overageSource : priceSource, ...(asOf !== null ? { priceAsOf: asOf } : {}), quantity: l.quantity, unit: l.unit, unitPrice: l.unitPrice }, l.amount);
        componentMoney.push(m);
        for (const w of l.warnings ?? []) if (!usage.warnings.some((x) => sameWarning(x, w))) usage.warnings.push(w);
        if (model.recurring || l.recurring) recurringMoney.push(m);
      }
    }
  }
  return { charges: moneyToRat(sumMoney(componentMoney, setup.currency)), recurring: moneyToRat(sumMoney(recurringMoney, setup.currency)) };
}

/**
 * A subscription's customer prices (§8.2) by component id, or null. An id the
 * offering no longer has is priced from the plan: the draft warns
 * PRICE_OVERRIDE_UNKNOWN (writers refuse such ids, a later plan may drop one).
 */
function customerPrices(usage: Usage, s: OrderedSubscription): ReadonlyMap<string, PriceOverride> | null {
  const prices = s.input.prices;
  if (!prices) return null;
  const out = new Map<string, PriceOverride>();
  for (const [id, o] of Object.entries(prices)) {
    if (s.offering.pricing.some((c) => c.id === id)) out.set(id, o);
    else warnOnce(usage, { code: 'PRICE_OVERRIDE_UNKNOWN', offering: s.offering.id, component: id, ...(s.input.id ? { subscription: s.input.id } : {}) });
  }
  return out.size > 0 ? out : null;
}

function warnOnce(usage: Usage, w: PricingWarning): void {
  if (!usage.warnings.some((x) => JSON.stringify(x) === JSON.stringify(w))) usage.warnings.push(w);
}

/** Step minimum (§4.2): the commitment prorated by the subscription's days tops the charges up. Returns what the discount applies to. */
function minimumStep(setup: Setup, s: OrderedSubscription, charges: Rat, push: Push): Rat {
  const o = s.offering;
  if (!o.minimum) return charges;
  const P = setup.period;
  const days = rangeDays(s.active as DateRange);
  const M = mul(fromDec(o.minimum), rat(BigInt(days), BigInt(P.days)));
  if (cmp(charges, M) >= 0) return charges;
  const facts: AdjustmentFacts = {
    line: 'minimum',
    minimum: setup.price(fromDec(o.minimum)),
    days,
    of: P.days,
    prorated: formatMoney(setup.round(M)),
    charges: setup.price(charges),
  };
  const m = push({ component: 'minimum', facts }, minus(M, charges));
  return add(charges, moneyToRat(m));
}

/** Step discount (§4.3): on the component lines and the minimum. Returns the rate (0 when none) for the credit step. */
function discountStep(setup: Setup, s: OrderedSubscription, committed: Rat, push: Push): Rat {
  const discount = s.input.discount ? parsePercent(s.input.discount) : null;
  // the one percentage rule (0 to 100 %) holds here too, for rows stored before it or past the API
  if (discount && cmp(discount, ONE) > 0) throw new BillingError(`discount "${s.input.discount}" of subscription "${s.input.id}" is over 100%`, 'subscriptions/discount');
  if (!discount || cmp(discount, ZERO) <= 0) return ZERO;
  const base = setup.price(committed);
  push(
    { component: 'discount', facts: { line: 'discount', rate: s.input.discount as string, base }, quantity: base, unitPrice: `-${s.input.discount}` },
    neg(mul(committed, discount)),
  );
  return discount;
}

/**
 * Step credits (§4.4, §9.3): service credits on the recurring fees after the
 * subscription's discount, per breached response target, capped: the credit
 * never exceeds what those fees cost the customer, so it cannot make the
 * statement negative.
 */
function creditStep(setup: Setup, s: OrderedSubscription, missed: { response: number; resolution: number | null }, recurring: Rat, discount: Rat, push: Push): void {
  const credits = s.offering.serviceCredits;
  if (!credits) return;
  const breaches = missed.response + (missed.resolution ?? 0);
  if (breaches === 0) return;
  const rate = min(mul(rat(BigInt(breaches)), fromPercent(credits.perBreach)), fromPercent(credits.cap));
  const base = mul(recurring, minus(ONE, discount));
  const facts: AdjustmentFacts = {
    line: 'service-credit',
    breaches,
    ...(missed.resolution !== null ? { response: missed.response, resolution: missed.resolution } : {}),
    perBreach: credits.perBreach.text,
    cap: credits.cap.text,
    rate: percentText(rate),
    base: setup.price(recurring),
    ...(cmp(discount, ZERO) > 0 ? { discount: s.input.discount as string } : {}),
  };
  push({ component: 'service-credit', facts, quantity: String(breaches), unit: 'breaches' }, neg(mul(base, rate)));
}

/**
 * Step tax (§4.5, §9.2): totals are sums of rounded lines; tax is rounded
 * once, on the taxable subtotal (non-taxable adjustments left out). Prices
 * that include tax (`partner.taxInclusive`): total = subtotal and the tax is
 * the part of the taxable subtotal it contains, base × rate / (1 + rate).
 */
function taxStep(setup: Setup, customer: BillingInput['customer'], priced: readonly PricedSubscription[], extra: readonly ExtraLine[]): { subtotal: Money; tax: Money; total: Money } {
  const lines = [...priced.flatMap((p) => p.lines), ...extra.map((e) => e.line)];
  const subtotal = sumMoney(
    lines.map((l) => l.money),
    setup.currency,
  );
  const taxable = sumMoney(
    [...priced.flatMap((p) => p.lines.map((l) => l.money)), ...extra.filter((e) => e.taxable).map((e) => e.line.money)],
    setup.currency,
  );
  const taxRate = customer.taxRate ? parsePercent(customer.taxRate) : null;
  if (customer.taxRate && !taxRate) throw new BillingError(`tax rate "${customer.taxRate}" is not a percentage`, 'customer/taxRate');
  if (taxRate && cmp(taxRate, ONE) > 0) throw new BillingError(`tax rate "${customer.taxRate}" is over 100%`, 'customer/taxRate');
  const rate = taxRate ?? ZERO;
  if (setup.plan.partner.taxInclusive) {
    const tax = setup.round(mul(moneyToRat(taxable), div(rate, add(ONE, rate))));
    return { subtotal, tax, total: subtotal };
  }
  const tax = setup.round(mul(moneyToRat(taxable), rate));
  return { subtotal, tax, total: sumMoney([subtotal, tax], setup.currency) };
}

/** A line that belongs to no subscription (adjustment, correction), and whether it is in the tax base. */
interface ExtraLine {
  readonly line: MoneyLine;
  readonly taxable: boolean;
}

/** An amount given as a decimal string in the statement's currency: no more decimals than its minor unit. */
function moneyOf(setup: Setup, text: string, field: string): Money {
  const x = parseDecimal(text);
  if (!x) throw new BillingError(`amount "${text}" is not a decimal`, field);
  const frac = /\.(\d+)$/.exec(text)?.[1] ?? '';
  if (frac.replace(/0+$/, '').length > exponentOf(setup.currency)) throw new BillingError(`amount "${text}" has more decimals than ${setup.code} allows`, field);
  return setup.round(x);
}

/** A line of no subscription, with the statement's key order. */
function extraLine(setup: Setup, offering: string, component: 'adjustment' | 'correction', ref: { adjustment?: string; corrects?: string; taxable?: boolean }, facts: AdjustmentFacts, money: Money): MoneyLine {
  const line: Record<string, unknown> = { offering, component, model: component };
  if (ref.adjustment !== undefined) line.adjustment = ref.adjustment;
  if (ref.corrects !== undefined) line.corrects = ref.corrects;
  line.facts = facts;
  line.amount = formatMoney(money);
  // the issued line says so: a credit note of it must leave it out of the credited tax base too
  if (ref.taxable === false) line.taxable = false;
  line.money = money;
  return line as unknown as MoneyLine;
}

/** Step adjustments (§9.1): one line each, after every subscription line, in the order given (the order of creation). */
function adjustmentStep(setup: Setup, input: BillingInput): ExtraLine[] {
  return (input.adjustments ?? []).map((a, i) => {
    if (a.offering !== undefined && !setup.plan.offerings.has(a.offering)) throw new BillingError(`unknown offering "${a.offering}" of adjustment "${a.id}"`, `adjustments/${i}/offering`);
    const money = moneyOf(setup, a.amount, `adjustments/${i}/amount`);
    return { line: extraLine(setup, a.offering ?? '', 'adjustment', { adjustment: a.id, taxable: a.taxable !== false }, { line: 'adjustment', description: a.description }, money), taxable: a.taxable !== false };
  });
}

/** Step corrections (§9.6): the amounts src/app computed, oldest corrected period first, then the plan's offering order; zero amounts left out; taxable. */
function correctionStep(setup: Setup, input: BillingInput): ExtraLine[] {
  const idx = (o: string): number => setup.plan.offerings.get(o)?.index ?? Number.MAX_SAFE_INTEGER;
  const list = (input.corrections ?? []).map((c, i) => ({ c, i }));
  list.sort((a, b) => byText(a.c.period, b.c.period) || byText(a.c.corrects, b.c.corrects) || idx(a.c.offering) - idx(b.c.offering) || byText(a.c.offering, b.c.offering) || a.i - b.i);
  const out: ExtraLine[] = [];
  for (const { c, i } of list) {
    const money = moneyOf(setup, c.amount, `corrections/${i}/amount`);
    if (minorUnits(money) === 0n) continue;
    const facts: AdjustmentFacts = { line: 'correction', corrects: c.corrects, period: c.period, ...(c.description ? { description: c.description } : {}) };
    out.push({ line: extraLine(setup, c.offering, 'correction', { corrects: c.corrects }, facts, money), taxable: true });
  }
  return out;
}

/**
 * Step guards (§9.4): what would stop a finalize, as warnings on the draft.
 * PERIOD_NOT_ENDED when the shell lent the instant (`asOfMs`) and the period
 * ends after it; SPEND_MISSING per percent-of-spend component of a
 * subscription active in the period with no spend record of its services.
 */
function guardStep(setup: Setup, input: BillingInput, usage: Usage): void {
  const guards: PricingWarning[] = [];
  if (input.asOfMs !== undefined && input.asOfMs < setup.period.endMs) guards.push({ code: 'PERIOD_NOT_ENDED', period: setup.period.id });
  const held = new Set(input.spend.filter((x) => !x.period || x.period === setup.period.id).map((x) => x.service));
  const seen = new Set<string>();
  for (const s of setup.subs) {
    if (!s.active) continue;
    for (const c of s.offering.pricing) {
      if (!pricingModel(c.model).needsSpend || !intersect(s.active, c)) continue;
      const listed = (c as { services?: readonly string[] | null }).services ?? null;
      const services = listed ?? s.offering.services;
      const key = `${s.offering.id} ${c.id}`;
      if (seen.has(key) || (listed === null ? held.size > 0 : services.some((x) => held.has(x)))) continue;
      seen.add(key);
      guards.push({ code: 'SPEND_MISSING', offering: s.offering.id, component: c.id, services: [...services] });
    }
  }
  usage.warnings.unshift(...guards);
}

/** Step service levels (§4.4): the month's counted requests, in time order, with their response status. */
function serviceLevelsStep(setup: Setup, usage: Usage, priced: readonly PricedSubscription[]): StatementRequest[] {
  const counted = priced.flatMap((p) => p.requests).sort((a, b) => a.receivedMs - b.receivedMs || byText(a.id, b.id));
  const clocks = new Map(usage.clocked.map((c) => [c.id, c]));
  // rows built key by key, the sort key beside them: object spreads and rest copies here cost a fifth of pricing
  const rows: { readonly row: StatementRequest; readonly ms: number }[] = counted.map((r) => {
    const c = clocks.get(r.id);
    const row = c
      ? requestRow(r.id, r.offering, r.severity, r.category, r.receivedAt, c.response.dueAt, r.respondedAt, c.response.state, r.billable, c, false)
      : requestRow(r.id, r.offering, r.severity, r.category, r.receivedAt, r.responseDueAt, r.respondedAt, responseStatus(r, setup.period.endMs), r.billable, null, false);
    return { row, ms: r.receivedMs };
  });
  // earlier requests with a clock belonging to this period: the reader sees what was counted
  for (const c of usage.clocked) {
    if (!c.earlier) continue;
    const r = c.input;
    const row = requestRow(r.id, c.offering, r.severity, r.category, r.receivedAt, c.response.dueAt, r.respondedAt ?? null, c.response.state, c.decision.billable === true, c, true);
    rows.push({ row, ms: c.receivedMs });
  }
  return rows.sort((a, b) => a.ms - b.ms || byText(a.row.id, b.row.id)).map((x) => x.row);
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** A row of the statement's request table; with its clocks as the table shows them (§11.3) when timed. Key order is the document's. */
function requestRow(
  id: string,
  offering: string,
  severity: string,
  category: string,
  receivedAt: string,
  responseDueAt: string | null,
  respondedAt: string | null,
  status: StatementRequest['status'],
  billable: boolean,
  c: ClockedRequest | null,
  earlier: boolean,
): StatementRequest {
  if (c === null) return { id, offering, severity, category, receivedAt, responseDueAt, respondedAt, status, billable };
  const row: Writable<StatementRequest> = { id, offering, severity, category, receivedAt, responseDueAt, respondedAt, status, billable, response: c.response, resolution: c.resolution, pauses: c.clocks.pauses };
  if (c.clocks.severity !== c.input.severity) row.severityNow = c.clocks.severity;
  if (earlier) row.earlier = true;
  return row;
}

/** One warning per code and component (a component's versions warn once). */
const sameWarning = (a: PricingWarning, b: PricingWarning): boolean =>
  a.code === b.code && ('component' in a ? a.component : null) === ('component' in b ? b.component : null);

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

