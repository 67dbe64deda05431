// The bounded memo behind every module-level cache, and resetCaches().
import t from 'tap';
import { Memo, resetCaches } from '../../src/memo.js';
import { zoneOffsets } from '../../src/time/instant.js';

t.test('bounded: the oldest entry goes when full; a hit moves nothing', async (t) => {
  const m = new Memo<string, number>(3);
  m.set('a', 1);
  m.set('b', 2);
  m.set('c', 3);
  t.equal(m.get('a'), 1);
  m.set('d', 4);
  t.same([m.has('a'), m.has('b'), m.has('c'), m.has('d'), m.size], [false, true, true, true, 3]);
  m.set('b', 20);
  t.same([m.get('b'), m.size, m.has('c')], [20, 3, true], 'replacing a key evicts nothing');
  t.throws(() => new Memo(0), RangeError);
});

t.test('of() makes a value once, undefined and null included', async (t) => {
  const m = new Memo<string, number | null | undefined>(8);
  let made = 0;
  const make = (k: string) => (made++, k === 'u' ? undefined : k === 'n' ? null : k.length);
  t.same([m.of('u', make), m.of('u', make), m.of('n', make), m.of('n', make), m.of('abc', make), m.of('abc', make)], [undefined, undefined, null, null, 3, 3]);
  t.equal(made, 3);
});

t.test('resetCaches empties every memo; answers stay the same', async (t) => {
  const m = new Memo<number, number>(4);
  m.set(1, 1);
  const owned = new Memo<number, number>(4, true);
  owned.set(1, 1);
  const before = zoneOffsets('Europe/Berlin');
  const offset = before.offsetAt(Date.UTC(2026, 6, 1));
  resetCaches();
  t.equal(m.size, 0);
  t.equal(owned.size, 1, "an object's own memo dies with it, not by resetCaches");
  const after = zoneOffsets('Europe/Berlin');
  t.not(after, before, 'the zone table is built again');
  t.equal(after.offsetAt(Date.UTC(2026, 6, 1)), offset);
});
