// Property tests: random calendars near DST changes, checked against the
// calendar's own invariants and against a naive minute-stepping reference.
import t from 'tap';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { compileCalendar } from '../../src/calendar/compile.js';
import type { Calendar, CalendarSpec, Window } from '../../src/calendar/types.js';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

// Zones with both DST directions in 2026, a half-hour DST (Lord Howe) and none (Kolkata).
const ZONES: Record<string, string[]> = {
  'America/New_York': ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z'],
  'Europe/Berlin': ['2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z'],
  'Australia/Sydney': ['2026-04-04T16:00:00Z', '2026-10-03T16:00:00Z'],
  'Australia/Lord_Howe': ['2026-04-04T15:00:00Z', '2026-10-03T15:30:00Z'],
  'Asia/Kolkata': ['2026-06-01T00:00:00Z'],
};

/** A day's windows from sorted distinct quarter-hour boundaries (pairs = windows). */
const dayWindows: fc.Arbitrary<Window[]> = fc
  .uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 6 })
  .map((qs) => {
    const b = [...qs].sort((x, y) => x - y).map((q) => q * 15);
    const windows: Window[] = [];
    for (let i = 0; i + 1 < b.length; i += 2) windows.push({ start: b[i], end: b[i + 1] });
    return windows;
  });

const specArb: fc.Arbitrary<CalendarSpec> = fc
  .record({
    timezone: fc.constantFrom(...Object.keys(ZONES)),
    weekly: fc.array(dayWindows, { minLength: 7, maxLength: 7 }),
    holidayOffsets: fc.uniqueArray(fc.integer({ min: -3, max: 6 }), { maxLength: 3 }),
  })
  .filter((r) => r.weekly.some((d) => d.length > 0))
  .map((r) => ({
    id: 'prop',
    timezone: r.timezone,
    weekly: r.weekly,
    // Holidays near the DST changes, so they interact with them.
    holidays: ZONES[r.timezone].flatMap((iso) =>
      r.holidayOffsets.map((d) => DateTime.fromMillis(Date.parse(iso) + d * DAY, { zone: r.timezone }).toISODate()!),
    ),
    alwaysOpen: false,
  }));

/** A calendar plus an instant within four days of one of its zone's DST changes. */
const scenario = (msJitter: boolean) =>
  specArb.chain((spec) =>
    fc.record({
      spec: fc.constant(spec),
      at: fc
        .record({
          base: fc.constantFrom(...ZONES[spec.timezone]),
          minutes: fc.integer({ min: -4 * 1440, max: 4 * 1440 }),
          ms: msJitter ? fc.integer({ min: 0, max: MINUTE - 1 }) : fc.constant(0),
        })
        .map((a) => Date.parse(a.base) + a.minutes * MINUTE + a.ms),
    }),
  );

/**
 * Deliberately naive reference: read the local wall clock of each minute
 * straight from Intl (no offsets, no transitions) and test it against the spec.
 */
const wallClocks = new Map<string, Intl.DateTimeFormat>();
function wallClock(timezone: string, at: number): { date: string; weekday: number; minute: number } {
  let f = wallClocks.get(timezone);
  if (!f) {
    const options = { timeZone: timezone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' } as const;
    f = new Intl.DateTimeFormat('en-US', options);
    wallClocks.set(timezone, f);
  }
  // e.g. "Sun, 03/08/2026, 03:00"
  const [, wd, mm, dd, yyyy, hh, mi] = /^(\w+), (\d+)\/(\d+)\/(\d+), (\d+):(\d+)$/.exec(f.format(at))!;
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(wd);
  return { date: `${yyyy}-${mm}-${dd}`, weekday, minute: +hh * 60 + +mi };
}

function refOpen(spec: CalendarSpec, at: number): boolean {
  const local = wallClock(spec.timezone, at);
  if (spec.holidays.includes(local.date)) return false;
  return spec.weekly[local.weekday].some((w) => w.start <= local.minute && local.minute < w.end);
}

/** Minute-aligned `at` only (offsets change on minute boundaries here); Infinity past `limit` steps. */
function refAdd(spec: CalendarSpec, at: number, minutes: number, limit = 2 * 1440): number {
  let t = at;
  for (let left = minutes; left > 0; t += MINUTE) {
    if (t - at >= limit * MINUTE) return Infinity;
    if (refOpen(spec, t)) left--;
  }
  return t;
}

t.test('workingTimeBetween(t, addWorkingTime(t, m)) === m and deadline just after open time', async (t) => {
  fc.assert(
    fc.property(scenario(true), fc.integer({ min: 1, max: 1500 }), ({ spec, at }, m) => {
      const c = compileCalendar(spec);
      const due = c.addWorkingTime(at, m);
      return due >= at && c.workingTimeBetween(at, due) === m && c.isOpen(due - 1);
    }),
    { numRuns: 100 },
  );
  t.pass('holds');
});

t.test('addWorkingTime is monotonic in both arguments', async (t) => {
  fc.assert(
    fc.property(
      scenario(true),
      fc.integer({ min: 0, max: 3 * DAY }),
      fc.integer({ min: 0, max: 3000 }),
      fc.integer({ min: 0, max: 3000 }),
      ({ spec, at }, later, m1, m2) => {
        const c = compileCalendar(spec);
        const [lo, hi] = m1 <= m2 ? [m1, m2] : [m2, m1];
        return c.addWorkingTime(at, lo) <= c.addWorkingTime(at, hi) && c.addWorkingTime(at, m1) <= c.addWorkingTime(at + later, m1);
      },
    ),
    { numRuns: 100 },
  );
  t.pass('holds');
});

t.test('nextOpening and workingTimeBetween are consistent', async (t) => {
  fc.assert(
    fc.property(scenario(true), fc.integer({ min: 0, max: 3 * DAY }), fc.integer({ min: 0, max: 3 * DAY }), ({ spec, at }, d1, d2) => {
      const c = compileCalendar(spec);
      const open = c.nextOpening(at);
      const additive = c.workingTimeBetween(at, at + d1) + c.workingTimeBetween(at + d1, at + d1 + d2);
      return (
        open >= at &&
        c.isOpen(open) &&
        c.workingTimeBetween(at, open) === 0 &&
        (open === at) === c.isOpen(at) &&
        Math.abs(additive - c.workingTimeBetween(at, at + d1 + d2)) < 1e-9
      );
    }),
    { numRuns: 100 },
  );
  t.pass('holds');
});

t.test('agrees with the naive minute-stepping reference', async (t) => {
  fc.assert(
    fc.property(scenario(false), fc.integer({ min: 0, max: 240 }), fc.integer({ min: 0, max: 2 * 1440 }), ({ spec, at }, m, probe) => {
      const c = compileCalendar(spec);
      const due = c.addWorkingTime(at, m);
      const ref = refAdd(spec, at, m);
      const sameDue = Number.isFinite(ref) ? due === ref : due > at + 2 * DAY;
      const p = at + probe * MINUTE;
      return sameDue && c.isOpen(at) === refOpen(spec, at) && c.isOpen(p) === refOpen(spec, p);
    }),
    { numRuns: 50 },
  );
  t.pass('agrees');
});
