// Working-time arithmetic over a compiled calendar with paused spans (SLA
// clocks that stop while the partner waits on someone else). Pure. Every
// function walks the pause list once and asks the calendar for whole stretches
// between pauses, so the cost is the windows crossed plus the pauses, never
// the minutes.
import type { Calendar } from './types.js';

const MINUTE = 60_000;

/** A span [from, to) in epoch ms during which a clock does not count; `to` may be Infinity (not resumed). */
export interface PausedSpan {
  readonly from: number;
  readonly to: number;
}

/**
 * Open time of `calendar` between instants a and b (a <= b), in minutes (may be
 * fractional). The after-hours split of worklogs uses it: the business-hours
 * share of [start, end) is this, the rest is after hours.
 */
export function workingMinutesBetween(calendar: Calendar, a: number, b: number): number {
  return calendar.workingTimeBetween(a, b);
}

/** Open time of `calendar` in [a, b) in whole ms (the calendar answers in fractional minutes of integer ms). */
function openMs(calendar: Calendar, a: number, b: number): number {
  return b > a ? Math.round(calendar.workingTimeBetween(a, b) * MINUTE) : 0;
}

/**
 * Sorts spans, drops empty ones and merges overlapping or touching ones, so
 * callers may hand them over in any order. O(p log p).
 */
export function normalizePauses(pauses: readonly PausedSpan[]): PausedSpan[] {
  const sorted = pauses.filter((p) => p.to > p.from).sort((x, y) => x.from - y.from);
  const out: { from: number; to: number }[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && p.from <= last.to) last.to = Math.max(last.to, p.to);
    else out.push({ from: p.from, to: p.to });
  }
  return out;
}

/**
 * Counted time in [start, end): the calendar's open time outside the paused
 * spans, in minutes. `pauses` sorted and non-overlapping (see normalizePauses).
 */
export function countedMinutesBetween(calendar: Calendar, start: number, end: number, pauses: readonly PausedSpan[]): number {
  if (!(end > start)) return 0;
  let ms = 0;
  let cursor = start;
  for (const p of pauses) {
    if (p.to <= cursor) continue;
    if (p.from >= end) break;
    ms += openMs(calendar, cursor, Math.min(p.from, end));
    cursor = Math.max(cursor, p.to);
    if (cursor >= end) return ms / MINUTE;
  }
  return (ms + openMs(calendar, cursor, end)) / MINUTE;
}

/**
 * The earliest instant T >= start at which the counted time in [start, T]
 * (open time of the calendar outside the paused spans) reaches `minutes`, as
 * the calendar's own addWorkingTime does without pauses: time runs out at a
 * window's end if that is where it runs out. `pauses` sorted and
 * non-overlapping (see normalizePauses). Answers null when the time would
 * run out inside a pause that never ends (`to` Infinity): the due time is not
 * known while the clock is paused. Infinity when the calendar never opens
 * enough. O(windows crossed + pauses).
 */
export function addWorkingTimeSkipping(calendar: Calendar, start: number, minutes: number, pauses: readonly PausedSpan[]): number | null {
  if (!(minutes > 0)) return start;
  let remaining = Math.round(minutes * MINUTE);
  let cursor = start;
  for (const p of pauses) {
    if (p.to <= cursor) continue;
    if (p.from > cursor) {
      const available = openMs(calendar, cursor, p.from);
      if (remaining <= available) return calendar.addWorkingTime(cursor, remaining / MINUTE);
      remaining -= available;
    }
    if (p.to === Infinity) return null;
    cursor = p.to;
  }
  return calendar.addWorkingTime(cursor, remaining / MINUTE);
}
