// Time-zone offsets and their transitions, without the machine's zone.
import { IANAZone } from 'luxon';
import { Memo } from '../memo.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Before ~year 130 Intl prints years without era/sign; luxon handles those. */
const EARLY = -5.8e13;
/** Memoized offsets per zone (direct-mapped): ~11 years of 12h grid points. */
const MEMO_SLOTS = 8192;

/**
 * Offset of the zone in ms at an instant. A cached Intl.DateTimeFormat's
 * format() is parsed by hand: it is many times faster than formatToParts (which
 * luxon's IANAZone.offset uses) and never touches the machine's zone.
 */
export function offsetFn(timezone: string): (ts: number) => number {
  return offsetFns.get(timezone) ?? offsetFns.set(timezone, makeOffsetFn(timezone));
}

/** One formatter per zone (bounded): constructing one is costly. */
const offsetFns = new Memo<string, (ts: number) => number>(1024);

function makeOffsetFn(timezone: string): (ts: number) => number {
  const dtf = new Intl.DateTimeFormat('en-US-u-nu-latn', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const pattern = /^(\d+)\/(\d+)\/(\d+),? (\d+):(\d+):(\d+)$/;
  const slow = IANAZone.create(timezone);
  const compute = (ts: number): number => {
    const m = ts < EARLY ? null : pattern.exec(dtf.format(ts));
    // Anything unexpected (eras, exotic years) goes through luxon instead.
    if (m === null) return Math.round(slow.offset(ts) * MINUTE);
    const local = Date.UTC(+m[3], +m[1] - 1, +m[2], +m[4], +m[5], +m[6]);
    return local - (ts - (((ts % 1000) + 1000) % 1000));
  };
  // Chunk builders probe the same 12h grid points twice (a chunk's end is the
  // next one's start), and calendars in one zone share them: memoize.
  const keys = new Float64Array(MEMO_SLOTS).fill(NaN);
  const values = new Float64Array(MEMO_SLOTS);
  return (ts) => {
    const slot = Math.floor(ts / (12 * HOUR)) & (MEMO_SLOTS - 1);
    if (keys[slot] === ts) return values[slot];
    const offset = compute(ts);
    keys[slot] = ts;
    values[slot] = offset;
    return offset;
  };
}

export interface Segment {
  readonly from: number;
  readonly to: number;
  readonly offset: number;
}

/**
 * Split [from, to) into pieces of constant UTC offset. Sampling every 12h then
 * bisecting to the ms finds every transition unless two fall within 12h (no
 * zone does that).
 */
export function offsetSegments(offsetAt: (ts: number) => number, from: number, to: number): Segment[] {
  const segments: Segment[] = [];
  let start = from;
  let current = offsetAt(from);
  for (let probe = Math.min(from + 12 * HOUR, to); ; probe = Math.min(probe + 12 * HOUR, to)) {
    const next = offsetAt(probe);
    if (next !== current) {
      const change = findTransition(offsetAt, probe - 12 * HOUR > start ? probe - 12 * HOUR : start, probe, current);
      if (change < to) {
        segments.push({ from: start, to: change, offset: current });
        start = change;
        current = offsetAt(change);
      }
    }
    if (probe >= to) break;
  }
  segments.push({ from: start, to, offset: current });
  return segments;
}

/** First instant in (lo, hi] whose offset differs from `before` (offset(lo) === before). */
function findTransition(offsetAt: (ts: number) => number, lo: number, hi: number, before: number): number {
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

