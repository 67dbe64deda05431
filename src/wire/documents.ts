// Wire shapes of the documents of record (§9.7): void and credit-note bodies,
// the documents routes' parameters and queries.
import { Type, type Static } from '@sinclair/typebox';
import { Locale, Money, OneOf, Period, Slug } from './primitives.js';
import { Paging, STATEMENT_FORMATS } from './params.js';
import { TEXT_PATTERN } from './patterns.js';

/** An issued document's number: CONTOSO-202610-0001, CONTOSO-CN-202612-0001. */
export const DOCUMENT_NUMBER_PATTERN = '^[A-Z0-9][A-Z0-9-]{0,80}-(CN-)?\\d{6}-\\d{4,}$';
const DocumentNumber = Type.String({ pattern: DOCUMENT_NUMBER_PATTERN, maxLength: 100, errorMessage: 'a document number such as CONTOSO-202610-0001' });
const Reason = Type.String({ minLength: 1, maxLength: 500, pattern: TEXT_PATTERN, errorMessage: 'a non-empty reason without control characters (at most 500 characters)' });

export const DocumentParams = Type.Object({ partner: Slug('a partner id (slug)'), number: DocumentNumber });
export const DocumentsQuery = Type.Object(
  {
    customer: Type.Optional(Slug('a customer id (slug)')),
    period: Type.Optional(Period),
    kind: Type.Optional(OneOf(['invoice', 'credit-note'] as const, 'invoice or credit-note')),
    ...Paging,
  },
  { additionalProperties: false },
);
export const DocumentQuery = Type.Object(
  { format: Type.Optional(OneOf(STATEMENT_FORMATS, 'json, html, md or csv')), locale: Type.Optional(Locale) },
  { additionalProperties: false },
);

export const VoidBody = Type.Object({ reason: Reason }, { additionalProperties: false });
export const CreditNoteBody = Type.Object(
  {
    reason: Reason,
    lines: Type.Optional(
      Type.Array(
        Type.Object(
          {
            line: Type.Integer({ minimum: 0, maximum: 100000, errorMessage: 'a 0-based index into the invoice\'s lines' }),
            amount: Type.Optional(Money),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 10000 },
      ),
    ),
  },
  { additionalProperties: false },
);

export type VoidBody = Static<typeof VoidBody>;
export type CreditNoteBody = Static<typeof CreditNoteBody>;
export type DocumentsQuery = Static<typeof DocumentsQuery>;

/** The status of a document as answered by GET /documents/:number/status. */
export const DocumentStatusSchema = Type.Object({
  number: Type.String(),
  kind: Type.String(),
  status: Type.String(),
  credited: Type.String(),
  replacedBy: Type.Optional(Type.String()),
});
