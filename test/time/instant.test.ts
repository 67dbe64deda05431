import t from 'tap';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { parseInstant, zoneOffsets } from '../../src/time/instant.js';

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
