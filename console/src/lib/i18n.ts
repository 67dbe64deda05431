// Texts and formats of the console: two locales, strings registered by each
// module (addStrings), money and dates through Intl in the partner's time
// zone (never the machine's). Amounts arrive as decimal text and are only
// formatted here, never computed with.
export type Locale = 'en-US' | 'zh-CN';
export type Strings = Record<string, string>;
export const LOCALES: readonly Locale[] = ['en-US', 'zh-CN'];

const catalogs: Record<Locale, Strings> = { 'en-US': {}, 'zh-CN': {} };
const state = { locale: 'en-US' as Locale, zone: 'UTC' };

export const isLocale = (s: unknown): s is Locale => s === 'en-US' || s === 'zh-CN';

export function addStrings(s: { 'en-US': Strings; 'zh-CN': Strings }): void {
  Object.assign(catalogs['en-US'], s['en-US']);
  Object.assign(catalogs['zh-CN'], s['zh-CN']);
}

/** The locale and zone every t/fmt call uses from now on (the shell sets them at sign-in and on a switch). */
export function setFormat(locale: Locale, zone: string): void {
  state.locale = locale;
  state.zone = zone;
}
export const currentLocale = (): Locale => state.locale;
export const currentZone = (): string => state.zone;

/** The text of `key` in the current locale (else en-US, else the key itself), `{name}` placeholders filled. */
export function t(key: string, vars?: Record<string, string | number>): string {
  const text = catalogs[state.locale][key] ?? catalogs['en-US'][key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
}

/** A text of the plan (a name by locale): the current locale's, else the first given. */
export function localText(text: Readonly<Record<string, string>> | string | null | undefined, fallback = ''): string {
  if (text == null) return fallback;
  if (typeof text === 'string') return text;
  return text[state.locale] ?? text['en-US'] ?? Object.values(text)[0] ?? fallback;
}

const DECIMAL = /^-?\d+(?:\.(\d+))?$/;

/** "1234.50" USD → "$1,234.50" (en-US) or "US$1,234.50" (zh-CN); as many decimals as the text has. Text that is not a decimal is returned as it is. */
export function fmtMoney(amount: string, currency: string): string {
  const m = DECIMAL.exec(amount);
  if (!m) return amount; // not an amount (a rate such as "8%"): as written
  const digits = m[1]?.length ?? 0;
  const f = new Intl.NumberFormat(state.locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
  // Intl formats the decimal string itself (exact, no float in between)
  return f.format(amount as unknown as number);
}

/** A decimal text (a quantity, hours) in the locale's digits. */
export function fmtNumber(value: string | number): string {
  const text = String(value);
  const m = DECIMAL.exec(text);
  if (!m) return text;
  const digits = m[1]?.length ?? 0;
  return new Intl.NumberFormat(state.locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(text as unknown as number);
}

/** A calendar date "2026-11-03" (no zone: it is a local date). */
export function fmtDate(localDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate);
  if (!m) return localDate;
  return new Intl.DateTimeFormat(state.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
}

/** A month "2026-11". */
export function fmtMonth(period: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (!m) return period;
  return new Intl.DateTimeFormat(state.locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(Date.UTC(+m[1]!, +m[2]! - 1, 1));
}

/** An instant, shown in the partner's zone with the zone's name. */
export function fmtDateTime(instant: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return instant;
  // (dateStyle cannot be combined with timeZoneName: the fields one by one)
  return new Intl.DateTimeFormat(state.locale, { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: state.zone, timeZoneName: 'short' }).format(ms);
}

/** The wall-clock fields of an instant in a zone. */
function wall(ms: number, zone: string): { y: number; mo: number; d: number; h: number; mi: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(ms);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute') };
}
const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');

/** "2026-11-03T10:00" (a datetime-local value) read in `zone` → "2026-11-03T10:00:00-05:00". */
export function zonedInstant(local: string, zone: string = state.zone): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
  // the zone's offset at that wall time: two rounds settle it (also across a change of offset)
  let offset = 0;
  for (let i = 0; i < 2; i++) {
    const w = wall(asUtc - offset * 60_000, zone);
    offset = (Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi) - (asUtc - offset * 60_000)) / 60_000;
  }
  const sign = offset < 0 ? '-' : '+';
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

/** Now as a datetime-local value in `zone` ("2026-11-03T10:00"), and today's date and month there. */
export function zonedNow(now: number, zone: string = state.zone): { local: string; date: string; period: string } {
  const w = wall(now, zone);
  const date = `${w.y}-${pad(w.mo)}-${pad(w.d)}`;
  return { local: `${date}T${pad(w.h)}:${pad(w.mi)}`, date, period: date.slice(0, 7) };
}
