// The records clients write (SPEC §6): customers, subscriptions, quantities,
// requests, worklogs, spend. One TypeBox definition each, used by the API
// routes (typed handlers), batch ingest and `tierbook import` (app/ingest.ts),
// quote documents (quote.ts) and CLI request lines (rules/request.ts).
// Bounds (lengths, maxima) are there so that no input reaches code that would
// overflow or misbehave.
import { Type, type Static } from '@sinclair/typebox';
import { Category, Instant, Label, LocalDate, Locale, Money, Name, Nullable, Percent, Period, SignedMoney, Slug, TenantId } from './primitives.js';

const closed = { additionalProperties: false } as const;

export const CustomerBody = Type.Object(
  {
    id: Slug('a customer id (slug)'),
    name: Name,
    locale: Type.Optional(Locale),
    taxRate: Type.Optional(Percent),
    email: Type.Optional(Type.String({ maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$', errorMessage: 'an email address' })),
    /** Microsoft Entra tenant ID (SPEC §12.1): Partner Center lines name the customer by it; unique per partner. */
    tenantId: Type.Optional(TenantId),
  },
  closed,
);
export type CustomerBody = Static<typeof CustomerBody>;

/** PUT /customers/:id: the path names the customer; an id in the body must match it. */
export const CustomerUpdateBody = Type.Object({ ...CustomerBody.properties, id: Type.Optional(CustomerBody.properties.id) }, closed);
export type CustomerUpdateBody = Static<typeof CustomerUpdateBody>;

export const QuantityBody = Type.Object(
  {
    metric: Slug('a metric name (slug)'),
    value: Type.Integer({ minimum: 0, maximum: 1_000_000_000, errorMessage: 'a non-negative integer' }),
    from: LocalDate,
  },
  closed,
);
export type QuantityBody = Static<typeof QuantityBody>;

export const SubscriptionBody = Type.Object(
  {
    id: Type.Optional(Slug('a subscription id (slug)')),
    customer: Slug('a customer id (slug)'),
    offering: Slug('an offering id (slug)'),
    start: LocalDate,
    end: Type.Optional(Nullable(LocalDate)),
    discount: Type.Optional(Nullable(Percent)),
    quantities: Type.Optional(Type.Array(QuantityBody, { maxItems: 1000 })),
  },
  closed,
);
export type SubscriptionBody = Static<typeof SubscriptionBody>;

/** A support request (SPEC §3.1); `partner` may be left out where the path names it. */
export const RequestBody = Type.Object(
  {
    id: Type.Optional(Slug('a request id (slug)')),
    partner: Type.Optional(Slug('a partner id (slug)')),
    offering: Type.Optional(Nullable(Slug('an offering id (slug)'))),
    customer: Type.Optional(Nullable(Slug('a customer id (slug)'))),
    service: Slug('a service id (slug)'),
    category: Category,
    severity: Label,
    channel: Slug('a channel id (slug)'),
    receivedAt: Instant,
    serviceIncident: Type.Optional(Nullable(Type.Boolean({ errorMessage: 'true or false' }))),
    respondedAt: Type.Optional(Nullable(Instant)),
  },
  closed,
);
export type RequestBody = Static<typeof RequestBody>;

/**
 * A request line of `tierbook evaluate` (and parseRequest): the request's own
 * fields, the partner required (no path names it), no id or response.
 */
const { id: _id, respondedAt: _respondedAt, ...lineFields } = RequestBody.properties;
export const RequestLine = Type.Object({ ...lineFields, partner: Slug('a partner id (slug)') }, closed);
export type RequestLine = Static<typeof RequestLine>;

/** A request to store: the customer is required (statements are per customer). */
export const StoredRequestBody = Type.Object({ ...RequestBody.properties, customer: Slug('a customer id (slug)') }, closed);
export type StoredRequestBody = Static<typeof StoredRequestBody>;

export const ResponseBody = Type.Object({ respondedAt: Instant }, closed);
export type ResponseBody = Static<typeof ResponseBody>;

const worklogFields = {
  id: Type.Optional(Slug('a worklog id (slug)')),
  request: Type.Optional(Slug('a request id (slug)')),
  customer: Type.Optional(Slug('a customer id (slug)')),
  offering: Type.Optional(Slug('an offering id (slug)')),
  start: Instant,
  minutes: Type.Integer({ minimum: 1, maximum: 527_040, errorMessage: 'a positive integer' }),
};
/** Either tied to a request, or to a customer's offering directly. */
export const WorklogBody = Type.Object(worklogFields, { ...closed, anyOf: [{ required: ['request'] }, { required: ['customer', 'offering'] }] });
export type WorklogBody = Static<typeof WorklogBody>;

export const SpendBody = Type.Object(
  { id: Type.Optional(Slug('a spend id (slug)')), customer: Slug('a customer id (slug)'), period: Period, service: Slug('a service id (slug)'), amount: SignedMoney, retail: Type.Optional(SignedMoney) },
  closed,
);
export type SpendBody = Static<typeof SpendBody>;

/** The body schema of each kind of record (routes, /batch, import). */
export const BODY_SCHEMAS = {
  requests: StoredRequestBody,
  worklogs: WorklogBody,
  spend: SpendBody,
  customers: CustomerBody,
  subscriptions: SubscriptionBody,
} as const;
