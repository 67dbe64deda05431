// Corrections of requests, worklogs and spend before they are billed (issue
// 22): PATCH and DELETE, admin only, idempotent, refused with PERIOD_ISSUED
// once the period (before or after the change) is invoiced.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { loadPlan } from '../../src/plans/load.js';
import { startServer, type Server } from './helpers.js';
import { huayun } from '../render/fixtures.js';

const plan = loadPlan(readFileSync('test/fixtures/plans/contoso.yaml', 'utf8'), 'plans/contoso.yaml').plan!;
const REQUEST = { customer: 'northwind', service: 'azure', category: 'technical', severity: 'B', channel: 'phone' };
const nowMs = Date.parse('2026-11-10T12:00:00Z'); // October has ended in New York

async function start(t: { teardown(fn: () => unknown): void }): Promise<Server> {
  const s = await startServer([plan, huayun()], { now: () => nowMs });
  t.teardown(() => s.close());
  const ok = async (path: string, body: unknown) => {
    const r = await s.call('POST', path, { body });
    if (r.status !== 201) throw new Error(`${path}: ${r.text}`);
  };
  await ok('/customers', { id: 'northwind', name: 'Northwind', taxRate: '10%' });
  await ok('/subscriptions', { id: 'nw-std', customer: 'northwind', offering: 'standard', start: '2026-10-01', quantities: [{ metric: 'seats', value: 10, from: '2026-10-01' }] });
  await ok('/spend', { id: 'sp-oct', customer: 'northwind', period: '2026-10', service: 'azure', amount: '2000.00' });
  await ok('/spend', { id: 'sp-nov', customer: 'northwind', period: '2026-11', service: 'azure', amount: '900.00' });
  await ok('/requests', { id: 'r1', ...REQUEST, receivedAt: '2026-10-14T10:00:00-04:00' });
  await ok('/requests', { id: 'r2', ...REQUEST, receivedAt: '2026-10-15T10:00:00-04:00' });
  await ok('/worklogs', { id: 'w1', request: 'r1', start: '2026-10-14T11:00:00-04:00', minutes: 30 });
  return s;
}

t.test('PATCH: fields replaced, the record checked as new (a request decided again); null removes; errors like a POST', async (t) => {
  const s = await start(t);
  const sp = await s.call('PATCH', '/spend/sp-oct', { body: { amount: '2500.00', retail: '2600.00' } });
  t.equal(sp.status, 200, sp.text);
  t.same(sp.json, { id: 'sp-oct', customer: 'northwind', period: '2026-10', service: 'azure', amount: '2500.00', retail: '2600.00', source: null, invoice: null });
  t.same((await s.call('PATCH', '/spend/sp-oct', { body: { retail: null } })).json.retail, null, 'null removes retail');
  t.equal((await s.call('GET', '/statements/northwind/2026-10')).json.lines.find((l: { component: string }) => l.component === 'azure').amount, '200.00', '8 % of the corrected 2500.00');

  const w = await s.call('PATCH', '/worklogs/w1', { body: { minutes: 90 } });
  t.equal(w.status, 200, w.text);
  t.same(w.json, { id: 'w1', customer: 'northwind', request: 'r1', offering: 'standard', start: '2026-10-14T11:00:00-04:00', minutes: 90, component: null, billable: true });
  const moved = await s.call('PATCH', '/worklogs/w1', { body: { request: 'r2' } });
  t.equal(moved.json.request, 'r2', 'moved to another request');

  const before = (await s.call('GET', '/requests/r1')).json;
  const r = await s.call('PATCH', '/requests/r1', { body: { severity: 'A', respondedAt: '2026-10-14T10:20:00-04:00' } });
  t.equal(r.status, 200, r.text);
  t.equal(r.json.severity, 'A');
  t.equal(r.json.respondedAt, '2026-10-14T10:20:00-04:00');
  t.not(r.json.decision.responseTarget, before.decision.responseTarget, 'the decision is taken again for severity A');
  t.equal((await s.call('PATCH', '/requests/r1', { body: { respondedAt: null } })).json.respondedAt, null, 'a response cleared');

  const early = await s.call('PATCH', '/requests/r1', { body: { respondedAt: '2026-10-14T09:00:00-04:00' } });
  t.equal(early.status, 400);
  t.equal(early.json.code, 'RESPONSE_BEFORE_RECEIPT');
  const float = await s.call('PATCH', '/spend/sp-oct', { body: { amount: 12 } });
  t.equal(float.status, 400);
  t.equal(float.json.errors[0].pointer, '/amount');
  t.equal((await s.call('PATCH', '/spend/sp-oct', { body: {} })).status, 400, 'nothing to change');
  t.equal((await s.call('PATCH', '/spend/sp-oct', { body: { customer: 'other' } })).status, 400, 'the customer stays');
  t.equal((await s.call('PATCH', '/spend/sp-oct', { body: { id: 'x' } })).status, 400, 'the id stays');
  const missing = await s.call('PATCH', '/worklogs/nope', { body: { minutes: 5 } });
  t.equal(missing.status, 404);
  t.equal(missing.json.detail, 'worklog "nope" not found');
  t.equal((await s.call('PATCH', '/worklogs/w1', { token: s.viewer, body: { minutes: 5 } })).status, 403, 'admin only');
  t.equal((await s.call('PATCH', '/v1/partners/huayun/spend/sp-oct', { token: s.other, body: { amount: '1.00' } })).status, 404, "another partner's id is not found");
  t.equal((await s.call('POST', '/spend', { body: { id: 'sp-oct', customer: 'northwind', period: '2026-10', service: 'azure', amount: '2000.00' } })).status, 409, 'the original body no longer replays: it conflicts with the corrected record');
});

t.test('DELETE: gone (a request with its events; not while worklogs refer to it); Idempotency-Key replays; 404 after', async (t) => {
  const s = await start(t);
  const inUse = await s.call('DELETE', '/requests/r1');
  t.equal(inUse.status, 409);
  t.equal(inUse.json.code, 'RECORD_IN_USE');
  t.equal(inUse.json.detail, 'request "r1" is referred to by worklog "w1"; correct or delete that first');
  const key = { 'idempotency-key': 'del-w1' };
  const w = await s.call('DELETE', '/worklogs/w1', { headers: key });
  t.equal(w.status, 200, w.text);
  t.same(w.json, { deleted: { id: 'w1', customer: 'northwind', request: 'r1', offering: 'standard', start: '2026-10-14T11:00:00-04:00', minutes: 30, component: null, billable: true } });
  const again = await s.call('DELETE', '/worklogs/w1', { headers: key });
  t.equal(again.status, 200);
  t.equal(again.headers.get('idempotent-replayed'), 'true');
  t.equal(again.text, w.text);
  t.equal((await s.call('DELETE', '/worklogs/w1')).status, 404, 'without the key: gone');
  t.equal((await s.call('POST', '/requests/r1/events', { body: { id: 'e1', at: '2026-10-14T10:30:00-04:00', type: 'responded' } })).status, 201);
  t.equal((await s.call('DELETE', '/requests/r1')).status, 200, 'its events go with it');
  t.equal((await s.call('GET', '/requests/r1')).status, 404);
  t.equal((await s.call('DELETE', '/spend/sp-nov', { token: s.viewer })).status, 403);
  t.same((await s.call('DELETE', '/spend/sp-nov')).json.deleted.amount, '900.00');
  t.same((await s.call('GET', '/spend')).json.items.map((x: { id: string }) => x.id), ['sp-oct']);
});

t.test('after the period is issued: 409 PERIOD_ISSUED, also for a change into it; other periods still correctable; after void again', async (t) => {
  const s = await start(t);
  const fin = await s.call('POST', '/statements/northwind/2026-10/finalize');
  t.equal(fin.status, 201, fin.text);
  const number = fin.json.number;
  for (const [method, path, body] of [
    ['PATCH', '/spend/sp-oct', { amount: '1.00' }],
    ['DELETE', '/spend/sp-oct', undefined],
    ['PATCH', '/worklogs/w1', { minutes: 5 }],
    ['DELETE', '/worklogs/w1', undefined],
    ['PATCH', '/requests/r2', { severity: 'A' }],
    ['DELETE', '/requests/r2', undefined],
    ['PATCH', '/spend/sp-nov', { period: '2026-10' }],
  ] as const) {
    const r = await s.call(method, path, body === undefined ? {} : { body });
    t.equal(r.status, 409, `${method} ${path}`);
    t.equal(r.json.code, 'PERIOD_ISSUED');
    t.equal(r.json.detail, `customer "northwind" has invoice ${number} issued for 2026-10; put the adjustment on a later period (or void the invoice first)`);
  }
  t.equal((await s.call('GET', '/spend?period=2026-10')).json.items[0].amount, '2000.00', 'unchanged');
  t.equal((await s.call('PATCH', '/spend/sp-nov', { body: { amount: '950.00' } })).status, 200, 'November is open');
  t.equal((await s.call('POST', `/documents/${number}/void`, { body: { reason: 'wrong spend' } })).status, 200);
  t.equal((await s.call('PATCH', '/spend/sp-oct', { body: { amount: '2100.00' } })).status, 200, 'a void invoice does not hold the period');
});
