// Calendars of a plan: hours and holidays checked and turned into
// CalendarSpecs, plus the "is this calendar narrower than that one" question
// behind the channel warning.
import type { Calendar, CalendarSpec, Window } from '../calendar/types.js';
import { DAYS } from './constants.js';
import type { CalendarFile } from './schema.js';
import type { Ctx } from './context.js';
import type { Seg } from './path.js';
import { parseLocalDate } from '../time/instant.js';

export const ALWAYS_OPEN = '24x7';

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}
function hhmm(min: number): string {
  return `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
}

/** Day key "mon" or range "mon-fri" (a range may wrap: "fri-mon") -> day indexes 0=Mon. */
export function dayKeyDays(key: string): number[] {
  const [a, b] = key.split('-');
  const from = DAYS.indexOf(a as (typeof DAYS)[number]);
  const to = b === undefined ? from : DAYS.indexOf(b as (typeof DAYS)[number]);
  const out: number[] = [];
  for (let d = from; ; d = (d + 1) % 7) {
    out.push(d);
    if (d === to || out.length === 7) break;
  }
  return out;
}

/** Checks one calendar and returns its spec (null on error). */
export function calendarSpec(ctx: Ctx, id: string, cal: CalendarFile, timezone: string, segs: readonly Seg[]): CalendarSpec | null {
  const before = ctx.findings.length;
  const weekly: Window[][] = DAYS.map(() => []);
  const givenBy = new Map<number, string>();
  for (const [key, list] of Object.entries(cal.hours)) {
    const ks = [...segs, 'hours', key];
    for (const d of dayKeyDays(key)) {
      const prev = givenBy.get(d);
      if (prev !== undefined) {
        ctx.error(ks, `${DAYS[d]} is given twice (in "${prev}" and "${key}"); each weekday may appear once`, true);
        continue;
      }
      givenBy.set(d, key);
      list.forEach((w, i) => {
        const [s, e] = w.split('-');
        const start = minutes(s);
        const end = minutes(e);
        if (end <= start) {
          if (d === dayKeyDays(key)[0]) ctx.error([...ks, i], `window ${w} ends before it starts; write the end after the start (use 24:00 for midnight)`);
          return;
        }
        weekly[d].push({ start, end });
      });
    }
  }
  weekly.forEach((ws, d) => {
    ws.sort((a, b) => a.start - b.start);
    for (let i = 1; i < ws.length; i++) {
      const key = givenBy.get(d) ?? DAYS[d];
      // a range repeats its windows on every day: report once, on its first day
      if (ws[i].start < ws[i - 1].end && dayKeyDays(key)[0] === d) {
        const idx = cal.hours[key].findIndex((w) => minutes(w.split('-')[0]) === ws[i].start);
        ctx.error([...segs, 'hours', key, Math.max(0, idx)], `windows ${hhmm(ws[i - 1].start)}-${hhmm(ws[i - 1].end)} and ${hhmm(ws[i].start)}-${hhmm(ws[i].end)} overlap on ${DAYS[d]}`);
      }
    }
  });
  if (weekly.every((ws) => ws.length === 0) && ctx.findings.length === before)
    ctx.error([...segs, 'hours'], `calendar "${id}" is never open; give at least one window (or use the built-in 24x7)`);
  const overrides = calendarOverrides(ctx, cal, segs);
  if (ctx.findings.length > before) return null;
  const holidays = [...new Set(cal.holidays ?? [])].sort();
  return {
    id, timezone, weekly: weekly.map((ws) => Object.freeze(ws)), holidays,
    ...(Object.keys(overrides).length > 0 ? { overrides } : {}),
    alwaysOpen: false,
  };
}

/** Override dates a plan may name: anything outside is a typo (2206 for 2026), not a schedule. */
export const OVERRIDE_YEARS = { from: 2000, to: 2100 } as const;

/** Checks a calendar's dated overrides; date -> sorted windows, in date order. */
function calendarOverrides(ctx: Ctx, cal: CalendarFile, segs: readonly Seg[]): Record<string, readonly Window[]> {
  const out: Record<string, readonly Window[]> = {};
  const holidays = new Set(cal.holidays ?? []);
  for (const [date, list] of Object.entries(cal.overrides ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const ds = [...segs, 'overrides', date];
    const year = Number(date.slice(0, 4));
    if (Number.isNaN(parseLocalDate(date))) {
      ctx.error(ds, `${date} is not a date; write a local date YYYY-MM-DD`, true);
      continue;
    }
    if (year < OVERRIDE_YEARS.from || year > OVERRIDE_YEARS.to) {
      ctx.error(ds, `override date ${date} is outside the years ${OVERRIDE_YEARS.from}-${OVERRIDE_YEARS.to}; is the year mistyped?`, true);
      continue;
    }
    if (holidays.has(date)) {
      ctx.error(ds, `${date} is both a holiday and an override; a holiday closes the whole day, an override gives its hours: keep one`, true);
      continue;
    }
    // each window with its position in the list, so an overlap is reported on the later-starting one
    const windows: (Window & { i: number })[] = [];
    list.forEach((w, i) => {
      const [s, e] = w.split('-');
      const start = minutes(s);
      const end = minutes(e);
      if (end <= start) ctx.error([...ds, i], `window ${w} ends before it starts; write the end after the start (use 24:00 for midnight)`);
      else windows.push({ start, end, i });
    });
    windows.sort((x, y) => x.start - y.start || x.i - y.i);
    // compare each with the window reaching furthest so far: 09:00-17:00 overlaps 12:00-13:00 after 10:00-11:00
    let x = windows[0];
    for (const y of windows.slice(1)) {
      if (y.start < x.end) ctx.error([...ds, y.i], `windows ${hhmm(x.start)}-${hhmm(x.end)} and ${hhmm(y.start)}-${hhmm(y.end)} overlap on ${date}`);
      if (y.end > x.end) x = y;
    }
    out[date] = Object.freeze(windows.map(({ start, end }) => Object.freeze({ start, end })));
  }
  return out;
}

/** Windows of `outer` not covered by `inner` on one day. */
function covered(outer: readonly Window[], inner: readonly Window[]): boolean {
  return outer.every((w) => {
    let at = w.start;
    for (const v of inner) if (v.start <= at && v.end > at) at = v.end;
    // windows are sorted and non-overlapping, but adjacent ones chain
    for (const v of inner) if (v.start <= at && v.end > at) at = v.end;
    return at >= w.end;
  });
}

/** A calendar's windows on one local date: none on a holiday, the override's, else its weekday's. */
function windowsOn(cal: Calendar, date: string): readonly Window[] {
  if (cal.holidays.includes(date)) return [];
  const day = (((parseLocalDate(date) + 3) % 7) + 7) % 7; // Monday 0: 1970-01-01 (day 0) was a Thursday
  return cal.overrides?.[date] ?? cal.weekly[day];
}

/** True when `narrow` is closed at some time `wide` is open. */
export function isNarrower(narrow: Calendar, wide: Calendar): boolean {
  if (narrow.alwaysOpen) return false;
  if (wide.alwaysOpen) return true;
  if (narrow.timezone === wide.timezone) {
    for (let d = 0; d < 7; d++) if (!covered(wide.weekly[d], narrow.weekly[d])) return true;
    // the dated days: holidays and overrides of either calendar
    const dates = new Set([...narrow.holidays, ...Object.keys(narrow.overrides ?? {}), ...Object.keys(wide.overrides ?? {})]);
    for (const d of dates) if (!covered(windowsOn(wide, d), windowsOn(narrow, d))) return true;
    return false;
  }
  // different zones: sample two ordinary weeks every 15 minutes
  const start = Date.UTC(2026, 0, 5);
  for (let t = start; t < start + 14 * 86_400_000; t += 15 * 60_000) if (wide.isOpen(t) && !narrow.isOpen(t)) return true;
  return false;
}
