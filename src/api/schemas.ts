// JSON Schemas of every body, query and path parameter. Fastify validates with
// them, @fastify/swagger publishes them, and ingest.ts reuses them for batch
// records and CLI imports, so one definition decides what is valid everywhere.
// Bounds (lengths, maxima) are there so that no input can reach code that
// would overflow or misbehave.

export const SLUG_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}$';

export const slug = { type: 'string', pattern: SLUG_PATTERN, maxLength: 63 } as const;
export const localDate = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', format: 'date' } as const;
export const periodId = { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' } as const;
/** ISO 8601 instant with an offset or Z (no offset would leave the timezone ambiguous). */
export const instant = {
  type: 'string',
  maxLength: 40,
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$',
} as const;
export const percent = { type: 'string', pattern: '^\\d{1,3}(\\.\\d{1,4})?%$' } as const;
/** Money is a decimal string; a JSON number would already have gone through a float. */
export const money = { type: 'string', pattern: '^\\d{1,15}(\\.\\d{1,6})?$' } as const;
/** Spend may be negative: Azure credits and refunds (SPEC §12; one rule for POST /spend, imports and quotes). */
export const signedMoney = { type: 'string', pattern: '^-?\\d{1,15}(\\.\\d{1,6})?$' } as const;
/** A Microsoft Entra tenant ID (a GUID, either case; stored lower case). */
export const tenantId = { type: 'string', maxLength: 36, pattern: '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$' } as const;
const label = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$' } as const;
const locale = { type: 'string', pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$', maxLength: 35 } as const;
const category = { type: 'string', enum: ['billing', 'subscription', 'technical'] } as const;

export const customerBody = {

  type: 'object',
  additionalProperties: false,
  required: ['id', 'name'],
  properties: {
    id: slug,
    name: { type: 'string', minLength: 1, maxLength: 200 },
    locale,
    taxRate: percent,
    email: { type: 'string', maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' },
    tenantId,
  },
} as const;

export const customerUpdateBody = {
  ...customerBody,

  required: ['name'],
} as const;

export const quantityBody = {

  type: 'object',
  additionalProperties: false,
  required: ['metric', 'value', 'from'],
  properties: {
    metric: slug,
    value: { type: 'integer', minimum: 0, maximum: 1_000_000_000 },
    from: localDate,
  },
} as const;

export const subscriptionBody = {

  type: 'object',
  additionalProperties: false,
  required: ['customer', 'offering', 'start'],
  properties: {
    id: slug,
    customer: slug,
    offering: slug,
    start: localDate,
    end: { anyOf: [localDate, { type: 'null' }] },
    discount: { anyOf: [percent, { type: 'null' }] },
    quantities: { type: 'array', maxItems: 1000, items: quantityBody },
  },
} as const;

/** A support request (SPEC §3.1); `partner` may be left out (the path names it). */
export const requestBody = {

  type: 'object',
  additionalProperties: false,
  required: ['service', 'category', 'severity', 'channel', 'receivedAt'],
  properties: {
    id: slug,
    partner: slug,
    offering: { anyOf: [slug, { type: 'null' }] },
    customer: { anyOf: [slug, { type: 'null' }] },
    service: slug,
    category,
    severity: label,
    channel: slug,
    receivedAt: instant,
    serviceIncident: { anyOf: [{ type: 'boolean' }, { type: 'null' }] },
    respondedAt: { anyOf: [instant, { type: 'null' }] },
  },
} as const;

const nullable = (type: 'string' | 'boolean') => ({ type: [type, 'null'] }) as const;
const strings = { type: 'array', items: { type: 'string' } } as const;

/**
 * A decision (SPEC §3.4) as answered: the response schema lets Fastify
 * serialize it with fast-json-stringify. Properties in the order evaluate()
 * builds them, so the bytes are those JSON.stringify would write.
 */
export const decisionSchema = {
  type: 'object',
  required: ['accepted', 'reasons', 'offering', 'handledBy', 'escalation', 'withinHours', 'responseTarget', 'responseDueAt', 'billable', 'rules', 'notes'],
  properties: {
    accepted: { type: 'boolean' },
    reasons: {
      type: 'array',
      items: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
    },
    offering: nullable('string'),
    handledBy: nullable('string'),
    escalation: nullable('string'),
    withinHours: nullable('boolean'),
    responseTarget: nullable('string'),
    responseDueAt: nullable('string'),
    billable: nullable('boolean'),
    rules: strings,
    notes: strings,
  },
} as const;

/** A request to store: the customer is required (statements are per customer). */
export const storedRequestBody = {
  ...requestBody,

  required: [...requestBody.required, 'customer'],
  properties: { ...requestBody.properties, customer: slug },
} as const;

export const responseBody = {

  type: 'object',
  additionalProperties: false,
  required: ['respondedAt'],
  properties: { respondedAt: instant },
} as const;

export const worklogBody = {

  type: 'object',
  additionalProperties: false,
  required: ['start', 'minutes'],
  properties: {
    id: slug,
    request: slug,
    customer: slug,
    offering: slug,
    start: instant,
    minutes: { type: 'integer', minimum: 1, maximum: 527_040 },
  },
  // Either tied to a request, or to a customer's offering directly.
  anyOf: [{ required: ['request'] }, { required: ['customer', 'offering'] }],
} as const;

export const spendBody = {

  type: 'object',
  additionalProperties: false,
  required: ['customer', 'period', 'service', 'amount'],
  properties: { id: slug, customer: slug, period: periodId, service: slug, amount: signedMoney, retail: signedMoney },
} as const;

const quoteRequest = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'offering', 'service', 'category', 'severity', 'channel', 'receivedAt'],
  properties: { ...requestBody.properties, offering: slug },
} as const;

export const quoteBody = {

  type: 'object',
  additionalProperties: false,
  required: ['partner', 'period', 'customer', 'subscriptions'],
  properties: {
    partner: slug,
    period: periodId,
    customer: {
      type: 'object',
      additionalProperties: false,
      required: ['id'],
      properties: { id: slug, name: { type: 'string', maxLength: 200 }, locale, taxRate: { anyOf: [percent, { type: 'null' }] } },
    },
    subscriptions: { type: 'array', maxItems: 1000, items: { ...subscriptionBody, required: ['offering', 'start'] } },
    requests: { type: 'array', maxItems: 100_000, items: quoteRequest },
    worklogs: { type: 'array', maxItems: 100_000, items: { ...worklogBody, anyOf: [{ required: ['request'] }, { required: ['offering'] }] } },
    spend: { type: 'array', maxItems: 10_000, items: { ...spendBody, required: ['service', 'amount'] } },
  },
} as const;

// ---- path and query parameters

export const partnerParams = {
  type: 'object',
  required: ['partner'],
  properties: { partner: slug },
} as const;

export const withId = {
  type: 'object',
  required: ['partner', 'id'],
  properties: { partner: slug, id: slug },
} as const;

export const statementParams = {
  type: 'object',
  required: ['partner', 'customer', 'period'],
  properties: { partner: slug, customer: slug, period: periodId },
} as const;

export const batchParams = {
  type: 'object',
  required: ['partner', 'kind'],
  properties: { partner: slug, kind: { type: 'string', enum: ['requests', 'worklogs', 'spend'] } },
} as const;

export const termsParams = {
  type: 'object',
  required: ['partner', 'offering'],
  properties: { partner: slug, offering: slug },
} as const;

export const statementQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { format: { type: 'string', enum: ['json', 'html', 'md', 'csv'] }, locale },
} as const;

export const termsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { format: { type: 'string', enum: ['html', 'md'] }, locale, customer: slug, at: localDate },
} as const;

export const marginQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['period'],
  properties: { period: periodId },
} as const;

export const idempotencyHeaders = {
  type: 'object',
  properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 255 } },
} as const;

export const BODY_SCHEMAS = {
  requests: storedRequestBody,
  worklogs: worklogBody,
  spend: spendBody,
  customers: customerBody,
  subscriptions: subscriptionBody,
} as const;
