// POST /requests/:id/events and GET /requests/:id's `sla` (SPEC §11.2, §11.3)
// on a real server whose clock the test sets. Hand-computed against the
// fixture plan's office calendar (America/New_York, Mon–Fri 08:00–18:00),
// Standard severity B: response 4h, resolution 16h, pausing while the
// request waits on the customer.
import t from 'tap';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { loadPlan } from '../../src/plans/load.js';
import type { Plan } from '../../src/plans/types.js';
import { huayun } from '../render/fixtures.js';
import { startServer, type Server } from './helpers.js';

function slaPlan(): Plan {
  let src = readFileSync('test/fixtures/plans/contoso.yaml', 'utf8');
  const edits: [string, string][] = [
    ['      B: { name: High,     response: 4h }', '      B: { name: High,     response: 4h, resolution: 16h }'],
    ['    minimum: 300.00', '    pauseOn: [waiting-customer]\n    minimum: 300.00'],
  ];
  for (const [from, to] of edits) {
    if (!src.includes(from)) throw new Error(`fixture changed: ${from}`);
    src = src.replace(from, to);
  }
  const r = loadPlan(src, 'contoso.yaml');
  if (!r.plan) throw new Error(r.findings.map((f) => f.message).join('; '));
  return r.plan;
}

const at = (local: string): number => Date.parse(local);
let now = at('2026-10-20T10:00:00-04:00');
let s: Server;
t.before(async () => {
  s = await startServer([slaPlan(), huayun()], { now: () => now });
  const ok = async (path: string, body: unknown): Promise<void> => {
    const r = await s.call('POST', path, { body });
    if (r.status !== 201) throw new Error(`${path}: ${r.status} ${r.text}`);
  };
  await ok('/customers', { id: 'northwind', name: 'Northwind Traders' });
  await ok('/subscriptions', { id: 'nw-standard', customer: 'northwind', offering: 'standard', start: '2026-10-01' });
  // Tuesday 20 October 10:00 EDT, inside office hours
  await ok('/requests', { id: 'r1', customer: 'northwind', service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-20T10:00:00-04:00' });
  await ok('/requests', { id: 'r2', customer: 'northwind', service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-20T10:00:00-04:00' });
  await ok('/requests', { id: 'r3', customer: 'northwind', service: 'azure', category: 'technical', severity: 'C', channel: 'phone', receivedAt: '2026-10-20T10:00:00-04:00' });
});
t.teardown(() => s.close());

const post = (id: string, body: unknown, opts: { key?: string; token?: string } = {}) =>
  s.call('POST', `/requests/${id}/events`, { body, ...(opts.token ? { token: opts.token } : {}), ...(opts.key ? { headers: { 'idempotency-key': opts.key } } : {}) });

t.test('clocks before any event: both running, due times by the office calendar', async (t) => {
  now = at('2026-10-20T11:00:00-04:00');
  const r = await s.call('GET', '/requests/r1');
  t.equal(r.status, 200);
  t.same(r.json.sla, {
    response: { target: '4h', dueAt: '2026-10-20T14:00:00-04:00', state: 'open', stoppedAt: null },
    // 8h to Tuesday 18:00, then 8h from Wednesday 08:00
    resolution: { target: '16h', dueAt: '2026-10-21T16:00:00-04:00', state: 'open', stoppedAt: null },
    status: 'open',
    severity: 'B',
    pauses: [],
  });
  // C has no resolution target: no resolution clock
  const c = await s.call('GET', '/requests/r3');
  t.equal(c.json.sla.resolution, null);
  // 8h from Tuesday 10:00 runs out at the window's end, 18:00, not the next morning
  t.same(c.json.sla.response, { target: '8h', dueAt: '2026-10-20T18:00:00-04:00', state: 'open', stoppedAt: null });
});

t.test('paused while waiting on the customer, resumed the next morning', async (t) => {
  const paused = await post('r1', { id: 'e1', at: '2026-10-20T12:00:00-04:00', type: 'status', status: 'waiting-customer' });
  t.equal(paused.status, 201);
  t.same(paused.json, { request: 'r1', id: 'e1', at: '2026-10-20T12:00:00-04:00', type: 'status', status: 'waiting-customer', severity: null });

  now = at('2026-10-20T15:00:00-04:00');
  const during = await s.call('GET', '/requests/r1');
  // 2h counted when the pause began: no due time while paused
  t.same(during.json.sla.response, { target: '4h', dueAt: null, state: 'open', stoppedAt: null });
  t.same(during.json.sla.resolution, { target: '16h', dueAt: null, state: 'open', stoppedAt: null });
  t.equal(during.json.sla.status, 'waiting-customer');

  t.equal((await post('r1', { id: 'e2', at: '2026-10-21T10:00:00-04:00', type: 'status', status: 'open' })).status, 201);
  now = at('2026-10-21T11:00:00-04:00');
  const after = await s.call('GET', '/requests/r1');
  t.same(after.json.sla, {
    // 2h left from Wednesday 10:00
    response: { target: '4h', dueAt: '2026-10-21T12:00:00-04:00', state: 'open', stoppedAt: null },
    // 14h left from Wednesday 10:00: 8h to 18:00, 6h from Thursday 08:00
    resolution: { target: '16h', dueAt: '2026-10-22T14:00:00-04:00', state: 'open', stoppedAt: null },
    status: 'open',
    severity: 'B',
    pauses: [{ from: '2026-10-20T12:00:00-04:00', to: '2026-10-21T10:00:00-04:00', status: 'waiting-customer' }],
  });

  now = at('2026-10-21T12:30:00-04:00');
  t.equal((await s.call('GET', '/requests/r1')).json.sla.response.state, 'breached', 'past its due time and still running');
});

t.test('a responded event stops the response clock and sets respondedAt', async (t) => {
  const r = await post('r2', { at: '2026-10-20T13:30:00-04:00', type: 'responded' });
  t.equal(r.status, 201);
  t.match(r.json.id, /^ev-[0-9a-f]{32}$/);
  now = at('2026-10-23T09:00:00-04:00');
  const got = await s.call('GET', '/requests/r2');
  t.equal(got.json.respondedAt, '2026-10-20T13:30:00-04:00');
  t.same(got.json.sla.response, { target: '4h', dueAt: '2026-10-20T14:00:00-04:00', state: 'met', stoppedAt: '2026-10-20T13:30:00-04:00' });
  // resolution still running past its due time (Wednesday 16:00)
  t.same(got.json.sla.resolution, { target: '16h', dueAt: '2026-10-21T16:00:00-04:00', state: 'breached', stoppedAt: null });
  // a later response (either door) does not move the first one
  t.equal((await post('r2', { at: '2026-10-20T15:00:00-04:00', type: 'responded' })).status, 201);
  t.equal((await s.call('GET', '/requests/r2')).json.respondedAt, '2026-10-20T13:30:00-04:00');
  // resolved: the resolution clock stops (late)
  t.equal((await post('r2', { at: '2026-10-22T09:00:00-04:00', type: 'status', status: 'resolved' })).status, 201);
  const done = await s.call('GET', '/requests/r2');
  t.same(done.json.sla.resolution, { target: '16h', dueAt: '2026-10-21T16:00:00-04:00', state: 'breached', stoppedAt: '2026-10-22T09:00:00-04:00' });
  t.equal(done.json.sla.status, 'resolved');
});

t.test('a severity change applies its targets to the whole life', async (t) => {
  // C (8h, no resolution) raised to B on Tuesday 13:00: due as if B from receipt
  t.equal((await post('r3', { at: '2026-10-20T13:00:00-04:00', type: 'severity', severity: 'B' })).status, 201);
  now = at('2026-10-20T13:30:00-04:00');
  const r = await s.call('GET', '/requests/r3');
  t.equal(r.json.sla.severity, 'B');
  t.same(r.json.sla.response, { target: '4h', dueAt: '2026-10-20T14:00:00-04:00', state: 'open', stoppedAt: null });
  t.equal(r.json.sla.resolution.dueAt, '2026-10-21T16:00:00-04:00');
});

const refused = (t: Tap, r: { status: number; json: any }, status: number, code: string, pointer?: string, detail?: string): void => {
  t.equal(r.status, status, code);
  t.equal(r.json.code, code);
  if (pointer !== undefined) t.same(r.json.errors, [{ in: 'body', pointer, detail }]);
};
type Tap = Pick<typeof t, 'equal' | 'same'>;

t.test('refusals name their code and field', async (t) => {
  refused(t, await post('r1', { at: '2026-10-20T09:59:59-04:00', type: 'responded' }), 400, 'EVENT_BEFORE_RECEIPT', '/at', "at 2026-10-20T09:59:59-04:00 is before the request's receivedAt 2026-10-20T10:00:00-04:00");
  refused(t, await post('r1', { at: '2026-10-20T11:00:00-04:00', type: 'severity', severity: 'D' }), 400, 'EVENT_SEVERITY_UNKNOWN', '/severity', '"D" is not a severity of offering "standard" (A, B, C)');
  refused(t, await post('r1', { at: '2026-10-20T11:00:00-04:00', type: 'status', status: 'closed' }), 400, 'EVENT_STATUS_INVALID', '/status', '"closed" is not a status (open, waiting-customer, waiting-microsoft, waiting-provider, resolved)');
  refused(t, await post('r1', { at: '2026-10-20T11:00:00-04:00', type: 'status' }), 400, 'EVENT_INVALID', '/status', 'a status event names its status');
  refused(t, await post('r1', { at: '2026-10-20T11:00:00-04:00', type: 'severity' }), 400, 'EVENT_INVALID', '/severity', 'a severity event names the new severity');
  refused(t, await post('r1', { at: '2026-10-20T11:00:00-04:00', type: 'responded', status: 'open' }), 400, 'EVENT_INVALID', '/status', 'a responded event takes no status');
  refused(t, await post('r1', { at: '2026-10-20T11:00:00-04:00', type: 'status', status: 'open', severity: 'A' }), 400, 'EVENT_INVALID', '/severity', 'a status event takes no severity');
  refused(t, await post('r1', { at: '2026-10-20T11:00:00-04:00', type: 'closed' }), 400, 'INVALID_BODY');
  refused(t, await post('r1', { at: '2026-02-30T11:00:00-04:00', type: 'responded' }), 400, 'INVALID_BODY');
  refused(t, await post('r1', { at: '2026-10-20T11:00:00-04:00', type: 'responded', note: 'x' }), 400, 'INVALID_BODY');
  refused(t, await post('nope', { at: '2026-10-20T11:00:00-04:00', type: 'responded' }), 404, 'NOT_FOUND');
  refused(t, await s.call('GET', '/requests/nope'), 404, 'NOT_FOUND');
  // nothing of the refused was stored
  t.equal((await s.repo.listEvents('contoso', 'r1')).length, 2);
});

t.test('idempotent: an event id replays with its body and conflicts with another', async (t) => {
  const body = { id: 'again', at: '2026-10-20T11:15:00-04:00', type: 'status', status: 'open' };
  const first = await post('r3', body);
  const second = await post('r3', body);
  t.equal(first.status, 201);
  t.equal(second.status, 201);
  t.same(second.json, first.json);
  refused(t, await post('r3', { ...body, at: '2026-10-20T11:16:00-04:00' }), 409, 'RECORD_CONFLICT');
  // without an id: the same event is stored once
  const plain = { at: '2026-10-20T11:20:00-04:00', type: 'status', status: 'open' };
  t.same((await post('r3', plain)).json, (await post('r3', plain)).json);
  // an Idempotency-Key replays the first answer
  const k1 = await post('r3', { at: '2026-10-20T11:25:00-04:00', type: 'status', status: 'open' }, { key: 'k-ev-1' });
  const k2 = await post('r3', { at: '2026-10-20T11:25:00-04:00', type: 'status', status: 'open' }, { key: 'k-ev-1' });
  t.equal(k2.status, 201);
  t.same(k2.json, k1.json);
  const ids = (await s.repo.listEvents('contoso', 'r3')).map((e) => e.id);
  t.equal(ids.length, 4, 'severity, again, plain, keyed');
  t.equal(new Set(ids).size, 4);
});

t.test('events are the partner’s own; viewers cannot write them', async (t) => {
  // huayun's admin on its own path: contoso's request does not exist there
  refused(t, await s.call('POST', '/v1/partners/huayun/requests/r1/events', { token: s.other, body: { at: '2026-10-20T11:00:00-04:00', type: 'responded' } }), 404, 'NOT_FOUND');
  refused(t, await s.call('GET', '/v1/partners/huayun/requests/r1', { token: s.other }), 404, 'NOT_FOUND');
  // and not on contoso's path (another partner's token finds nothing there)
  refused(t, await post('r1', { at: '2026-10-20T11:00:00-04:00', type: 'responded' }, { token: s.other }), 404, 'NOT_FOUND');
  t.equal((await post('r1', { at: '2026-10-20T11:00:00-04:00', type: 'responded' }, { token: s.viewer })).status, 403);
  t.equal((await s.repo.listEvents('huayun', 'r1')).length, 0);
  t.equal((await s.call('GET', '/requests/r1', { token: s.viewer })).status, 200, 'viewers read the clocks');
});

t.test('fuzz: any body is a 201 or a coded 4xx, never a 500', async (t) => {
  const field = fc.oneof(fc.constant(undefined), fc.string({ maxLength: 12 }), fc.integer(), fc.constant(null), fc.constantFrom('open', 'resolved', 'B', 'responded', 'status', 'severity'));
  const instant = fc.oneof(
    fc.constantFrom('2026-10-20T10:00:00-04:00', '2026-10-20T09:00:00-04:00', '2026-13-01T00:00:00Z', 'yesterday', '2026-10-21T25:00:00Z'),
    fc.date({ min: new Date('2026-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }).map((d) => d.toISOString()),
  );
  const body = fc.record({ id: field, at: fc.oneof(instant, field), type: field, status: field, severity: field }, { requiredKeys: [] });
  await fc.assert(
    fc.asyncProperty(body, async (b) => {
      const clean = Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined));
      const r = await post('r1', clean);
      if (r.status === 201) return true;
      return r.status >= 400 && r.status < 500 && typeof r.json?.code === 'string';
    }),
    { numRuns: 150 },
  );
  t.pass();
});

t.test("GET /requests/:id/events: the request's life in the order it applies, for readers too", async (t) => {
  const r = await s.call('POST', '/requests', { body: { id: 'r9', customer: 'northwind', service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-20T10:00:00-04:00' } });
  t.equal(r.status, 201, r.text);
  t.same((await s.call('GET', '/requests/r9/events', { token: s.viewer })).json, { items: [] }, 'no event yet');
  // sent out of order: a status change at 12:00, then the response at 11:00, then a severity change at 12:00 (a tie: arrival order)
  for (const body of [
    { id: 'e-wait', at: '2026-10-20T12:00:00-04:00', type: 'status', status: 'waiting-customer' },
    { id: 'e-resp', at: '2026-10-20T11:00:00-04:00', type: 'responded' },
    { id: 'e-sev', at: '2026-10-20T12:00:00-04:00', type: 'severity', severity: 'A' },
  ]) t.equal((await post('r9', body)).status, 201);
  const list = await s.call('GET', '/requests/r9/events', { token: s.viewer });
  t.equal(list.status, 200);
  t.same(list.json, {
    items: [
      { request: 'r9', id: 'e-resp', at: '2026-10-20T11:00:00-04:00', type: 'responded', status: null, severity: null },
      { request: 'r9', id: 'e-wait', at: '2026-10-20T12:00:00-04:00', type: 'status', status: 'waiting-customer', severity: null },
      { request: 'r9', id: 'e-sev', at: '2026-10-20T12:00:00-04:00', type: 'severity', status: null, severity: 'A' },
    ],
  });
  refused(t, await s.call('GET', '/requests/nope/events'), 404, 'NOT_FOUND');
  refused(t, await s.call('GET', '/v1/partners/huayun/requests/r9/events', { token: s.other }), 404, 'NOT_FOUND');
});
