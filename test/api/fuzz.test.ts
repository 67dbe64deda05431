// Fuzz over every route: malformed JSON, wrong types, missing fields, huge
// numbers, unknown ids, prototype-pollution keys, oversized bodies. Every
// answer that is not a success is a 4xx problem document; never a 500; a
// refused write leaves the store exactly as it was.
import t from 'tap';
import fc from 'fast-check';
import { startServer, seed, type Server } from './helpers.js';

t.setTimeout(1_200_000);

const REQUEST = { customer: 'northwind', service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-14T10:00:00-04:00' };
const ROUTES: Array<[string, string, Record<string, unknown> | unknown[] | undefined]> = [
  ['POST', '/customers', { id: 'acme', name: 'Acme', taxRate: '8%' }],
  ['PUT', '/customers/northwind', { name: 'Northwind', taxRate: '8%' }],
  ['POST', '/subscriptions', { customer: 'northwind', offering: 'essential', start: '2026-09-01', quantities: [{ metric: 'seats', value: 1, from: '2026-09-01' }] }],
  ['POST', '/subscriptions/nw-standard/quantities', { metric: 'seats', value: 21, from: '2026-10-11' }],
  ['POST', '/evaluate', REQUEST],
  ['POST', '/requests', { ...REQUEST, id: 'fz' }],
  ['POST', '/requests/r-0/response', { respondedAt: '2026-10-14T10:30:00-04:00' }],
  ['POST', '/worklogs', { request: 'r-0', start: '2026-10-14T10:30:00-04:00', minutes: 15 }],
  ['POST', '/spend', { customer: 'northwind', period: '2026-10', service: 'azure', amount: '100.00' }],
  ['POST', '/batch/requests', [REQUEST, { ...REQUEST, severity: 'C' }]],
  ['POST', '/batch/worklogs', [{ request: 'r-0', start: '2026-10-14T10:30:00-04:00', minutes: 15 }]],
  ['POST', '/batch/spend', [{ customer: 'northwind', period: '2026-10', service: 'azure', amount: '1.00' }]],
  ['POST', '/quotes', { partner: 'contoso', period: '2026-10', customer: { id: 'p' }, subscriptions: [{ offering: 'standard', start: '2026-10-01', quantities: [{ metric: 'seats', value: 3, from: '2026-10-01' }] }], spend: [{ service: 'azure', amount: '10.00' }] }],
  ['POST', '/statements/northwind/2026-10/finalize', undefined],
  ['GET', '/statements/northwind/2026-10', undefined],
  ['GET', '/offerings/standard/terms', undefined],
  ['GET', '/reports/margin?period=2026-10', undefined],
  ['GET', '/plan', undefined],
];

const weird = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -1, 0.1, 1e21, '', ' ', 'x'.repeat(5000), '9'.repeat(400), '2026-02-30', '2026-10-14T25:99:00Z', 'unknown-id', '../../etc', null, true, [], {}),
);

/** A valid body changed in one place: a field replaced, removed, or a poisoned key added. */
function mutate(base: unknown): fc.Arbitrary<string> {
  const obj = (Array.isArray(base) ? base[0] : base) as Record<string, unknown>;
  const keys = Object.keys(obj ?? {});
  const wrap = (o: unknown): unknown => (Array.isArray(base) ? [...base.slice(0, 1), o, ...base.slice(1)] : o);
  return fc.oneof(
    keys.length ? fc.tuple(fc.constantFrom(...keys), weird).map(([k, v]) => JSON.stringify(wrap({ ...obj, [k]: v }))) : weird.map((v) => JSON.stringify(v)),
    keys.length ? fc.constantFrom(...keys).map((k) => { const o = { ...obj }; delete o[k]; return JSON.stringify(wrap(o)); }) : fc.constant('{}'),
    fc.constantFrom('__proto__', 'constructor', 'prototype').map((k) => JSON.stringify(wrap(obj)).replace(/^(\[?)\{/, `$1{"${k}":{"polluted":true},`)),
    weird.map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 40 }),
    fc.constantFrom('{', '[1,', '{"a":}', 'null', '"', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}'),
  );
}

function counts(s: Server): string {
  const tables = ['customers', 'subscriptions', 'quantities', 'requests', 'worklogs', 'spend', 'statements', 'idempotency'];
  return tables.map((x) => (s.repo.client.prepare(`select count(*) as n from ${x}`).get() as { n: number }).n).join(',');
}

t.test('fuzzing every route: 4xx problem documents, never 500, nothing half-written', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  await seed(s);
  await s.call('POST', '/requests', { body: { ...REQUEST, id: 'r-0' } });
  let calls = 0;
  const check = async (method: string, path: string, raw: string | undefined, what: string): Promise<boolean> => {
    const before = counts(s);
    const a = await s.call(method, path, raw === undefined ? {} : { raw });
    calls++;
    if (a.status >= 500) {
      t.fail(`${method} ${path} ${what}: ${a.status} for ${raw?.slice(0, 200)}: ${a.text.slice(0, 300)}`);
      return false;
    }
    if (a.status >= 300) {
      const ok = a.status >= 400 && /application\/problem\+json/.test(a.type) && a.json?.status === a.status && typeof a.json?.title === 'string';
      if (!ok) t.fail(`${method} ${path}: ${a.status} not a problem document: ${a.type} ${a.text.slice(0, 200)}`);
      if (counts(s) !== before) t.fail(`${method} ${path} ${what}: refused (${a.status}) yet the store changed`);
      return ok;
    }
    return true;
  };

  for (const [method, path, body] of ROUTES) {
    if (method === 'GET') {
      // query strings and path ids instead of bodies
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('format=pdf', 'period=2026-13', 'locale=../x', 'x=1', 'customer=ghost', 'format=')), async (q) =>
          check(method, `${path}${path.includes('?') ? '&' : '?'}${encodeURIComponent(q).replace(/%3D/g, '=')}`, undefined, 'query'),
        ),
        { numRuns: 8 },
      );
      continue;
    }
    await fc.assert(fc.asyncProperty(mutate(body ?? {}), async (raw) => check(method, path, raw, 'body')), { numRuns: 25 });
  }
  // unknown ids and bad ids in paths
  for (const path of ['/customers/ghost', '/subscriptions/ghost/quantities', '/requests/ghost/response', '/statements/ghost/2026-10', '/statements/northwind/2026-13', '/statements/NOPE/2026-10/finalize', '/batch/invoices', '/offerings/ghost/terms', '/requests/' + 'a'.repeat(300)]) {
    const method = /quantities|response|finalize|batch/.test(path) ? 'POST' : 'GET';
    const body = path.includes('quantities') ? '{"metric":"seats","value":1,"from":"2026-10-01"}' : path.includes('response') ? '{"respondedAt":"2026-10-14T10:30:00-04:00"}' : undefined;
    const before = counts(s);
    const a = await s.call(method, path, body ? { raw: body } : {});
    t.ok(a.status >= 400 && a.status < 500 && /problem\+json/.test(a.type), `${method} ${path}: ${a.status}`);
    t.equal(counts(s), before);
  }
  // oversized bodies: 413, nothing written
  const before = counts(s);
  const huge = JSON.stringify([...Array(12_000)].map((_, i) => ({ ...REQUEST, id: `big-${i}` })));
  const big = await s.call('POST', '/batch/requests', { raw: huge });
  t.equal(big.status, 413);
  t.match(big.type, /problem\+json/);
  t.equal(counts(s), before);
  // a wrong media type
  const media = await s.call('POST', '/customers', { raw: 'id=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  t.equal(media.status, 415);
  t.match(media.type, /problem\+json/);
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
  t.ok(calls > 300, `${calls} fuzzed calls`);
});
