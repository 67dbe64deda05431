// Deadlines with exact instants, derived by hand in the comments.
// 2026 clock changes used below:
//   America/New_York  Sun 03-08 02:00 EST -> 03:00 EDT (07:00Z); Sun 11-01 02:00 EDT -> 01:00 EST (06:00Z)
//   Europe/London     Sun 03-29 01:00 GMT -> 02:00 BST (01:00Z); Sun 10-25 02:00 BST -> 01:00 GMT (01:00Z)
//   Europe/Berlin     Sun 03-29 02:00 CET -> 03:00 CEST (01:00Z); Sun 10-25 03:00 CEST -> 02:00 CET (01:00Z)
//   Australia/Sydney  Sun 04-05 03:00 AEDT -> 02:00 AEST (16:00Z on 04-04); Sun 10-04 02:00 AEST -> 03:00 AEDT (16:00Z on 10-03)
import t from 'tap';
import { alwaysOpenCalendar, compileCalendar, isValidTimeZone } from '../../src/calendar/compile.js';
import { cal, due, iso, ms } from './helpers.js';

t.test('office hours, America/New_York (SPEC §3.5 examples)', async (t) => {
  const office = cal('America/New_York', { 'mon-fri': ['08:00-18:00'], sat: ['09:00-13:00'] }, ['2026-11-26', '2026-12-25']);
  // Tue 11-24 17:00 EST, 1h, closes 18:00: due 18:00 EST = 23:00Z, not next morning.
  t.equal(due(office, '2026-11-24T17:00:00-05:00', 60), '2026-11-24T23:00:00.000Z');
  // 61 min: 60 on Tue, 1 on Wed from 08:00 -> Wed 08:01 EST = 13:01Z.
  t.equal(due(office, '2026-11-24T17:00:00-05:00', 61), '2026-11-25T13:01:00.000Z');
  // Wed 17:00 + 2h: 1h Wed, Thu 11-26 holiday, Fri 08:00 + 1h = 09:00 EST = 14:00Z.
  t.equal(due(office, '2026-11-25T17:00:00-05:00', 120), '2026-11-27T14:00:00.000Z');
  // Received while closed (Tue 20:00): clock starts Wed 08:00, +4h = 12:00 EST = 17:00Z.
  t.equal(due(office, '2026-11-24T20:00:00-05:00', 240), '2026-11-25T17:00:00.000Z');
  // Arriving exactly at closing (18:00 is excluded) is like arriving closed.
  t.equal(due(office, '2026-11-24T18:00:00-05:00', 30), '2026-11-25T13:30:00.000Z');
  // Fri 12-25 holiday, Sat 09:00-13:00: Thu 12-24 17:00 + 5h = 1h Thu + 4h Sat -> Sat 13:00 EST = 18:00Z.
  t.equal(due(office, '2026-12-24T17:00:00-05:00', 300), '2026-12-26T18:00:00.000Z');
  // 0 minutes is the received instant itself, even when closed.
  t.equal(due(office, '2026-11-24T20:00:00-05:00', 0), '2026-11-25T01:00:00.000Z');
  t.equal(office.isOpen(ms('2026-11-24T08:00:00-05:00')), true, 'start included');
  t.equal(office.isOpen(ms('2026-11-24T18:00:00-05:00')), false, 'end excluded');
  t.equal(office.isOpen(ms('2026-11-26T10:00:00-05:00')), false, 'holiday closed');
  t.equal(iso(office.nextOpening(ms('2026-11-25T19:00:00-05:00'))), '2026-11-27T13:00:00.000Z', 'skips the holiday');
  t.equal(iso(office.nextOpening(ms('2026-11-25T10:00:00-05:00'))), '2026-11-25T15:00:00.000Z', 'already open');
  // Week of 11-23: 5 x 10h - 10h (Thu) + 4h Sat = 44h = 2640 min.
  t.equal(office.workingTimeBetween(ms('2026-11-23T00:00:00-05:00'), ms('2026-11-30T00:00:00-05:00')), 2640);
  t.equal(office.workingTimeBetween(ms('2026-11-24T17:59:30-05:00'), ms('2026-11-24T19:00:00-05:00')), 0.5, 'fractional');
});

t.test('America/New_York across both DST changes', async (t) => {
  const office = cal('America/New_York', { 'mon-fri': ['08:00-18:00'] });
  // Fri 03-06 17:00 EST + 2h: 1h Fri, Mon 03-09 08:00 EDT + 1h = 09:00 EDT = 13:00Z (EST would be 14:00Z).
  t.equal(due(office, '2026-03-06T17:00:00-05:00', 120), '2026-03-09T13:00:00.000Z');
  // Fri 10-30 17:00 EDT (21:00Z) + 2h: Mon 11-02 09:00 EST = 14:00Z.
  t.equal(due(office, '2026-10-30T17:00:00-04:00', 120), '2026-11-02T14:00:00.000Z');

  // Sunday night shift 00:00-06:00 local: 5h real on 03-08, 7h real on 11-01.
  const night = cal('America/New_York', { sun: ['00:00-06:00'] });
  // 03-08: 00:00 EST = 05:00Z .. 06:00 EDT = 10:00Z.
  t.equal(due(night, '2026-03-07T12:00:00-05:00', 300), '2026-03-08T10:00:00.000Z');
  // One more minute spills into Sun 03-15 00:00 EDT (04:00Z) + 1 = 04:01Z.
  t.equal(due(night, '2026-03-07T12:00:00-05:00', 301), '2026-03-15T04:01:00.000Z');
  // Skipped hour does not count: 02:00 local never happens; 3h after 00:00 EST is 04:00 EDT = 08:00Z.
  t.equal(due(night, '2026-03-07T12:00:00-05:00', 180), '2026-03-08T08:00:00.000Z');
  t.equal(night.workingTimeBetween(ms('2026-03-07T00:00:00Z'), ms('2026-03-09T00:00:00Z')), 300);
  // 11-01: 00:00 EDT = 04:00Z .. 06:00 EST = 11:00Z = 7h.
  t.equal(due(night, '2026-10-31T12:00:00-04:00', 420), '2026-11-01T11:00:00.000Z');
  t.equal(night.workingTimeBetween(ms('2026-10-31T00:00:00Z'), ms('2026-11-02T00:00:00Z')), 420);
  // Repeated hour counts twice: 2h after 00:00 EDT is 01:00 EST (the second 01:00) = 06:00Z.
  t.equal(due(night, '2026-10-31T12:00:00-04:00', 120), '2026-11-01T06:00:00.000Z');

  // Window starting inside the gap (02:30) starts at the first instant after it: 03:00 EDT = 07:00Z.
  const gap = cal('America/New_York', { sun: ['02:30-04:00'] });
  t.equal(iso(gap.nextOpening(ms('2026-03-07T12:00:00-05:00'))), '2026-03-08T07:00:00.000Z');
  t.equal(due(gap, '2026-03-07T12:00:00-05:00', 60), '2026-03-08T08:00:00.000Z', '04:00 EDT');
  t.equal(gap.workingTimeBetween(ms('2026-03-07T00:00:00Z'), ms('2026-03-09T00:00:00Z')), 60, 'only 1h real');
  t.equal(gap.workingTimeBetween(ms('2026-03-01T00:00:00Z'), ms('2026-03-02T12:00:00Z')), 90, 'normal Sunday');

  // Window inside the repeated hour 01:00-02:00 on 11-01 is open twice: 05:00Z..07:00Z.
  const twice = cal('America/New_York', { sun: ['01:00-02:00'] });
  t.equal(iso(twice.nextOpening(ms('2026-10-31T12:00:00Z'))), '2026-11-01T05:00:00.000Z');
  t.equal(due(twice, '2026-10-31T12:00:00Z', 90), '2026-11-01T06:30:00.000Z', '01:30 EST');
  t.equal(due(twice, '2026-10-31T12:00:00Z', 120), '2026-11-01T07:00:00.000Z', '02:00 EST');
  t.equal(twice.isOpen(ms('2026-11-01T06:00:00Z')), true, 'second 01:00 is open');
});

t.test('Europe/London: lunch breaks, Friday and Monday holidays, DST', async (t) => {
  // Christmas 2026: Fri 12-25 and substitute Boxing Day Mon 12-28 are holidays.
  const office = cal('Europe/London', { 'mon-fri': ['08:00-12:00', '13:00-17:00'] }, ['2026-12-25', '2026-12-28']);
  // Thu 12-24 16:00 + 4h: 1h Thu, Fri/Sat/Sun/Mon closed, Tue 12-29 08:00 + 3h = 11:00 GMT.
  t.equal(due(office, '2026-12-24T16:00:00Z', 240), '2026-12-29T11:00:00.000Z');
  // Tue 12-01 10:00 + 2h ends exactly at the lunch break's start: 12:00, not 13:00.
  t.equal(due(office, '2026-12-01T10:00:00Z', 120), '2026-12-01T12:00:00.000Z');
  // One minute more runs into the afternoon window: 13:01.
  t.equal(due(office, '2026-12-01T10:00:00Z', 121), '2026-12-01T13:01:00.000Z');
  // Received during lunch: clock starts at 13:00, +30 = 13:30.
  t.equal(due(office, '2026-12-01T12:30:00Z', 30), '2026-12-01T13:30:00.000Z');
  // Full day = 8h: Tue 08:00 + 8h = 17:00 the same day (a window end).
  t.equal(due(office, '2026-12-01T08:00:00Z', 480), '2026-12-01T17:00:00.000Z');
  t.equal(office.workingTimeBetween(ms('2026-12-01T11:00:00Z'), ms('2026-12-01T14:00:00Z')), 120, 'lunch not counted');
  // Fri 03-27 16:00 GMT + 2h: 1h Fri, Mon 03-30 08:00 BST + 1h = 09:00 BST = 08:00Z.
  t.equal(due(office, '2026-03-27T16:00:00Z', 120), '2026-03-30T08:00:00.000Z');
  // Fri 10-23 16:00 BST (15:00Z) + 2h: Mon 10-26 09:00 GMT = 09:00Z.
  t.equal(due(office, '2026-10-23T16:00:00+01:00', 120), '2026-10-26T09:00:00.000Z');
});

t.test('Europe/Berlin: weekend cover with adjacent 24:00 windows across DST', async (t) => {
  const weekend = cal('Europe/Berlin', { sat: ['00:00-24:00'], sun: ['00:00-24:00'] });
  // Sat 03-28 00:00 CET (03-27 23:00Z) .. Mon 03-30 00:00 CEST (03-29 22:00Z) = 47h, continuous.
  t.equal(due(weekend, '2026-03-27T18:00:00+01:00', 47 * 60), '2026-03-29T22:00:00.000Z');
  t.equal(due(weekend, '2026-03-27T18:00:00+01:00', 24 * 60), '2026-03-28T23:00:00.000Z', 'Sun 00:00 CET');
  t.equal(weekend.isOpen(ms('2026-03-28T23:00:00Z')), true, 'Sat 24:00 = Sun 00:00 is open');
  t.equal(weekend.workingTimeBetween(ms('2026-03-27T00:00:00Z'), ms('2026-03-31T00:00:00Z')), 47 * 60);
  // Sat 10-24 00:00 CEST (10-23 22:00Z) .. Mon 10-26 00:00 CET (10-25 23:00Z) = 49h.
  t.equal(due(weekend, '2026-10-23T12:00:00+02:00', 49 * 60), '2026-10-25T23:00:00.000Z');
  // 48h: one hour before Monday 00:00 CET = Sun 23:00 CET = 22:00Z.
  t.equal(due(weekend, '2026-10-23T12:00:00+02:00', 48 * 60), '2026-10-25T22:00:00.000Z');
  // One minute beyond: next Saturday 10-31 00:00 CET (10-30 23:00Z) + 1.
  t.equal(due(weekend, '2026-10-23T12:00:00+02:00', 49 * 60 + 1), '2026-10-30T23:01:00.000Z');
});

t.test('Australia/Sydney (southern hemisphere): Easter and Labour Day', async (t) => {
  // Good Friday 04-03 and Easter Monday 04-06; Labour Day Mon 10-05.
  const office = cal('Australia/Sydney', { 'mon-fri': ['09:00-17:00'] }, ['2026-04-03', '2026-04-06', '2026-10-05']);
  // Thu 04-02 16:00 AEDT (05:00Z) + 2h: 1h Thu, Fri..Mon closed (DST ends Sun),
  // Tue 04-07 09:00 AEST + 1h = 10:00 AEST = 04-07 00:00Z.
  t.equal(due(office, '2026-04-02T16:00:00+11:00', 120), '2026-04-07T00:00:00.000Z');
  // Fri 10-02 16:30 AEST (06:30Z) + 1h: 30 min Fri, Mon holiday (DST began Sun),
  // Tue 10-06 09:30 AEDT = 10-05 22:30Z.
  t.equal(due(office, '2026-10-02T16:30:00+10:00', 60), '2026-10-05T22:30:00.000Z');
  const noHoliday = cal('Australia/Sydney', { 'mon-fri': ['09:00-17:00'] });
  // Same without the holiday: Mon 10-05 09:30 AEDT = 10-04 22:30Z.
  t.equal(due(noHoliday, '2026-10-02T16:30:00+10:00', 60), '2026-10-04T22:30:00.000Z');

  const sunday = cal('Australia/Sydney', { sun: ['00:00-24:00'] });
  // 04-05: 00:00 AEDT (04-04 13:00Z) .. 24:00 AEST (04-05 14:00Z) = 25h.
  t.equal(sunday.workingTimeBetween(ms('2026-04-03T00:00:00Z'), ms('2026-04-07T00:00:00Z')), 1500);
  t.equal(due(sunday, '2026-04-04T12:00:00+11:00', 1500), '2026-04-05T14:00:00.000Z');
  // 10-04: 00:00 AEST (10-03 14:00Z) .. 24:00 AEDT (10-04 13:00Z) = 23h.
  t.equal(sunday.workingTimeBetween(ms('2026-10-02T00:00:00Z'), ms('2026-10-06T00:00:00Z')), 1380);
  t.equal(due(sunday, '2026-10-03T12:00:00+10:00', 1380), '2026-10-04T13:00:00.000Z');

  // A window lying wholly in the 10-04 gap (02:00-03:00) never opens that day:
  // next opening is Sun 10-11 02:00 AEDT = 10-10 15:00Z.
  const lost = cal('Australia/Sydney', { sun: ['02:00-03:00'] });
  t.equal(iso(lost.nextOpening(ms('2026-10-03T00:00:00Z'))), '2026-10-10T15:00:00.000Z');
  // On 04-05 the hour 02:00-03:00 happens twice (15:00Z..17:00Z).
  t.equal(lost.workingTimeBetween(ms('2026-04-04T00:00:00Z'), ms('2026-04-06T00:00:00Z')), 120);
});

t.test('windows ending at 24:00 and adjacent days', async (t) => {
  const evening = cal('America/New_York', { 'mon-fri': ['16:00-24:00'] });
  // Mon 11-23 23:00 EST + 1h = 24:00 = Tue 00:00 EST = 05:00Z (a window end).
  t.equal(due(evening, '2026-11-23T23:00:00-05:00', 60), '2026-11-24T05:00:00.000Z');
  // +61: Tue 16:00 EST + 1 = 21:01Z.
  t.equal(due(evening, '2026-11-23T23:00:00-05:00', 61), '2026-11-24T21:01:00.000Z');
  t.equal(evening.isOpen(ms('2026-11-24T05:00:00Z')), false, '24:00 excluded');
  const run = cal('America/New_York', { mon: ['00:00-24:00'], tue: ['00:00-12:00'] });
  // Mon 23:30 + 60 runs straight through midnight: Tue 00:30 EST = 05:30Z.
  t.equal(due(run, '2026-11-23T23:30:00-05:00', 60), '2026-11-24T05:30:00.000Z');
  t.equal(run.isOpen(ms('2026-11-24T05:00:00Z')), true, 'Tue 00:00 open');
});

t.test('sparse calendars and one-year targets', async (t) => {
  const weekly = cal('America/New_York', { wed: ['10:00-11:00'] });
  // From Wed 01-07 11:00 EST (just closed), 52h = 52 Wednesdays: 01-14 is the first,
  // the 52nd is 01-14 + 51 weeks = 2027-01-06, ending 11:00 EST = 16:00Z.
  t.equal(due(weekly, '2026-01-07T11:00:00-05:00', 52 * 60), '2027-01-06T16:00:00.000Z');
  // 2h: Wed 01-21 11:00 EST = 16:00Z.
  t.equal(due(weekly, '2026-01-07T11:00:00-05:00', 120), '2026-01-21T16:00:00.000Z');
  // Summer Wednesday in EDT: from 06-30, 1h -> Wed 07-01 11:00 EDT = 15:00Z.
  t.equal(due(weekly, '2026-06-30T00:00:00Z', 60), '2026-07-01T15:00:00.000Z');

  const office = cal('America/New_York', { 'mon-fri': ['09:00-17:00'] });
  // 2000h = 250 weekdays = 50 weeks from Mon 01-05 09:00 EST: last is Fri 12-18, 17:00 EST = 22:00Z.
  t.equal(due(office, '2026-01-05T09:00:00-05:00', 2000 * 60), '2026-12-18T22:00:00.000Z');
  t.equal(office.workingTimeBetween(ms('2026-01-05T09:00:00-05:00'), ms('2026-12-18T22:00:00Z')), 120000);

  const always = alwaysOpenCalendar('America/New_York');
  t.equal(always.id, '24x7');
  t.equal(always.timezone, 'America/New_York');
  // 365 days of plain elapsed time.
  t.equal(iso(always.addWorkingTime(ms('2026-01-01T00:00:00Z'), 525600)), '2027-01-01T00:00:00.000Z');
  t.equal(always.workingTimeBetween(ms('2026-03-08T00:00:00-05:00'), ms('2026-03-09T00:00:00-04:00')), 23 * 60);
  t.equal(always.isOpen(0), true);
});

t.test('never-open calendars and validation', async (t) => {
  const never = cal('Europe/Berlin', {});
  t.equal(never.addWorkingTime(0, 60), Infinity);
  t.equal(never.nextOpening(0), Infinity);
  t.equal(never.addWorkingTime(5, 0), 5, '0 minutes is still `at`');
  t.equal(never.workingTimeBetween(0, 1e10), 0);
  t.equal(never.isOpen(0), false);
  t.equal(isValidTimeZone('Europe/Berlin'), true);
  t.equal(isValidTimeZone('Mars/Olympus'), false);
  t.equal(isValidTimeZone(''), false);
  const base = { id: 'x', timezone: 'UTC', holidays: [], alwaysOpen: false };
  t.throws(() => compileCalendar({ ...base, timezone: 'Nowhere/City', weekly: [[], [], [], [], [], [], []] }));
  t.throws(() => compileCalendar({ ...base, weekly: [[{ start: 600, end: 500 }], [], [], [], [], [], []] }));
  t.throws(() => compileCalendar({ ...base, weekly: [[{ start: 0, end: 600 }, { start: 500, end: 700 }], [], [], [], [], [], []] }));
  t.throws(() => compileCalendar({ ...base, weekly: [[], [], [], [], [], [], []], holidays: ['2026-02-30'] }));
});
