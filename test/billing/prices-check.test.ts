// checkPrices (SPEC §8.2): what writers of customer prices (PATCH, quotes) are
// told, with the code, the JSON pointer and the exact message, for every
// model's override shape.
import t from 'tap';
import { loadPlan } from '../../src/plans/load.js';
import { checkPrices, pricesError } from '../../src/billing/prices.js';
import type { Offering } from '../../src/plans/types.js';

const source = `version: 1
partner: { id: contoso, name: Contoso, currency: USD, timezone: America/New_York }
services: { azure: Microsoft Azure }
channels:
  email: { type: email, address: support@contoso.example, calendar: 24x7 }
offerings:
  all:
    name: All models
    delivery: partner
    services: [azure]
    categories: [technical]
    channels: [email]
    severities: { B: { response: 4h } }
    pricing:
      - { id: base, model: flat, amount: 250.00, to: 2026-10-15 }
      - { id: base, model: flat, amount: 300.00, from: 2026-10-16 }
      - { id: seats, model: per-unit, metric: seats, amount: 4.00 }
      - { id: users, model: graduated, metric: users, tiers: [{ upTo: 25, amount: 12.00 }, { amount: 9.00 }] }
      - { id: devices, model: volume, metric: devices, tiers: [{ upTo: 10, amount: 5.00 }, { amount: 4.00, flat: 10.00 }] }
      - { id: incidents, model: per-incident, amount: 95.00, included: 1 }
      - { id: labour, model: hourly, amount: 120.00 }
      - { id: azure, model: percent-of-spend, rate: "8%", minimum: 100.00, maximum: 5000.00 }
`;
const loaded = loadPlan(source, 'plans/contoso.yaml');
if (!loaded.plan) throw new Error(JSON.stringify(loaded.findings));
const offering = loaded.plan.offerings.get('all') as Offering;
const check = (prices: unknown, base?: string) => checkPrices(offering, prices, base);

t.test('valid prices for every model: no problem', async (t) => {
  t.same(
    check({
      base: { amount: '200.00' },
      seats: { amount: '3.125' }, // a unit price may have up to 6 decimals
      users: { tiers: [{ upTo: 10, amount: '11.00' }, { upTo: null, amount: '8.50', flat: '5.00' }] },
      devices: { tiers: [{ upTo: null, amount: '3.00' }] },
      incidents: { amount: '80.00' },
      labour: { amount: '99.50' },
      azure: { rate: '6.5%', minimum: '50.00', maximum: '4000.00' },
    }),
    [],
  );
  t.same(check({ azure: { rate: '6%' } }), [], 'minimum and maximum are optional');
  t.same(check(null), [], 'null removes the prices');
  t.same(check(undefined), []);
  t.same(check({}), []);
});

t.test('UNKNOWN_COMPONENT lists the offering’s ids', async (t) => {
  t.same(check({ support: { amount: '1.00' }, base: { amount: '1.00' } }), [
    { pointer: '/prices/support', code: 'UNKNOWN_COMPONENT', message: 'offering "all" has no component "support" (components: base, seats, users, devices, incidents, labour, azure)' },
  ]);
  t.same(check({ 'a/b': { amount: '1.00' } }, '/subscriptions/0/prices')[0].pointer, '/subscriptions/0/prices/a~1b', 'pointer escaped, under the caller’s base');
});

t.test('the wrong shape for the model: PRICE_OVERRIDE_INVALID at the field', async (t) => {
  t.same(check({ base: { rate: '5%' } }), [
    { pointer: '/prices/base/rate', code: 'PRICE_OVERRIDE_INVALID', message: '"rate" is not a field of the price of a flat component ("base" takes { amount })' },
    { pointer: '/prices/base', code: 'PRICE_OVERRIDE_INVALID', message: 'the price of a flat component ("base") needs "amount" (it takes { amount })' },
  ]);
  t.same(check({ azure: { amount: '10.00' } }), [
    { pointer: '/prices/azure/amount', code: 'PRICE_OVERRIDE_INVALID', message: '"amount" is not a field of the price of a percent-of-spend component ("azure" takes { rate, minimum?, maximum? })' },
    { pointer: '/prices/azure', code: 'PRICE_OVERRIDE_INVALID', message: 'the price of a percent-of-spend component ("azure") needs "rate" (it takes { rate, minimum?, maximum? })' },
  ]);
  t.same(check({ users: { amount: '10.00' } })[0], {
    pointer: '/prices/users/amount',
    code: 'PRICE_OVERRIDE_INVALID',
    message: '"amount" is not a field of the price of a graduated component ("users" takes { tiers })',
  });
  t.same(check({ devices: { tiers: [] } }), [
    { pointer: '/prices/devices/tiers', code: 'PRICE_OVERRIDE_INVALID', message: 'give a list of at least one tier like [{ "upTo": null, "amount": "9.00" }]' },
  ]);
  t.same(check({ seats: '4.00' }), [
    { pointer: '/prices/seats', code: 'PRICE_OVERRIDE_INVALID', message: 'the price of a per-unit component ("seats") is an object { amount }' },
  ]);
  t.same(check({ labour: { amount: '1', overage: '2' } })[0].message, '"overage" is not a field of the price of an hourly component ("labour" takes { amount })');
  t.same(check({ incidents: {} }), [
    { pointer: '/prices/incidents', code: 'PRICE_OVERRIDE_INVALID', message: 'the price of a per-incident component ("incidents") needs "amount" (it takes { amount })' },
  ]);
  t.same(check([1, 2]), [{ pointer: '/prices', code: 'PRICE_OVERRIDE_INVALID', message: 'prices map component ids to prices, like { "base": { "amount": "200.00" } }' }]);
});

t.test('values the plan would refuse, by the plan’s own rules', async (t) => {
  t.same(check({ base: { amount: '200.001' } }), [
    { pointer: '/prices/base/amount', code: 'PRICE_OVERRIDE_INVALID', message: '200.001 has 3 decimals; USD allows 2 decimals' }, // once, though base has two versions
  ]);
  t.same(check({ base: { amount: 200 } }), [
    { pointer: '/prices/base/amount', code: 'PRICE_OVERRIDE_INVALID', message: 'write the amount as a decimal string in major units like "49.00", not 200' },
  ]);
  t.same(check({ seats: { amount: '-1.00' } })[0].message, 'write the amount as a decimal string in major units like "49.00", not "-1.00"');
  t.same(check({ labour: { amount: '1.1234567' } })[0], {
    pointer: '/prices/labour/amount',
    code: 'PRICE_OVERRIDE_INVALID',
    message: '1.1234567 has 7 decimals; unit prices allow up to 6 decimals',
  });
  t.same(check({ azure: { rate: 'six' } })[0], { pointer: '/prices/azure/rate', code: 'PRICE_OVERRIDE_INVALID', message: 'expected a percentage like "12.5%", got "six"' });
  t.same(check({ azure: { rate: '120%' } })[0].message, '120% is over 100%: a share of the spend cannot exceed the spend');
  t.same(check({ azure: { rate: '5%', minimum: '6000.00' } }), [
    { pointer: '/prices/azure/minimum', code: 'PRICE_OVERRIDE_INVALID', message: 'minimum 6000.00 is above maximum 5000.00' }, // against the plan's maximum, kept
  ]);
  t.same(check({ azure: { rate: '5%', maximum: '50.00' } })[0].pointer, '/prices/azure/maximum');
  t.same(check({ users: { tiers: [{ upTo: 10, amount: '1.00' }, { upTo: 5, amount: '2.00' }, { upTo: null, amount: '3.00' }] } }), [
    { pointer: '/prices/users/tiers/1/upTo', code: 'PRICE_OVERRIDE_INVALID', message: "tiers must ascend: upTo 5 is not above the previous tier's 10" },
  ]);
  t.same(check({ users: { tiers: [{ upTo: 10, amount: '1.00' }] } }), [
    { pointer: '/prices/users/tiers/0/upTo', code: 'PRICE_OVERRIDE_INVALID', message: 'the last tier must be open-ended: remove upTo or add a tier without upTo after it' },
  ]);
  t.same(check({ devices: { tiers: [{ upTo: 0, amount: '1.00', cap: 1 }, 7] } }), [
    { pointer: '/prices/devices/tiers/0/cap', code: 'PRICE_OVERRIDE_INVALID', message: '"cap" is not a field of a tier (fields: upTo, amount, flat)' },
    { pointer: '/prices/devices/tiers/0/upTo', code: 'PRICE_OVERRIDE_INVALID', message: 'upTo is a whole number of units (1 or more), or null for the last tier' },
    { pointer: '/prices/devices/tiers/1', code: 'PRICE_OVERRIDE_INVALID', message: 'a tier is an object like { "upTo": 10, "amount": "12.00" }' },
  ]);
  t.same(check({ devices: { tiers: [{ upTo: null, amount: '1.00', flat: '0.001' }] } })[0], {
    pointer: '/prices/devices/tiers/0/flat',
    code: 'PRICE_OVERRIDE_INVALID',
    message: '0.001 has 3 decimals; USD allows 2 decimals',
  });
});

t.test('pricesError: the registry error, every problem positioned', async (t) => {
  t.equal(pricesError([]), null);
  const e = pricesError(check({ support: { amount: '1' }, base: { rate: '1%' } }));
  t.equal(e?.code, 'UNKNOWN_COMPONENT');
  t.equal(e?.status, 400);
  t.equal(e?.exit, 1);
  t.same(
    e?.errors?.map((x) => [x.in, x.pointer]),
    [
      ['body', '/prices/support'],
      ['body', '/prices/base/rate'],
      ['body', '/prices/base'],
    ],
  );
  t.equal(pricesError(check({ base: { amount: 'x' } }))?.code, 'PRICE_OVERRIDE_INVALID');
});

t.test('quote subscriptions take prices and priceAsOf, checked the same way', async (t) => {
  const { parseQuote, quoteStatement } = await import('../../src/billing/quote.js');
  const doc = (prices: unknown, priceAsOf?: string) => ({
    partner: 'contoso',
    period: '2026-10',
    customer: { id: 'northwind' },
    subscriptions: [{ id: 's1', offering: 'all', start: '2026-10-01', prices, ...(priceAsOf ? { priceAsOf } : {}) }],
  });
  const ok = parseQuote(doc({ base: { amount: '200.00' } }, '2026-10-01'));
  t.ok(ok.ok);
  if (ok.ok) {
    const st = quoteStatement(ok.value, loaded.plan!);
    t.same(st.lines.map((l) => [l.component, l.amount, l.priceSource, l.priceAsOf]).slice(0, 2), [
      ['base', '200.00', 'override', '2026-10-01'],
      ['seats', '0.00', 'grandfathered', '2026-10-01'], // no seats recorded
    ]);
  }
  const bad = parseQuote(doc({ support: { amount: '1.00' } }));
  t.ok(bad.ok, 'the wire shape is fine; the plan decides the ids');
  if (!bad.ok) return;
  try {
    quoteStatement(bad.value, loaded.plan!);
    t.fail('refused');
  } catch (e) {
    const err = e as import('../../src/errors.js').TierbookError;
    t.equal(err.code, 'UNKNOWN_COMPONENT');
    t.same(err.errors, [
      { in: 'body', pointer: '/subscriptions/0/prices/support', detail: 'offering "all" has no component "support" (components: base, seats, users, devices, incidents, labour, azure)' },
    ]);
  }
});

t.test('a block takes { amount, overage? }', async (t) => {
  const p = loadPlan(
    source.replace(
      '      - { id: base, model: flat, amount: 250.00, to: 2026-10-15 }\n',
      '      - { id: prepaid, model: block, unit: hours, size: 10h, amount: 1100.00, renew: monthly, overage: 150.00, draws: [labour] }\n      - { id: base, model: flat, amount: 250.00, to: 2026-10-15 }\n',
    ),
    'plans/contoso.yaml',
  ).plan!;
  const all = p.offerings.get('all') as Offering;
  t.same(checkPrices(all, { prepaid: { amount: '1000.00', overage: '130.00' } }), []);
  t.same(checkPrices(all, { prepaid: { amount: '1000.00' } }), []);
  t.same(checkPrices(all, { prepaid: { rate: '1%' } }), [
    { pointer: '/prices/prepaid/rate', code: 'PRICE_OVERRIDE_INVALID', message: '"rate" is not a field of the price of a block component ("prepaid" takes { amount, overage? })' },
    { pointer: '/prices/prepaid', code: 'PRICE_OVERRIDE_INVALID', message: 'the price of a block component ("prepaid") needs "amount" (it takes { amount, overage? })' },
  ]);
  t.same(checkPrices(all, { prepaid: { amount: '1.00', overage: '1.1234567' } }), [
    { pointer: '/prices/prepaid/overage', code: 'PRICE_OVERRIDE_INVALID', message: '1.1234567 has 7 decimals; unit prices allow up to 6 decimals' },
  ]);
});
