// Locale resolution and message lookup for the customer documents.
import type { LocaleText } from '../plans/types.js';
import { Memo } from '../memo.js';
import { enUS, type MessageKey } from './locales/en-US.js';
import { zhCN } from './locales/zh-CN.js';

export type { MessageKey };
export const SUPPORTED_LOCALES = ['en-US', 'zh-CN'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

export const catalogs: Readonly<Record<SupportedLocale, Readonly<Record<MessageKey, string>>>> = {
  'en-US': enUS,
  'zh-CN': zhCN,
};

/** Maps any locale tag onto a supported one: zh, zh-Hans, zh-CN → zh-CN; everything else → en-US. */
export function supportedLocale(tag: string | undefined | null): SupportedLocale | null {
  if (!tag) return null;
  const lower = tag.toLowerCase();
  if (lower === 'zh' || lower.startsWith('zh-')) {
    // Traditional Chinese is not Simplified Chinese: fall back to English rather than mislabel it.
    if (/^zh-(hant|tw|hk|mo)\b/.test(lower)) return 'en-US';
    return 'zh-CN';
  }
  return 'en-US';
}

/** §5: explicit, else the customer's, else the partner's; unsupported tags fall back to en-US. */
export function resolveLocale(explicit?: string | null, customer?: string | null, partner?: string | null): SupportedLocale {
  return supportedLocale(explicit) ?? supportedLocale(customer) ?? supportedLocale(partner) ?? 'en-US';
}

export type Params = Readonly<Record<string, string | number>>;

/** A message template split at its placeholders: literal, name, literal, name, …, literal. */
type Compiled = readonly string[];
const compiled = new Memo<string, Compiled>(4096);

function compile(template: string): Compiled {
  return compiled.get(template) ?? compiled.set(template, template.split(/\{(\w+)\}/));
}

export function message(locale: SupportedLocale, key: MessageKey, params?: Params): string {
  const template = catalogs[locale][key] ?? enUS[key];
  if (template === undefined) throw new Error(`no message ${key}`);
  if (!params) return template;
  // Placeholders filled in one pass (compiled once per template), so a value
  // that itself contains "{x}" is never re-expanded; unknown ones stay as written.
  const parts = compile(template);
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    out += (name in params ? String(params[name]) : `{${name}}`) + parts[i + 1]!;
  }
  return out;
}

/** Picks a display text: the exact locale, else the same language, else en-US, else any. */
export function pickText(text: LocaleText | string | undefined | null, locale: string): string {
  if (text == null) return '';
  if (typeof text === 'string') return text;
  if (text[locale] !== undefined) return text[locale];
  const lang = locale.split('-')[0] + '-';
  for (const [k, v] of Object.entries(text)) if (k === locale.split('-')[0] || k.startsWith(lang)) return v;
  if (text['en-US'] !== undefined) return text['en-US'];
  const first = Object.values(text)[0];
  return first ?? '';
}
