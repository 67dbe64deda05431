// Documents of record over HTTP (§9.7): invoices with due dates and tax ids,
// partial and whole credit notes, OVER_CREDIT, void and reissue with
// `replaces`, statuses, the documents list and its isolation, JSON byte
// identity, HTML/Markdown/CSV of issued documents, refusals of bad bodies.
import t from 'tap';
import { DateTime } from 'luxon';
import fc from 'fast-check';
import { startServer, type Server } from './helpers.js';
import { contoso, huayun } from '../render/fixtures.js';
import type { Plan } from '../../src/plans/types.js';

const TZ = 'America/New_York';

function billedContoso(): Plan {
  const p = contoso();
  return { ...p, partner: { ...p.partner, billing: { paymentTerms: 14, taxId: 'US-98-7654321' } } };
}

/** A customer of the standard offering: base 250.00, 10 seats 40.00, 8% of 2000.00 Azure spend 160.00; tax 10%. */
async function customer(s: Server, id: string, taxId?: string): Promise<void> {
  const c = await s.call('POST', '/customers', { body: { id, name: id, taxRate: '10%', ...(taxId ? { taxId } : {}) } });
  if (c.status !== 201) throw new Error(c.text);
  const sub = await s.call('POST', '/subscriptions', { body: { id: `${id}-std`, customer: id, offering: 'standard', start: '2026-10-01', quantities: [{ metric: 'seats', value: 10, from: '2026-10-01' }] } });
  if (sub.status !== 201) throw new Error(sub.text);
  const sp = await s.call('POST', '/spend', { body: { id: `${id}-azure`, customer: id, period: '2026-10', service: 'azure', amount: '2000.00' } });
  if (sp.status !== 201) throw new Error(sp.text);
}

const localDate = (instant: string): DateTime => DateTime.fromISO(instant, { zone: TZ });
const cnSeries = (issuedAt: string): string => `CONTOSO-CN-${localDate(issuedAt).toFormat('yyyyMM')}-`;

t.test('invoices, credit notes, void and reissue', async (t) => {
  const s = await startServer([billedContoso(), huayun()]);
  t.teardown(() => s.close());
  await customer(s, 'northwind', 'DE123456789');
  await customer(s, 'tailspin');

  // ---- the invoice of record
  const fin = await s.call('POST', '/statements/northwind/2026-10/finalize');
  t.equal(fin.status, 201, fin.text);
  const inv = fin.json;
  t.equal(inv.kind, 'invoice');
  t.equal(inv.number, 'CONTOSO-202610-0001');
  t.same(Object.keys(inv).slice(0, 6), ['kind', 'number', 'issuedAt', 'dueDate', 'partnerTaxId', 'customerTaxId'], 'the document fields lead the statement');
  t.equal(inv.dueDate, localDate(inv.issuedAt).plus({ days: 14 }).toISODate(), 'issue date in the partner timezone + paymentTerms');
  t.equal(inv.partnerTaxId, 'US-98-7654321');
  t.equal(inv.customerTaxId, 'DE123456789');
  t.same(
    inv.lines.map((l: { component: string; amount: string }) => [l.component, l.amount]),
    [
      ['base', '250.00'],
      ['seats', '40.00'],
      ['azure', '160.00'],
    ],
  );
  t.same([inv.subtotal, inv.tax, inv.total], ['450.00', '45.00', '495.00']);
  const again = await s.call('POST', '/statements/northwind/2026-10/finalize');
  t.equal(again.status, 200);
  t.equal(again.text, fin.text, 'already issued: the same bytes');
  const doc = await s.call('GET', '/documents/CONTOSO-202610-0001');
  t.equal(doc.status, 200);
  t.match(doc.type, /application\/json/);
  t.equal(doc.text, fin.text, 'GET /documents/:number is the JSON byte for byte as issued');
  t.equal(doc.headers.get('x-document-status'), 'issued');
  t.same((await s.call('GET', '/documents/CONTOSO-202610-0001/status')).json, { number: 'CONTOSO-202610-0001', kind: 'invoice', status: 'issued', credited: '0.00' });

  // ---- two partial credit notes, then OVER_CREDIT
  const cn1 = await s.call('POST', '/documents/CONTOSO-202610-0001/credit-notes', { body: { reason: 'base fee: goodwill', lines: [{ line: 0, amount: '100.00' }] } });
  t.equal(cn1.status, 201, cn1.text);
  const series = cnSeries(cn1.json.issuedAt);
  t.same(cn1.json, {
    kind: 'credit-note',
    number: series + '0001',
    credits: 'CONTOSO-202610-0001',
    issuedAt: cn1.json.issuedAt,
    partner: 'contoso',
    customer: 'northwind',
    period: '2026-10',
    currency: 'USD',
    reason: 'base fee: goodwill',
    lines: [{ line: 0, offering: 'standard', component: 'base', description: inv.lines[0].description, amount: '-100.00' }],
    subtotal: '-100.00',
    tax: '-10.00',
    taxRate: '10%',
    total: '-110.00',
    partnerTaxId: 'US-98-7654321',
    customerTaxId: 'DE123456789',
  });
  t.same((await s.call('GET', '/documents/CONTOSO-202610-0001/status')).json, { number: 'CONTOSO-202610-0001', kind: 'invoice', status: 'partially-credited', credited: '110.00' });
  const cn2 = await s.call('POST', '/documents/CONTOSO-202610-0001/credit-notes', { body: { reason: 'rest of the base fee', lines: [{ line: 0 }] } });
  t.equal(cn2.status, 201, cn2.text);
  t.equal(cn2.json.number, series + '0002');
  t.same([cn2.json.lines[0].amount, cn2.json.subtotal, cn2.json.tax, cn2.json.total], ['-150.00', '-150.00', '-15.00', '-165.00'], 'default: all that is left of the line');
  const over = await s.call('POST', '/documents/CONTOSO-202610-0001/credit-notes', { body: { reason: 'again', lines: [{ line: 0, amount: '0.01' }] } });
  t.equal(over.status, 409);
  t.equal(over.json.code, 'OVER_CREDIT');
  t.equal(over.json.detail, 'line 0 of invoice "CONTOSO-202610-0001" has 0.00 left to credit; 0.01 is more');
  const over2 = await s.call('POST', '/documents/CONTOSO-202610-0001/credit-notes', { body: { reason: 'seats', lines: [{ line: 1, amount: '40.01' }] } });
  t.equal(over2.json.code, 'OVER_CREDIT');
  t.equal(over2.json.detail, 'line 1 of invoice "CONTOSO-202610-0001" has 40.00 left to credit; 40.01 is more');

  // ---- the rest of the invoice: a whole-invoice credit note credits what is left of every line
  const rest = await s.call('POST', '/documents/CONTOSO-202610-0001/credit-notes', { body: { reason: 'contract cancelled' } });
  t.equal(rest.status, 201, rest.text);
  t.equal(rest.json.number, series + '0003', 'refusals took no number: gapless');
  t.same(
    rest.json.lines.map((l: { line: number; amount: string }) => [l.line, l.amount]),
    [
      [1, '-40.00'],
      [2, '-160.00'],
    ],
  );
  t.same([rest.json.subtotal, rest.json.tax, rest.json.total], ['-200.00', '-20.00', '-220.00']);
  t.same((await s.call('GET', '/documents/CONTOSO-202610-0001/status')).json, { number: 'CONTOSO-202610-0001', kind: 'invoice', status: 'credited', credited: '495.00' });
  const none = await s.call('POST', '/documents/CONTOSO-202610-0001/credit-notes', { body: { reason: 'nothing left' } });
  t.equal(none.json.code, 'OVER_CREDIT');
  const hasNotes = await s.call('POST', '/documents/CONTOSO-202610-0001/void', { body: { reason: 'wrong customer' } });
  t.equal(hasNotes.status, 409);
  t.equal(hasNotes.json.code, 'HAS_CREDIT_NOTES');
  t.equal(hasNotes.json.detail, `invoice "CONTOSO-202610-0001" has credit notes (${series}0001, ${series}0002, ${series}0003); it cannot be voided`);
  t.equal((await s.call('GET', `/documents/${series}0001`)).text, cn1.text, 'a credit note is served byte for byte too');
  t.same((await s.call('GET', `/documents/${series}0001/status`)).json, { number: series + '0001', kind: 'credit-note', status: 'issued', credited: '110.00' });

  // ---- void and reissue
  const t1 = await s.call('POST', '/statements/tailspin/2026-10/finalize');
  t.equal(t1.json.number, 'CONTOSO-202610-0002');
  t.notOk('customerTaxId' in t1.json, 'no tax id known: none printed');
  const v = await s.call('POST', '/documents/CONTOSO-202610-0002/void', { body: { reason: 'priced on the wrong plan' } });
  t.equal(v.status, 200, v.text);
  t.same(Object.keys(v.json), ['number', 'kind', 'status', 'reason', 'voidedAt']);
  t.same([v.json.number, v.json.status, v.json.reason], ['CONTOSO-202610-0002', 'void', 'priced on the wrong plan']);
  t.equal((await s.call('GET', '/documents/CONTOSO-202610-0002')).text, t1.text, 'the void invoice is kept unchanged');
  const notIssued = await s.call('GET', '/statements/tailspin/2026-10/issued');
  t.equal(notIssued.status, 404);
  t.equal(notIssued.json.code, 'STATEMENT_NOT_ISSUED');
  const vAgain = await s.call('POST', '/documents/CONTOSO-202610-0002/void', { body: { reason: 'priced on the wrong plan' } });
  t.equal(vAgain.status, 200);
  t.same(vAgain.json, v.json, 'voiding again answers the void');
  const creditVoid = await s.call('POST', '/documents/CONTOSO-202610-0002/credit-notes', { body: { reason: 'x' } });
  t.equal(creditVoid.status, 409);
  t.equal(creditVoid.json.code, 'INVOICE_VOID');
  const t2 = await s.call('POST', '/statements/tailspin/2026-10/finalize');
  t.equal(t2.status, 201);
  t.equal(t2.json.number, 'CONTOSO-202610-0003', 'a void number stays used');
  t.equal(t2.json.replaces, 'CONTOSO-202610-0002');
  t.same(Object.keys(t2.json).slice(0, 5), ['kind', 'number', 'issuedAt', 'dueDate', 'replaces']);
  t.equal((await s.call('GET', '/statements/tailspin/2026-10/issued')).text, t2.text, 'issued: the current invoice');
  t.same((await s.call('GET', '/documents/CONTOSO-202610-0002/status')).json, { number: 'CONTOSO-202610-0002', kind: 'invoice', status: 'void', credited: '0.00', replacedBy: 'CONTOSO-202610-0003' });
  // void the replacement too: the next one replaces it (not the first)
  t.equal((await s.call('POST', '/documents/CONTOSO-202610-0003/void', { body: { reason: 'again wrong' } })).status, 200);
  const t3 = await s.call('POST', '/statements/tailspin/2026-10/finalize');
  t.same([t3.json.number, t3.json.replaces], ['CONTOSO-202610-0004', 'CONTOSO-202610-0003']);
  t.equal((await s.call('GET', '/documents/CONTOSO-202610-0002/status')).json.replacedBy, 'CONTOSO-202610-0003');
  t.equal((await s.call('GET', '/documents/CONTOSO-202610-0003/status')).json.replacedBy, 'CONTOSO-202610-0004');

  // ---- HAS_CORRECTIONS: a later issued invoice carries a correction line for it
  const corrected = { kind: 'invoice', partner: 'contoso', customer: 'tailspin', period: '2026-11', currency: 'USD', lines: [{ offering: 'standard', component: 'correction', model: 'correction', corrects: 'CONTOSO-202610-0004', description: 'x', amount: '5.00' }], subtotal: '5.00', tax: '0.50', total: '5.50' };
  await s.repo.issue('contoso', 'tailspin', '2026-11', (number, issuedAt) => ({ body: JSON.stringify({ ...corrected, number, issuedAt }), planHash: 'sha256:x', inputsDigest: 'sha256:y' }));
  const hasCorr = await s.call('POST', '/documents/CONTOSO-202610-0004/void', { body: { reason: 'x' } });
  t.equal(hasCorr.status, 409);
  t.equal(hasCorr.json.code, 'HAS_CORRECTIONS');
  t.equal(hasCorr.json.detail, 'invoice "CONTOSO-202610-0004" is corrected by the later invoice(s) CONTOSO-202611-0001; it cannot be voided');

  // ---- refusals
  t.equal((await s.call('POST', `/documents/${series}0001/void`, { body: { reason: 'x' } })).json.code, 'NOT_AN_INVOICE');
  t.equal((await s.call('POST', `/documents/${series}0001/credit-notes`, { body: { reason: 'x' } })).json.code, 'NOT_AN_INVOICE');
  const missing = await s.call('GET', '/documents/CONTOSO-202610-0099');
  t.same([missing.status, missing.json.code], [404, 'DOCUMENT_NOT_FOUND']);
  t.equal((await s.call('POST', '/documents/CONTOSO-202610-0099/void', { body: { reason: 'x' } })).json.code, 'DOCUMENT_NOT_FOUND');
  t.equal((await s.call('POST', '/documents/CONTOSO-202610-0099/credit-notes', { body: { reason: 'x' } })).json.code, 'DOCUMENT_NOT_FOUND');
  t.equal((await s.call('POST', '/documents/CONTOSO-202610-0004/void', { token: s.viewer, body: { reason: 'x' } })).status, 403, 'a viewer cannot void');
  t.equal((await s.call('POST', '/documents/CONTOSO-202610-0004/credit-notes', { token: s.viewer, body: { reason: 'x' } })).status, 403);
  const badLine = await s.call('POST', '/documents/CONTOSO-202610-0004/credit-notes', { body: { reason: 'x', lines: [{ line: 3 }] } });
  t.same([badLine.status, badLine.json.code, badLine.json.detail], [400, 'CREDIT_LINE_INVALID', 'invoice "CONTOSO-202610-0004" has 3 line(s) (0 to 2); there is no line 3']);
  t.equal((await s.call('POST', '/documents/CONTOSO-202610-0004/credit-notes', { body: { reason: 'x', lines: [{ line: 1 }, { line: 1 }] } })).json.code, 'CREDIT_LINE_INVALID');
  t.equal((await s.call('POST', '/documents/CONTOSO-202610-0004/credit-notes', { body: { reason: 'x', lines: [{ line: 1, amount: '1.001' }] } })).json.code, 'CREDIT_LINE_INVALID');
  t.equal((await s.call('POST', '/documents/CONTOSO-202610-0004/credit-notes', { body: { reason: 'x', lines: [{ line: 1, amount: '0.00' }] } })).json.code, 'CREDIT_LINE_INVALID');

  // ---- the list, filters, isolation
  const all = await s.call('GET', '/documents');
  t.equal(all.status, 200);
  t.same(
    all.json.items.map((d: { number: string; kind: string; status: string }) => [d.number, d.kind, d.status]),
    [
      ['CONTOSO-202610-0001', 'invoice', 'credited'],
      ['CONTOSO-202610-0002', 'invoice', 'void'],
      ['CONTOSO-202610-0003', 'invoice', 'void'],
      ['CONTOSO-202610-0004', 'invoice', 'issued'],
      ['CONTOSO-202611-0001', 'invoice', 'issued'],
      [series + '0001', 'credit-note', 'issued'],
      [series + '0002', 'credit-note', 'issued'],
      [series + '0003', 'credit-note', 'issued'],
    ],
  );
  t.equal(all.json.nextCursor, null);
  t.same(all.json.items[1], { number: 'CONTOSO-202610-0002', kind: 'invoice', customer: 'tailspin', period: '2026-10', issuedAt: t1.json.issuedAt, total: '495.00', status: 'void', credited: '0.00', replacedBy: 'CONTOSO-202610-0003' });
  t.same(all.json.items[5], { number: series + '0001', kind: 'credit-note', customer: 'northwind', period: '2026-10', issuedAt: cn1.json.issuedAt, total: '-110.00', status: 'issued', credited: '110.00', credits: 'CONTOSO-202610-0001' });
  const ofNorthwind = await s.call('GET', '/documents?customer=northwind&kind=invoice');
  t.same(ofNorthwind.json.items.map((d: { number: string; credited: string }) => [d.number, d.credited]), [['CONTOSO-202610-0001', '495.00']]);
  t.same((await s.call('GET', '/documents?customer=northwind&kind=credit-note')).json.items.map((d: { number: string }) => d.number), [series + '0001', series + '0002', series + '0003']);
  t.same((await s.call('GET', '/documents?period=2026-11')).json.items.map((d: { number: string }) => d.number), ['CONTOSO-202611-0001']);
  t.same((await s.call('GET', '/documents?customer=nobody')).json, { items: [], nextCursor: null });
  // pages of 3: the same documents in the same order, then no cursor
  const paged: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { json: { items: { number: string }[]; nextCursor: string | null } } = await s.call('GET', '/documents?limit=3' + (cursor ? '&cursor=' + cursor : ''));
    t.ok(page.json.items.length <= 3);
    paged.push(...page.json.items.map((d) => d.number));
    cursor = page.json.nextCursor;
  } while (cursor);
  t.same(paged, all.json.items.map((d: { number: string }) => d.number));
  t.equal((await s.call('GET', '/documents?limit=0')).json.code, 'INVALID_QUERY');
  t.equal((await s.call('GET', '/documents?cursor=bm9wZQ')).json.code, 'INVALID_QUERY');
  t.equal((await s.call('GET', '/documents?kind=receipt')).json.code, 'INVALID_QUERY');
  t.equal((await s.call('GET', '/documents?period=2026-13')).json.code, 'INVALID_QUERY');
  // another partner's token: 404 on contoso's paths, and its own list holds none of contoso's documents
  t.equal((await s.call('GET', '/documents', { token: s.other })).status, 404);
  const theirs = await s.call('GET', '/v1/partners/huayun/documents', { token: s.other });
  t.same([theirs.status, theirs.json], [200, { items: [], nextCursor: null }]);
  t.equal((await s.call('GET', '/v1/partners/huayun/documents/CONTOSO-202610-0001', { token: s.other })).json.code, 'DOCUMENT_NOT_FOUND');
  t.equal((await s.call('POST', '/v1/partners/huayun/documents/CONTOSO-202610-0004/void', { token: s.other, body: { reason: 'x' } })).json.code, 'DOCUMENT_NOT_FOUND');

  // ---- people's formats
  const html = await s.call('GET', '/documents/CONTOSO-202610-0002?format=html');
  t.match(html.type, /text\/html/);
  t.match(html.text, '<h1 id="title">Invoice CONTOSO-202610-0002</h1>');
  t.match(html.text, '<div class="stamp void" id="stamp" role="note">VOID</div>');
  t.match(html.text, `<dd id="due-date">${localDate(t1.json.dueDate + 'T12:00:00Z').setLocale('en-US').toLocaleString(DateTime.DATE_FULL)}</dd>`);
  t.match(html.text, '<dd id="partner-tax-id">US-98-7654321</dd>');
  const credited = await s.call('GET', '/documents/CONTOSO-202610-0001', { headers: { accept: 'text/html' } });
  t.match(credited.text, '>CREDITED</div>');
  t.match(credited.text, '<dd id="customer-tax-id">DE123456789</dd>');
  const zh = await s.call('GET', '/documents/CONTOSO-202610-0002?format=html&locale=zh-CN');
  t.match(zh.text, '<h1 id="title">发票 CONTOSO-202610-0002</h1>');
  t.match(zh.text, '>已作废</div>');
  t.equal((await s.call('PATCH', '/customers/tailspin', { body: { locale: 'zh-CN' } })).status, 200);
  t.match((await s.call('GET', '/documents/CONTOSO-202610-0002?format=html')).text, '<h1 id="title">发票 CONTOSO-202610-0002</h1>', 'the customer\'s locale by default');
  t.match((await s.call('GET', '/documents/CONTOSO-202610-0002?format=html&locale=en-US')).text, '<h1 id="title">Invoice CONTOSO-202610-0002</h1>');
  t.equal((await s.call('PATCH', '/customers/tailspin', { body: { locale: null } })).status, 200);
  const replacing = await s.call('GET', '/documents/CONTOSO-202610-0003?format=md');
  t.match(replacing.type, /text\/markdown/);
  t.match(replacing.text, '**VOID**');
  t.match(replacing.text, 'Replaces invoice CONTOSO-202610-0002, which is void.');
  const cnHtml = await s.call('GET', `/documents/${series}0001?format=html`);
  t.match(cnHtml.text, `<h1 id="title">Credit note ${series}0001</h1>`);
  t.match(cnHtml.text, '<p id="credits">Credits invoice CONTOSO-202610-0001 (period October 2026).</p>');
  t.match(cnHtml.text, '<dd id="reason">base fee: goodwill</dd>');
  t.notMatch(cnHtml.text, 'id="stamp"');
  const cnZh = await s.call('GET', `/documents/${series}0001?format=md&locale=zh-CN`);
  t.match(cnZh.text, `# 贷项通知单 ${series}0001`);
  t.match(cnZh.text, '冲减发票 CONTOSO-202610-0001');
  const cnCsv = await s.call('GET', `/documents/${series}0001?format=csv`);
  t.equal(cnCsv.text, `line,offering,component,description,amount\r\n0,standard,base,"Standard: base fee, 31 of 31 days",-100.00\r\n,,,subtotal,-100.00\r\n,,,tax,-10.00\r\n,,,total,-110.00\r\n`);
  const invCsv = await s.call('GET', '/documents/CONTOSO-202610-0001?format=csv');
  t.match(invCsv.type, /text\/csv/);
  t.equal((await s.call('GET', '/documents/CONTOSO-202610-0001', { headers: { accept: 'image/png' } })).status, 406);
  const openapi = (await s.call('GET', '/openapi.json', { token: null })).json;
  for (const path of ['/documents', '/documents/{number}', '/documents/{number}/status', '/documents/{number}/void', '/documents/{number}/credit-notes']) {
    t.ok(openapi.paths[`/v1/partners/{partner}${path}`], `OpenAPI documents ${path}`);
  }
  t.same(openapi.paths['/v1/partners/{partner}/documents/{number}/credit-notes'].post.tags, ['documents']);
});

t.test('Idempotency-Key on a credit note replays it and takes no second number', async (t) => {
  const s = await startServer([billedContoso(), huayun()]);
  t.teardown(() => s.close());
  await customer(s, 'northwind');
  await s.call('POST', '/statements/northwind/2026-10/finalize');
  const body = { reason: 'goodwill', lines: [{ line: 1, amount: '10.00' }] };
  const a = await s.call('POST', '/documents/CONTOSO-202610-0001/credit-notes', { body, headers: { 'idempotency-key': 'cn-1' } });
  const b = await s.call('POST', '/documents/CONTOSO-202610-0001/credit-notes', { body, headers: { 'idempotency-key': 'cn-1' } });
  t.equal(a.status, 201);
  t.equal(b.status, 201);
  t.equal(b.text, a.text);
  t.equal(b.headers.get('idempotent-replayed'), 'true');
  const other = await s.call('POST', '/documents/CONTOSO-202610-0001/credit-notes', { body: { ...body, reason: 'other' }, headers: { 'idempotency-key': 'cn-1' } });
  t.equal(other.json.code, 'IDEMPOTENCY_KEY_REUSED');
  t.equal((await s.call('GET', '/documents?kind=credit-note')).json.items.length, 1);
  const refused = await s.call('POST', '/documents/CONTOSO-202610-0001/credit-notes', { body: { reason: 'too much', lines: [{ line: 1, amount: '30.01' }] }, headers: { 'idempotency-key': 'cn-2' } });
  t.equal(refused.json.code, 'OVER_CREDIT');
  const fixed = await s.call('POST', '/documents/CONTOSO-202610-0001/credit-notes', { body: { reason: 'too much', lines: [{ line: 1, amount: '30.00' }] }, headers: { 'idempotency-key': 'cn-2' } });
  t.equal(fixed.status, 201, 'a refused write keeps no answer under its key');
  t.match(fixed.json.number, /-0002$/);
});

t.test('bodies of void and credit notes: a clear 400 with a code, never a 500', async (t) => {
  const s = await startServer([billedContoso(), huayun()]);
  t.teardown(() => s.close());
  await customer(s, 'northwind');
  await s.call('POST', '/statements/northwind/2026-10/finalize');
  const bodies: [string, unknown, string][] = [
    ['void', {}, 'INVALID_BODY'],
    ['void', { reason: '' }, 'INVALID_BODY'],
    ['void', { reason: 'x', extra: 1 }, 'INVALID_BODY'],
    ['void', { reason: 42 }, 'INVALID_BODY'],
    ['void', { reason: 'a\u0001b' }, 'CONTROL_CHARACTER'],
    ['void', [], 'INVALID_BODY'],
    ['void', 'x'.repeat(10), 'INVALID_BODY'],
    ['credit-notes', { reason: 'x', lines: [] }, 'INVALID_BODY'],
    ['credit-notes', { reason: 'x', lines: {} }, 'INVALID_BODY'],
    ['credit-notes', { reason: 'x', lines: [{ line: -1 }] }, 'INVALID_BODY'],
    ['credit-notes', { reason: 'x', lines: [{ line: 0.5 }] }, 'INVALID_BODY'],
    ['credit-notes', { reason: 'x', lines: [{ line: '0' }] }, 'INVALID_BODY'],
    ['credit-notes', { reason: 'x', lines: [{ line: 0, amount: '-1.00' }] }, 'INVALID_BODY'],
    ['credit-notes', { reason: 'x', lines: [{ line: 0, amount: 1 }] }, 'INVALID_BODY'],
    ['credit-notes', { reason: 'x', lines: [{ line: 0, amount: '1e3' }] }, 'INVALID_BODY'],
    ['credit-notes', { reason: 'x', lines: [{ line: 0, part: 1 }] }, 'INVALID_BODY'],
    ['credit-notes', { lines: [{ line: 0 }] }, 'INVALID_BODY'],
    ['credit-notes', { reason: 'x', lines: [{ line: 99999999999 }] }, 'INVALID_BODY'],
  ];
  for (const [route, body, code] of bodies) {
    const r = await s.call('POST', `/documents/CONTOSO-202610-0001/${route}`, { raw: JSON.stringify(body) });
    t.equal(r.status, 400, `${route} ${JSON.stringify(body)}: ${r.text}`);
    t.equal(r.json.code, code, `${route} ${JSON.stringify(body)}`);
  }
  for (const number of ['contoso-202610-0001', 'CONTOSO-2026-0001', 'X', 'CONTOSO-202610-1']) {
    const r = await s.call('GET', `/documents/${number}`);
    t.equal(r.status, 400, number);
    t.equal(r.json.code, 'INVALID_PARAMS', number);
  }
  t.equal((await s.call('GET', '/documents/CONTOSO-202610-0001/status')).json.status, 'issued', 'nothing was credited or voided');
});

t.test('fuzz: random void and credit-note bodies answer a problem with a code or a document, never a 5xx', async (t) => {
  const s = await startServer([billedContoso(), huayun()]);
  t.teardown(() => s.close());
  await customer(s, 'northwind');
  await s.call('POST', '/statements/northwind/2026-10/finalize');
  const value = fc.oneof(fc.jsonValue(), fc.constantFrom('', 'x'.repeat(600), '-1', '1e3', '0.001', 1e308, -1, 0.5, null, [], {}, '__proto__'));
  const line = fc.record({ line: fc.oneof(fc.nat({ max: 4 }), value), amount: fc.oneof(fc.constantFrom('1.00', '0.01', '40.00', '999.99'), value) }, { requiredKeys: ['line'] });
  const body = fc.oneof(
    fc.record({ reason: fc.oneof(fc.constantFrom('goodwill'), value), lines: fc.oneof(fc.array(line, { maxLength: 4 }), value) }, { requiredKeys: [] }),
    value,
  );
  let calls = 0;
  await fc.assert(
    fc.asyncProperty(fc.constantFrom('void', 'credit-notes'), body, async (route, b) => {
      const a = await s.call('POST', `/documents/CONTOSO-202610-0001/${route}`, { raw: JSON.stringify(b) });
      calls++;
      if (a.status >= 500) return false;
      if (a.status >= 400) return /problem\+json/.test(a.type) && typeof a.json?.code === 'string';
      return (route === 'void' && a.status === 200) || (route === 'credit-notes' && a.status === 201);
    }),
    { numRuns: 60 },
  );
  t.ok(calls >= 60);
  // whatever happened, the credit notes never credit more than the invoice
  const st = (await s.call('GET', '/documents/CONTOSO-202610-0001/status')).json;
  t.ok(['issued', 'partially-credited', 'credited', 'void'].includes(st.status));
  t.ok(Number(st.credited) <= 495, `credited ${st.credited} ≤ 495.00`);
});
