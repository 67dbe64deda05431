// Deterministic (seeded) data for the benchmarks and the reliability tests:
// customers, subscriptions, requests with their decisions, worklogs, spend,
// and plan files. Every customer's data is a function of (seed, index) only,
// so any slice of a large data set can be regenerated without the rest and
// two runs see the same rows.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { period as periodOf, type Period } from '../src/time/period.js';
import { loadPlan } from '../src/plans/load.js';
import type { Plan } from '../src/plans/types.js';
import { evaluate } from '../src/rules/evaluate.js';
import { zoneOffsets } from '../src/time/instant.js';
import type { SupportRequest } from '../src/rules/types.js';
import type { CustomerRecord, Hashed, RequestRecord, SpendRecord, SubscriptionRecord, WorklogRecord } from '../src/store/repository.js';

export const CONTOSO_FILE = fileURLToPath(new URL('../plans/contoso.yaml', import.meta.url));
export const BENCH_PERIOD = '2026-10';

export function contosoSource(): string {
  return readFileSync(CONTOSO_FILE, 'utf8');
}

export function loadContosoPlan(): Plan {
  const res = loadPlan(contosoSource(), CONTOSO_FILE);
  if (res.plan === null) throw new Error(`plans/contoso.yaml does not load: ${res.findings.map((f) => f.message).join('; ')}`);
  return res.plan;
}

/** mulberry32: small, fast, and the same sequence on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const mix = (seed: number, i: number): number => (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 1, 0xc2b2ae35)) >>> 0;

export const customerId = (i: number): string => `cust-${String(i).padStart(6, '0')}`;

const hash = (x: unknown): string => createHash('sha256').update(JSON.stringify(x)).digest('hex');
const hashed = <T>(record: T): Hashed<T> => ({ record, bodyHash: hash(record) });

/** One customer's records for a period. */
export interface CustomerData {
  readonly customer: Hashed<CustomerRecord>;
  readonly subscriptions: Hashed<SubscriptionRecord>[];
  readonly requests: Hashed<RequestRecord>[];
  readonly worklogs: Hashed<WorklogRecord>[];
  readonly spend: Hashed<SpendRecord>[];
}

export interface GenOptions {
  readonly plan: Plan;
  /** Usage records (requests + worklogs + spend) of this customer in the period. */
  readonly records: number;
  readonly period?: string;
  readonly seed?: number;
}

const periods = new Map<string, Period>();
function cachedPeriod(id: string, zone: string): Period {
  let p = periods.get(`${id} ${zone}`);
  if (!p) periods.set(`${id} ${zone}`, (p = periodOf(id, zone)));
  return p;
}

/**
 * Customer `i`: mostly Standard (seats, labour, Azure spend), some Essential,
 * some with Dynamics Plus on top; requests that mostly fit the offering, at
 * any minute of the month, answered on time, late or not yet; worklogs on
 * those requests.
 */
export function customerData(i: number, opts: GenOptions): CustomerData {
  const { plan } = opts;
  const rnd = prng(mix(opts.seed ?? 7, i));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const P = cachedPeriod(opts.period ?? BENCH_PERIOD, plan.partner.timezone);
  const tz = zoneOffsets(plan.partner.timezone);
  const id = customerId(i);
  const customer = hashed<CustomerRecord>({ id, name: `Customer ${i}`, locale: rnd() < 0.1 ? 'zh-CN' : null, taxRate: rnd() < 0.5 ? '8.25%' : null, email: null });

  const subs: SubscriptionRecord[] = [];
  const r = rnd();
  const start = rnd() < 0.1 ? `${P.first.slice(0, 8)}${String(1 + Math.floor(rnd() * 20)).padStart(2, '0')}` : '2026-01-01';
  if (r < 0.75) subs.push({ id: `${id}-std`, customer: id, offering: 'standard', start, end: null, discount: rnd() < 0.2 ? '10%' : null, quantities: [{ metric: 'seats', value: 5 + Math.floor(rnd() * 200), from: start }] });
  else subs.push({ id: `${id}-ess`, customer: id, offering: 'essential', start, end: null, discount: null, quantities: [] });
  if (rnd() < 0.1) subs.push({ id: `${id}-dyn`, customer: id, offering: 'dynamics-plus', start: '2026-01-01', end: null, discount: null, quantities: [{ metric: 'users', value: 10 + Math.floor(rnd() * 140), from: '2026-01-01' }] });

  const spend: SpendRecord[] = [];
  if (subs[0]!.offering === 'standard' && opts.records > 0) {
    spend.push({ id: `${id}-sp0`, customer: id, period: P.id, service: 'azure', amount: `${100 + Math.floor(rnd() * 20000)}.${String(Math.floor(rnd() * 100)).padStart(2, '0')}` });
  }
  const rest = Math.max(0, opts.records - spend.length);
  const nReq = Math.max(rest > 0 ? 1 : 0, Math.round(rest * 0.6));
  const nWl = rest - nReq;

  const requests: RequestRecord[] = [];
  const span = P.endMs - P.startMs;
  for (let k = 0; k < nReq; k++) {
    const sub = pick(subs);
    const o = plan.offerings.get(sub.offering)!;
    const fits = rnd() < 0.9;
    const at = P.startMs + Math.floor((rnd() * span) / 60_000) * 60_000;
    const req: SupportRequest = {
      partner: plan.partner.id,
      offering: o.id,
      customer: id,
      service: fits ? pick(o.services) : pick([...plan.services.keys()]),
      category: pick(o.categories),
      severity: pick([...o.severities.keys()]),
      channel: fits ? pick(o.channels) : pick([...plan.channels.keys()]),
      receivedAt: tz.format(at),
      serviceIncident: rnd() < 0.05,
    };
    const decision = evaluate(plan, req);
    let respondedAt: string | null = null;
    if (decision.accepted && decision.responseDueAt !== null && rnd() < 0.85) {
      const due = Date.parse(decision.responseDueAt);
      respondedAt = tz.format(at + Math.floor((due - at) * (0.1 + rnd() * 1.2)));
    }
    requests.push({
      id: `${id}-r${k}`,
      customer: id,
      offering: o.id,
      service: req.service,
      category: req.category,
      severity: req.severity,
      channel: req.channel,
      receivedAt: req.receivedAt,
      serviceIncident: req.serviceIncident ?? null,
      respondedAt,
      decision,
    });
  }
  const worklogs: WorklogRecord[] = [];
  for (let k = 0; k < nWl; k++) {
    const req = requests.length > 0 ? pick(requests) : null;
    // a worklog without a request falls on a day its offering is held (the API refuses others: they could never be billed)
    const base = req ? Date.parse(req.receivedAt) : Math.max(P.startMs + rnd() * span, Date.parse(`${subs[0]!.start}T12:00:00Z`));
    const startMs = Math.min(P.endMs - 4 * 3_600_000, base + Math.floor(rnd() * 48) * 1_800_000);
    worklogs.push({
      id: `${id}-w${k}`,
      customer: id,
      request: req?.id ?? null,
      offering: req?.decision.offering ?? req?.offering ?? subs[0]!.offering,
      start: tz.format(startMs),
      minutes: 10 + Math.floor(rnd() * 230),
    });
  }
  return {
    customer,
    subscriptions: subs.map(hashed),
    requests: requests.map(hashed),
    worklogs: worklogs.map(hashed),
    spend: spend.map(hashed),
  };
}

/** `total` usage records spread evenly over `customers` customers (the remainder on the first ones). */
export function recordsOf(i: number, customers: number, total: number): number {
  const base = Math.floor(total / customers);
  return base + (i < total - base * customers ? 1 : 0);
}

/**
 * A plan file for partner `partner` with `offerings` offerings (the contoso
 * example's services, providers, calendars and channels; offerings varied).
 */
export function planFileText(partner: string, offerings: number, seed = 11): string {
  const rnd = prng(seed);
  const src = contosoSource();
  const head = src.slice(0, src.indexOf('\nofferings:')).replace('id: contoso', `id: ${partner}`);
  const out = [head, '', 'offerings:'];
  for (let k = 0; k < offerings; k++) {
    const std = k % 3 !== 2;
    const amount = (50 + Math.floor(rnd() * 500)).toFixed(2);
    out.push(
      `  offering-${k}:`,
      `    name: { en-US: "Offering ${k}", zh-CN: "产品 ${k}" }`,
      `    summary: Generated offering ${k} for the check benchmark.`,
      `    delivery: ${k % 5 === 4 ? 'fabrikam' : 'partner'}`,
      `    services: [${std ? 'm365, azure' : 'd365'}]`,
      `    categories: [${std ? 'billing, subscription, technical' : 'technical'}]`,
      `    channels: [email, portal, phone]`,
      `    calendar: office`,
      `    severities:`,
      `      A: { name: Critical, response: ${1 + (k % 3)}h, calendar: 24x7 }`,
      `      B: { name: High,     response: ${4 + (k % 4)}h }`,
      `      C: { name: Normal,   response: 1${k % 6}h }`,
      `    pricing:`,
      `      - { id: base,  model: flat, amount: ${amount}, to: 2026-12-31 }`,
      `      - { id: base,  model: flat, amount: ${(Number(amount) + 25).toFixed(2)}, from: 2027-01-01 }`,
      `      - { id: seats, model: per-unit, metric: seats, amount: ${(1 + rnd() * 9).toFixed(2)} }`,
      `      - { id: labour, model: hourly, amount: 120.00, included: 2h, increment: 15m, afterHoursMultiplier: 1.5 }`,
      ...(std ? [`      - { id: azure, model: percent-of-spend, rate: "8%", services: [azure], minimum: 100.00, maximum: 5000.00 }`] : []),
      `      - id: users`,
      `        model: graduated`,
      `        metric: users`,
      `        tiers:`,
      `          - { upTo: 25, amount: 12.00 }`,
      `          - { upTo: 100, amount: 9.00 }`,
      `          - { amount: 7.00 }`,
      `    minimum: 300.00`,
      `    serviceCredits: { perBreach: "5%", cap: "25%" }`,
      `    includes: ["Licence and billing questions"]`,
      `    excludes: ["On-site work"]`,
      '',
    );
  }
  out.push(
    'rules:',
    '  - id: sev-a-by-phone',
    '    when: { severity: A, channel: { not: phone } }',
    '    then: { reject: "Critical (A) requests must be raised by phone." }',
    '  - id: incidents-caused-by-microsoft',
    '    when: { serviceIncident: true }',
    '    then: { billable: false, note: "Caused by a Microsoft service incident: not charged." }',
    '  - id: azure-after-hours-to-fabrikam',
    '    when: { service: azure, withinHours: false }',
    '    then: { route: fabrikam }',
    '',
  );
  return out.join('\n');
}

// ---- The same usage as API bodies (reliability tests, soak): what a client
// posts to /batch/<kind>, i.e. without the decisions the server takes itself.

export interface UsageBodies {
  readonly requests: Record<string, unknown>[];
  readonly worklogs: Record<string, unknown>[];
  readonly spend: Record<string, unknown>[];
}

export function usageBodies(d: CustomerData): UsageBodies {
  return {
    requests: d.requests.map(({ record: r }) => ({
      id: r.id,
      customer: r.customer,
      offering: r.offering,
      service: r.service,
      category: r.category,
      severity: r.severity,
      channel: r.channel,
      receivedAt: r.receivedAt,
      serviceIncident: r.serviceIncident,
      respondedAt: r.respondedAt,
    })),
    // a worklog on a request takes the request's customer and offering
    worklogs: d.worklogs.map(({ record: w }) =>
      w.request !== null ? { id: w.id, request: w.request, start: w.start, minutes: w.minutes } : { id: w.id, customer: w.customer, offering: w.offering, start: w.start, minutes: w.minutes },
    ),
    spend: d.spend.map(({ record: s }) => ({ id: s.id, customer: s.customer, period: s.period, service: s.service, amount: s.amount })),
  };
}
