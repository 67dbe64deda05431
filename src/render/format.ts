// Locale-aware formatting of money, numbers, dates, durations and schedules.
// Money is formatted from its decimal string: Intl.NumberFormat formats a
// numeric *string* exactly (ES2023), and we never ask it for fewer digits than
// the string has, so nothing is rounded and no float is involved.
// Every Intl formatter is built once per process and options (building one
// costs far more than using it), and instants are placed in their zone with
// the rules engine's cached offset tables rather than a luxon DateTime each.
import { DateTime } from 'luxon';
import { parseInstant, zoneOffsets } from '../time/instant.js';
import { Memo } from '../memo.js';
import { currencyDigits } from '../currency.js';
import { isPlainDecimal, scaleOf } from '../decimal.js';
import type { Calendar, Window } from '../calendar/types.js';
import type { Dec, LocaleText } from '../plans/types.js';
import { message, pickText, type MessageKey, type Params, type SupportedLocale } from './i18n.js';

const nfCache = new Memo<string, Intl.NumberFormat>(1024);

/** The number format of `locale` and options; `key` must name the options (callers build it without JSON). */
function numberFormatKeyed(key: string, locale: string, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  return nfCache.get(key) ?? nfCache.set(key, new Intl.NumberFormat(locale, opts));
}

/** A percentage with up to one decimal ("66.7%"), from a ratio. */
export function percentFormat(locale: string): Intl.NumberFormat {
  return numberFormatKeyed(locale + '|percent1', locale, { style: 'percent', maximumFractionDigits: 1 });
}

// Instants as statements show them: short month, day, year, 24-hour time.
const INSTANT_OPTIONS: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
const instantFormats = new Memo<string, Intl.DateTimeFormat>(64);

/**
 * The format of instants in `locale`, applied to local wall time shifted to
 * UTC: the same fields a format in the instant's own zone would print (no
 * zone name is printed), without Intl resolving the zone per instant.
 */
function instantFormat(locale: string): Intl.DateTimeFormat {
  return instantFormats.get(locale) ?? instantFormats.set(locale, new Intl.DateTimeFormat(locale, { ...INSTANT_OPTIONS, timeZone: 'UTC' }));
}

/** Texts that depend only on their key (dates, months, weekdays of a locale; also small integers). */
const dateTexts = new Memo<string, string>(10_000);
const pluralRules = new Memo<string, Intl.PluralRules>(64);
const listFormats = new Memo<string, Intl.ListFormat>(64);

function checkDecimal(decimal: string): string {
  const s = decimal.trim();
  if (!isPlainDecimal(s)) throw new TypeError(`not a decimal amount: ${JSON.stringify(decimal)}`);
  return s;
}

/** Monday-first weekday index (0 = Monday) of 2024-01-01 + i: a fixed Monday. */
const MONDAY = DateTime.fromISO('2024-01-01', { zone: 'UTC' });

export class Formatter {
  constructor(readonly locale: SupportedLocale) {}

  t(key: MessageKey, params?: Params): string {
    return message(this.locale, key, params);
  }

  text(text: LocaleText | string | undefined | null): string {
    return pickText(text, this.locale);
  }

  /** "USD 95.00" (code) or "$95.00" (symbol); at least the currency's digits, more when the amount has them. */
  money(amount: string | Dec, currency: string, display: 'code' | 'symbol' = 'code'): string {
    const s = checkDecimal(typeof amount === 'string' ? amount : amount.text);
    const digits = Math.max(currencyDigits(currency), scaleOf(s));
    const nf = numberFormatKeyed(`${this.locale}|${currency}|${display}|${digits}`, this.locale, {
      style: 'currency',
      currency,
      currencyDisplay: display,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    return nf.format(s as unknown as number); // a string: formatted exactly
  }

  /** A plain decimal (quantities, hours) with the locale's separators, exactly. */
  number(decimal: string | number): string {
    // small counts (chart ticks and cells, days, service levels) repeat: memoized per locale
    if (typeof decimal === 'number' && Number.isInteger(decimal) && decimal >= 0 && decimal < 1000) {
      return dateTexts.of(`n|${this.locale}|${decimal}`, () => this.formatDecimal(String(decimal)));
    }
    return this.formatDecimal(String(decimal));
  }

  private formatDecimal(text: string): string {
    const s = checkDecimal(text);
    const digits = scaleOf(s);
    return numberFormatKeyed(`${this.locale}|${digits}`, this.locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
      s as unknown as number,
    );
  }

  /** A local date YYYY-MM-DD in words ("November 26, 2026" / "2026年11月26日"). */
  date(local: string, withWeekday = false): string {
    return dateTexts.of(`d|${this.locale}|${withWeekday ? 'w' : ''}|${local}`, () => {
      const d = DateTime.fromISO(local, { zone: 'UTC' });
      if (!d.isValid) return local;
      return d.setLocale(this.locale).toLocaleString(withWeekday ? DateTime.DATE_HUGE : DateTime.DATE_FULL);
    });
  }

  /** An instant shown in an explicit zone (never the machine's). */
  instant(iso: string, zone: string): string {
    const ms = parseInstant(iso);
    if (!Number.isNaN(ms)) return instantFormat(this.locale).format(ms + zoneOffsets(zone).offsetAt(ms));
    // not an offset instant parseInstant reads: luxon's reading of it, as before
    const d = DateTime.fromISO(iso, { setZone: true });
    if (!d.isValid) return iso;
    return d.setZone(zone).setLocale(this.locale).toLocaleString(INSTANT_OPTIONS);
  }

  /** "October 2026" / "2026年10月". */
  month(period: string): string {
    return dateTexts.of(`m|${this.locale}|${period}`, () => {
      const d = DateTime.fromISO(`${period}-01`, { zone: 'UTC' });
      if (!d.isValid) return period;
      return d.setLocale(this.locale).toLocaleString({ year: 'numeric', month: 'long' });
    });
  }

  /** "1 hour 30 minutes" / "1小时30分钟". */
  duration(minutes: number): string {
    if (!(minutes > 0)) return this.t('duration.zero');
    const h = Math.floor(minutes / 60);
    const m = Math.round(minutes - h * 60);
    const plural = pluralRules.get(this.locale) ?? pluralRules.set(this.locale, new Intl.PluralRules(this.locale));
    const parts: string[] = [];
    if (h > 0) parts.push(this.t(plural.select(h) === 'one' ? 'duration.hours.one' : 'duration.hours.other', { n: this.number(h) }));
    if (m > 0) parts.push(this.t(plural.select(m) === 'one' ? 'duration.minutes.one' : 'duration.minutes.other', { n: this.number(m) }));
    return parts.join(this.t('duration.join'));
  }

  list(items: readonly string[]): string {
    const lf = listFormats.get(this.locale) ?? listFormats.set(this.locale, new Intl.ListFormat(this.locale, { style: 'long', type: 'conjunction' }));
    return lf.format(items);
  }

  weekday(index: number): string {
    return dateTexts.of(`w|${this.locale}|${index}`, () => MONDAY.plus({ days: index }).setLocale(this.locale).toLocaleString({ weekday: 'long' }));
  }

  /**
   * Weekly windows in words, consecutive days with the same windows grouped:
   * "Monday to Friday 08:00–18:00, Saturday 09:00–13:00 (America/New_York)".
   */
  schedule(cal: Pick<Calendar, 'alwaysOpen' | 'weekly' | 'timezone'>, withZone = true): string {
    if (cal.alwaysOpen) return this.t('schedule.always');
    const key = (ws: readonly Window[]) => ws.map((w) => `${w.start}-${w.end}`).join(',');
    const groups: Array<{ from: number; to: number; windows: readonly Window[] }> = [];
    for (let d = 0; d < 7; d++) {
      const ws = cal.weekly[d] ?? [];
      if (ws.length === 0) continue;
      const last = groups[groups.length - 1];
      if (last && last.to === d - 1 && key(last.windows) === key(ws)) last.to = d;
      else groups.push({ from: d, to: d, windows: ws });
    }
    if (groups.length === 0) return this.t('schedule.closed');
    const text = groups
      .map((g) => {
        const days =
          g.from === g.to
            ? this.weekday(g.from)
            : g.to === g.from + 1
              ? this.t('schedule.pair', { a: this.weekday(g.from), b: this.weekday(g.to) })
              : this.t('schedule.range', { from: this.weekday(g.from), to: this.weekday(g.to) });
        const windows = g.windows
          .map((w) => (w.start === 0 && w.end === 1440 ? this.t('schedule.allDay') : `${hhmm(w.start)}–${hhmm(w.end)}`))
          .join(this.t('schedule.windowJoin'));
        return this.t('schedule.day', { days, windows });
      })
      .join(this.t('schedule.groupJoin'));
    return withZone ? this.t('schedule.zone', { schedule: text, timezone: cal.timezone }) : text;
  }
}

export function hhmm(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}
