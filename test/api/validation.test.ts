// Records are checked against the plan when written (one path for the API,
// batches and imports: src/app/ingest.ts): a quantity's metric must be one a
// pricing component counts, a spend service one of the plan's, a response
// neither before the request nor in the future beyond the clock skew. Each
// refusal has its code and names the allowed values. Batch answers say what
// happened to each record.
import t from 'tap';
import { seed, startServer, type Server } from './helpers.js';
import { CLOCK_SKEW_MS } from '../../src/app/ingest.js';

const NOW = Date.parse('2026-10-20T12:00:00Z');
let s: Server;
t.before(async () => {
  s = await startServer(undefined, { now: () => NOW });
  await seed(s); // northwind holds standard (flat, seats per unit, hourly, 8% of azure spend) from 2026-10-10
});
t.teardown(() => s.close());

/** A 400 with its code and one field error: status, code and field compared at once. */
const refused = (tt: Pick<typeof t, 'same'>, r: { status: number; json: any }, code: string, pointer: string, detail: string): void =>
  void tt.same({ status: r.status, code: r.json?.code, errors: r.json?.errors }, { status: 400, code, errors: [{ in: 'body', pointer, detail }] });
const REQUEST = { customer: 'northwind', service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-14T10:00:00-04:00' };

t.test('a quantity of a metric no pricing component counts', async (t) => {
  const detail = 'no pricing component counts "sets": offering "standard" counts seats (the plan\'s offerings count: seats, users)';
  refused(
    t,
    await s.call('POST', '/subscriptions', { body: { id: 'typo', customer: 'northwind', offering: 'standard', start: '2026-11-01', quantities: [{ metric: 'sets', value: 5, from: '2026-11-01' }] } }),
    'UNKNOWN_METRIC',
    '/quantities/0/metric',
    detail,
  );
  refused(t, await s.call('POST', '/subscriptions/nw-standard/quantities', { body: { metric: 'sets', value: 25, from: '2026-10-15' } }), 'UNKNOWN_METRIC', '/metric', detail);
  // an offering that counts nothing: the metric another offering counts is kept (a change of offering carries it)
  const essential = await s.call('POST', '/subscriptions', { body: { id: 'nw-ess', customer: 'northwind', offering: 'essential', start: '2026-11-01', quantities: [{ metric: 'users', value: 3, from: '2026-11-01' }] } });
  t.equal(essential.status, 201, essential.text);
  refused(
    t,
    await s.call('POST', '/subscriptions/nw-ess/quantities', { body: { metric: 'sets', value: 25, from: '2026-11-15' } }),
    'UNKNOWN_METRIC',
    '/metric',
    'no pricing component counts "sets": offering "essential" counts no metric (the plan\'s offerings count: seats, users)',
  );
  t.equal((await s.call('POST', '/subscriptions/nw-standard/quantities', { body: { metric: 'seats', value: 25, from: '2026-10-15' } })).status, 201);
});

t.test('spend of a service the plan does not have', async (t) => {
  const detail = 'unknown service "gcp" (the plan\'s services: azure, m365, d365)';
  refused(t, await s.call('POST', '/spend', { body: { customer: 'northwind', period: '2026-10', service: 'gcp', amount: '100.00' } }), 'UNKNOWN_SERVICE', '/service', detail);
  const batch = await s.call('POST', '/batch/spend', {
    body: [
      { customer: 'northwind', period: '2026-10', service: 'azure', amount: '100.00' },
      { customer: 'northwind', period: '2026-10', service: 'gcp', amount: '1.00' },
    ],
  });
  t.equal(batch.status, 400);
  t.equal(batch.json.code, 'UNKNOWN_SERVICE');
  t.same(batch.json.errors, [{ in: 'body', pointer: '/1/service', detail }]);
  t.equal(batch.json.index, 1);
});

t.test('a response in the future beyond the clock skew', async (t) => {
  // NOW is 2026-10-20T12:00:00Z; five minutes ahead is skew, six is not
  const ahead = (ms: number): string => new Date(NOW + ms).toISOString();
  t.equal(CLOCK_SKEW_MS, 300_000);
  const late = ahead(6 * 60_000);
  refused(
    t,
    await s.call('POST', '/requests', { body: { ...REQUEST, id: 'future', respondedAt: late } }),
    'RESPONSE_IN_FUTURE',
    '/respondedAt',
    `respondedAt ${late} is in the future (the server's time is 2026-10-20T12:00:00.000Z, 5 minutes of clock skew allowed)`,
  );
  t.equal((await s.call('POST', '/requests', { body: { ...REQUEST, id: 'skewed', respondedAt: ahead(5 * 60_000) } })).status, 201);
  t.equal((await s.call('POST', '/requests', { body: { ...REQUEST, id: 'open' } })).status, 201);
  refused(t, await s.call('POST', '/requests/open/response', { body: { respondedAt: late } }), 'RESPONSE_IN_FUTURE', '/respondedAt', `respondedAt ${late} is in the future (the server's time is 2026-10-20T12:00:00.000Z, 5 minutes of clock skew allowed)`);
  refused(
    t,
    await s.call('POST', '/requests/open/response', { body: { respondedAt: '2026-10-14T09:00:00-04:00' } }),
    'RESPONSE_BEFORE_RECEIPT',
    '/respondedAt',
    'respondedAt 2026-10-14T09:00:00-04:00 is before receivedAt 2026-10-14T10:00:00-04:00',
  );
  t.equal((await s.call('POST', '/requests/open/response', { body: { respondedAt: '2026-10-14T10:30:00-04:00' } })).status, 200);
  // null is no response (yet)
  const none = await s.call('POST', '/requests', { body: { ...REQUEST, id: 'none', respondedAt: null } });
  t.equal(none.status, 201);
  t.equal((await s.call('GET', '/requests/none')).json.respondedAt, null);
  // a correction clears a response with null
  t.equal((await s.call('GET', '/requests/open')).json.respondedAt, '2026-10-14T10:30:00-04:00');
  const cleared = await s.call('PATCH', '/requests/open', { body: { respondedAt: null } });
  t.equal(cleared.status, 200, cleared.text);
  t.equal((await s.call('GET', '/requests/open')).json.respondedAt, null);
  // and is checked like a new record
  const future = await s.call('PATCH', '/requests/open', { body: { respondedAt: '2099-01-01T00:00:00Z' } });
  t.equal(future.json.code, 'RESPONSE_IN_FUTURE');
  t.equal(future.json.errors[0].pointer, '/respondedAt');
});

t.test('a worklog for an offering the customer does not hold names the date', async (t) => {
  refused(
    t,
    await s.call('POST', '/worklogs', { body: { customer: 'northwind', offering: 'dynamics-plus', start: '2026-10-15T10:00:00-04:00', minutes: 30 } }),
    'WORKLOG_OFFERING_NOT_HELD',
    '/offering',
    'customer "northwind" does not hold offering "dynamics-plus" on 2026-10-15',
  );
});

t.test('a batch of requests says what happened to each', async (t) => {
  const body = [
    { ...REQUEST, id: 'b-ok' },
    { ...REQUEST, id: 'b-no', service: 'd365' },
  ];
  const first = await s.call('POST', '/batch/requests', { body });
  t.equal(first.status, 200, first.text);
  t.same(first.json, {
    kind: 'requests',
    records: 2,
    created: 2,
    replayed: 0,
    ids: ['b-ok', 'b-no'],
    results: [
      { id: 'b-ok', created: true, accepted: true, reasons: [] },
      { id: 'b-no', created: true, accepted: false, reasons: ['SERVICE_NOT_COVERED'] },
    ],
  });
  const again = await s.call('POST', '/batch/requests', { body });
  t.same(again.json.results.map((r: { created: boolean }) => r.created), [false, false]);
  const spend = await s.call('POST', '/batch/spend', { body: [{ id: 'sp1', customer: 'northwind', period: '2026-11', service: 'm365', amount: '10.00' }] });
  t.same(spend.json.results, [{ id: 'sp1', created: true }]);
});
