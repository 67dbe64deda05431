// Admin lists over HTTP (issue 22): pages across cursors, filters, stable
// order, isolation between partners, viewer-readable, bad queries 400.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { loadPlan } from '../../src/plans/load.js';
import { startServer, type Server } from './helpers.js';
import { huayun } from '../render/fixtures.js';

const plan = loadPlan(readFileSync('test/fixtures/plans/contoso.yaml', 'utf8'), 'plans/contoso.yaml').plan!;
const REQUEST = { service: 'azure', category: 'technical', severity: 'B', channel: 'phone' };

async function start(t: { teardown(fn: () => unknown): void }): Promise<Server> {
  const s = await startServer([plan, huayun()]);
  t.teardown(() => s.close());
  const ok = async (path: string, body: unknown, token?: string) => {
    const r = await s.call('POST', path, { body, ...(token ? { token } : {}) });
    if (r.status !== 201) throw new Error(`${path}: ${r.text}`);
  };
  for (const [id, name] of [['northwind', 'Northwind Traders'], ['fabrikam', 'Fabrikam'], ['adatum', 'Adatum Corp'], ['tailspin', 'Tailspin Toys'], ['wingtip', 'Wingtip 100%_Toys']]) await ok('/customers', { id, name });
  await ok('/v1/partners/huayun/customers', { id: 'huayun-only', name: 'Northwind of Huayun' }, s.other);
  await ok('/subscriptions', { id: 'nw-std', customer: 'northwind', offering: 'standard', start: '2026-10-01', quantities: [{ metric: 'seats', value: 10, from: '2026-10-01' }] });
  await ok('/subscriptions', { id: 'nw-ess', customer: 'northwind', offering: 'essential', start: '2026-08-01', end: '2026-09-30' });
  await ok('/subscriptions', { id: 'fb-std', customer: 'fabrikam', offering: 'standard', start: '2026-09-15' });
  await ok('/requests', { id: 'r-oct-2', customer: 'northwind', ...REQUEST, receivedAt: '2026-10-20T10:00:00-04:00', respondedAt: '2026-10-20T10:30:00-04:00' });
  await ok('/requests', { id: 'r-oct-1', customer: 'northwind', ...REQUEST, receivedAt: '2026-10-02T09:00:00-04:00' });
  await ok('/requests', { id: 'r-sep', customer: 'fabrikam', ...REQUEST, receivedAt: '2026-09-30T23:30:00-04:00' });
  await ok('/requests', { id: 'r-nov', customer: 'fabrikam', ...REQUEST, receivedAt: '2026-11-01T00:30:00-04:00' });
  await ok('/worklogs', { id: 'w-1', request: 'r-oct-1', start: '2026-10-02T10:00:00-04:00', minutes: 30 });
  await ok('/worklogs', { id: 'w-2', request: 'r-nov', start: '2026-11-01T01:00:00-04:00', minutes: 45 });
  await ok('/worklogs', { id: 'w-0', request: 'r-oct-2', start: '2026-10-31T23:59:00-04:00', minutes: 15 });
  await ok('/spend', { id: 'sp-nw-oct', customer: 'northwind', period: '2026-10', service: 'azure', amount: '2000.00' });
  await ok('/spend', { id: 'sp-fb-oct', customer: 'fabrikam', period: '2026-10', service: 'azure', amount: '10.00' });
  await ok('/spend', { id: 'sp-nw-sep', customer: 'northwind', period: '2026-09', service: 'azure', amount: '1500.00' });
  return s;
}

/** Every item id of a list, following nextCursor page by page; the pages' sizes too. */
async function walk(s: Server, path: string, token?: string): Promise<{ ids: string[]; sizes: number[] }> {
  const ids: string[] = [];
  const sizes: number[] = [];
  let url: string | null = path;
  while (url) {
    const r = await s.call('GET', url, token ? { token } : {});
    if (r.status !== 200) throw new Error(r.text);
    ids.push(...r.json.items.map((x: { id: string }) => x.id));
    sizes.push(r.json.items.length);
    url = r.json.nextCursor === null ? null : `${path}${path.includes('?') ? '&' : '?'}cursor=${r.json.nextCursor}`;
  }
  return { ids, sizes };
}

t.test('customers: by id in pages of limit, search by name part (any case, wildcards literal) or id, partners isolated, viewer reads', async (t) => {
  const s = await start(t);
  t.same(await walk(s, '/customers?limit=2'), { ids: ['adatum', 'fabrikam', 'northwind', 'tailspin', 'wingtip'], sizes: [2, 2, 1] });
  const one = await s.call('GET', '/customers?limit=2', { token: s.viewer });
  t.equal(one.status, 200);
  t.same(one.json.items[0], { id: 'adatum', name: 'Adatum Corp', locale: null, taxRate: null, email: null, tenantId: null, taxId: null });
  t.type(one.json.nextCursor, 'string');
  t.same((await walk(s, '/customers?q=TOYS')).ids, ['tailspin', 'wingtip']);
  t.same((await walk(s, '/customers?q=%25_')).ids, ['wingtip'], '% and _ are searched as characters');
  t.same((await walk(s, '/customers?q=fabrikam')).ids, ['fabrikam'], 'by id');
  t.same((await walk(s, '/customers?q=northwind')).ids, ['northwind'], "another partner's customer of the same name is not found");
  t.same((await walk(s, '/v1/partners/huayun/customers', s.other)).ids, ['huayun-only']);
  t.same((await s.call('GET', '/customers')).json.items.length, 5, 'default limit covers them');
});

t.test('subscriptions: customer, offering, activeOn filters; by start then id', async (t) => {
  const s = await start(t);
  t.same((await walk(s, '/subscriptions?limit=1')).ids, ['nw-ess', 'fb-std', 'nw-std']);
  t.same((await walk(s, '/subscriptions?customer=northwind')).ids, ['nw-ess', 'nw-std']);
  t.same((await walk(s, '/subscriptions?offering=standard')).ids, ['fb-std', 'nw-std']);
  t.same((await walk(s, '/subscriptions?activeOn=2026-09-30')).ids, ['nw-ess', 'fb-std'], 'end inclusive');
  t.same((await walk(s, '/subscriptions?activeOn=2026-10-01&customer=northwind')).ids, ['nw-std']);
  const first = (await s.call('GET', '/subscriptions?customer=northwind&limit=1')).json.items[0];
  t.same(first, { id: 'nw-ess', customer: 'northwind', offering: 'essential', start: '2026-08-01', end: '2026-09-30', discount: null, prices: null, priceAsOf: null, quantities: [] });
  t.same((await walk(s, '/v1/partners/huayun/subscriptions', s.other)).ids, []);
});

t.test("requests: by receivedAt; from/to as the partner's dates (to included) or instants (to excluded); state", async (t) => {
  const s = await start(t);
  t.same(await walk(s, '/requests?limit=3'), { ids: ['r-sep', 'r-oct-1', 'r-oct-2', 'r-nov'], sizes: [3, 1] });
  t.same((await walk(s, '/requests?from=2026-10-01&to=2026-10-31')).ids, ['r-oct-1', 'r-oct-2'], 'New York dates: 23:30 on Sep 30 and 00:30 on Nov 1 are outside');
  t.same((await walk(s, '/requests?from=2026-10-20T14:00:00Z&to=2026-11-01T04:30:00Z')).ids, ['r-oct-2'], 'instants: from included, to excluded');
  t.same((await walk(s, '/requests?customer=fabrikam')).ids, ['r-sep', 'r-nov']);
  t.same((await walk(s, '/requests?state=responded')).ids, ['r-oct-2']);
  t.same((await walk(s, '/requests?state=unresponded&customer=northwind')).ids, ['r-oct-1']);
  const accepted = (await walk(s, '/requests?state=accepted')).ids;
  const rejected = (await walk(s, '/requests?state=rejected')).ids;
  t.same([...accepted, ...rejected].sort(), ['r-nov', 'r-oct-1', 'r-oct-2', 'r-sep'], 'accepted and rejected split them');
  const r = (await s.call('GET', '/requests?customer=northwind&limit=1')).json.items[0];
  t.equal(r.id, 'r-oct-1');
  t.equal(r.receivedAt, '2026-10-02T09:00:00-04:00');
  t.type(r.decision.accepted, 'boolean');
});

t.test("worklogs and spend: by period (the partner's month), customer", async (t) => {
  const s = await start(t);
  t.same((await walk(s, '/worklogs?limit=1')).ids, ['w-1', 'w-0', 'w-2']);
  t.same((await walk(s, '/worklogs?period=2026-10')).ids, ['w-1', 'w-0'], '23:59 on Oct 31 in New York is October');
  t.same((await walk(s, '/worklogs?period=2026-11&customer=fabrikam')).ids, ['w-2']);
  t.same((await walk(s, '/worklogs?customer=tailspin')).ids, []);
  t.same((await walk(s, '/spend?limit=2')).ids, ['sp-nw-sep', 'sp-fb-oct', 'sp-nw-oct']);
  t.same((await walk(s, '/spend?period=2026-10')).ids, ['sp-fb-oct', 'sp-nw-oct']);
  t.same((await s.call('GET', '/spend?customer=northwind&period=2026-09')).json, {
    items: [{ id: 'sp-nw-sep', customer: 'northwind', period: '2026-09', service: 'azure', amount: '1500.00', retail: null, source: null, invoice: null }],
    nextCursor: null,
  });
  t.same((await walk(s, '/v1/partners/huayun/spend', s.other)).ids, []);
  t.same((await walk(s, '/v1/partners/huayun/worklogs', s.other)).ids, []);
  t.same((await walk(s, '/v1/partners/huayun/requests', s.other)).ids, []);
});

t.test('a page continues after its cursor whatever is written before it; bad queries are 400 INVALID_QUERY', async (t) => {
  const s = await start(t);
  const p1 = await s.call('GET', '/customers?limit=2');
  await s.call('POST', '/customers', { body: { id: 'aaa', name: 'Written meanwhile' } });
  const p2 = await s.call('GET', `/customers?limit=2&cursor=${p1.json.nextCursor}`);
  t.same(p2.json.items.map((c: { id: string }) => c.id), ['northwind', 'tailspin'], 'no repeat, no skip');
  for (const [query, pointer, detail] of [
    ['/customers?limit=0', '/limit', 'must be a whole number of items from 1 to 200'],
    ['/customers?limit=201', '/limit', 'must be a whole number of items from 1 to 200'],
    ['/customers?cursor=bm9wZQ', '/cursor', 'is not a cursor of this list (pass the nextCursor of an earlier page of customers, unchanged)'],
    [`/spend?cursor=${p1.json.nextCursor}`, '/cursor', 'is not a cursor of this list (pass the nextCursor of an earlier page of spend, unchanged)'],
    ['/requests?from=2026-10-01T10:00', '/from', 'must be a local date YYYY-MM-DD or an instant with offset such as 2026-10-14T10:00:00-04:00'],
  ] as const) {
    const r = await s.call('GET', query);
    t.equal(r.status, 400, query);
    t.equal(r.json.code, 'INVALID_QUERY', query);
    t.same(r.json.errors, [{ in: 'query', pointer, detail }], query);
  }
  for (const query of ['/customers?limit=abc', '/requests?state=open', '/worklogs?period=2026-13', '/subscriptions?activeOn=2026-02-30', '/spend?sort=id', '/customers?cursor=%2F%2F']) {
    const r = await s.call('GET', query);
    t.equal(r.status, 400, query);
    t.equal(r.json.code, 'INVALID_QUERY', query);
  }
  t.equal((await s.call('GET', '/customers', { token: null })).status, 401);
});
