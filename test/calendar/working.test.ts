// Working time with paused spans (src/calendar/working.ts): hand-computed cases,
// and properties against a naive minute-stepping reference over random
// calendars (weekly hours, holidays and dated overrides near DST changes) and
// random pause spans, including one that never ends.
import t from 'tap';
import fc from 'fast-check';
import { compileCalendar } from '../../src/calendar/compile.js';
import { addWorkingTimeSkipping, countedMinutesBetween, normalizePauses, workingMinutesBetween, type PausedSpan } from '../../src/calendar/working.js';
import { cal, iso, ms } from './helpers.js';
import { DAY, MINUTE, ZONES, pausesArb, refAddSkipping, refOpen, specWithOverrides } from './working-reference.js';

t.test('hand-computed: office 09:00-17:00, paused spans', async (t) => {
  const office = cal('UTC', { 'mon-fri': ['09:00-17:00'] });
  const mon9 = ms('2026-06-01T09:00:00Z');
  const pause = (a: string, b: string | null): PausedSpan => ({ from: ms(a), to: b === null ? Infinity : ms(b) });
  t.equal(workingMinutesBetween(office, mon9, ms('2026-06-02T11:00:00Z')), 600);
  // 4h with a pause 10:00-12:00: due 15:00
  t.equal(iso(addWorkingTimeSkipping(office, mon9, 240, [pause('2026-06-01T10:00:00Z', '2026-06-01T12:00:00Z')])!), '2026-06-01T15:00:00.000Z');
  // a pause from Friday 16:00 to Tuesday 10:00 skips Monday: 8h from Fri 09:00 -> 7h Fri, 1h Tue from 10:00
  t.equal(iso(addWorkingTimeSkipping(office, ms('2026-06-05T09:00:00Z'), 480, [pause('2026-06-05T16:00:00Z', '2026-06-09T10:00:00Z')])!), '2026-06-09T11:00:00.000Z');
  // time runs out exactly when the pause begins: due there, the pause does not matter
  t.equal(iso(addWorkingTimeSkipping(office, mon9, 60, [pause('2026-06-01T10:00:00Z', null)])!), '2026-06-01T10:00:00.000Z');
  // a pause that never ends before the target is reached: no due time
  t.equal(addWorkingTimeSkipping(office, mon9, 61, [pause('2026-06-01T10:00:00Z', null)]), null);
  // the office closes at 17:00 and the pause starts at 18:00: due at the window's end, not at the pause
  t.equal(iso(addWorkingTimeSkipping(office, ms('2026-06-01T16:00:00Z'), 60, [pause('2026-06-01T18:00:00Z', null)])!), '2026-06-01T17:00:00.000Z');
  t.equal(countedMinutesBetween(office, mon9, ms('2026-06-01T17:00:00Z'), [pause('2026-06-01T10:00:00Z', '2026-06-01T12:00:00Z')]), 360);
  t.equal(addWorkingTimeSkipping(office, mon9, 0, [pause('2026-06-01T08:00:00Z', null)]), mon9, 'zero target: due at the start');
  t.same(normalizePauses([{ from: 5, to: 9 }, { from: 1, to: 3 }, { from: 3, to: 4 }, { from: 8, to: 12 }, { from: 20, to: 20 }]), [{ from: 1, to: 4 }, { from: 5, to: 12 }]);
});

// ---- properties
const scenario = specWithOverrides.chain((spec) =>
  fc.integer({ min: -3 * 1440, max: 3 * 1440 }).chain((offset) => {
    const at = Date.parse(ZONES[spec.timezone]) + offset * MINUTE;
    return fc.record({ spec: fc.constant(spec), at: fc.constant(at), pauses: pausesArb(at) });
  }),
);

t.test('calendar with overrides agrees with the minute-stepping reference', async (t) => {
  fc.assert(
    fc.property(scenario, fc.integer({ min: 0, max: 240 }), fc.integer({ min: 0, max: 3 * 1440 }), ({ spec, at }, m, probe) => {
      const c = compileCalendar(spec);
      const ref = refAddSkipping(spec, at, m, []);
      const due = c.addWorkingTime(at, m);
      const p = at + probe * MINUTE;
      return (ref === Infinity ? due > at + 3 * DAY : due === ref) && c.isOpen(p) === refOpen(spec, p);
    }),
    { numRuns: 60 },
  );
  t.pass('agrees');
});

t.test('add working time skipping pauses agrees with the minute-stepping reference', async (t) => {
  fc.assert(
    fc.property(scenario, fc.integer({ min: 0, max: 360 }), ({ spec, at, pauses }, m) => {
      const c = compileCalendar(spec);
      const ref = refAddSkipping(spec, at, m, pauses);
      const due = addWorkingTimeSkipping(c, at, m, pauses);
      if (ref === Infinity) return due === null || (due as number) > at + 3 * DAY;
      return due === ref;
    }),
    { numRuns: 80 },
  );
  t.pass('agrees');
});

t.test('counted time up to the due time is the target; pause order does not matter', async (t) => {
  fc.assert(
    fc.property(scenario, fc.integer({ min: 1, max: 600 }), ({ spec, at, pauses }, m) => {
      const c = compileCalendar(spec);
      const due = addWorkingTimeSkipping(c, at, m, pauses);
      const shuffled = addWorkingTimeSkipping(c, at, m, normalizePauses([...pauses].reverse()));
      if (due === null || !Number.isFinite(due)) return shuffled === due;
      return shuffled === due && countedMinutesBetween(c, at, due, pauses) === m && countedMinutesBetween(c, at, due - 1, pauses) < m;
    }),
    { numRuns: 80 },
  );
  t.pass('holds');
});
