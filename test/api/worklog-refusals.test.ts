// Usage that could never be billed right is refused (issue 21 item 9): a
// worklog for an offering the customer does not hold on its date (stored and
// never billed), a worklog naming a request and another offering (billed
// under the request's), a response before the request arrived (counted as
// met).
import t from 'tap';
import { seed, startServer, type Server } from './helpers.js';

let s: Server;
t.before(async () => {
  s = await startServer();
  await seed(s); // northwind holds standard from 2026-10-10
  const r = await s.call('POST', '/requests', {
    body: { id: 'r1', customer: 'northwind', service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-14T10:00:00-04:00' },
  });
  if (r.status !== 201) throw new Error(r.text);
});
t.teardown(() => s.close());

const refused = (t: Tap, r: { status: number; json: any }, code: string, pointer: string, detail: string): void => {
  t.equal(r.status, 400);
  t.equal(r.json.code, code);
  t.same(r.json.errors, [{ in: 'body', pointer, detail }]);
};
type Tap = Pick<typeof t, 'equal' | 'same'>;

t.test('a worklog for an offering the customer does not hold on its date', async (t) => {
  const other = await s.call('POST', '/worklogs', { body: { customer: 'northwind', offering: 'essential', start: '2026-10-15T10:00:00-04:00', minutes: 30 } });
  refused(t, other, 'WORKLOG_OFFERING_NOT_HELD', '/offering', 'customer "northwind" does not hold offering "essential" on 2026-10-15');
  const early = await s.call('POST', '/worklogs', { body: { customer: 'northwind', offering: 'standard', start: '2026-10-09T23:30:00-04:00', minutes: 30 } });
  refused(t, early, 'WORKLOG_OFFERING_NOT_HELD', '/offering', 'customer "northwind" does not hold offering "standard" on 2026-10-09');
  const batch = await s.call('POST', '/batch/worklogs', {
    body: [
      { customer: 'northwind', offering: 'standard', start: '2026-10-15T10:00:00-04:00', minutes: 30 },
      { customer: 'northwind', offering: 'essential', start: '2026-10-15T10:00:00-04:00', minutes: 30 },
    ],
  });
  t.equal(batch.json.code, 'WORKLOG_OFFERING_NOT_HELD');
  t.equal(batch.json.errors[0].pointer, '/1/offering');
  t.equal((await s.call('POST', '/worklogs', { body: { customer: 'northwind', offering: 'standard', start: '2026-10-15T10:00:00-04:00', minutes: 30 } })).status, 201);
});

t.test('a worklog naming a request and another offering', async (t) => {
  const r = await s.call('POST', '/worklogs', { body: { request: 'r1', offering: 'essential', start: '2026-10-14T11:00:00-04:00', minutes: 20 } });
  refused(t, r, 'WORKLOG_OFFERING_MISMATCH', '/offering', 'request "r1" is billed under offering "standard", not "essential"; leave offering out or name "standard"');
  t.equal((await s.call('POST', '/worklogs', { body: { request: 'r1', offering: 'standard', start: '2026-10-14T11:00:00-04:00', minutes: 20 } })).status, 201);
  t.equal((await s.call('POST', '/worklogs', { body: { request: 'r1', start: '2026-10-14T11:00:00-04:00', minutes: 20 } })).status, 201);
});

t.test('a response before the request was received', async (t) => {
  const body = { customer: 'northwind', service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-14T10:00:00-04:00' };
  const at = await s.call('POST', '/requests', { body: { ...body, id: 'r2', respondedAt: '1970-01-01T00:00:00Z' } });
  refused(t, at, 'RESPONSE_BEFORE_RECEIPT', '/respondedAt', 'respondedAt 1970-01-01T00:00:00Z is before receivedAt 2026-10-14T10:00:00-04:00');
  const later = await s.call('POST', '/requests/r1/response', { body: { respondedAt: '2026-10-14T09:59:59-04:00' } });
  refused(t, later, 'RESPONSE_BEFORE_RECEIPT', '/respondedAt', 'respondedAt 2026-10-14T09:59:59-04:00 is before receivedAt 2026-10-14T10:00:00-04:00');
  t.equal((await s.call('GET', '/requests/r1')).json.respondedAt, null, 'nothing stored');
  t.equal((await s.call('POST', '/requests', { body: { ...body, id: 'r3', respondedAt: '2026-10-14T14:00:00Z' } })).status, 201, 'the same instant in another offset is not before');
  t.equal((await s.call('POST', '/requests/r1/response', { body: { respondedAt: '2026-10-14T10:00:00-04:00' } })).status, 200, 'at the instant of receipt is allowed');
});
