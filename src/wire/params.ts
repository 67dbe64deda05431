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
