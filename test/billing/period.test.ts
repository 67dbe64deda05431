// period.ts answers from cached zone-offset tables and a hand-written parser
// instead of luxon per record: the answers must be luxon's, on any instant and
// zone (property tests), and on the forms only luxon parses (fallback).
import t from 'tap';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { addDays, dayNumber, instantMs, localDate, period } from '../../src/time/period.js';

t.setTimeout(120_000);
const RUNS = 400;

// DST in both hemispheres, half- and quarter-hour offsets, a date-line jump (Apia 2011), no DST.
const ZONES = [
  'UTC', 'America/New_York', 'America/Santiago', 'America/St_Johns', 'Europe/London', 'Europe/Berlin', 'Asia/Kolkata',
  'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Apia', 'Pacific/Chatham', 'Asia/Shanghai', 'Africa/Casablanca', 'America/Havana',
];
const zone = fc.constantFrom(...ZONES);
// 1900..2200, to the millisecond
const instant = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) });
const offsetText = fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 18 }), fc.integer({ min: 0, max: 59 })).map(([s, h, m]) => `${s}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

const luxonMs = (text: string): number => {
  const dt = DateTime.fromISO(text, { setZone: true });
  return dt.isValid ? dt.toMillis() : Number.NaN;
};
const luxonDate = (x: string | number, z: string): string =>
  (typeof x === 'number' ? DateTime.fromMillis(x, { zone: z }) : DateTime.fromISO(x, { setZone: true }).setZone(z)).toISODate() ?? '';

t.test('localDate of epoch milliseconds equals luxon', async (t) => {
  fc.assert(fc.property(instant, zone, (ms, z) => localDate(ms, z) === luxonDate(ms, z)), { numRuns: RUNS * 5 });
  // around every transition of 2011 (Apia skipped a day) and 2026, found by bisection to the millisecond
  const offset = (ms: number, z: string): number => DateTime.fromMillis(ms, { zone: z }).offset;
  for (const z of ZONES) {
    for (const year of [2011, 2026]) {
      for (let a = Date.UTC(year, 0, 1); a < Date.UTC(year + 1, 0, 1); a += 6 * 3_600_000) {
        let lo = a;
        let hi = a + 6 * 3_600_000;
        if (offset(lo, z) === offset(hi, z)) continue;
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (offset(mid, z) === offset(lo, z)) lo = mid;
          else hi = mid;
        }
        for (const d of [-86_400_000, -3_600_001, -1, 0, 1, 60_000, 3_599_999, 86_400_000]) t.equal(localDate(hi + d, z), luxonDate(hi + d, z), `${z} ${hi + d}`);
      }
    }
  }
});

t.test('instantMs and localDate of ISO text equal luxon', async (t) => {
  const text = fc
    .tuple(instant, offsetText, fc.constantFrom('', ':SS', ':SS.f', ':SS.fff', ':SS.ffffff', ':SS.fffffffff'), fc.boolean())
    .map(([ms, off, secs, zulu]) => {
      const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
      const frac = iso.slice(20, 23) + String(ms % 7).repeat(6);
      const s = secs === '' ? '' : ':' + iso.slice(17, 19) + (secs.includes('.') ? '.' + frac.slice(0, secs.length - 4) : '');
      return iso.slice(0, 16) + s + (zulu ? 'Z' : off);
    });
  fc.assert(fc.property(text, zone, (s, z) => Object.is(instantMs(s), luxonMs(s)) && localDate(s, z) === luxonDate(s, z)), { numRuns: RUNS * 5 });
  // every 3-digit fraction (luxon floors parseFloat('0.f') * 1000)
  for (let f = 0; f < 1000; f++) {
    const s = `2026-10-05T10:00:00.${String(f).padStart(3, '0')}9-04:00`;
    if (instantMs(s) !== luxonMs(s)) t.fail(s);
  }
  // years 0000..9999
  fc.assert(fc.property(fc.integer({ min: 0, max: 9999 }), offsetText, (y, off) => {
    const s = `${String(y).padStart(4, '0')}-02-28T23:59:59.999${off}`;
    return Object.is(instantMs(s), luxonMs(s));
  }), { numRuns: RUNS });
  t.pass('random instants, every fraction, every year');
});

t.test('forms the parser leaves to luxon, and invalid text', async (t) => {
  const texts = [
    '2026-10-05T10:00:00+0400', '20261005T100000Z', '2026-10-05T24:00:00Z', '2026-10-05T10:00:00,5Z', '2026-W41-1T10:00Z', '2026-278T10:00Z',
    '2026-10-05T10:00:00.1234567891Z', '2026-10-05T10:00:00+19:00', '2026-10-05T10:00z', '2026-02-30T10:00Z', '2026-10-05T10:60Z', '2026-10-05T10:00:60Z',
    '2026-10-05', 'nonsense', '', '2026-10-05T10:00:00.Z',
  ];
  for (const s of texts) {
    t.ok(Object.is(instantMs(s), luxonMs(s)), `instantMs ${s}`);
    if (!Number.isNaN(luxonMs(s)) && /(Z|[+-]\d\d:?\d\d)$/.test(s)) t.equal(localDate(s, 'America/New_York'), luxonDate(s, 'America/New_York'), `localDate ${s}`);
  }
  t.equal(localDate(Number.NaN, 'UTC'), luxonDate(Number.NaN, 'UTC'), 'NaN');
  t.equal(localDate(8.64e15, 'UTC'), luxonDate(8.64e15, 'UTC'), 'last representable instant');
  t.equal(localDate(Date.UTC(2026, 9, 5), 'Not/AZone'), luxonDate(Date.UTC(2026, 9, 5), 'Not/AZone'), 'unknown zone');
  t.equal(localDate(-62_162_035_200_000, 'Asia/Tokyo'), luxonDate(-62_162_035_200_000, 'Asia/Tokyo'), 'year 1 (luxon path)');
});

t.test('period() is memoized, frozen, and as luxon computes it', async (t) => {
  const p = period('2026-03', 'America/New_York');
  t.equal(period('2026-03', 'America/New_York'), p, 'same object on the second call');
  t.ok(Object.isFrozen(p), 'shared, so frozen');
  t.same(p, {
    id: '2026-03', first: '2026-03-01', last: '2026-03-31', days: 31,
    startMs: Date.parse('2026-03-01T05:00:00Z'), endMs: Date.parse('2026-04-01T04:00:00Z'), zone: 'America/New_York',
  });
  t.not(period('2026-03', 'Europe/Berlin'), p, 'keyed by zone');
  t.throws(() => period('2026-13', 'UTC'), RangeError);
  t.throws(() => period('2026-03', 'Not/AZone'), RangeError);
  t.throws(() => period('2026-03', 'Not/AZone'), RangeError, 'errors are not cached as answers');
});

t.test('dayNumber and addDays equal the Date arithmetic they replace', async (t) => {
  const oldDayNumber = (date: string): number => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;
  const oldAddDays = (date: string, n: number): string => new Date((oldDayNumber(date) + n) * 86_400_000).toISOString().slice(0, 10);
  const two = (n: number) => String(n).padStart(2, '0');
  const date = fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })).map(([y, m, d]) => `${String(y).padStart(4, '0')}-${two(m)}-${two(d)}`);
  fc.assert(fc.property(date, fc.integer({ min: -400_000, max: 400_000 }), (d, n) => {
    if (!Object.is(dayNumber(d), oldDayNumber(d))) return false;
    let expected: string | Error;
    try {
      expected = oldAddDays(d, n);
    } catch (e) {
      expected = e as Error;
    }
    return typeof expected === 'string' ? addDays(d, n) === expected : t.throws(() => addDays(d, n), RangeError) !== undefined;
  }), { numRuns: RUNS * 10 });
  for (const d of ['2026-10-01', '0099-12-31', '0100-01-01', '9999-12-31', '2026-1-05', '2026', 'nonsense', '2026-10-0.5', '-001-01-01', '2026-02-29']) {
    t.ok(Object.is(dayNumber(d), oldDayNumber(d)), `dayNumber ${d}`);
    for (const n of [0, 1, -1, 0.5, 31]) {
      const v = Number.isNaN(oldDayNumber(d) + n) ? null : oldAddDays(d, n);
      if (v === null) t.throws(() => addDays(d, n), RangeError, `addDays ${d} ${n}`);
      else t.equal(addDays(d, n), v, `addDays ${d} ${n}`);
    }
  }
});
