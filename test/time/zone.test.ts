// The fast Intl-based offset must agree with luxon's IANAZone everywhere.
import t from 'tap';
import fc from 'fast-check';
import { IANAZone } from 'luxon';
import { offsetFn, offsetSegments } from '../../src/time/zone.js';

const ZONES = ['America/New_York', 'Europe/London', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham', 'UTC'];

t.test('offsetFn agrees with luxon (whole-minute offsets, years 1900-2100)', async (t) => {
  fc.assert(
    fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }), (zone, ts) =>
      offsetFn(zone)(ts) === IANAZone.create(zone).offset(ts) * 60_000,
    ),
    { numRuns: 400 },
  );
  t.pass('agrees');
});

t.test('offsetFn handles far past and future instants', async (t) => {
  const f = offsetFn('America/New_York');
  t.equal(f(-7e13), Math.round(IANAZone.create('America/New_York').offset(-7e13) * 60_000), 'BC year via luxon');
  t.equal(f(Date.UTC(2300, 6, 1)), -4 * 3600_000, 'DST rules continue');
});

t.test('offsetSegments splits at the exact transition', async (t) => {
  const f = offsetFn('America/New_York');
  const from = Date.parse('2026-03-08T00:00:00Z');
  const segs = offsetSegments(f, from, from + 86400_000);
  t.same(segs.map((s) => [new Date(s.from).toISOString(), s.offset / 3600_000]), [
    ['2026-03-08T00:00:00.000Z', -5],
    ['2026-03-08T07:00:00.000Z', -4],
  ]);
  t.equal(offsetSegments(f, from + 10 * 86400_000, from + 11 * 86400_000).length, 1);
});
