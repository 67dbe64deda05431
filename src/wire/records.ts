// The records clients write (SPEC §6): customers, subscriptions, quantities,
// requests, worklogs, spend. One TypeBox definition each, used by the API
// routes (typed handlers), batch ingest and `tierbook import` (app/ingest.ts),
// quote documents (quote.ts) and CLI request lines (rules/request.ts).
// Bounds (lengths, maxima) are there so that no input reaches code that would
// overflow or misbehave.
import { Type, type Static } from '@sinclair/typebox';
import { SLUG_PATTERN, TEXT_PATTERN } from './patterns.js';
import { Category, Instant, Label, LocalDate, Locale, Money, Name, Nullable, OneOf, Percent, Period, SignedMoney, Slug, TenantId } from './primitives.js';

const closed = { additionalProperties: false } as const;

/** A tax registration number as printed (VAT, GST, unified social credit code): letters and digits, inner spaces, dots, dashes, slashes. */
const TaxId = Type.String({ maxLength: 50, pattern: '^[A-Za-z0-9](?:[A-Za-z0-9 ./-]{0,48}[A-Za-z0-9])?$', errorMessage: 'a tax registration number such as "DE123456789"' });

export const CustomerBody = Type.Object(
  {
    id: Slug('a customer id (slug)'),
    name: Name,
    locale: Type.Optional(Locale),
    taxRate: Type.Optional(Percent),
    email: Type.Optional(Type.String({ maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$', errorMessage: 'an email address' })),
    /** Microsoft Entra tenant ID (SPEC §12.1): Partner Center lines name the customer by it; unique per partner. */
    tenantId: Type.Optional(TenantId),
    /** Tax registration (VAT/GST number), printed on invoices and credit notes. */
    taxId: Type.Optional(TaxId),
  },
  closed,
);
export type CustomerBody = Static<typeof CustomerBody>;

/**
 * PUT /customers/:id: the path names the customer; an id in the body must
 * match it. It replaces every field, so removing the tax is said with null
 * (leaving a stored taxRate or taxId out is TAX_OMITTED).
 */
export const CustomerUpdateBody = Type.Object(
  {
    ...CustomerBody.properties,
    id: Type.Optional(CustomerBody.properties.id),
    taxRate: Type.Optional(Nullable(Percent)),
    taxId: Type.Optional(Nullable(TaxId)),
  },
  closed,
);
export type CustomerUpdateBody = Static<typeof CustomerUpdateBody>;

/** PATCH /customers/:id: only the fields given change; null removes an optional one. */
export const CustomerPatchBody = Type.Object(
  {
    name: Type.Optional(Name),
    locale: Type.Optional(Nullable(Locale)),
    taxRate: Type.Optional(Nullable(Percent)),
    taxId: Type.Optional(Nullable(TaxId)),
    email: Type.Optional(Nullable(CustomerBody.properties.email)),
  },
  closed,
);
export type CustomerPatchBody = Static<typeof CustomerPatchBody>;

/** A customer's price for one component (§8.2); which fields fit depends on the component's model (checked against the plan). */
export const PriceOverrideBody = Type.Object(
  {
    amount: Type.Optional(Money),
    rate: Type.Optional(Percent),
    minimum: Type.Optional(Money),
    maximum: Type.Optional(Money),
    tiers: Type.Optional(
      Type.Array(
        Type.Object(
          { upTo: Nullable(Type.Integer({ minimum: 1, maximum: 1_000_000_000, errorMessage: 'a positive integer, or null for the last tier' })), amount: Money, flat: Type.Optional(Money) },
          closed,
        ),
        { minItems: 1, maxItems: 50 },
      ),
    ),
    overage: Type.Optional(Money),
  },
  { ...closed, minProperties: 1 },
);
export type PriceOverrideBody = Static<typeof PriceOverrideBody>;

/** component id → the customer's price for it. */
export const PricesBody = Type.Record(Type.String({ pattern: SLUG_PATTERN }), PriceOverrideBody, { maxProperties: 100 });
export type PricesBody = Static<typeof PricesBody>;

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
    prices: Type.Optional(Nullable(PricesBody)),
    priceAsOf: Type.Optional(Nullable(LocalDate)),
    quantities: Type.Optional(Type.Array(QuantityBody, { maxItems: 1000 })),
  },
  closed,
);
export type SubscriptionBody = Static<typeof SubscriptionBody>;

/** PATCH /subscriptions/:id (§8.1): absent unchanged, null removed. */
export const SubscriptionPatchBody = Type.Object(
  {
    end: Type.Optional(Nullable(LocalDate)),
    discount: Type.Optional(Nullable(Percent)),
    prices: Type.Optional(Nullable(PricesBody)),
    priceAsOf: Type.Optional(Nullable(LocalDate)),
  },
  closed,
);
export type SubscriptionPatchBody = Static<typeof SubscriptionPatchBody>;

/** POST /subscriptions/:id/change (§8.1): the offering from `at` on. */
export const SubscriptionChangeBody = Type.Object({ offering: Slug('an offering id (slug)'), at: LocalDate, id: Type.Optional(Slug('a subscription id (slug)')) }, closed);
export type SubscriptionChangeBody = Static<typeof SubscriptionChangeBody>;

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

export const EVENT_TYPES = ['responded', 'status', 'severity'] as const;
export const REQUEST_STATUSES = ['open', 'waiting-customer', 'waiting-microsoft', 'waiting-provider', 'resolved'] as const;

/**
 * An event of a request's life (SPEC §11.2). `status` is any short text here:
 * app/events.ts refuses one off the list with its own code
 * (EVENT_STATUS_INVALID), and the fields that do not fit the type with
 * EVENT_INVALID.
 */
export const EventBody = Type.Object(
  {
    id: Type.Optional(Slug('an event id (slug)')),
    at: Instant,
    type: OneOf(EVENT_TYPES, 'responded, status or severity'),
    status: Type.Optional(Type.String({ minLength: 1, maxLength: 40, errorMessage: 'a status: open, waiting-customer, waiting-microsoft, waiting-provider or resolved' })),
    severity: Type.Optional(Label),
  },
  closed,
);
export type EventBody = Static<typeof EventBody>;

/** An event line of `tierbook import events` (and POST …/batch bodies): the request it belongs to named. */
export const EventRecordBody = Type.Object({ request: Slug('a request id (slug)'), ...EventBody.properties }, closed);
export type EventRecordBody = Static<typeof EventRecordBody>;

const worklogFields = {
  id: Type.Optional(Slug('a worklog id (slug)')),
  request: Type.Optional(Slug('a request id (slug)')),
  customer: Type.Optional(Slug('a customer id (slug)')),
  offering: Type.Optional(Slug('an offering id (slug)')),
  start: Instant,
  minutes: Type.Integer({ minimum: 1, maximum: 527_040, errorMessage: 'a positive integer' }),
  /** The hourly component of the offering it is billed under (§8.6). */
  component: Type.Optional(Slug('a component id (slug)')),
  /** false: shown on the statement at no charge. */
  billable: Type.Optional(Type.Boolean({ errorMessage: 'true or false' })),
};
/** Either tied to a request, or to a customer's offering directly. */
export const WorklogBody = Type.Object(worklogFields, { ...closed, anyOf: [{ required: ['request'] }, { required: ['customer', 'offering'] }] });
export type WorklogBody = Static<typeof WorklogBody>;

export const SpendBody = Type.Object(
  { id: Type.Optional(Slug('a spend id (slug)')), customer: Slug('a customer id (slug)'), period: Period, service: Slug('a service id (slug)'), amount: SignedMoney, retail: Type.Optional(SignedMoney) },
  closed,
);
export type SpendBody = Static<typeof SpendBody>;

/** Prepaid blocks bought (SPEC §10): `quantity` blocks of a `renew: purchase` block component, granted on `date`. */
export const PurchaseBody = Type.Object(
  {
    id: Type.Optional(Slug('a purchase id (slug)')),
    customer: Slug('a customer id (slug)'),
    subscription: Slug('a subscription id (slug)'),
    component: Slug('a block component id (slug)'),
    date: LocalDate,
    quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, errorMessage: 'a whole number of blocks from 1 to 10000' })),
    /** The price paid; absent: quantity × the block's price on `date`. */
    amount: Type.Optional(Money),
  },
  closed,
);
export type PurchaseBody = Static<typeof PurchaseBody>;

/** A one-off charge (or, negative, a credit) on a customer's period (§9.1): `POST /adjustments`, `tierbook import adjustments`. */
export const AdjustmentBody = Type.Object(
  {
    id: Type.Optional(Slug('an adjustment id (slug)')),
    customer: Slug('a customer id (slug)'),
    period: Period,
    description: Type.String({ minLength: 1, maxLength: 500, pattern: TEXT_PATTERN, errorMessage: 'a non-empty description (at most 500 characters, no control characters)' }),
    amount: SignedMoney,
    offering: Type.Optional(Slug('an offering id (slug)')),
    taxable: Type.Optional(Type.Boolean({ errorMessage: 'true or false' })),
  },
  closed,
);
export type AdjustmentBody = Static<typeof AdjustmentBody>;

/** The body schema of each kind of record (routes, /batch, import). */
export const BODY_SCHEMAS = {
  requests: StoredRequestBody,
  worklogs: WorklogBody,
  spend: SpendBody,
  customers: CustomerBody,
  subscriptions: SubscriptionBody,
  purchases: PurchaseBody,
} as const;
