// Instants and local dates, once for everyone (rules, billing, render, the
// API, the CLI, the store): strict ISO 8601 parsing, and formatting in an
// IANA zone through a cached table of UTC offsets, so the hot path never asks
// Intl (or builds a luxon DateTime) per request. What parseInstant refuses is
// not an instant anywhere: a request's receivedAt, a worklog's start, a
// response time, a quote's records, the store's computed milliseconds.

import { Memo } from '../memo.js';
import { offsetFn, offsetSegments } from './zone.js';

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}
function pad4(n: number): string {
  return n >= 1000 ? String(n) : String(n).padStart(4, '0');
}

/** `YYYY-MM-DD` of a day number (days since 1970-01-01). */
export function formatDay(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return pad4(y) + '-' + pad2(m) + '-' + pad2(d);
}

/** Day number of a `YYYY-MM-DD` local date (already validated by the plan loader). */
export function dayOfDate(date: string): number {
  return daysFromCivil(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** The number written by `n` digits at `i`, or -1 if any is not a digit. */
function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Epoch milliseconds of an ISO 8601 instant with an offset or `Z`
 * (`2026-11-24T09:15:00-05:00`; seconds and fractions of up to 9 digits
 * optional), or NaN when the text is not such an instant or names no real time
 * (`02-30`, `25:00`). Hand-written rather than a regex: it is on the hot path.
 */
export function parseInstant(text: string): number {
  const len = text.length;
  if (len < 17 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58) {
    return NaN;
  }
  const y = digits(text, 0, 4), mo = digits(text, 5, 2), d = digits(text, 8, 2);
  const h = digits(text, 11, 2), mi = digits(text, 14, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || d > daysInMonth(y, mo)) return NaN;
  let i = 16;
  let s = 0, frac = 0;
  if (text.charCodeAt(i) === 58) {
    s = digits(text, i + 1, 2);
    if (s < 0 || s > 59) return NaN;
    i += 3;
    if (text.charCodeAt(i) === 46) {
      let k = i + 1;
      while (k < len && k - i <= 9) {
        const c = text.charCodeAt(k) - 48;
        if (c < 0 || c > 9) break;
        if (k - i <= 3) frac += c * (k - i === 1 ? 100 : k - i === 2 ? 10 : 1);
        k++;
      }
      if (k === i + 1) return NaN;
      i = k;
    }
  }
  let off = 0;
  if (i === len - 1 && text.charCodeAt(i) === 90) {
    // Z
  } else if (i === len - 6 && text.charCodeAt(i + 3) === 58) {
    const sign = text.charCodeAt(i);
    const oh = digits(text, i + 1, 2), om = digits(text, i + 4, 2);
    if ((sign !== 43 && sign !== 45) || oh < 0 || oh > 18 || om < 0 || om > 59) return NaN;
    off = (oh * 60 + om) * (sign === 45 ? -1 : 1);
  } else {
    return NaN;
  }
  return (daysFromCivil(y, mo, d) * 1440 + h * 60 + mi - off) * 60_000 + s * 1000 + frac;
}

/** Whether the text is an instant: parseInstant's form, the one every input is held to. */
export function isInstant(text: string): boolean {
  return !Number.isNaN(parseInstant(text));
}

/** Day number (days since 1970-01-01) of a real `YYYY-MM-DD` date, or NaN (`2026-02-29`, `2026-13-01`, other forms). */
export function parseLocalDate(text: string): number {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return NaN;
  const y = digits(text, 0, 4), m = digits(text, 5, 2), d = digits(text, 8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return NaN;
  return daysFromCivil(y, m, d);
}

/** Whether the text is a real local date `YYYY-MM-DD`. */
export function isLocalDate(text: string): boolean {
  return !Number.isNaN(parseLocalDate(text));
}

// ---- zone offsets

const BUCKET_MS = 32 * DAY_MS; // offsets are tabulated a month-sized bucket at a time

interface Bucket {
  readonly start: number;
  /** Transition instants inside the bucket (ascending) and the offset from each on; [0] is the bucket start. */
  readonly at: number[];
  readonly offset: number[];
}

/**
 * UTC offsets of one IANA zone, tabulated lazily in buckets so that a lookup
 * is a short array scan; Intl is consulted (through the calendar's zone
 * module) only when a bucket is first needed.
 */
export class ZoneOffsets {
  readonly timezone: string;
  private readonly slow: (ms: number) => number;
  // bounded: ~360 years of months per zone, however far apart the instants asked
  private readonly buckets = new Memo<number, Bucket>(4096, true);
  private last: Bucket | null = null;

  constructor(timezone: string) {
    this.timezone = timezone;
    this.slow = offsetFn(timezone);
  }

  /** Offset (local minus UTC) in milliseconds at the instant. */
  offsetAt(ms: number): number {
    let b = this.last;
    if (b === null || ms < b.start || ms >= b.start + BUCKET_MS) {
      const key = Math.floor(ms / BUCKET_MS);
      b = this.buckets.get(key) ?? null;
      if (b === null) {
        const segs = offsetSegments(this.slow, key * BUCKET_MS, (key + 1) * BUCKET_MS);
        b = { start: key * BUCKET_MS, at: segs.map((x) => x.from), offset: segs.map((x) => x.offset) };
        this.buckets.set(key, b);
      }
      this.last = b;
    }
    const at = b.at;
    let i = at.length - 1;
    while (i > 0 && ms < at[i]) i--;
    return b.offset[i];
  }

  /** `YYYY-MM-DDTHH:MM:SS±HH:MM` in this zone, seconds truncated. */
  format(ms: number): string {
    return formatWithOffset(ms, this.offsetAt(ms));
  }

  /** The local date (`YYYY-MM-DD`) of the instant in this zone. */
  localDate(ms: number): string {
    return formatDay(this.localDay(ms));
  }

  /** The local day number (days since 1970-01-01) of the instant in this zone. */
  localDay(ms: number): number {
    return Math.floor((ms + this.offsetAt(ms)) / DAY_MS);
  }
}

/** `YYYY-MM-DDTHH:MM:SS±HH:MM` of an instant at a given offset, seconds truncated. */
export function formatWithOffset(ms: number, offsetMs: number): string {
  const local = Math.floor((ms + offsetMs) / 1000);
  const days = Math.floor(local / 86_400);
  return dayText(days) + timeText(local - days * 86_400) + offsetText(offsetMs);
}

// Deadlines cluster on a few days and offsets: their texts are memoized.
const dayTexts = new Memo<number, string>(4096);
function dayText(days: number): string {
  return dayTexts.get(days) ?? dayTexts.set(days, formatDay(days) + 'T');
}

function timeText(sod: number): string {
  const h = Math.floor(sod / 3600);
  const mi = Math.floor((sod % 3600) / 60);
  const s = sod % 60;
  return pad2(h) + ':' + pad2(mi) + ':' + pad2(s);
}

const offsetTexts = new Memo<number, string>(1024);
function offsetText(offsetMs: number): string {
  let t = offsetTexts.get(offsetMs);
  if (t === undefined) {
    const offMin = Math.round(offsetMs / 60_000);
    const a = offMin < 0 ? -offMin : offMin;
    t = offsetTexts.set(offsetMs, (offMin < 0 ? '-' : '+') + pad2(Math.floor(a / 60)) + ':' + pad2(a % 60));
  }
  return t;
}

const zones = new Memo<string, ZoneOffsets>(1024);
/** One shared offset table per zone name (tables only grow with distinct months asked). */
export function zoneOffsets(timezone: string): ZoneOffsets {
  return zones.get(timezone) ?? zones.set(timezone, new ZoneOffsets(timezone));
}
