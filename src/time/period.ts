// Periods, local dates and day counting. A period is a calendar month in the
// partner's timezone; usage belongs to it by the local date of its instant in
// that zone (SPEC §4), never the machine's zone. Dates are 'YYYY-MM-DD'
// strings, which compare correctly as strings.
import { DateTime } from 'luxon';
import { daysFromCivil, formatDay, parseInstant, zoneOffsets, type ZoneOffsets } from './instant.js';
import { Memo } from '../memo.js';

export interface Period {
  readonly id: string; // YYYY-MM
  readonly first: string; // YYYY-MM-01
  readonly last: string; // last local date of the month
  readonly days: number; // D
  readonly startMs: number; // local midnight of the first day, in the zone
  readonly endMs: number; // local midnight of the first day of the next month (exclusive)
  readonly zone: string;
}

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isPeriod(text: string): boolean {
  return PERIOD.test(text);
}

// What is a local date or an instant is src/time's answer, for billing as for everyone.
export { isInstant, isLocalDate } from './instant.js';

// A statement asks for its period once per customer: answers are kept
// (bounded: a cache, not a record).
const periods = new Memo<string, Period>(4096);

export function period(id: string, zone: string): Period {
  const key = zone + ' ' + id;
  return periods.get(key) ?? periods.set(key, Object.freeze(computePeriod(id, zone)));
}

function computePeriod(id: string, zone: string): Period {
  const m = PERIOD.exec(id);
  if (!m) throw new RangeError(`invalid period ${id} (expected YYYY-MM)`);
  const start = DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: 1 }, { zone });
  if (!start.isValid) throw new RangeError(`invalid timezone ${zone}`);
  const days = start.daysInMonth ?? 0;
  return {
    id,
    first: start.toISODate() ?? '',
    last: start.set({ day: days }).toISODate() ?? '',
    days,
    startMs: start.toMillis(),
    endMs: start.plus({ months: 1 }).toMillis(),
    zone,
  };
}

// Day numbers by formula (no Date per call: per-unit pricing counts every day
// of every subscription), wherever it agrees with Date.UTC, which reads years
// 0-99 as 1900-1999 and rolls months over; elsewhere Date as before.
const FAST_FIRST_DAY = daysFromCivil(100, 1, 1);
const FAST_LAST_DAY = daysFromCivil(9999, 12, 31);

/** Days since 1970-01-01 of a local date: only for counting days between dates. */
export function dayNumber(date: string): number {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  if (y >= 100 && m >= 1 && m <= 12 && Number.isInteger(y) && Number.isInteger(m) && Number.isInteger(d)) return daysFromCivil(y, m, d);
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

export function addDays(date: string, n: number): string {
  const day = dayNumber(date) + n;
  if (Number.isInteger(day) && day >= FAST_FIRST_DAY && day <= FAST_LAST_DAY) return dayText(day);
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** An ISO 8601 instant (with offset or Z) as epoch milliseconds; NaN when invalid. */
export function instantMs(instant: string): number {
  // Every entry (API, import, quotes) admits only parseInstant's form
  // (isInstant); other ISO forms luxon reads (basic format, week dates...)
  // reach here only from direct callers of priceStatement, and keep luxon's answer.
  const fast = parseInstant(instant);
  if (!Number.isNaN(fast)) return fast;
  const dt = DateTime.fromISO(instant, { setZone: true });
  return dt.isValid ? dt.toMillis() : Number.NaN;
}


/** Instants whose local date has four year digits in any zone (luxon writes other years with a sign). */
const FAST_MIN_MS = daysFromCivil(1, 1, 2) * 86_400_000;
const FAST_MAX_MS = daysFromCivil(9999, 12, 30) * 86_400_000;

// Offset tables per zone name; null for names Intl rejects (luxon's own answer stands for those).
const tables = new Memo<string, ZoneOffsets | null>(1024);
let lastZone = '';
let lastTable: ZoneOffsets | null = null;
function offsetsOf(zone: string): ZoneOffsets | null {
  if (zone === lastZone) return lastTable; // a statement asks for one zone many times
  let z = tables.get(zone);
  if (z === undefined) {
    try {
      z = zoneOffsets(zone);
    } catch {
      z = null;
    }
    tables.set(zone, z);
  }
  lastZone = zone;
  lastTable = z;
  return z;
}

// A period's records fall on a few dozen days: their texts are kept (bounded).
const dayTexts = new Memo<number, string>(4096);
function dayText(day: number): string {
  return dayTexts.get(day) ?? dayTexts.set(day, formatDay(day));
}

/** The local date of an instant in `zone`. */
export function localDate(instant: string | number, zone: string): string {
  // The zone's cached offset table answers per record; luxon (an Intl call per
  // DateTime) only for what the table cannot: unparsed text, far years, bad zones.
  const ms = typeof instant === 'number' ? instant : parseInstant(instant);
  const z = ms >= FAST_MIN_MS && ms <= FAST_MAX_MS ? offsetsOf(zone) : null;
  if (z !== null) return dayText(z.localDay(ms));
  const dt = typeof instant === 'number' ? DateTime.fromMillis(instant, { zone }) : DateTime.fromISO(instant, { setZone: true }).setZone(zone);
  return dt.toISODate() ?? '';
}

/** An inclusive range of local dates. */
export interface DateRange {
  readonly from: string;
  readonly to: string;
}

/** The intersection of inclusive ranges (open ends as undefined/null), or null when empty. */
export function intersect(base: DateRange, ...bounds: Array<{ from?: string | null; to?: string | null }>): DateRange | null {
  let { from, to } = base;
  for (const b of bounds) {
    if (b.from && b.from > from) from = b.from;
    if (b.to && b.to < to) to = b.to;
  }
  return from <= to ? { from, to } : null;
}

export const rangeDays = (r: DateRange | null): number => (r ? dayNumber(r.to) - dayNumber(r.from) + 1 : 0);

export const inRange = (date: string, r: { from?: string | null; to?: string | null }): boolean =>
  (!r.from || date >= r.from) && (!r.to || date <= r.to);

/** Each local date of an inclusive range, in order. */
export function* eachDate(r: DateRange): Generator<string> {
  const n = rangeDays(r);
  for (let i = 0; i < n; i++) yield addDays(r.from, i);
}
