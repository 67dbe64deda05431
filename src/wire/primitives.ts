// TypeBox schemas of the wire primitives (patterns.ts), the building blocks of
// every shape in src/wire. `errorMessage` is the human hint of a value that
// does not fit (an annotation: Ajv runs with strict off or the keyword
// declared), shown by the quote and request messages and by editors.
import { Type, type TSchema } from '@sinclair/typebox';
import {
  CATEGORIES,
  type Category as CategoryName,
  DATE_PATTERN,
  DURATION_PATTERN,
  GUID_PATTERN,
  INSTANT_EXAMPLE,
  INSTANT_PATTERN,
  LABEL_PATTERN,
  LOCALE_TAGS,
  MONEY_PATTERN,
  PERCENT_PATTERN,
  TEXT_PATTERN,
  PERIOD_PATTERN,
  SIGNED_MONEY_PATTERN,
  SLUG_HINT,
  SLUG_PATTERN,
} from './patterns.js';

export const Slug = (hint: string = SLUG_HINT) => Type.String({ pattern: SLUG_PATTERN, maxLength: 63, errorMessage: hint });
export const Label = Type.String({ pattern: LABEL_PATTERN, errorMessage: 'a severity label such as "B"' });
/** A closed set of strings as one `enum` (one Ajv error naming the allowed values, not one per literal). */
const OneOf = <T extends string>(values: readonly T[], errorMessage: string) => Type.Unsafe<T>({ type: 'string', enum: [...values], errorMessage });
export const Category = OneOf<CategoryName>(CATEGORIES, `one of ${CATEGORIES.join(', ')}`);
/** en-US, zh-CN, and the aliases en, zh, zh-Hans (patterns.ts resolveLocale). */
export const Locale = OneOf(LOCALE_TAGS, 'a locale: en-US or zh-CN (en, zh and zh-Hans are accepted)');
export { OneOf };
export const LocalDate = Type.String({ pattern: DATE_PATTERN, format: 'date', errorMessage: 'a local date YYYY-MM-DD' });
export const Period = Type.String({ pattern: PERIOD_PATTERN, errorMessage: 'a period YYYY-MM' });
/** Syntax by pattern, a real time by the 'instant' format (validate.ts: src/time parseInstant). */
export const Instant = Type.String({ maxLength: 40, pattern: INSTANT_PATTERN, format: 'instant', errorMessage: `an ISO 8601 instant with offset such as "${INSTANT_EXAMPLE}"` });
/** A person's or company's name: free text without control characters (TEXT_PATTERN). */
export const Name = Type.String({ minLength: 1, maxLength: 200, pattern: TEXT_PATTERN, errorMessage: 'a non-empty name without control characters' });
export const Percent = Type.String({ pattern: PERCENT_PATTERN, errorMessage: 'a percentage from 0% to 100% such as "8.25%"' });
export const Money = Type.String({ pattern: MONEY_PATTERN, errorMessage: 'a decimal such as "12.50"' });
/** Spend may be negative: Azure credits and refunds (SPEC §12; one rule for POST /spend, imports and quotes). */
export const SignedMoney = Type.String({ pattern: SIGNED_MONEY_PATTERN, errorMessage: 'a decimal such as "12.50" or "-3.10"' });
/** A Microsoft Entra tenant ID: a GUID, either case (stored lower case). */
export const TenantId = Type.String({ maxLength: 36, pattern: GUID_PATTERN, errorMessage: 'a tenant ID (GUID) such as "196e2273-9651-43a3-ba7e-7cbcd918fc40"' });
export const Duration = Type.String({ pattern: DURATION_PATTERN, errorMessage: 'a duration such as "45m", "4h" or "1h30m"' });

/** A value that may also be null (read as absent). */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
