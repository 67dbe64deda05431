// Issue 21 item 15: the issued body's issuedAt is the stored row's; a batch
// of MAX_BATCH records of the documented largest size fits the body limit;
// HTML answers carry Content-Security-Policy and X-Content-Type-Options.
import t from 'tap';
import { BATCH_BODY_LIMIT, MAX_BATCH, MAX_RECORD_BYTES } from '../../src/api/routes/usage.js';
import { seed, startServer, type Server } from './helpers.js';

let s: Server;
t.before(async () => {
  s = await startServer();
  await seed(s);
});
t.teardown(() => s.close());

t.test("the issued body's issuedAt is the stored row's", async (t) => {
  // the month's cloud spend: finalize refuses SPEND_MISSING without it
  await s.call('POST', '/spend', { body: { customer: 'northwind', period: '2026-10', service: 'azure', amount: '1000.00' } });
  const r = await s.call('POST', '/statements/northwind/2026-10/finalize');
  t.equal(r.status, 201, r.text);
  const row = await s.repo.issuedByNumber('contoso', r.json.number);
  t.ok(row);
  t.equal(r.json.issuedAt, row!.issuedAt);
  t.equal((await s.call('GET', '/statements/northwind/2026-10/issued')).json.issuedAt, row!.issuedAt);
});

t.test('MAX_BATCH requests of the largest documented size fit in one batch', async (t) => {
  const id = (i: number) => `${String(i).padStart(5, '0')}-${'r'.repeat(57)}`; // 63 characters, the longest id
  const one = (i: number) => ({
    id: id(i),
    partner: 'contoso',
    customer: 'northwind',
    offering: 'standard',
    service: 'azure',
    category: 'subscription',
    severity: 'C',
    channel: 'portal',
    receivedAt: '2026-10-14T10:00:00.123456789-04:00',
    respondedAt: '2026-10-14T11:00:00.123456789-04:00',
    serviceIncident: false,
  });
  t.ok(JSON.stringify(one(0)).length <= MAX_RECORD_BYTES, 'a request of the longest fields is within the documented record size');
  t.equal(BATCH_BODY_LIMIT, MAX_BATCH * MAX_RECORD_BYTES);
  const body = JSON.stringify(Array.from({ length: MAX_BATCH }, (_, i) => one(i)));
  t.ok(body.length > 1024 * 1024, `the batch is over the 1 MiB of other bodies (${body.length} bytes)`);
  const r = await s.call('POST', '/batch/requests', { raw: body });
  t.equal(r.status, 200, r.text.slice(0, 300));
  t.equal(r.json.created, MAX_BATCH);
  const over = await s.call('POST', '/batch/requests', { raw: ' '.repeat(BATCH_BODY_LIMIT + 1) });
  t.same([over.status, over.json.code], [413, 'BODY_TOO_LARGE'], 'the limit still holds');
  const single = await s.call('POST', '/customers', { raw: JSON.stringify({ id: 'big', name: 'x'.repeat(2 * 1024 * 1024) }) });
  t.equal(single.status, 413, 'other routes keep the 1 MiB limit');
});

t.test('HTML answers carry a Content-Security-Policy and nosniff', async (t) => {
  for (const path of ['/statements/northwind/2026-10?format=html', '/offerings/standard/terms?format=html']) {
    const r = await s.call('GET', path);
    t.equal(r.status, 200, path);
    t.match(r.type, 'text/html');
    t.equal(r.headers.get('content-security-policy'), "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    t.equal(r.headers.get('x-content-type-options'), 'nosniff');
  }
  t.equal((await s.call('GET', '/customers')).headers.get('x-content-type-options'), 'nosniff', 'JSON too');
});
