// Naive references for working-time properties (test/calendar/working.test.ts,
// test/rules/sla-properties.test.ts): random calendars with holidays and dated
// overrides near DST changes, random pause spans, and minute stepping.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { CalendarSpec, Window } from '../../src/calendar/types.js';
import type { PausedSpan } from '../../src/calendar/working.js';

export const MINUTE = 60_000;
export const DAY = 1440 * MINUTE;

export const ZONES: Record<string, string> = {
  'America/New_York': '2026-11-01T06:00:00Z',
  'Europe/Berlin': '2026-03-29T01:00:00Z',
  'Australia/Lord_Howe': '2026-10-03T15:30:00Z',
  'Asia/Shanghai': '2026-10-01T00:00:00Z',
};

const dayWindows: fc.Arbitrary<Window[]> = fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 6 }).map((qs) => {
  const b = [...qs].sort((x, y) => x - y).map((q) => q * 15);
  const out: Window[] = [];
  for (let i = 0; i + 1 < b.length; i += 2) out.push({ start: b[i], end: b[i + 1] });
  return out;
});

const localDate = (zone: string, base: string, days: number): string => DateTime.fromMillis(Date.parse(base) + days * DAY, { zone }).toISODate()!;

/** Weekly hours, holidays and overrides on distinct dates within a week of the zone's DST change. */
export const specWithOverrides: fc.Arbitrary<CalendarSpec> = fc
  .record({
    timezone: fc.constantFrom(...Object.keys(ZONES)),
    weekly: fc.array(dayWindows, { minLength: 7, maxLength: 7 }),
    dated: fc.uniqueArray(fc.integer({ min: -3, max: 6 }), { maxLength: 5 }),
    overrideWindows: fc.array(dayWindows, { minLength: 5, maxLength: 5 }),
    holidayCount: fc.integer({ min: 0, max: 2 }),
  })
  .filter((r) => r.weekly.some((d) => d.length > 0))
  .map((r) => {
    const dates = [...new Set(r.dated.map((d) => localDate(r.timezone, ZONES[r.timezone], d)))];
    const holidays = dates.slice(0, r.holidayCount);
    const overrides = Object.fromEntries(dates.slice(r.holidayCount).map((d, i) => [d, r.overrideWindows[i]]));
    return { id: 'prop', timezone: r.timezone, weekly: r.weekly, holidays, overrides, alwaysOpen: false };
  });

const wallClocks = new Map<string, Intl.DateTimeFormat>();
function wallClock(timezone: string, at: number): { date: string; weekday: number; minute: number } {
  let f = wallClocks.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    wallClocks.set(timezone, f);
  }
  const [, wd, mm, dd, yyyy, hh, mi] = /^(\w+), (\d+)\/(\d+)\/(\d+), (\d+):(\d+)$/.exec(f.format(at))!;
  return { date: `${yyyy}-${mm}-${dd}`, weekday: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(wd), minute: +hh * 60 + +mi };
}

/** Naive: the local wall clock of the minute, straight from Intl, against the spec. */
export function refOpen(spec: CalendarSpec, at: number): boolean {
  const local = wallClock(spec.timezone, at);
  if (spec.holidays.includes(local.date)) return false;
  const windows = spec.overrides?.[local.date] ?? spec.weekly[local.weekday];
  return windows.some((w) => w.start <= local.minute && local.minute < w.end);
}

/** Naive: step minute by minute, counting open minutes outside the pauses; null inside a pause that never ends. */
export function refAddSkipping(spec: CalendarSpec, at: number, minutes: number, pauses: readonly PausedSpan[], limit = 3 * 1440): number | null {
  let t = at;
  for (let left = minutes; left > 0; t += MINUTE) {
    if (t - at >= limit * MINUTE) return Infinity;
    const pause = pauses.find((p) => p.from <= t && t < p.to);
    if (pause && pause.to === Infinity) return null;
    if (!pause && refOpen(spec, t)) left--;
  }
  return t;
}

/** Up to 6 minute-aligned spans within two days after `at`, the last possibly never ending. */
export const pausesArb = (at: number): fc.Arbitrary<PausedSpan[]> =>
  fc
    .record({
      cuts: fc.uniqueArray(fc.integer({ min: 0, max: 2 * 1440 }), { maxLength: 12 }),
      open: fc.boolean(),
    })
    .map(({ cuts, open }) => {
      const b = [...cuts].sort((x, y) => x - y).map((m) => at + m * MINUTE);
      const spans: PausedSpan[] = [];
      for (let i = 0; i + 1 < b.length; i += 2) spans.push({ from: b[i], to: b[i + 1] });
      if (open && b.length % 2 === 1) spans.push({ from: b[b.length - 1], to: Infinity });
      return spans;
    });

