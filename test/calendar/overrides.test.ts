// Dated overrides in the compiled calendar, computed by hand: a half day, a
// make-up Saturday (China's 调休), an empty override closing a day, an override
// on a DST day, and a calendar open only on its overrides.
import t from 'tap';
import { compileCalendar } from '../../src/calendar/compile.js';
import type { Calendar, Window } from '../../src/calendar/types.js';
import { iso, ms } from './helpers.js';

const w = (text: string): Window => {
  const [s, e] = text.split('-').map((x) => x.split(':').map(Number));
  return { start: s[0] * 60 + s[1], end: e[0] * 60 + e[1] };
};
const weekdays = (windows: string[]): Window[][] => [0, 1, 2, 3, 4, 5, 6].map((d) => (d < 5 ? windows.map(w) : []));
function calendar(timezone: string, weekly: Window[][], overrides: Record<string, string[]>, holidays: string[] = []): Calendar {
  const o = Object.fromEntries(Object.entries(overrides).map(([d, ws]) => [d, ws.map(w)]));
  return compileCalendar({ id: 'o', timezone, weekly, holidays, overrides: o, alwaysOpen: false });
}

// Shanghai, 09:00-18:00 Mon-Fri. National Day 2026: Oct 1-7 closed by holidays; Sunday 27 Sep
// and Saturday 10 Oct are make-up working days (the holidays run to Friday 9 Oct); Wednesday 30 Sep is a half day.
const shanghai = calendar('Asia/Shanghai', weekdays(['09:00-18:00']), {
  '2026-09-27': ['09:00-18:00'],
  '2026-09-30': ['09:00-12:00'],
  '2026-10-10': ['09:00-18:00'],
}, ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08', '2026-10-09']);

t.test('make-up working days and a half day', async (t) => {
  // Saturday 26 Sep 17:00 local: closed; the make-up Sunday opens at 09:00
  t.equal(iso(shanghai.nextOpening(ms('2026-09-26T09:00:00Z'))), '2026-09-27T01:00:00.000Z');
  t.equal(shanghai.isOpen(ms('2026-09-27T02:00:00Z')), true, 'make-up Sunday 10:00 open');
  t.equal(shanghai.isOpen(ms('2026-09-30T04:30:00Z')), false, 'half day: 12:30 closed');
  t.equal(shanghai.isOpen(ms('2026-09-30T03:30:00Z')), true, 'half day: 11:30 open');
  // 4h from Wed 30 Sep 11:00: 1h on the half day, holidays and the weekend, 3h on the make-up Saturday
  t.equal(iso(shanghai.addWorkingTime(ms('2026-09-30T03:00:00Z'), 240)), '2026-10-10T04:00:00.000Z');
  // working time over the whole stretch: half day 3h + Sat 10 Oct 9h
  t.equal(shanghai.workingTimeBetween(ms('2026-09-29T16:00:00Z'), ms('2026-10-10T16:00:00Z')), (3 + 9) * 60);
});

t.test('an empty override closes the day; an override replaces, not adds to, the weekday', async (t) => {
  const ny = calendar('America/New_York', weekdays(['09:00-17:00']), { '2026-12-24': [], '2026-12-23': ['13:00-15:00'] });
  t.equal(ny.isOpen(ms('2026-12-24T15:00:00Z')), false);
  t.equal(ny.isOpen(ms('2026-12-23T15:00:00Z')), false, '10:00 on the 23rd is outside the override');
  t.equal(ny.isOpen(ms('2026-12-23T18:30:00Z')), true);
  // 3h from Wed 23 Dec 09:00: 13:00-15:00 (2h), closed 24th, Fri 25 09:00-10:00
  t.equal(iso(ny.addWorkingTime(ms('2026-12-23T14:00:00Z'), 180)), '2026-12-25T15:00:00.000Z');
});

t.test('an override on a DST day holds its wall-clock windows', async (t) => {
  // New York falls back on Sunday 1 Nov 2026 at 02:00; an override 00:00-04:00 is 5 real hours
  const ny = calendar('America/New_York', weekdays(['09:00-17:00']), { '2026-11-01': ['00:00-04:00'] });
  t.equal(ny.workingTimeBetween(ms('2026-11-01T00:00:00Z'), ms('2026-11-02T00:00:00Z')), 300);
  t.equal(iso(ny.addWorkingTime(ms('2026-11-01T04:00:00Z'), 300)), '2026-11-01T09:00:00.000Z');
});

t.test('a calendar open only on its overrides', async (t) => {
  const none: Window[][] = [[], [], [], [], [], [], []];
  const events = calendar('UTC', none, { '2026-06-01': ['10:00-12:00'], '2026-06-15': ['10:00-11:00'] });
  t.equal(iso(events.nextOpening(ms('2026-05-01T00:00:00Z'))), '2026-06-01T10:00:00.000Z');
  t.equal(iso(events.addWorkingTime(ms('2026-05-01T00:00:00Z'), 150)), '2026-06-15T10:30:00.000Z');
  t.equal(events.addWorkingTime(ms('2026-05-01T00:00:00Z'), 181), Infinity, 'runs out of open days');
  t.equal(events.nextOpening(ms('2026-06-15T11:00:00Z')), Infinity);
  t.equal(events.workingTimeBetween(ms('2026-01-01T00:00:00Z'), ms('2027-01-01T00:00:00Z')), 180);
});

t.test('the compiled spec keeps its overrides; a bad override is refused', async (t) => {
  t.same(shanghai.overrides?.['2026-09-30'], [{ start: 540, end: 720 }]);
  t.throws(() => calendar('UTC', weekdays(['09:00-17:00']), { '2026-06-01': ['10:00-12:00', '11:00-13:00'] }), /2026-06-01 window 660-780 is invalid, unsorted or overlapping/);
  t.throws(() => calendar('UTC', weekdays(['09:00-17:00']), { '2026-06-01': [] }, ['2026-06-01']), /2026-06-01 is both a holiday and an override/);
  t.throws(() => calendar('UTC', weekdays(['09:00-17:00']), { '2026-02-30': [] }), /invalid date "2026-02-30"/);
});
