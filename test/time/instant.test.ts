import t from 'tap';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { formatDay, isInstant, isLocalDate, parseInstant, parseLocalDate, zoneOffsets } from '../../src/time/instant.js';
import { isInstant as billingIsInstant, isLocalDate as billingIsLocalDate } from '../../src/time/period.js';

t.test('parseInstant: ISO 8601 with offset or Z, real instants only', async (t) => {
  const ok: Array<[string, string]> = [
    ['2026-11-24T09:15:00-05:00', '2026-11-24T14:15:00.000Z'],
    ['2026-11-24T09:15Z', '2026-11-24T09:15:00.000Z'],
    ['2026-11-24T09:15:00.5Z', '2026-11-24T09:15:00.500Z'],
    ['2026-11-24T09:15:00.123456789+05:30', '2026-11-24T03:45:00.123Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ];
  for (const [s, iso] of ok) t.equal(new Date(parseInstant(s)).toISOString(), iso, s);
  for (const s of ['2026-02-29T00:00Z', '2026-11-24T24:00Z', '2026-11-24T09:15:00', '2026-11-24 09:15Z', '2026-11-24T09:15:00.Z',
    '2026-11-24T09:15:00-0500', '2026-11-24T09:15:60Z', '2026-13-01T00:00Z', '2026-11-24T09:15:00+19:00', '', 'x']) {
    t.ok(Number.isNaN(parseInstant(s)), `rejects ${JSON.stringify(s)}`);
  }
  fc.assert(
    fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }), (d) => parseInstant(d.toISOString()) === d.getTime()),
  );
});

t.test('format agrees with luxon in zones with DST, half hours and 45 minutes', async (t) => {
  const zones = ['America/New_York', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Europe/London', 'Asia/Shanghai', 'Asia/Kuwait', 'Asia/Tokyo'];
  fc.assert(
    fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(2020, 0, 1) / 1000, max: Date.UTC(2035, 0, 1) / 1000 }), (tz, s) => {
      const want = DateTime.fromMillis(s * 1000, { zone: tz }).toISO({ suppressMilliseconds: true, includeOffset: true });
      return zoneOffsets(tz).format(s * 1000) === want;
    }),
    { numRuns: 3000 },
  );
  t.equal(zoneOffsets('America/New_York').format(Date.UTC(2026, 10, 1, 5, 59, 59)), '2026-11-01T01:59:59-04:00', 'last second of EDT');
  t.equal(zoneOffsets('America/New_York').format(Date.UTC(2026, 10, 1, 6, 0, 0)), '2026-11-01T01:00:00-05:00', 'first of EST');
  t.equal(zoneOffsets('America/New_York').localDate(Date.UTC(2026, 11, 1, 4, 30)), '2026-11-30');
});

t.test('one answer to "is this an instant / a date" for every input', async (t) => {
  // a worklog start, a response time and a request's receivedAt are held to the same rule
  for (const s of ['2026-11-24T24:00Z', '2026-02-29T00:00Z', '20261124T091500Z', '2026-11-24T09:15:00+0500', '2026-W48-2T09:15Z']) {
    t.equal(isInstant(s), false, `not an instant: ${s}`);
    t.equal(billingIsInstant(s), false, `billing agrees: ${s}`);
  }
  t.equal(isInstant('2026-11-24T09:15:00-05:00'), true);
  t.same(['2024-02-29', '0000-01-01', '9999-12-31'].map(isLocalDate), [true, true, true]);
  t.same(['2026-02-29', '2026-13-01', '2026-00-10', '2026-1-01', '2026-01-01T00:00Z', ''].map(billingIsLocalDate), [false, false, false, false, false, false]);
  fc.assert(
    fc.property(fc.integer({ min: -719_528, max: 2_932_896 }), (day) => parseLocalDate(formatDay(day)) === day),
    { numRuns: 500, seed: 14 },
  );
});
