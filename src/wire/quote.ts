// A quote document (SPEC §4.7): what `POST /quotes` and `tierbook quote`
// accept, from the same record shapes as the API (records.ts), without what a
// quote cannot carry (a subscription's customer: the quote names one; a
// request's partner: the quote names it).
import { Type, type Static } from '@sinclair/typebox';
import { Locale, Name, Nullable, OneOf, Percent, Period, Slug } from './primitives.js';
import { AdjustmentBody, EventBody, PurchaseBody, REQUEST_STATUSES, RequestBody, SpendBody, SubscriptionBody, WorklogBody } from './records.js';

const closed = { additionalProperties: false } as const;
const { customer: _sc, ...subscription } = SubscriptionBody.properties;
const { partner: _rp, ...request } = RequestBody.properties;
const { customer: _wc, ...worklog } = WorklogBody.properties;
const { customer: _pc, ...spend } = SpendBody.properties;

export const QuoteSubscription = Type.Object(subscription, closed);
/** A quote's request event (§11.2): the API's, its status from the list (a quote has no store to refuse it later). */
export const QuoteEvent = Type.Object({ ...EventBody.properties, status: Type.Optional(OneOf(REQUEST_STATUSES, REQUEST_STATUSES.join(', '))) }, closed);
export const QuoteRequest = Type.Object(
  { ...request, id: Slug('a request id (slug)'), offering: Slug('an offering id (slug)'), events: Type.Optional(Type.Array(QuoteEvent, { maxItems: 1000 })) },
  closed,
);
/** Tied to a request of the quote or to an offering directly: one of the two, checked with the references (billing/quote.ts parseQuote). */
export const QuoteWorklog = Type.Object(worklog, closed);
export const QuoteSpend = Type.Object({ ...spend, period: Type.Optional(spend.period) }, closed);
const { customer: _ac, period: _ap, ...adjustment } = AdjustmentBody.properties;
/** The quote names the customer and period; an adjustment of a quote needs its id (it names the line). */
export const QuoteAdjustment = Type.Object({ ...adjustment, id: Slug('an adjustment id (slug)') }, closed);
const { customer: _bc, ...purchase } = PurchaseBody.properties;
/** A purchase of prepaid blocks (§10) naming a subscription of the quote by id; it may be dated before the period (the ledger runs from the start). */
export const QuotePurchase = Type.Object({ ...purchase, id: Slug('a purchase id (slug)') }, closed);

export const QuoteDocument = Type.Object(
  {
    partner: Slug('a partner id (slug)'),
    period: Period,
    customer: Type.Object(
      {
        id: Slug('a customer id (slug)'),
        name: Type.Optional(Name),
        locale: Type.Optional(Locale),
        taxRate: Type.Optional(Nullable(Percent)),
      },
      closed,
    ),
    subscriptions: Type.Array(QuoteSubscription, { maxItems: 1000 }),
    requests: Type.Optional(Type.Array(QuoteRequest, { maxItems: 100_000 })),
    worklogs: Type.Optional(Type.Array(QuoteWorklog, { maxItems: 100_000 })),
    spend: Type.Optional(Type.Array(QuoteSpend, { maxItems: 10_000 })),
    adjustments: Type.Optional(Type.Array(QuoteAdjustment, { maxItems: 1000 })),
    purchases: Type.Optional(Type.Array(QuotePurchase, { maxItems: 10_000 })),
  },
  closed,
);
export type QuoteDocumentBody = Static<typeof QuoteDocument>;
