// The audit log over HTTP (issue 22): who (token id), when, what, before and
// after of customer and subscription writes and of record corrections;
// filters, pages, admin only, partners isolated.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { loadPlan } from '../../src/plans/load.js';
import { startServer } from './helpers.js';
import { huayun } from '../render/fixtures.js';

const plan = loadPlan(readFileSync('test/fixtures/plans/contoso.yaml', 'utf8'), 'plans/contoso.yaml').plan!;

t.test('every change through the API is an entry: create, update, delete with before and after, by token id', async (t) => {
  const s = await startServer([plan, huayun()]);
  t.teardown(() => s.close());
  const adminId = (await s.repo.findToken(s.admin))!.id;
  const second = await s.repo.createToken('contoso', 'admin');
  const secondId = (await s.repo.findToken(second))!.id;
  const started = Date.now();
  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const r = await s.call(method, path, { ...(body === undefined ? {} : { body }), ...(token ? { token } : {}) });
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.text}`);
    return r.json;
  };
  const nw = await call('POST', '/customers', { id: 'northwind', name: 'Northwind' });
  await call('POST', '/customers', { id: 'northwind', name: 'Northwind' }); // a replay changes nothing
  const patched = await call('PATCH', '/customers/northwind', { name: 'Northwind Traders', taxRate: '10%' }, second);
  const sub = await call('POST', '/subscriptions', { id: 'nw-std', customer: 'northwind', offering: 'standard', start: '2026-10-01' });
  const withSeats = await call('POST', '/subscriptions/nw-std/quantities', { metric: 'seats', value: 12, from: '2026-10-01' });
  const discounted = await call('PATCH', '/subscriptions/nw-std', { discount: '5%' });
  const changed = await call('POST', '/subscriptions/nw-std/change', { offering: 'dynamics-plus', at: '2026-11-01' });
  const spend = await call('POST', '/spend', { id: 'sp', customer: 'northwind', period: '2026-10', service: 'azure', amount: '10.00' });
  const corrected = await call('PATCH', '/spend/sp', { amount: '12.00' });
  await call('DELETE', '/spend/sp', undefined, second);
  const ended = Date.now();

  const all = await s.call('GET', '/audit');
  t.equal(all.status, 200, all.text);
  const entries = all.json.items;
  t.same(
    entries.map((e: { token: string; action: string; entity: string; entityId: string }) => [e.token === adminId ? 'admin' : e.token === secondId ? 'second' : e.token, e.action, e.entity, e.entityId]),
    [
      ['admin', 'create', 'customer', 'northwind'],
      ['second', 'update', 'customer', 'northwind'],
      ['admin', 'create', 'subscription', 'nw-std'],
      ['admin', 'update', 'subscription', 'nw-std'],
      ['admin', 'update', 'subscription', 'nw-std'],
      ['admin', 'update', 'subscription', 'nw-std'],
      ['admin', 'create', 'subscription', 'nw-std-20261101'],
      ['admin', 'update', 'spend', 'sp'],
      ['second', 'delete', 'spend', 'sp'],
    ],
    'in order; creations of usage records themselves are not entries, their corrections are',
  );
  t.same(entries.map((e: { seq: number }) => e.seq), [...entries.map((e: { seq: number }) => e.seq)].sort((a, b) => a - b), 'by seq');
  for (const e of entries) t.ok(Date.parse(e.at) >= started - 1000 && Date.parse(e.at) <= ended + 1000, `at ${e.at} is when it was written`);
  t.same([entries[0].before, entries[0].after], [null, nw]);
  t.same([entries[1].before, entries[1].after], [nw, patched]);
  t.same([entries[2].before, entries[2].after], [null, sub]);
  t.same([entries[3].before, entries[3].after], [sub, withSeats], 'a quantity: before without it');
  t.same([entries[4].before, entries[4].after], [withSeats, discounted]);
  t.same([entries[5].before, entries[5].after], [discounted, changed.ended], 'a change of offering ends one…');
  t.same([entries[6].before, entries[6].after], [null, changed.started], '…and creates another');
  t.same([entries[7].before, entries[7].after], [spend, corrected]);
  t.same([entries[8].before, entries[8].after], [corrected, null]);

  // filters and pages
  const ids = async (q: string) => {
    const out: number[] = [];
    let cursor: string | null = null;
    do {
      const r = await s.call('GET', `/audit?${q}${cursor ? `&cursor=${cursor}` : ''}`);
      if (r.status !== 200) throw new Error(r.text);
      out.push(...r.json.items.map((e: { seq: number }) => e.seq));
      cursor = r.json.nextCursor;
    } while (cursor);
    return out;
  };
  const seq = entries.map((e: { seq: number }) => e.seq);
  t.same(await ids('limit=2'), seq, 'pages of 2 give them all, once each');
  t.same(await ids('entity=subscription&id=nw-std&limit=1'), seq.slice(2, 6));
  t.same(await ids('entity=customer'), seq.slice(0, 2));
  t.same(await ids(`from=${encodeURIComponent(new Date(ended + 5000).toISOString())}`), [], 'from after every entry');
  t.same(await ids(`to=${encodeURIComponent(new Date(started - 5000).toISOString())}`), [], 'to before every entry');
  t.same(await ids(`from=${encodeURIComponent(new Date(started - 5000).toISOString())}`), seq);

  const viewer = await s.call('GET', '/audit', { token: s.viewer });
  t.equal(viewer.status, 403, 'admin only');
  t.equal(viewer.json.code, 'FORBIDDEN');
  t.same((await s.call('GET', '/v1/partners/huayun/audit', { token: s.other })).json, { items: [], nextCursor: null }, "another partner's log is its own");
  const bad = await s.call('GET', '/audit?entity=invoice');
  t.equal(bad.status, 400);
  t.equal(bad.json.code, 'INVALID_QUERY');
  t.equal((await s.call('GET', `/audit?cursor=${all.json.nextCursor ?? 'WyJjdXN0b21lcnMiLCJhIiwiYSJd'}`)).status, 400, "another list's cursor");
});

t.test('a refused change writes no entry (same transaction)', async (t) => {
  const s = await startServer([plan, huayun()]);
  t.teardown(() => s.close());
  await s.call('POST', '/customers', { body: { id: 'northwind', name: 'Northwind' } });
  await s.call('POST', '/subscriptions', { body: { id: 'a', customer: 'northwind', offering: 'standard', start: '2026-10-01' } });
  t.equal((await s.call('PATCH', '/subscriptions/a', { body: { end: '2026-09-01' } })).status, 400, 'end before start');
  t.equal((await s.call('PUT', '/customers/northwind', { body: { name: 'X', taxRate: 'ten' } })).status, 400);
  t.same((await s.call('GET', '/audit')).json.items.map((e: { action: string; entityId: string }) => `${e.action} ${e.entityId}`), ['create northwind', 'create a']);
});
