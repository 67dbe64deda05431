// The primitive patterns of every wire shape, defined once: API bodies, quote
// documents, CLI request lines, import files and the plan schema all read
// them from here. Plain strings, regexes and lists only (no TypeBox), so the
// plan loader and the rules engine can use them without loading a schema
// library; TypeBox schemas built on them are in primitives.ts.

/** An id: 1–63 lowercase letters, digits or "-", starting with a letter or digit. */
export const SLUG_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}$';
export const SLUG = new RegExp(SLUG_PATTERN);
export const SLUG_HINT = 'an id: 1-63 lowercase letters, digits or "-", starting with a letter or digit';

/** A severity label: plan-defined (A, B, P1, sev-2 …), any short word. */
export const LABEL_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$';
export const LABEL = new RegExp(LABEL_PATTERN);

/** SPEC §3.1: the closed set of support categories. */
export const CATEGORIES = ['billing', 'subscription', 'technical'] as const;
export type Category = (typeof CATEGORIES)[number];

/** The locales documents are written in. */
export const LOCALES = ['en-US', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
/** Other tags accepted on the wire, and the locale each stands for. */
export const LOCALE_ALIASES: Readonly<Record<string, Locale>> = { en: 'en-US', zh: 'zh-CN', 'zh-Hans': 'zh-CN' };
/** Every locale tag a customer, a quote or a query may give. */
export const LOCALE_TAGS: readonly string[] = [...LOCALES, ...Object.keys(LOCALE_ALIASES)];
/** The locale a wire tag stands for (en → en-US; zh, zh-Hans → zh-CN), or undefined when it is not accepted. */
export const resolveLocale = (tag: string): Locale | undefined =>
  (LOCALES as readonly string[]).includes(tag) ? (tag as Locale) : LOCALE_ALIASES[tag];

/** A local date YYYY-MM-DD (a real day: the 'date' format checks the calendar). */
export const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
/** A billing period YYYY-MM. */
export const PERIOD_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])$';
/**
 * The syntax of an ISO 8601 instant with an offset or Z (no offset would leave
 * the time zone ambiguous); the 'instant' format (src/time parseInstant)
 * refuses what names no real time (2026-02-29, 24:00, 25:99).
 */
export const INSTANT_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$';
export const INSTANT_EXAMPLE = '2026-11-24T09:15:00-05:00';
/**
 * A percentage, the one rule for discounts, tax rates and every other share:
 * 0 % to 100 % with up to 4 decimals ("0%", "8.25%", "100%"). Over 100 % is
 * never meaningful here (a discount above the price, a tax above the amount).
 * The billing core and the plan compiler refuse the same (docs/api.md).
 */
export const PERCENT_PATTERN = '^(100(\\.0{1,4})?|\\d{1,2}(\\.\\d{1,4})?)%$';
/**
 * Free text (names): no control characters but tab and line feed (no NUL, CR,
 * DEL or C1) and no lone surrogate (Ajv matches by code point, so a proper
 * pair such as an emoji passes), so nothing invisible, terminal-breaking or
 * unencodable reaches documents, CSV or logs. The API refuses them in every string before parsing
 * (src/api/body-text.ts); this holds for imports too.
 */
export const TEXT_PATTERN = '^[^\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F\\uD800-\\uDFFF]*$';
/** Money is a decimal string: a JSON number would already have gone through a float. */
export const MONEY_PATTERN = '^\\d{1,15}(\\.\\d{1,6})?$';
export const SIGNED_MONEY_PATTERN = '^-?\\d{1,15}(\\.\\d{1,6})?$';
export const GUID_PATTERN = '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$';
/** A duration: "45m", "4h" or "1h30m". */
export const DURATION_PATTERN = '^([0-9]+h([0-9]+m)?|[0-9]+m)$';
/** An ISO 4217 currency code. */
export const CURRENCY_PATTERN = '^[A-Z]{3}$';
