// Fuzz of the bodies of subscriptions over time and PATCH /customers (§8.1):
// every refusal is a 4xx problem document with a code, never a 500, and a
// refused write leaves the store as it was.
import t from 'tap';
import fc from 'fast-check';
import { startServer, seed, type Server } from './helpers.js';

const ROUTES: Array<[string, string, Record<string, unknown>]> = [
  ['PATCH', '/subscriptions/nw-standard', { end: '2026-12-31', discount: '5%', prices: { base: { amount: '200.00' } }, priceAsOf: '2026-09-01' }],
  ['POST', '/subscriptions/nw-standard/change', { offering: 'essential', at: '2026-11-01', id: 'nw-ess' }],
  ['PATCH', '/customers/northwind', { name: 'Northwind', taxRate: '8%', taxId: 'US12-3456789', locale: 'en-US', email: 'a@b.c' }],
  ['PUT', '/customers/northwind', { name: 'Northwind', taxRate: '8%', taxId: null }],
];

const weird = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(1e308, -1, 0.1, '', 'x'.repeat(5000), '2026-02-30', '2026-10-14T25:99:00Z', 'unknown-id', null, true, [], {}, { bogus: { amount: '1.00' } }, { base: { rate: '5%' } }, { base: {} }, { base: { tiers: [] } }, '1900-01-01', '9999-12-31'),
);

function mutate(obj: Record<string, unknown>): fc.Arbitrary<string> {
  const keys = Object.keys(obj);
  return fc.oneof(
    fc.tuple(fc.constantFrom(...keys), weird).map(([k, v]) => JSON.stringify({ ...obj, [k]: v })),
    fc.subarray(keys).map((ks) => JSON.stringify(Object.fromEntries(ks.map((k) => [k, obj[k]])))),
    fc.constantFrom('__proto__', 'constructor').map((k) => JSON.stringify(obj).replace(/^\{/, `{"${k}":{"polluted":true},`)),
    weird.map((v) => JSON.stringify(v)),
    fc.constantFrom('{', 'null', '"', '[]'),
  );
}

function counts(s: Server): string {
  return ['customers', 'subscriptions', 'quantities', 'idempotency']
    .map((x) => (s.repo.client.prepare(`select count(*) as n from ${x}`).get() as { n: number }).n)
    .join(',');
}

t.test('fuzzing PATCH /subscriptions, change, PATCH and PUT /customers: never a 500, refusals are coded problems', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  await seed(s);
  const codes = new Set<string>();
  for (const [method, path, body] of ROUTES) {
    await fc.assert(
      fc.asyncProperty(mutate(body), async (raw) => {
        const before = counts(s);
        const a = await s.call(method, path, { raw });
        if (a.status >= 500) return false;
        if (a.status >= 300) {
          codes.add(a.json?.code);
          const ok = a.status >= 400 && a.status < 500 && /problem\+json/.test(a.type) && typeof a.json?.code === 'string';
          return ok && counts(s) === before;
        }
        return true;
      }),
      { numRuns: 40 },
    );
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
  t.ok(codes.has('INVALID_BODY'), [...codes].join(' '));
});
