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
  if (ctx.findings.length > before) return null;
  const holidays = [...new Set(cal.holidays ?? [])].sort();
  return { id, timezone, weekly: weekly.map((ws) => Object.freeze(ws)), holidays, alwaysOpen: false };
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

/** True when `narrow` is closed at some time `wide` is open. */
export function isNarrower(narrow: Calendar, wide: Calendar): boolean {
  if (narrow.alwaysOpen) return false;
  if (wide.alwaysOpen) return true;
  if (narrow.timezone === wide.timezone) {
    for (let d = 0; d < 7; d++) if (!covered(wide.weekly[d], narrow.weekly[d])) return true;
    const wideHolidays = new Set(wide.holidays);
    for (const h of narrow.holidays) {
      const day = (((parseLocalDate(h) + 3) % 7) + 7) % 7; // Monday 0: 1970-01-01 (day 0) was a Thursday
      if (!wideHolidays.has(h) && wide.weekly[day].length > 0) return true;
    }
    return false;
  }
  // different zones: sample two ordinary weeks every 15 minutes
  const start = Date.UTC(2026, 0, 5);
  for (let t = start; t < start + 14 * 86_400_000; t += 15 * 60_000) if (wide.isOpen(t) && !narrow.isOpen(t)) return true;
  return false;
}
