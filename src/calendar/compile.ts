// Business-time arithmetic (SPEC §3.5). Pure: no clock, no machine time zone.
//
// Model: an instant t is open when its local wall-clock time (in the calendar's
// zone) falls inside a window of its local weekday and its local date is not a
// holiday; a dated override replaces its weekday's windows for that one local
// date (make-up working days, half days). Real time is cut into 24h "chunks"; for each chunk we compute, once,
// the sorted open intervals in epoch ms. Everything else walks chunks, so the
// cost is proportional to chunks/windows crossed, never to minutes.
import { IANAZone } from 'luxon';
import type { Calendar, CalendarSpec, Window } from './types.js';
import { offsetFn, offsetSegments, type Segment } from '../time/zone.js';
import { parseLocalDate } from '../time/instant.js';
import { Memo } from '../memo.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Walking further than this many chunks (~200 years) answers Infinity. */
const HORIZON_CHUNKS = 366 * 200;

/** Open intervals of one chunk, in real time, sorted and merged. */
interface Chunk {
  readonly starts: number[];
  readonly ends: number[];
  /** cum[i] = open ms in this chunk before interval i. */
  readonly cum: number[];
  readonly total: number;
}

/** luxon builds a new Intl formatter per check, which is slow: remember answers. */
const zoneValidity = new Memo<string, boolean>(1024);

export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz.length === 0) return false;
  return zoneValidity.get(tz) ?? zoneValidity.set(tz, IANAZone.isValidZone(tz));
}

/** The built-in `24x7`: always open, plain elapsed time. */
export function alwaysOpenCalendar(timezone: string): Calendar {
  return compileCalendar({
    id: '24x7',
    timezone,
    weekly: Array.from({ length: 7 }, () => [{ start: 0, end: 1440 }]),
    holidays: [],
    alwaysOpen: true,
  });
}

export function compileCalendar(spec: CalendarSpec): Calendar {
  if (!isValidTimeZone(spec.timezone)) {
    throw new Error(`calendar "${spec.id}": invalid time zone "${spec.timezone}"`);
  }
  if (spec.alwaysOpen) return alwaysOpen(spec);
  validateWeekly(spec);
  return businessCalendar(spec);
}

function alwaysOpen(spec: CalendarSpec): Calendar {
  return {
    ...snapshot(spec),
    isOpen: () => true,
    nextOpening: (at) => at,
    addWorkingTime: (at, minutes) => (minutes > 0 ? at + toMs(minutes) : at), // Infinity stays Infinity
    workingTimeBetween: (a, b) => (b - a) / MINUTE,
  };
}

/** Frozen copy of the spec fields, so later mutation of the input cannot desync. */
function snapshot(spec: CalendarSpec): CalendarSpec {
  return Object.freeze({
    id: spec.id,
    timezone: spec.timezone,
    weekly: Object.freeze(spec.weekly.map((day) => Object.freeze(day.map((w) => Object.freeze({ ...w }))))),
    holidays: Object.freeze([...spec.holidays]),
    ...(spec.overrides && Object.keys(spec.overrides).length > 0
      ? { overrides: Object.freeze(Object.fromEntries(Object.entries(spec.overrides).map(([d, ws]) => [d, Object.freeze(ws.map((w) => Object.freeze({ ...w })))]))) }
      : {}),
    alwaysOpen: spec.alwaysOpen,
  });
}

function toMs(minutes: number): number {
  return Math.round(minutes * MINUTE);
}

function validateWeekly(spec: CalendarSpec): void {
  if (spec.weekly.length !== 7) {
    throw new Error(`calendar "${spec.id}": weekly must have 7 days (Monday first)`);
  }
  spec.weekly.forEach((windows, day) => validateDay(spec.id, `day ${day}`, windows));
  for (const [date, windows] of Object.entries(spec.overrides ?? {})) {
    localDayNumber(date, spec.id);
    if (spec.holidays.includes(date)) throw new Error(`calendar "${spec.id}": ${date} is both a holiday and an override`);
    validateDay(spec.id, date, windows);
  }
}

function validateDay(id: string, day: string, windows: readonly Window[]): void {
  let previousEnd = 0;
  for (const w of windows) {
    const ok = Number.isInteger(w.start) && Number.isInteger(w.end) &&
      w.start >= previousEnd && w.end > w.start && w.end <= 1440;
    if (!ok) {
      throw new Error(`calendar "${id}": ${day} window ${w.start}-${w.end} is invalid, unsorted or overlapping`);
    }
    previousEnd = w.end;
  }
}

/** Local date YYYY-MM-DD -> local day number (days since 1970-01-01). */
function localDayNumber(date: string, calendarId: string): number {
  const day = parseLocalDate(date);
  if (Number.isNaN(day)) throw new Error(`calendar "${calendarId}": invalid date "${date}"`);
  return day;
}

/** 0 = Monday … 6 = Sunday for a local day number (day 0 was a Thursday). */
function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** Direct-mapped cache slots (powers of two): ~2.8 years of chunks, ~5 years of weeks. */
const CHUNK_SLOTS = 1024;
const WEEK_SLOTS = 256;

function businessCalendar(spec: CalendarSpec): Calendar {
  const offsetAt = offsetFn(spec.timezone);
  const weekly = spec.weekly.map((day) => day.map((w): Window => ({ start: w.start, end: w.end })));
  const holidays = new Set(spec.holidays.map((d) => localDayNumber(d, spec.id)));
  // local day number -> that date's windows (replacing the weekday's)
  const overrides = new Map<number, readonly Window[]>();
  let lastOverrideOpen = -Infinity;
  for (const [date, ws] of Object.entries(spec.overrides ?? {})) {
    const day = localDayNumber(date, spec.id);
    overrides.set(day, ws.map((w): Window => ({ start: w.start, end: w.end })));
    if (ws.length > 0 && day > lastOverrideOpen) lastOverrideOpen = day;
  }
  const weeklyOpen = weekly.reduce((sum, day) => sum + day.reduce((s, w) => s + w.end - w.start, 0), 0);
  const neverOpens = weeklyOpen === 0 && lastOverrideOpen === -Infinity;
  // no weekly hours: nothing opens after the last open override (a day past it, for zone slack)
  const horizonOf = (k0: number): number =>
    k0 + (weeklyOpen > 0 ? HORIZON_CHUNKS : Math.max(0, Math.min(HORIZON_CHUNKS, lastOverrideOpen + 2 - k0)));
  // Align chunks to the zone's usual local midnight so a local day mostly
  // lands in one chunk (fewer intervals split across chunks).
  const shift = offsetAt(Date.UTC(2026, 0, 1));
  const chunkIndex = (at: number): number => Math.floor((at + shift) / DAY);
  const chunkStart = (k: number): number => k * DAY - shift;

  // Direct-mapped caches: an index check and an array read on the hot path,
  // no hashing, bounded memory, no eviction bookkeeping.
  const chunkKeys = new Float64Array(CHUNK_SLOTS).fill(NaN);
  const chunkVals: Chunk[] = new Array(CHUNK_SLOTS);
  const weekKeys = new Float64Array(WEEK_SLOTS).fill(NaN);
  const weekVals = new Float64Array(WEEK_SLOTS);

  function chunk(k: number): Chunk {
    const slot = k & (CHUNK_SLOTS - 1);
    if (chunkKeys[slot] !== k) {
      chunkVals[slot] = buildChunk(k);
      chunkKeys[slot] = k;
    }
    return chunkVals[slot];
  }

  /** Open ms in chunks [7w, 7w + 7). */
  function weekTotal(w: number): number {
    const slot = w & (WEEK_SLOTS - 1);
    if (weekKeys[slot] !== w) {
      let total = 0;
      for (let k = 7 * w; k < 7 * w + 7; k++) total += chunk(k).total;
      weekVals[slot] = total;
      weekKeys[slot] = w;
    }
    return weekVals[slot];
  }

  function buildChunk(k: number): Chunk {
    const from = chunkStart(k);
    const raw: [number, number][] = [];
    for (const seg of offsetSegments(offsetAt, from, from + DAY)) collectOpen(seg, raw);
    return toChunk(raw);
  }

  /** Intervals of [seg.from, seg.to) whose local time (t + offset) is in a window. */
  function collectOpen(seg: Segment, out: [number, number][]): void {
    const firstDay = Math.floor((seg.from + seg.offset) / DAY);
    const lastDay = Math.floor((seg.to - 1 + seg.offset) / DAY);
    for (let day = firstDay; day <= lastDay; day++) {
      if (holidays.has(day)) continue;
      const midnight = day * DAY - seg.offset; // real instant of local midnight under this offset
      for (const w of overrides.get(day) ?? weekly[weekdayOf(day)]) {
        const s = Math.max(midnight + w.start * MINUTE, seg.from);
        const e = Math.min(midnight + w.end * MINUTE, seg.to);
        if (e > s) out.push([s, e]);
      }
    }
  }

  /** First chunk index >= k whose open time exceeds `need` ms (skipping whole weeks), with `need` reduced. */
  function skipWhole(k: number, need: number, limit: number): { k: number; need: number } {
    while (k < limit) {
      if (k % 7 === 0) {
        const wt = weekTotal(k / 7);
        if (need > wt) {
          need -= wt;
          k += 7;
          continue;
        }
      }
      const total = chunk(k).total;
      if (need <= total && total > 0) break;
      need -= total;
      k++;
    }
    return { k, need };
  }

  function isOpen(at: number): boolean {
    if (neverOpens || !Number.isFinite(at)) return false;
    const c = chunk(chunkIndex(at));
    for (let i = 0; i < c.starts.length; i++) {
      if (at < c.starts[i]) return false;
      if (at < c.ends[i]) return true;
    }
    return false;
  }

  function nextOpening(at: number): number {
    if (neverOpens) return Infinity;
    if (!Number.isFinite(at)) return at;
    const k0 = chunkIndex(at);
    const c = chunk(k0);
    for (let i = 0; i < c.starts.length; i++) {
      if (c.ends[i] > at) return Math.max(c.starts[i], at);
    }
    // Smallest positive need: stops at the first chunk with any open time.
    const limit = horizonOf(k0);
    const { k } = skipWhole(k0 + 1, Number.MIN_VALUE, limit);
    return k < limit ? chunk(k).starts[0] : Infinity;
  }

  /** ms still needed after the last consume() that returned NaN. */
  let carry = 0;

  /** Walk intervals of chunk c from `at`; the deadline, or NaN with `carry` set. */
  function consume(c: Chunk, at: number, remaining: number): number {
    for (let i = 0; i < c.starts.length; i++) {
      const end = c.ends[i];
      if (end <= at) continue;
      const start = c.starts[i] > at ? c.starts[i] : at;
      if (remaining <= end - start) return start + remaining;
      remaining -= end - start;
    }
    carry = remaining;
    return NaN;
  }

  function addWorkingTime(at: number, minutes: number): number {
    if (!(minutes > 0)) return at;
    if (neverOpens || minutes === Infinity) return Infinity;
    if (!Number.isFinite(at)) return at;
    const k0 = chunkIndex(at);
    const first = consume(chunk(k0), at, toMs(minutes));
    if (!Number.isNaN(first)) return first;
    const limit = horizonOf(k0);
    const { k, need } = skipWhole(k0 + 1, carry, limit);
    return k < limit ? consume(chunk(k), -Infinity, need) : Infinity;
  }

  /** Open ms in [chunkStart(k), at) for an instant inside chunk k. */
  function openBefore(c: Chunk, at: number): number {
    for (let i = 0; i < c.starts.length; i++) {
      if (at <= c.starts[i]) return c.cum[i];
      if (at < c.ends[i]) return c.cum[i] + at - c.starts[i];
    }
    return c.total;
  }

  /** Open ms in whole chunks [from, to). */
  function wholeChunks(from: number, to: number): number {
    let ms = 0;
    let k = from;
    while (k < to) {
      if (k % 7 === 0 && k + 7 <= to) {
        ms += weekTotal(k / 7);
        k += 7;
      } else ms += chunk(k++).total;
    }
    return ms;
  }

  function workingTimeBetween(a: number, b: number): number {
    if (b < a) return -workingTimeBetween(b, a);
    if (neverOpens || a === b || !Number.isFinite(b - a)) return 0;
    const ka = chunkIndex(a);
    const kb = chunkIndex(b);
    const ca = chunk(ka);
    if (ka === kb) return (openBefore(ca, b) - openBefore(ca, a)) / MINUTE;
    const ms = ca.total - openBefore(ca, a) + wholeChunks(ka + 1, kb) + openBefore(chunk(kb), b);
    return ms / MINUTE;
  }

  return { ...snapshot(spec), isOpen, nextOpening, addWorkingTime, workingTimeBetween };
}

/** Sort and merge touching intervals; precompute prefix sums. */
function toChunk(raw: [number, number][]): Chunk {
  raw.sort((x, y) => x[0] - y[0]);
  const starts: number[] = [];
  const ends: number[] = [];
  for (const [s, e] of raw) {
    const last = ends.length - 1;
    if (last >= 0 && s <= ends[last]) ends[last] = Math.max(ends[last], e);
    else {
      starts.push(s);
      ends.push(e);
    }
  }
  const cum: number[] = [];
  let total = 0;
  for (let i = 0; i < starts.length; i++) {
    cum.push(total);
    total += ends[i] - starts[i];
  }
  return { starts, ends, cum, total };
}
