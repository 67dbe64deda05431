// Display text (SPEC §1): a string or a locale map; 'en-US' is the fallback.
import type { LocaleText } from './types.js';

export const FALLBACK_LOCALE = 'en-US';

/** The text for `locale`, else its language (zh-CN -> zh), else en-US, else any. */
export function text(t: LocaleText, locale: string): string {
  if (Object.hasOwn(t, locale)) return t[locale];
  const lang = locale.split('-')[0];
  for (const k of Object.keys(t)) if (k.split('-')[0] === lang) return t[k];
  if (Object.hasOwn(t, FALLBACK_LOCALE)) return t[FALLBACK_LOCALE];
  const first = Object.keys(t)[0];
  return first === undefined ? '' : t[first];
}

/**
 * Compiles a plan's display text. A plain string serves every locale; a map
 * without 'en-US' gets it from the partner's locale (else its first entry), so
 * the fallback always exists.
 */
export function toLocaleText(value: string | Readonly<Record<string, string>>, partnerLocale: string): LocaleText {
  if (typeof value === 'string') return Object.freeze({ [FALLBACK_LOCALE]: value });
  const entries = Object.entries(value);
  if (!Object.hasOwn(value, FALLBACK_LOCALE)) {
    const fallback = Object.hasOwn(value, partnerLocale) ? value[partnerLocale] : (entries[0]?.[1] ?? '');
    entries.unshift([FALLBACK_LOCALE, fallback]);
  }
  return Object.freeze(Object.fromEntries(entries));
}
