import t from 'tap';
import fc from 'fast-check';
import { parseRequest } from '../../src/rules/request.js';
import { req } from './helpers.js';

const good = req() as unknown as Record<string, unknown>;

t.test('a well-formed request passes unchanged', async (t) => {
  const r = parseRequest(good);
  t.ok(r.ok);
  if (r.ok) t.same(r.value, good);
  const minimal = { ...good };
  delete minimal.offering;
  delete minimal.customer;
  delete minimal.serviceIncident;
  const m = parseRequest(minimal);
  t.ok(m.ok, 'offering, customer and serviceIncident are optional');
  t.ok(parseRequest({ ...good, customer: null, offering: null, serviceIncident: null }).ok, 'null counts as absent');
  t.ok(parseRequest({ ...good, receivedAt: '2026-11-24T22:30Z' }).ok, 'Z and no seconds');
  t.ok(parseRequest({ ...good, receivedAt: '2026-11-24T22:30:00.123+05:30' }).ok, 'fractions');
});

t.test('each shape error names its field', async (t) => {
  const table: Array<[string, unknown, string]> = [
    ['not an object', [], ''],
    ['null', null, ''],
    ['missing partner', { ...good, partner: undefined }, 'partner'],
    ['partner not a slug', { ...good, partner: 'Contoso' }, 'partner'],
    ['offering a number', { ...good, offering: 3 }, 'offering'],
    ['customer not a slug', { ...good, customer: 'north wind' }, 'customer'],
    ['missing service', { ...good, service: undefined }, 'service'],
    ['unknown category', { ...good, category: 'hardware' }, 'category'],
    ['missing severity', { ...good, severity: undefined }, 'severity'],
    ['severity with a space', { ...good, severity: 'very high' }, 'severity'],
    ['channel empty', { ...good, channel: '' }, 'channel'],
    ['missing receivedAt', { ...good, receivedAt: undefined }, 'receivedAt'],
    ['receivedAt without offset', { ...good, receivedAt: '2026-11-24T17:30:00' }, 'receivedAt'],
    ['receivedAt not a real day', { ...good, receivedAt: '2026-02-29T10:00:00Z' }, 'receivedAt'],
    ['receivedAt hour 24', { ...good, receivedAt: '2026-11-24T24:00:00Z' }, 'receivedAt'],
    ['receivedAt a number', { ...good, receivedAt: 1795529700000 }, 'receivedAt'],
    ['serviceIncident a string', { ...good, serviceIncident: 'yes' }, 'serviceIncident'],
    ['unknown field', { ...good, servceIncident: true }, 'servceIncident'],
  ];
  for (const [name, input, field] of table) {
    const r = parseRequest(input);
    t.notOk(r.ok, name);
    if (!r.ok) {
      t.equal(r.error.field, field, `${name}: field`);
      t.ok(r.error.message.length > 10, `${name}: says what is wrong: ${r.error.message}`);
    }
  }
});

t.test('property: never throws; ok xor error; ok keeps the fields', async (t) => {
  const field = fc.constantFrom(
    'partner', 'offering', 'customer', 'service', 'category', 'severity', 'channel', 'receivedAt', 'serviceIncident', 'extra',
  );
  const value = fc.oneof(
    fc.jsonValue(),
    fc.constantFrom('contoso', 'standard', 'technical', 'B', 'phone', '2026-11-24T17:30:00-05:00', true, false, null),
  );
  const requestish = fc.oneof(
    fc.jsonValue(),
    fc.dictionary(field, value),
    fc.record({ ...Object.fromEntries(Object.keys(good).map((k) => [k, value])) }, { requiredKeys: [] }),
    fc.record(Object.fromEntries(Object.entries(good).map(([k, v]) => [k, fc.oneof(fc.constant(v), value)]))),
  );
  fc.assert(
    fc.property(requestish, (json) => {
      const r = parseRequest(json);
      if (r.ok) {
        const o = json as Record<string, unknown>;
        return 'value' in r && !('error' in r) && r.value.partner === o.partner && r.value.receivedAt === o.receivedAt;
      }
      return 'error' in r && !('value' in r) && typeof r.error.field === 'string' && r.error.message.length > 0;
    }),
    { numRuns: 1000 },
  );
  t.pass('1000 random inputs');
});
