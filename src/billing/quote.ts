// Quotes (SPEC §4.7): a quote document in, a statement out, through the same
// pure function as stored statements. parseQuote is strict: unknown keys,
// floats for money and instants without an offset are errors, each with a
// JSON pointer to the field.
import type { Plan } from '../plans/types.js';
import type { CustomerInput, QuoteDocument, RequestInput, SpendInput, BilledStatement, SubscriptionInput, WorklogInput } from './types.js';
import { isInstant, isLocalDate, isPeriod } from './period.js';
import { parseDecimal, parsePercent } from './rational.js';
import { BillingError, priceStatement, type PriceOptions } from './statement.js';

export interface QuoteError {
  readonly field: string;
  readonly message: string;
}

export type QuoteResult = { ok: true; value: QuoteDocument } | { ok: false; errors: QuoteError[] };

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const CATEGORIES = ['billing', 'subscription', 'technical'];

type Obj = Record<string, unknown>;
/** A value quoted for an error message, cut short: a 3,000-character value must not become a 3,000-character message. */
const quoted = (s: string): string => JSON.stringify(s.length > 40 ? s.slice(0, 40) + '…' : s);
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  readonly errors: QuoteError[] = [];
  err(field: string, message: string): void {
    this.errors.push({ field, message });
  }
  /** An object with only the allowed keys, and all required ones. */
  obj(v: unknown, at: string, required: readonly string[], optional: readonly string[]): Obj | null {
    if (!isObj(v)) {
      this.err(at || '/', 'must be an object');
      return null;
    }
    for (const k of Object.keys(v)) if (!required.includes(k) && !optional.includes(k)) this.err(`${at}/${k}`, `unknown field ${quoted(k)}`);
    for (const k of required) if (v[k] === undefined) this.err(`${at}/${k}`, 'is required');
    return v;
  }
  str(v: unknown, at: string, test?: (s: string) => boolean, what?: string): string | undefined {
    if (typeof v !== 'string' || v === '') {
      this.err(at, typeof v === 'number' && what?.includes('decimal') ? `must be ${what} string, not a number (money is never a float)` : `must be ${what ?? 'a non-empty string'}`);
      return undefined;
    }
    if (test && !test(v)) {
      this.err(at, `must be ${what}, got ${quoted(v)}`);
      return undefined;
    }
    return v;
  }
  arr(v: unknown, at: string): unknown[] {
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      this.err(at, 'must be an array');
      return [];
    }
    return v;
  }
}

const slug = (s: string): boolean => SLUG.test(s);
const percent = (s: string): boolean => parsePercent(s) !== null;
const decimal = (s: string): boolean => parseDecimal(s) !== null;

export function parseQuote(json: unknown): QuoteResult {
  const c = new Checker();
  const doc = c.obj(json, '', ['partner', 'period', 'customer', 'subscriptions'], ['requests', 'worklogs', 'spend']);
  if (!doc) return { ok: false, errors: c.errors };
  if (doc.partner !== undefined) c.str(doc.partner, '/partner', slug, 'a partner id (slug)');
  if (doc.period !== undefined) c.str(doc.period, '/period', isPeriod, 'a period YYYY-MM');

  const cust = doc.customer === undefined ? null : c.obj(doc.customer, '/customer', ['id'], ['name', 'locale', 'taxRate']);
  if (cust) {
    if (cust.id !== undefined) c.str(cust.id, '/customer/id', slug, 'a customer id (slug)');
    if (cust.name !== undefined) c.str(cust.name, '/customer/name');
    if (cust.locale !== undefined) c.str(cust.locale, '/customer/locale', (s) => /^[a-z]{2}(-[A-Z]{2})?$/.test(s), 'a locale such as en-US or zh-CN');
    if (cust.taxRate !== undefined && cust.taxRate !== null) c.str(cust.taxRate, '/customer/taxRate', percent, 'a percentage such as "8.25%"');
  }

  if (doc.subscriptions !== undefined && !Array.isArray(doc.subscriptions)) c.err('/subscriptions', 'must be an array');
  c.arr(doc.subscriptions, '/subscriptions').forEach((v, i) => {
    const at = `/subscriptions/${i}`;
    const s = c.obj(v, at, ['offering', 'start'], ['id', 'end', 'discount', 'quantities']);
    if (!s) return;
    if (s.id !== undefined) c.str(s.id, `${at}/id`);
    if (s.offering !== undefined) c.str(s.offering, `${at}/offering`, slug, 'an offering id (slug)');
    const start = s.start === undefined ? undefined : c.str(s.start, `${at}/start`, isLocalDate, 'a local date YYYY-MM-DD');
    if (s.end !== undefined && s.end !== null) {
      const end = c.str(s.end, `${at}/end`, isLocalDate, 'a local date YYYY-MM-DD');
      if (start && end && end < start) c.err(`${at}/end`, `ends (${end}) before it starts (${start})`);
    }
    if (s.discount !== undefined && s.discount !== null) {
      const d = c.str(s.discount, `${at}/discount`, percent, 'a percentage such as "10%"');
      if (d && (parsePercent(d)?.n ?? 0n) > (parsePercent(d)?.d ?? 0n)) c.err(`${at}/discount`, 'cannot be over 100%');
    }
    const seen = new Set<string>();
    c.arr(s.quantities, `${at}/quantities`).forEach((qv, j) => {
      const qat = `${at}/quantities/${j}`;
      const q = c.obj(qv, qat, ['metric', 'value', 'from'], []);
      if (!q) return;
      const metric = q.metric === undefined ? undefined : c.str(q.metric, `${qat}/metric`, slug, 'a metric name (slug)');
      if (q.value !== undefined && !(Number.isSafeInteger(q.value) && (q.value as number) >= 0)) c.err(`${qat}/value`, 'must be a non-negative integer');
      const from = q.from === undefined ? undefined : c.str(q.from, `${qat}/from`, isLocalDate, 'a local date YYYY-MM-DD');
      if (metric && from) {
        if (seen.has(`${metric} ${from}`)) c.err(`${qat}/from`, `a second quantity of "${metric}" on ${from}`);
        seen.add(`${metric} ${from}`);
      }
    });
  });

  const requestIds = new Set<string>();
  c.arr(doc.requests, '/requests').forEach((v, i) => {
    const at = `/requests/${i}`;
    const r = c.obj(v, at, ['id', 'offering', 'service', 'category', 'severity', 'channel', 'receivedAt'], ['customer', 'serviceIncident', 'respondedAt']);
    if (!r) return;
    const id = r.id === undefined ? undefined : c.str(r.id, `${at}/id`);
    if (id) {
      if (requestIds.has(id)) c.err(`${at}/id`, `duplicate request id "${id}"`);
      requestIds.add(id);
    }
    for (const k of ['offering', 'service', 'channel', 'customer'] as const) if (r[k] !== undefined) c.str(r[k], `${at}/${k}`, slug, `a ${k} id (slug)`);
    if (r.category !== undefined) c.str(r.category, `${at}/category`, (s) => CATEGORIES.includes(s), 'one of billing, subscription, technical');
    if (r.severity !== undefined) c.str(r.severity, `${at}/severity`);
    const received = r.receivedAt === undefined ? undefined : c.str(r.receivedAt, `${at}/receivedAt`, isInstant, 'an ISO 8601 instant with offset');
    if (r.respondedAt !== undefined && r.respondedAt !== null) {
      const answered = c.str(r.respondedAt, `${at}/respondedAt`, isInstant, 'an ISO 8601 instant with offset');
      if (received && answered && Date.parse(answered) < Date.parse(received)) c.err(`${at}/respondedAt`, 'is before receivedAt');
    }
    if (r.serviceIncident !== undefined && typeof r.serviceIncident !== 'boolean') c.err(`${at}/serviceIncident`, 'must be true or false');
  });

  c.arr(doc.worklogs, '/worklogs').forEach((v, i) => {
    const at = `/worklogs/${i}`;
    const w = c.obj(v, at, ['start', 'minutes'], ['id', 'request', 'offering']);
    if (!w) return;
    if (w.id !== undefined) c.str(w.id, `${at}/id`);
    if (w.request === undefined && w.offering === undefined) c.err(`${at}/request`, 'a worklog needs a request or an offering');
    if (w.request !== undefined && w.offering !== undefined) c.err(`${at}/offering`, 'give a request or an offering, not both (a request decides its offering)');
    if (w.request !== undefined) {
      const id = c.str(w.request, `${at}/request`);
      if (id && !requestIds.has(id)) c.err(`${at}/request`, `no request "${id}" in this quote`);
    }
    if (w.offering !== undefined) c.str(w.offering, `${at}/offering`, slug, 'an offering id (slug)');
    if (w.start !== undefined) c.str(w.start, `${at}/start`, isInstant, 'an ISO 8601 instant with offset');
    if (w.minutes !== undefined && !(Number.isSafeInteger(w.minutes) && (w.minutes as number) > 0)) c.err(`${at}/minutes`, 'must be a positive integer');
  });

  c.arr(doc.spend, '/spend').forEach((v, i) => {
    const at = `/spend/${i}`;
    const s = c.obj(v, at, ['service', 'amount'], ['id', 'period', 'retail']);
    if (!s) return;
    if (s.id !== undefined) c.str(s.id, `${at}/id`);
    if (s.service !== undefined) c.str(s.service, `${at}/service`, slug, 'a service id (slug)');
    if (s.amount !== undefined) c.str(s.amount, `${at}/amount`, decimal, 'a decimal');
    if (s.retail !== undefined) c.str(s.retail, `${at}/retail`, decimal, 'a decimal');
    if (s.period !== undefined && c.str(s.period, `${at}/period`, isPeriod, 'a period YYYY-MM') && s.period !== doc.period)
      c.err(`${at}/period`, `is not the quote's period ${String(doc.period)}`);
  });

  if (c.errors.length > 0) return { ok: false, errors: c.errors };
  return { ok: true, value: json as QuoteDocument };
}

/** Prices a validated quote against its partner's plan (the same function as stored statements). */
export function quoteStatement(doc: QuoteDocument, plan: Plan, opts: PriceOptions = {}): BilledStatement {
  if (doc.partner !== plan.partner.id) throw new BillingError(`the quote is for partner "${doc.partner}", the plan is "${plan.partner.id}"`, '/partner');
  doc.subscriptions.forEach((s, i) => {
    if (!plan.offerings.has(s.offering))
      throw new BillingError(`unknown offering "${s.offering}" (declared: ${[...plan.offerings.keys()].join(', ')})`, `/subscriptions/${i}/offering`);
  });
  (doc.worklogs ?? []).forEach((w, i) => {
    if (w.offering && !plan.offerings.has(w.offering)) throw new BillingError(`unknown offering "${w.offering}"`, `/worklogs/${i}/offering`);
  });
  return priceStatement(
    {
      plan,
      period: doc.period,
      customer: doc.customer as CustomerInput,
      subscriptions: doc.subscriptions as readonly SubscriptionInput[],
      requests: (doc.requests ?? []) as readonly RequestInput[],
      worklogs: (doc.worklogs ?? []) as readonly WorklogInput[],
      spend: (doc.spend ?? []) as readonly SpendInput[],
    },
    opts,
  );
}
