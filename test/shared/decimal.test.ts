// One decimal module (src/decimal.ts) under the plans' Dec, billing's exact
// rationals and the documents' number checks: they read the same texts alike.
import t from 'tap';
import fc from 'fast-check';
import { decimalParts, isPlainDecimal, percentParts, scaleOf, unitsToDecimal } from '../../src/decimal.js';
import { parseDec, parsePercent as planPercent } from '../../src/plans/decimal.js';
import { parseDecimal, parsePercent, rat, fromDec, fromPercent, toExactDecimal } from '../../src/rational.js';

t.test('parts, scale and text', async (t) => {
  t.same(decimalParts(' -049.10 '), { negative: true, int: '049', frac: '10' });
  t.equal(decimalParts('+1'), null, 'no plus unless asked');
  t.same(decimalParts('+1', true), { negative: false, int: '1', frac: '' });
  for (const bad of ['', '.5', '5.', '1e3', '1,5', '--1', 'NaN']) t.equal(decimalParts(bad, true), null, `not a decimal: ${JSON.stringify(bad)}`);
  t.same(percentParts('12.5%'), { num: 125n, den: 1000n });
  t.same(['12.12345%', '-1%', '5'].map(percentParts), [null, null, null]);
  t.same(['49.10', '3', '0.125'].map(scaleOf), [2, 0, 3]);
  t.same([unitsToDecimal(12345n, 2), unitsToDecimal(-5n, 2), unitsToDecimal(7n, 3, 1), unitsToDecimal(1500n, 0)], ['123.45', '-0.05', '0.700', '1500']);
  t.same(['-12.50', '3', '0.125', '+1', '1.', ' 1'].map(isPlainDecimal), [true, true, true, false, false, false]);
});

t.test('plans and billing read every decimal and percentage alike', async (t) => {
  const decimal = fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.integer({ min: 0, max: 8 })).map(([neg, units, scale]) => unitsToDecimal(neg ? -units : units, scale));
  fc.assert(
    fc.property(decimal, (text) => {
      const d = parseDec(text)!;
      const r = parseDecimal(text)!;
      return isPlainDecimal(text) && fromDec(d).n === r.n && fromDec(d).d === r.d && toExactDecimal(r, scaleOf(text), 12) === d.text.replace(/^-(?=0(\.0*)?$)/, '');
    }),
    { numRuns: 300, seed: 14 },
  );
  for (const p of ['0%', '12.5%', '100%', '33.3333%', '250%']) t.same(fromPercent(planPercent(p)!), parsePercent(p), p);
  t.same(parseDecimal('-0.50'), rat(-1n, 2n));
});
