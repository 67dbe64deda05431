// One currency table (src/currency.ts, dinero.js' ISO 4217 data) for plans,
// billing and documents. Intl's digits differ for 17 codes (HUF, IDR, COP
// print no decimals there); the table's minor units are used everywhere.
import t from 'tap';
import { currencyDigits, currencyExponent } from '../../src/currency.js';
import { currencyOf, exponentOf, formatMoney, roundMoney } from '../../src/billing/money.js';
import { parseDecimal } from '../../src/rational.js';
import { Formatter } from '../../src/render/format.js';

const NBSP = '\u00a0';
const CASES = [
  // code, ISO 4217 minor units, a document's "1500", priced 1500.125 rounded half-up
  ['HUF', 2, `HUF${NBSP}1,500.00`, '1500.13'],
  ['IDR', 2, `IDR${NBSP}1,500.00`, '1500.13'],
  ['COP', 2, `COP${NBSP}1,500.00`, '1500.13'],
  ['JPY', 0, `JPY${NBSP}1,500`, '1500'],
  ['KWD', 3, `KWD${NBSP}1,500.000`, '1500.125'],
] as const;

t.test('minor units follow ISO 4217 in plans, billing and documents', async (t) => {
  const en = new Formatter('en-US');
  for (const [code, exponent, shown, priced] of CASES) {
    t.equal(currencyExponent(code), exponent, `${code}: table`);
    t.equal(currencyDigits(code), exponent, `${code}: document digits`);
    t.equal(exponentOf(currencyOf(code)), exponent, `${code}: billing currency`);
    t.equal(en.money('1500', code), shown, `${code}: a document's amount`);
    t.equal(formatMoney(roundMoney(parseDecimal('1500.125')!, currencyOf(code), 'half-up')), priced, `${code}: priced amount`);
  }
});

t.test('codes the table does not list', async (t) => {
  t.equal(currencyExponent('XYZ'), null);
  t.equal(currencyExponent('toString'), null, 'no prototype keys');
  t.equal(currencyDigits('XYZ'), 2, 'documents show 2 decimals');
  t.equal(exponentOf(currencyOf('XYZ', 3)), 3, "billing uses the plan's compiled exponent");
  t.throws(() => currencyOf('XYZ'), /unknown currency XYZ/);
  t.equal(currencyOf('HUF', 0).exponent, 2n, 'a listed code keeps its ISO minor units');
  t.equal(currencyOf('USD'), currencyOf('USD'), 'one object per currency');
});
