// Happy path of every route, through a real listening server.
import t from 'tap';
import { startServer, seed } from './helpers.js';

t.setTimeout(600_000);

t.test('every route answers its happy path', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());

  const health = await s.call('GET', '/health', { token: null });
  t.equal(health.status, 200);
  t.same(health.json, { status: 'ok' });

  const openapi = await s.call('GET', '/openapi.json', { token: null });
  t.equal(openapi.status, 200);
  t.ok(openapi.json.paths['/v1/partners/{partner}/customers'], 'routes documented');
  t.ok(openapi.json.paths['/v1/partners/{partner}/batch/{kind}']);
  const docs = await s.call('GET', '/docs/', { token: null });
  t.equal(docs.status, 200);
  t.match(docs.type, /html/);

  const plan = await s.call('GET', '/plan');
  t.equal(plan.status, 200);
  t.equal(plan.json.planHash, s.plan.hash);
  t.equal(plan.json.plan.offerings.standard.pricing[0].amount, '250.00');

  await seed(s);
  const cust = await s.call('GET', '/customers/northwind');
  t.equal(cust.json.name, 'Northwind Traders');
  const upd = await s.call('PUT', '/customers/northwind', { body: { name: 'Northwind', taxRate: '8%', locale: 'en-US' } });
  t.equal(upd.status, 200);
  t.equal(upd.json.name, 'Northwind');
  t.equal((await s.call('GET', '/customers')).json.items.length, 1);

  const sub = await s.call('POST', '/subscriptions', { body: { customer: 'northwind', offering: 'essential', start: '2026-10-01', end: '2026-10-09' } });
  t.equal(sub.status, 201);
  t.match(sub.json.id, /^[a-z0-9-]+$/);
  const qty = await s.call('POST', '/subscriptions/nw-standard/quantities', { body: { metric: 'seats', value: 25, from: '2026-10-20' } });
  t.equal(qty.status, 201);
  t.same(qty.json.quantities.map((q: { value: number }) => q.value), [20, 25]);

  const request = { customer: 'northwind', service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-14T10:00:00-04:00' };
  const ev = await s.call('POST', '/evaluate', { body: request });
  t.equal(ev.status, 200);
  t.equal(ev.json.accepted, true);
  t.equal(ev.json.offering, 'standard', 'matched against subscriptions (§3.1)');

  const early = await s.call('POST', '/evaluate', { body: { ...request, service: 'm365', channel: 'email', receivedAt: '2026-10-05T10:00:00-04:00' } });
  t.equal(early.json.offering, 'essential', 'the subscription active on that date');

  const req = await s.call('POST', '/requests', { body: { ...request, id: 'r-1' } });
  t.equal(req.status, 201);
  t.equal(req.json.id, 'r-1');
  t.equal(req.json.decision.offering, 'standard');
  const resp = await s.call('POST', '/requests/r-1/response', { body: { respondedAt: '2026-10-14T11:00:00-04:00' } });
  t.equal(resp.status, 200);
  t.equal(resp.json.respondedAt, '2026-10-14T11:00:00-04:00');
  t.equal((await s.call('GET', '/requests/r-1')).json.respondedAt, '2026-10-14T11:00:00-04:00');

  const wl = await s.call('POST', '/worklogs', { body: { request: 'r-1', start: '2026-10-14T11:00:00-04:00', minutes: 200 } });
  t.equal(wl.status, 201);
  t.equal(wl.json.offering, 'standard');
  const sp = await s.call('POST', '/spend', { body: { customer: 'northwind', period: '2026-10', service: 'azure', amount: '4000.00' } });
  t.equal(sp.status, 201);

  const batch = await s.call('POST', '/batch/requests', {
    raw: [1, 2, 3].map((i) => JSON.stringify({ ...request, id: `b-${i}`, receivedAt: `2026-10-2${i}T10:00:00-04:00` })).join('\n') + '\n',
    headers: { 'content-type': 'application/x-ndjson' },
  });
  t.equal(batch.status, 200);
  t.equal(batch.json.records, 3);
  t.equal(batch.json.created, 3);
  const batchJson = await s.call('POST', '/batch/spend', { body: [{ id: 'sp-m365', customer: 'northwind', period: '2026-10', service: 'm365', amount: '10.00' }] });
  t.equal(batchJson.status, 200);

  const st = await s.call('GET', '/statements/northwind/2026-10');
  t.equal(st.status, 200);
  t.match(st.type, /application\/json/);
  t.equal(st.json.customer, 'northwind');
  t.ok(st.json.lines.length > 0);
  const html = await s.call('GET', '/statements/northwind/2026-10', { headers: { accept: 'text/html' } });
  t.match(html.type, /text\/html/);
  const csv = await s.call('GET', '/statements/northwind/2026-10?format=csv');
  t.match(csv.type, /text\/csv/);
  const md = await s.call('GET', '/statements/northwind/2026-10?format=md');
  t.match(md.type, /text\/markdown/);

  t.equal((await s.call('GET', '/statements/northwind/2026-10/issued')).status, 404);
  const fin = await s.call('POST', '/statements/northwind/2026-10/finalize');
  t.equal(fin.status, 201);
  t.equal(fin.json.number, 'CONTOSO-202610-0001');
  const fin2 = await s.call('POST', '/statements/northwind/2026-10/finalize');
  t.equal(fin2.status, 200);
  t.equal(fin2.text, fin.text);
  const issued = await s.call('GET', '/statements/northwind/2026-10/issued');
  t.equal(issued.status, 200);
  t.equal(issued.text, fin.text);

  const quote = await s.call('POST', '/quotes', {
    body: { partner: 'contoso', period: '2026-10', customer: { id: 'prospect' }, subscriptions: [{ offering: 'essential', start: '2026-10-01' }] },
  });
  t.equal(quote.status, 200, quote.text);
  t.equal(quote.json.total, '49.00');

  const terms = await s.call('GET', '/offerings/standard/terms');
  t.equal(terms.status, 200);
  t.match(terms.type, /text\/html/);
  const termsMd = await s.call('GET', '/offerings/standard/terms?format=md&locale=zh-CN&customer=northwind');
  t.equal(termsMd.status, 200);
  t.match(termsMd.type, /text\/markdown/);

  const margin = await s.call('GET', '/reports/margin?period=2026-10');
  t.equal(margin.status, 200, margin.text);
});
