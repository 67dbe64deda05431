// Quotes (SPEC §4.7): a quote document in, a statement out, through the same
// pure function as stored statements. parseQuote is strict: unknown keys,
// floats for money and instants without an offset are errors, each with a
// JSON pointer to the field; the shape is the API's (src/wire/quote.ts).
import type { Plan } from '../plans/types.js';
import type { CustomerInput, QuoteDocument, RequestInput, SpendInput, BilledStatement, SubscriptionInput, WorklogInput } from './types.js';
import { isLocalDate, isPeriod } from '../time/period.js';
import { parsePercent } from '../rational.js';
import { parseInstant } from '../time/instant.js';
import { QuoteDocument as QuoteDocumentSchema } from '../wire/quote.js';
import { validatorOf, wireErrors } from '../wire/validate.js';
import { BillingError, priceStatement, type PriceOptions } from './statement.js';
import { checkPrices, pricesError } from './prices.js';

export interface QuoteError {
  readonly field: string;
  readonly message: string;
}

export type QuoteResult = { ok: true; value: QuoteDocument } | { ok: false; errors: QuoteError[] };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const objects = (v: unknown): Array<[number, Obj]> => (Array.isArray(v) ? v.flatMap((x, i): Array<[number, Obj]> => (isObj(x) ? [[i, x]] : [])) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The shape is the wire's QuoteDocument (src/wire/quote.ts), checked by Ajv as
 * the API checks it, in words from the schema's hints; then what relates
 * fields to each other: an end before its start, a discount over 100 %, a
 * second quantity of a metric on one day, duplicate request ids, worklogs
 * naming a request of the quote or an offering (one of the two), a
 * respondedAt before its receivedAt, spend of another period.
 */
export function parseQuote(json: unknown, opts: { readonly shapeChecked?: boolean } = {}): QuoteResult {
  // the API's route schema is the same QuoteDocument: it passes shapeChecked and the shape is not checked twice
  const validate = validatorOf(QuoteDocumentSchema);
  const errors: QuoteError[] = opts.shapeChecked || validate(json) ? [] : wireErrors(validate.errors ?? []).map((e) => ({ field: e.pointer, message: e.message }));
  if (!isObj(json)) return { ok: false, errors };
  const err = (field: string, message: string): void => {
    if (!errors.some((e) => e.field === field)) errors.push({ field, message });
  };

  for (const [i, s] of objects(json.subscriptions)) {
    const at = `/subscriptions/${i}`;
    const start = str(s.start);
    const end = str(s.end);
    if (start && end && isLocalDate(start) && isLocalDate(end) && end < start) err(`${at}/end`, `ends (${end}) before it starts (${start})`);
    const d = str(s.discount) === undefined ? null : parsePercent(s.discount as string);
    if (d && d.n > d.d) err(`${at}/discount`, 'cannot be over 100%');
    const seen = new Set<string>();
    for (const [j, q] of objects(s.quantities)) {
      const metric = str(q.metric);
      const from = str(q.from);
      if (metric === undefined || from === undefined) continue;
      if (seen.has(`${metric} ${from}`)) err(`${at}/quantities/${j}/from`, `a second quantity of "${metric}" on ${from}`);
      seen.add(`${metric} ${from}`);
    }
  }

  const requestIds = new Set<string>();
  for (const [i, r] of objects(json.requests)) {
    const at = `/requests/${i}`;
    const id = str(r.id);
    if (id !== undefined) {
      if (requestIds.has(id)) err(`${at}/id`, `duplicate request id "${id}"`);
      requestIds.add(id);
    }
    const received = parseInstant(str(r.receivedAt) ?? '');
    const answered = parseInstant(str(r.respondedAt) ?? '');
    if (answered < received) err(`${at}/respondedAt`, 'is before receivedAt');
    // a request's life (§11.2): as POST /requests/:id/events refuses them (status and fields by the schema)
    for (const [j, e] of objects(r.events)) {
      if (parseInstant(str(e.at) ?? '') < received) err(`${at}/events/${j}/at`, 'is before receivedAt');
      if (e.type === 'status' && e.status === undefined) err(`${at}/events/${j}/status`, 'a status event names its status');
      if (e.type === 'severity' && e.severity === undefined) err(`${at}/events/${j}/severity`, 'a severity event names the new severity');
      if (e.type !== 'status' && e.status !== undefined) err(`${at}/events/${j}/status`, `a ${String(e.type)} event takes no status`);
      if (e.type !== 'severity' && e.severity !== undefined) err(`${at}/events/${j}/severity`, `a ${String(e.type)} event takes no severity`);
    }
  }

  for (const [i, w] of objects(json.worklogs)) {
    const at = `/worklogs/${i}`;
    if (w.request === undefined && w.offering === undefined) err(`${at}/request`, 'a worklog needs a request or an offering');
    if (w.request !== undefined && w.offering !== undefined) err(`${at}/offering`, 'give a request or an offering, not both (a request decides its offering)');
    const id = str(w.request);
    if (id !== undefined && !requestIds.has(id)) err(`${at}/request`, `no request "${id}" in this quote`);
  }

  const subscriptionIds = new Set(objects(json.subscriptions).map(([, s]) => str(s.id)));
  for (const [i, p] of objects(json.purchases)) {
    const id = str(p.subscription);
    if (id !== undefined && !subscriptionIds.has(id)) err(`/purchases/${i}/subscription`, `no subscription "${id}" in this quote`);
  }

  for (const [i, s] of objects(json.spend)) {
    const period = str(s.period);
    if (period !== undefined && isPeriod(period) && period !== json.period) err(`/spend/${i}/period`, `is not the quote's period ${String(json.period)}`);
  }

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: json as unknown as QuoteDocument };
}

/** Prices a validated quote against its partner's plan (the same function as stored statements). */
export function quoteStatement(doc: QuoteDocument, plan: Plan, opts: PriceOptions = {}): BilledStatement {
  if (doc.partner !== plan.partner.id) throw new BillingError(`the quote is for partner "${doc.partner}", the plan is "${plan.partner.id}"`, '/partner');
  doc.subscriptions.forEach((s, i) => {
    if (!plan.offerings.has(s.offering))
      throw new BillingError(`unknown offering "${s.offering}" (declared: ${[...plan.offerings.keys()].join(', ')})`, `/subscriptions/${i}/offering`);
  });
  // customer prices are checked against the plan as a PATCH checks them (§8.2): every problem, positioned
  const problems = doc.subscriptions.flatMap((s, i) => checkPrices(plan.offerings.get(s.offering)!, s.prices, `/subscriptions/${i}/prices`));
  const refused = pricesError(problems);
  if (refused) throw refused;
  (doc.worklogs ?? []).forEach((w, i) => {
    if (w.offering && !plan.offerings.has(w.offering)) throw new BillingError(`unknown offering "${w.offering}"`, `/worklogs/${i}/offering`);
  });
  (doc.purchases ?? []).forEach((p, i) => {
    // a purchase buys a block with renew: purchase of its subscription's offering, as POST /purchases requires
    const offering = plan.offerings.get(doc.subscriptions.find((s) => s.id === p.subscription)?.offering ?? '');
    const ok = offering?.pricing.some((c) => c.id === p.component && c.model === 'block' && c.renew === 'purchase');
    if (!ok) throw new BillingError(`"${p.component}" is not a block component with renew: purchase of the subscription's offering`, `/purchases/${i}/component`);
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
      ...(doc.adjustments && doc.adjustments.length > 0 ? { adjustments: doc.adjustments } : {}),
      ...(doc.purchases && doc.purchases.length > 0 ? { purchases: doc.purchases } : {}),
    },
    opts,
  );
}
