// Path parameters, query strings and headers of the API routes, and the
// decision as answered (for fast serialization).
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { LocalDate, Locale, OneOf, Period, Slug } from './primitives.js';

export const PartnerParams = Type.Object({ partner: Slug('a partner id (slug)') });
export const WithId = Type.Object({ partner: Slug('a partner id (slug)'), id: Slug() });
export const StatementParams = Type.Object({ partner: Slug('a partner id (slug)'), customer: Slug('a customer id (slug)'), period: Period });
export const BatchParams = Type.Object({ partner: Slug('a partner id (slug)'), kind: OneOf(['requests', 'worklogs', 'spend', 'purchases'] as const, 'requests, worklogs, spend or purchases') });
export const TermsParams = Type.Object({ partner: Slug('a partner id (slug)'), offering: Slug('an offering id (slug)') });

export const STATEMENT_FORMATS = ['json', 'html', 'md', 'csv'] as const;
export const TERMS_FORMATS = ['html', 'md'] as const;
export const StatementQuery = Type.Object(
  { format: Type.Optional(OneOf(STATEMENT_FORMATS, 'json, html, md or csv')), locale: Type.Optional(Locale) },
  { additionalProperties: false },
);
/** POST …/finalize: `force=true` issues despite SPEND_MISSING (§9.4). */
export const FinalizeQuery = Type.Object({ force: Type.Optional(OneOf(['true', 'false'] as const, 'true or false')) }, { additionalProperties: false });
export const TermsQuery = Type.Object(
  { format: Type.Optional(OneOf(TERMS_FORMATS, 'html or md')), locale: Type.Optional(Locale), customer: Type.Optional(Slug('a customer id (slug)')), at: Type.Optional(LocalDate) },
  { additionalProperties: false },
);
export const MarginQuery = Type.Object({ period: Period }, { additionalProperties: false });

export const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255 })) });

export type StatementParams = Static<typeof StatementParams>;

// type arrays, not anyOf: fast-json-stringify serializes them without trying each branch
const NullableString = Type.Unsafe<string | null>({ type: ['string', 'null'] });
const ReadonlyArray = <T extends TSchema>(items: T) => Type.Unsafe<readonly Static<T>[]>(Type.Array(items));
const NullableBoolean = Type.Unsafe<boolean | null>({ type: ['boolean', 'null'] });
/**
 * A decision (SPEC §3.4) as answered: the response schema lets Fastify
 * serialize it with fast-json-stringify. Properties in the order evaluate()
 * builds them, so the bytes are those JSON.stringify would write.
 */
export const DecisionSchema = Type.Object({
  accepted: Type.Boolean(),
  reasons: ReadonlyArray(Type.Object({ code: Type.String(), message: Type.String() })),
  offering: NullableString,
  handledBy: NullableString,
  escalation: NullableString,
  withinHours: NullableBoolean,
  responseTarget: NullableString,
  responseDueAt: NullableString,
  billable: NullableBoolean,
  rules: ReadonlyArray(Type.String()),
  notes: ReadonlyArray(Type.String()),
});

/** The answer of POST /batch/:kind: counts, the ids in order, and what happened to each record (a request's decision in short). */
export const BatchAnswer = Type.Object({
  kind: Type.String(),
  records: Type.Integer(),
  created: Type.Integer(),
  replayed: Type.Integer(),
  ids: ReadonlyArray(Type.String()),
  results: ReadonlyArray(
    Type.Object({
      id: Type.String(),
      created: Type.Boolean({ description: 'false: the same record was already stored (replayed)' }),
      accepted: Type.Optional(Type.Boolean({ description: 'requests: whether the request was accepted' })),
      reasons: Type.Optional(ReadonlyArray(Type.String({ description: 'requests: the reason codes of a refusal' }))),
    }),
  ),
});

// ---- admin lists and the audit log (issue 22): `?limit=&cursor=` pages
/** 1 to 200 items a page (default 50). */
export const LIST_LIMIT = { default: 50, max: 200 } as const;
const Limit = Type.String({ pattern: '^[0-9]{1,3}$', errorMessage: `a whole number of items from 1 to ${LIST_LIMIT.max}` });
/** The opaque cursor a page's `nextCursor` gave. */
const Cursor = Type.String({ minLength: 1, maxLength: 400, pattern: '^[A-Za-z0-9_-]+$', errorMessage: 'the nextCursor of an earlier page, unchanged' });
export const Paging = { limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) };
const CustomerFilter = Type.Optional(Slug('a customer id (slug)'));
/** A local date (the day's start in the partner's timezone) or an instant with offset. */
const DateOrInstant = Type.String({ minLength: 10, maxLength: 40, errorMessage: 'a local date YYYY-MM-DD or an instant with offset such as 2026-10-14T10:00:00-04:00' });
const closedQuery = { additionalProperties: false } as const;
export const CustomerListQuery = Type.Object({ ...Paging, q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, errorMessage: 'a part of a customer name, or a customer id' })) }, closedQuery);
export const SubscriptionListQuery = Type.Object(
  { ...Paging, customer: CustomerFilter, offering: Type.Optional(Slug('an offering id (slug)')), activeOn: Type.Optional(LocalDate) },
  closedQuery,
);
export const REQUEST_STATES = ['accepted', 'rejected', 'unresponded', 'responded'] as const;
export const RequestListQuery = Type.Object(
  { ...Paging, customer: CustomerFilter, from: Type.Optional(DateOrInstant), to: Type.Optional(DateOrInstant), state: Type.Optional(OneOf(REQUEST_STATES, 'accepted, rejected, unresponded or responded')) },
  closedQuery,
);
export const PeriodListQuery = Type.Object({ ...Paging, customer: CustomerFilter, period: Type.Optional(Period) }, closedQuery);
export const AUDIT_ENTITIES = ['customer', 'subscription', 'request', 'worklog', 'spend'] as const;
export const AuditQuery = Type.Object(
  {
    ...Paging,
    entity: Type.Optional(OneOf(AUDIT_ENTITIES, 'customer, subscription, request, worklog or spend')),
    id: Type.Optional(Slug('a record id (slug)')),
    from: Type.Optional(DateOrInstant),
    to: Type.Optional(DateOrInstant),
  },
  closedQuery,
);
export type CustomerListQuery = Static<typeof CustomerListQuery>;
export type SubscriptionListQuery = Static<typeof SubscriptionListQuery>;
export type RequestListQuery = Static<typeof RequestListQuery>;
export type PeriodListQuery = Static<typeof PeriodListQuery>;
export type AuditQuery = Static<typeof AuditQuery>;
