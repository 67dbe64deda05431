// POST /documents/:number/credit-notes?preview=true: the credit note that
// would be issued (lines, subtotal, tax, total; number null), nothing issued;
// the same refusals as issuing; the issued note then equals the preview.
import t from 'tap';
import { startServer } from './helpers.js';

t.test('a credit note previewed, then issued the same', async (t) => {
  const s = await startServer(undefined, { now: () => Date.parse('2026-11-05T15:00:00Z') });
  t.teardown(() => s.close());
  const ok = async (method: string, path: string, body?: unknown): Promise<any> => {
    const a = await s.call(method, path, body === undefined ? {} : { body });
    if (a.status >= 300) throw new Error(`${path}: ${a.status} ${a.text}`);
    return a.json;
  };
  // standard: base 250.00, 10 seats 40.00, 8 % of 2000.00 Azure spend 160.00; tax 10 %
  await ok('POST', '/customers', { id: 'northwind', name: 'Northwind', taxRate: '10%' });
  await ok('POST', '/subscriptions', { id: 'nw-std', customer: 'northwind', offering: 'standard', start: '2026-10-01', quantities: [{ metric: 'seats', value: 10, from: '2026-10-01' }] });
  await ok('POST', '/spend', { customer: 'northwind', period: '2026-10', service: 'azure', amount: '2000.00' });
  const inv = await ok('POST', '/statements/northwind/2026-10/finalize');
  t.equal(inv.number, 'CONTOSO-202610-0001');

  const body = { reason: 'goodwill', lines: [{ line: 0, amount: '100.00' }, { line: 1 }] };
  const preview = await s.call('POST', `/documents/${inv.number}/credit-notes?preview=true`, { body });
  t.equal(preview.status, 200, preview.text);
  t.match(preview.json, {
    kind: 'credit-note',
    number: null,
    credits: 'CONTOSO-202610-0001',
    issuedAt: '2026-11-05T15:00:00.000Z',
    reason: 'goodwill',
    lines: [
      { line: 0, component: 'base', amount: '-100.00' },
      { line: 1, component: 'seats', amount: '-40.00' },
    ],
    subtotal: '-140.00',
    tax: '-14.00',
    taxRate: '10%',
    total: '-154.00',
  });
  const list = await ok('GET', '/documents');
  t.same(list.items.map((d: { number: string }) => d.number), ['CONTOSO-202610-0001'], 'nothing issued');
  t.equal((await ok('GET', `/documents/${inv.number}/status`)).status, 'issued');

  const issued = await s.call('POST', `/documents/${inv.number}/credit-notes`, { body });
  t.equal(issued.status, 201, issued.text);
  t.match(issued.json.number, /^CONTOSO-CN-\d{6}-0001$/, 'the first number of its month: the preview took none');
  t.same({ ...issued.json, number: null, issuedAt: preview.json.issuedAt }, preview.json, 'the note issued is the one previewed');

  // the preview counts the notes issued so far: line 1 is fully credited now
  const over = await s.call('POST', `/documents/${inv.number}/credit-notes?preview=true`, { body: { reason: 'again', lines: [{ line: 1 }] } });
  t.equal(over.status, 409);
  t.equal(over.json.code, 'OVER_CREDIT');
  const rest = await ok('POST', `/documents/${inv.number}/credit-notes?preview=true`, { reason: 'the rest' });
  t.same(rest.lines.map((l: { line: number; amount: string }) => [l.line, l.amount]), [[0, '-150.00'], [2, '-160.00']]);
  t.same([rest.subtotal, rest.tax, rest.total], ['-310.00', '-31.00', '-341.00']);

  // refusals as when issuing
  const bad = await s.call('POST', `/documents/${inv.number}/credit-notes?preview=true`, { body: { reason: 'x', lines: [{ line: 9 }] } });
  t.equal(bad.status, 400);
  t.equal(bad.json.code, 'CREDIT_LINE_INVALID');
  const missing = await s.call('POST', '/documents/CONTOSO-202610-0099/credit-notes?preview=true', { body: { reason: 'x' } });
  t.equal(missing.status, 404);
  t.equal(missing.json.code, 'DOCUMENT_NOT_FOUND');
  const viewer = await s.call('POST', `/documents/${inv.number}/credit-notes?preview=true`, { body, token: s.viewer });
  t.equal(viewer.status, 403, 'a viewer cannot prepare credit notes');
  const query = await s.call('POST', `/documents/${inv.number}/credit-notes?preview=yes`, { body });
  t.equal(query.status, 400);
  t.equal(query.json.code, 'INVALID_QUERY');
  t.equal((await ok('GET', '/documents')).items.length, 2, 'one invoice and the one note issued');
});
