// The API's schemas are the wire shapes (src/wire, TypeBox): routes import
// them from there. These names are kept for modules not yet moved over.
export { SLUG_PATTERN } from '../wire/patterns.js';
export { Instant as instant, LocalDate as localDate, Money as money, Percent as percent, Period as periodId, Slug } from '../wire/primitives.js';
export {
  BODY_SCHEMAS,
  CustomerBody as customerBody,
  CustomerUpdateBody as customerUpdateBody,
  QuantityBody as quantityBody,
  RequestBody as requestBody,
  ResponseBody as responseBody,
  SpendBody as spendBody,
  StoredRequestBody as storedRequestBody,
  SubscriptionBody as subscriptionBody,
  WorklogBody as worklogBody,
} from '../wire/records.js';
export { QuoteDocument as quoteBody } from '../wire/quote.js';
export {
  BatchParams as batchParams,
  DecisionSchema as decisionSchema,
  IdempotencyHeaders as idempotencyHeaders,
  MarginQuery as marginQuery,
  PartnerParams as partnerParams,
  StatementParams as statementParams,
  StatementQuery as statementQuery,
  TermsParams as termsParams,
  TermsQuery as termsQuery,
  WithId as withId,
} from '../wire/params.js';
