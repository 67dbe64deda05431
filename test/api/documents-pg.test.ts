// Documents of record on PostgreSQL with two servers on one database (each its
// own pool and cache, as two `serve` processes): credit notes sent to both at
// once are numbered without a gap and never over-credit, a void on one is seen
// by a finalize on the other, which replaces it.
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { openStore } from '../../src/store/open.js';
import type { Repository } from '../../src/store/repository.js';
import { contoso } from '../render/fixtures.js';
import { pgDatabase } from '../helpers/pg.js';

interface Api {
  readonly repo: Repository;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
}

let token = '';
async function server(t: { teardown(fn: () => unknown): void }, url: string): Promise<Api> {
  const repo = await openStore(url, { poolSize: 4 });
  const app: FastifyInstance = await buildApp({ repo, plans: new Map([[contoso().partner.id, contoso()]]), authLimit: false });
  t.teardown(async () => {
    await app.close();
    await repo.close();
  });
  return {
    repo,
    async call(method, path, body) {
      const r = await app.inject({ method: method as 'GET', url: `/v1/partners/contoso${path}`, headers: { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { payload: body as object }) });
      return { status: r.statusCode, json: r.body ? JSON.parse(r.body) : null };
    },
  };
}

t.test('two servers: gapless credit notes, no over-credit, void on one and reissue on the other', async (t) => {
  const db = await pgDatabase(t);
  const a = await server(t, db.url);
  const b = await server(t, db.url);
  token = await a.repo.createToken('contoso', 'admin');
  for (const id of ['northwind', 'tailspin']) {
    t.equal((await a.call('POST', '/customers', { id, name: id, taxRate: '10%' })).status, 201);
    t.equal((await a.call('POST', '/subscriptions', { id: `${id}-s`, customer: id, offering: 'standard', start: '2026-10-01', quantities: [{ metric: 'seats', value: 10, from: '2026-10-01' }] })).status, 201);
    t.equal((await a.call('POST', '/spend', { id: `${id}-sp`, customer: id, period: '2026-10', service: 'azure', amount: '2000.00' })).status, 201);
  }
  t.equal((await a.call('POST', '/statements/northwind/2026-10/finalize')).json.number, 'CONTOSO-202610-0001');

  // 8 notes of 1.00 off line 0 and 4 of 15.00 off line 1 (40.00: 2 fit), half on each server, all at once
  const small = Array.from({ length: 8 }, (_, i) => (i % 2 ? b : a).call('POST', '/documents/CONTOSO-202610-0001/credit-notes', { reason: `s${i}`, lines: [{ line: 0, amount: '1.00' }] }));
  const big = Array.from({ length: 4 }, (_, i) => (i % 2 ? a : b).call('POST', '/documents/CONTOSO-202610-0001/credit-notes', { reason: `b${i}`, lines: [{ line: 1, amount: '15.00' }] }));
  const answers = await Promise.all([...small, ...big]);
  t.same(answers.map((r) => r.status).sort(), [...Array(10).fill(201), 409, 409]);
  t.same(answers.filter((r) => r.status === 409).map((r) => r.json.code), ['OVER_CREDIT', 'OVER_CREDIT']);
  const numbers = answers.filter((r) => r.status === 201).map((r) => r.json.number as string).sort();
  const series = numbers[0]!.slice(0, -4);
  t.match(series, /^CONTOSO-CN-\d{6}-$/);
  t.same(numbers, Array.from({ length: 10 }, (_, i) => series + String(i + 1).padStart(4, '0')), 'gapless across both servers');
  // 8.00 + 30.00 = 38.00, tax 3.80
  t.same((await b.call('GET', '/documents/CONTOSO-202610-0001/status')).json, { number: 'CONTOSO-202610-0001', kind: 'invoice', status: 'partially-credited', credited: '41.80' });
  t.equal((await b.call('POST', '/documents/CONTOSO-202610-0001/void', { reason: 'x' })).json.code, 'HAS_CREDIT_NOTES');

  t.equal((await a.call('POST', '/statements/tailspin/2026-10/finalize')).json.number, 'CONTOSO-202610-0002');
  t.equal((await b.call('POST', '/documents/CONTOSO-202610-0002/void', { reason: 'wrong plan' })).status, 200);
  t.equal((await a.call('GET', '/statements/tailspin/2026-10/issued')).status, 404, 'a sees the void b made');
  const again = await Promise.all([a.call('POST', '/statements/tailspin/2026-10/finalize'), b.call('POST', '/statements/tailspin/2026-10/finalize')]);
  t.same(again.map((r) => r.status).sort(), [200, 201]);
  t.same([again[0]!.json.number, again[0]!.json.replaces], ['CONTOSO-202610-0003', 'CONTOSO-202610-0002']);
  t.equal(again[1]!.json.number, 'CONTOSO-202610-0003');
  t.same((await a.call('GET', '/documents/CONTOSO-202610-0002/status')).json.replacedBy, 'CONTOSO-202610-0003');
  t.same(
    (await b.call('GET', '/documents?kind=invoice')).json.items.map((d: { number: string; status: string }) => [d.number, d.status]),
    [
      ['CONTOSO-202610-0001', 'partially-credited'],
      ['CONTOSO-202610-0002', 'void'],
      ['CONTOSO-202610-0003', 'issued'],
    ],
  );
});
