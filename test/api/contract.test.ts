// Auth matrix on every route, idempotency, batch atomicity, issued statements
// that never change, and draft statement == quote of the same data.
import t from 'tap';
import { startServer, seed, type Server } from './helpers.js';

t.setTimeout(900_000);

const REQUEST = { customer: 'northwind', service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-14T10:00:00-04:00' };

/** Every partner route with a valid body: [method, path, body, write]. */
const ROUTES: Array<[string, string, unknown, boolean]> = [
  ['GET', '/plan', undefined, false],
  ['GET', '/customers', undefined, false],
  ['GET', '/customers/northwind', undefined, false],
  ['POST', '/customers', { id: 'acme', name: 'Acme' }, true],
  // the customer has a taxRate: a PUT that replaces it says so (TAX_OMITTED otherwise)
  ['PUT', '/customers/northwind', { name: 'Northwind', taxRate: '8%' }, true],
  ['PATCH', '/customers/northwind', { name: 'Northwind Traders' }, true],
  ['GET', '/customers/northwind/subscriptions', undefined, false],
  ['POST', '/subscriptions', { customer: 'northwind', offering: 'essential', start: '2026-09-01', end: '2026-09-30' }, true],
  ['GET', '/subscriptions/nw-standard', undefined, false],
  ['PATCH', '/subscriptions/nw-standard', { discount: '5%' }, true],
  ['POST', '/subscriptions/nw-standard/quantities', { metric: 'seats', value: 21, from: '2026-10-11' }, true],
  ['POST', '/evaluate', REQUEST, false],
  ['POST', '/requests', REQUEST, true],
  ['GET', '/requests/r-0', undefined, false],
  ['POST', '/requests/r-0/response', { respondedAt: '2026-10-14T10:30:00-04:00' }, true],
  ['POST', '/worklogs', { request: 'r-0', start: '2026-10-14T10:30:00-04:00', minutes: 15 }, true],
  ['POST', '/spend', { customer: 'northwind', period: '2026-10', service: 'azure', amount: '100.00' }, true],
  // another service than POST /spend's row: a spend row without id is keyed by (customer, period, service)
  ['POST', '/batch/spend', [{ customer: 'northwind', period: '2026-10', service: 'm365', amount: '1.00' }], true],
  ['POST', '/quotes', { partner: 'contoso', period: '2026-10', customer: { id: 'p' }, subscriptions: [{ offering: 'essential', start: '2026-10-01' }] }, false],
  ['GET', '/statements/northwind/2026-10', undefined, false],
  ['POST', '/statements/northwind/2026-09/finalize', undefined, true],
  ['GET', '/statements/northwind/2026-09/issued', undefined, false],
  ['GET', '/offerings/standard/terms', undefined, false],
  ['GET', '/reports/margin?period=2026-10', undefined, false],
];

async function withServer(t: { teardown(fn: () => unknown): void }, fn: (s: Server) => Promise<void>): Promise<void> {
  const s = await startServer();
  t.teardown(() => s.close());
  await seed(s);
  await s.call('POST', '/requests', { body: { ...REQUEST, id: 'r-0' } });
  await fn(s);
}

t.test('auth matrix on every route', async (t) => {
  await withServer(t, async (s) => {
    for (const [method, path, body, write] of ROUTES) {
      const none = await s.call(method, path, { token: null, body });
      t.equal(none.status, 401, `${method} ${path} without token`);
      t.match(none.type, /application\/problem\+json/);
      const wrong = await s.call(method, path, { token: 'tb_not-a-token', body });
      t.equal(wrong.status, 401, `${method} ${path} wrong token`);
      const other = await s.call(method, path, { token: s.other, body });
      t.equal(other.status, 404, `${method} ${path} other partner's token`);
      const viewer = await s.call(method, path, { token: s.viewer, body });
      if (write) t.equal(viewer.status, 403, `${method} ${path} viewer write`);
      else t.ok(viewer.status < 300, `${method} ${path} viewer read (${viewer.status})`);
      const admin = await s.call(method, path, { body });
      t.ok(admin.status < 300, `${method} ${path} admin (${admin.status} ${admin.status >= 300 ? admin.text : ''})`);
    }
  });
});

t.test('idempotency: keys and record ids', async (t) => {
  await withServer(t, async (s) => {
    const body = { customer: 'northwind', period: '2026-10', service: 'azure', amount: '250.00' };
    const first = await s.call('POST', '/spend', { body, headers: { 'idempotency-key': 'k-1' } });
    t.equal(first.status, 201);
    const replay = await s.call('POST', '/spend', { body, headers: { 'idempotency-key': 'k-1' } });
    t.equal(replay.status, 201);
    t.equal(replay.text, first.text, 'same key and body replays the stored answer');
    t.equal(replay.headers.get('idempotent-replayed'), 'true');
    const clash = await s.call('POST', '/spend', { body: { ...body, amount: '251.00' }, headers: { 'idempotency-key': 'k-1' } });
    t.equal(clash.status, 409);
    t.match(clash.type, /problem\+json/);
    const st = await s.call('GET', '/statements/northwind/2026-10');
    t.ok(st.status === 200);

    const r1 = await s.call('POST', '/requests', { body: { ...REQUEST, id: 'r-idem' } });
    const r2 = await s.call('POST', '/requests', { body: { ...REQUEST, id: 'r-idem' } });
    t.equal(r1.status, 201);
    t.equal(r2.status, 201);
    t.same(r2.json, r1.json, 'same id and body replays');
    const r3 = await s.call('POST', '/requests', { body: { ...REQUEST, id: 'r-idem', severity: 'C' } });
    t.equal(r3.status, 409, 'same id, other body');
    const c = await s.call('POST', '/customers', { body: { id: 'northwind', name: 'Someone else' } });
    t.equal(c.status, 409);
  });
});

t.test('batch: one transaction, a bad record names its index', async (t) => {
  await withServer(t, async (s) => {
    const good = (i: number): unknown => ({ ...REQUEST, id: `bt-${i}`, receivedAt: `2026-10-1${i}T10:00:00-04:00` });
    const batch = [good(1), good(2), { ...REQUEST, id: 'bt-3', customer: 'nobody' }, good(4)];
    const res = await s.call('POST', '/batch/requests', { body: batch });
    t.equal(res.status, 400);
    t.equal(res.json.index, 2);
    t.ok(res.json.errors.some((e: { pointer: string }) => e.pointer === '/2/customer'), JSON.stringify(res.json.errors));
    for (const i of [1, 2, 4]) t.equal((await s.call('GET', `/requests/bt-${i}`)).status, 404, `bt-${i} not written`);

    const nd = [good(1), good(2)].map((x) => JSON.stringify(x)).join('\n') + '\n{not json\n';
    const res2 = await s.call('POST', '/batch/requests', { raw: nd, headers: { 'content-type': 'application/x-ndjson' } });
    t.equal(res2.status, 400);
    t.equal(res2.json.line, 3);
    t.equal((await s.call('GET', '/requests/bt-1')).status, 404);

    // a conflicting id in the middle also rolls everything back
    await s.call('POST', '/spend', { body: { id: 'sp-x', customer: 'northwind', period: '2026-10', service: 'azure', amount: '1.00' } });
    const res3 = await s.call('POST', '/batch/spend', {
      body: [
        { id: 'sp-a', customer: 'northwind', period: '2026-10', service: 'azure', amount: '1.00' },
        { id: 'sp-x', customer: 'northwind', period: '2026-10', service: 'azure', amount: '2.00' },
      ],
    });
    t.equal(res3.status, 409);
    t.equal(res3.json.index, 1);
    const data = await s.repo.periodData('contoso', 'northwind', '2026-10', 0, Date.parse('2100-01-01'));
    t.same(data!.spend.map((x) => x.id), ['sp-x']);
  });
});

t.test('finalize, then late usage: the issued statement is byte-identical', async (t) => {
  await withServer(t, async (s) => {
    await s.call('POST', '/spend', { body: { customer: 'northwind', period: '2026-10', service: 'azure', amount: '3000.00' } });
    const fin = await s.call('POST', '/statements/northwind/2026-10/finalize');
    t.equal(fin.status, 201);
    const before = await s.call('GET', '/statements/northwind/2026-10/issued');
    t.equal(before.text, fin.text);
    await s.call('POST', '/requests', { body: { ...REQUEST, id: 'late', receivedAt: '2026-10-30T10:00:00-04:00' } });
    await s.call('POST', '/worklogs', { body: { request: 'late', start: '2026-10-30T10:00:00-04:00', minutes: 600 } });
    await s.call('POST', '/spend', { body: { id: 'late-spend', customer: 'northwind', period: '2026-10', service: 'azure', amount: '9000.00' } });
    const draft = await s.call('GET', '/statements/northwind/2026-10');
    t.not(draft.json.total, fin.json.total, 'the draft moved');
    const after = await s.call('GET', '/statements/northwind/2026-10/issued');
    t.equal(after.text, before.text, 'the issued one did not');
    const again = await s.call('POST', '/statements/northwind/2026-10/finalize');
    t.equal(again.status, 200);
    t.equal(again.text, before.text);
  });
});

t.test('draft statement of stored data equals the quote of the same data', async (t) => {
  await withServer(t, async (s) => {
    await s.call('POST', '/requests/r-0/response', { body: { respondedAt: '2026-10-14T16:00:00-04:00' } });
    await s.call('POST', '/requests', { body: { ...REQUEST, id: 'r-1', severity: 'C', receivedAt: '2026-10-20T20:00:00-04:00' } });
    await s.call('POST', '/worklogs', { body: { id: 'w-1', request: 'r-0', start: '2026-10-14T17:30:00-04:00', minutes: 95 } });
    await s.call('POST', '/worklogs', { body: { id: 'w-2', request: 'r-1', start: '2026-10-21T09:00:00-04:00', minutes: 130 } });
    await s.call('POST', '/spend', { body: { id: 'sp-1', customer: 'northwind', period: '2026-10', service: 'azure', amount: '2750.00' } });
    const draft = await s.call('GET', '/statements/northwind/2026-10');
    t.equal(draft.status, 200);
    const sub = (await s.call('GET', '/subscriptions/nw-standard')).json;
    const stored = (id: string) => s.call('GET', `/requests/${id}`).then((a) => a.json);
    const reqs = await Promise.all(['r-0', 'r-1'].map(stored));
    const quote = await s.call('POST', '/quotes', {
      body: {
        partner: 'contoso',
        period: '2026-10',
        customer: { id: 'northwind', taxRate: '8%' },
        subscriptions: [{ id: sub.id, offering: sub.offering, start: sub.start, quantities: sub.quantities }],
        requests: reqs.map((r) => ({ id: r.id, offering: r.decision.offering, customer: r.customer, service: r.service, category: r.category, severity: r.severity, channel: r.channel, receivedAt: r.receivedAt, ...(r.respondedAt ? { respondedAt: r.respondedAt } : {}) })),
        worklogs: [
          { id: 'w-1', request: 'r-0', start: '2026-10-14T17:30:00-04:00', minutes: 95 },
          { id: 'w-2', request: 'r-1', start: '2026-10-21T09:00:00-04:00', minutes: 130 },
        ],
        spend: [{ id: 'sp-1', service: 'azure', amount: '2750.00' }],
      },
    });
    t.equal(quote.status, 200, quote.text);
    t.same(quote.json, draft.json);
  });
});

t.test('evaluate: the body is validated once, and every refusal points at its field', async (t) => {
  await withServer(t, async (s) => {
    const refuse = async (body: unknown, pointer: string, detail: RegExp): Promise<void> => {
      const r = await s.call('POST', '/evaluate', { body, token: s.viewer });
      t.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      t.match(r.type, /application\/problem\+json/);
      t.ok(
        r.json?.errors?.some((e: { in: string; pointer: string; detail: string }) => e.in === 'body' && e.pointer === pointer && detail.test(e.detail)),
        `${pointer} ${detail}: ${JSON.stringify(r.json?.errors)}`,
      );
    };
    // what only requestOf checks: a real instant (the schema's pattern passes these), the partner
    await refuse({ ...REQUEST, receivedAt: '2026-02-30T10:00:00Z' }, '/receivedAt', /^"2026-02-30T10:00:00Z" is not an instant/);
    await refuse({ ...REQUEST, receivedAt: '2026-10-14T25:99:00Z' }, '/receivedAt', /is not an instant/);
    await refuse({ ...REQUEST, partner: 'huayun' }, '/partner', /names partner "huayun" but was sent to partner "contoso"/);
    // what the schema checks
    await refuse({ ...REQUEST, serviceIncidnet: true }, '/serviceIncidnet', /^unknown field$/);
    await refuse({ ...REQUEST, category: 'sales' }, '/category', /must be one of billing, subscription, technical, got "sales"/);
    await refuse({ ...REQUEST, customer: 'Not A Slug' }, '/customer', /must be a customer id \(slug\), got "Not A Slug"/);
    const { severity: _s, ...noSeverity } = REQUEST;
    await refuse(noSeverity, '/severity', /^required$/);
    // null reads as absent, as it always did: no customer, so an offering must be named
    const anon = await s.call('POST', '/evaluate', { body: { ...REQUEST, customer: null, offering: null, serviceIncident: null }, token: s.viewer });
    t.equal(anon.status, 200);
    t.same(anon.json.reasons.map((r: { code: string }) => r.code), ['UNKNOWN_OFFERING']);
    const named = await s.call('POST', '/evaluate', { body: { ...REQUEST, customer: null, offering: 'standard' }, token: s.viewer });
    t.equal(named.json.offering, 'standard');
  });
});
