// Issued documents for people (§9.7): the invoice's number, dates, tax ids,
// replaces and status stamp, the credit note's invoice and reason, in en-US
// and zh-CN; and the customer-facing quantities of issue 16 (per-unit lines
// over part of a month, CSV fractions Excel would read as dates, hours billed
// beside hours worked).
import t from 'tap';
import { renderIssued } from '../../src/render/issued.js';
import { renderStatement } from '../../src/render/index.js';
import { csvQuantity } from '../../src/render/csv.js';
import { creditNoteBody, invoiceBody } from '../../src/app/documents.js';
import { quoteStatement } from '../../src/billing/quote.js';
import { describeStatement } from '../../src/render/lines.js';
import { contoso, contosoStatement } from './fixtures.js';
import type { Plan } from '../../src/plans/types.js';

const plan: Plan = (() => {
  const p = contoso();
  return { ...p, partner: { ...p.partner, billing: { paymentTerms: 30, taxId: 'US-98-7654321' } } };
})();
const statement = { ...contosoStatement(), taxRate: '10%' };
// issued 2026-11-02T03:30Z: still 1 November in New York, so due 1 December
const invoice = invoiceBody(plan, statement, 'DE <123>', 'CONTOSO-202610-0007', '2026-11-02T03:30:00.000Z', 'CONTOSO-202610-0005');
const rec = { customer: 'northwind', period: '2026-10', number: 'CONTOSO-202610-0007', planHash: 'x', inputsDigest: 'y', body: invoice, issuedAt: '2026-11-02T03:30:00.000Z' };

t.test('the invoice body: document fields first, due date in the partner timezone', async (t) => {
  const doc = JSON.parse(invoice);
  t.same(Object.keys(doc).slice(0, 8), ['kind', 'number', 'issuedAt', 'dueDate', 'replaces', 'partnerTaxId', 'customerTaxId', 'partner']);
  t.same([doc.kind, doc.dueDate, doc.replaces, doc.customerTaxId], ['invoice', '2026-12-01', 'CONTOSO-202610-0005', 'DE <123>']);
  const noTerms = { ...plan, partner: { ...plan.partner, billing: undefined } } as unknown as Plan;
  t.equal(JSON.parse(invoiceBody(noTerms, statement, null, 'N', '2026-11-02T12:00:00.000Z', null)).dueDate, '2026-12-02', 'default 30 days');
  t.notOk('partnerTaxId' in JSON.parse(invoiceBody(noTerms, statement, null, 'N', '2026-11-02T12:00:00.000Z', null)));
});

t.test('invoice HTML and Markdown, en-US and zh-CN, with the status stamp', async (t) => {
  const issued = renderIssued(invoice, { plan, format: 'html', status: 'issued' });
  t.match(issued.contentType, /^text\/html/);
  t.match(issued.body, '<h1 id="title">Invoice CONTOSO-202610-0007</h1>');
  t.match(issued.body, '<dd id="document-number">CONTOSO-202610-0007</dd>');
  t.match(issued.body, '<dd id="issued-date">November 1, 2026</dd>');
  t.match(issued.body, '<dd id="due-date">December 1, 2026</dd>');
  t.match(issued.body, '<dd id="partner-tax-id">US-98-7654321</dd>');
  t.match(issued.body, '<dd id="customer-tax-id">DE &lt;123&gt;</dd>', 'escaped');
  t.match(issued.body, '<p id="replaces">Replaces invoice CONTOSO-202610-0005, which is void.</p>');
  t.notMatch(issued.body, 'id="stamp"', 'no stamp while issued');
  t.match(renderIssued(invoice, { plan, format: 'html', status: 'void' }).body, '<div class="stamp void" id="stamp" role="note">VOID</div>');
  t.match(renderIssued(invoice, { plan, format: 'html', status: 'credited' }).body, '<div class="stamp credited" id="stamp" role="note">CREDITED</div>');
  t.match(renderIssued(invoice, { plan, format: 'html', status: 'partially-credited' }).body, '>PARTIALLY CREDITED</div>');
  const zh = renderIssued(invoice, { plan, format: 'html', status: 'void', locale: 'zh-CN' }).body;
  t.match(zh, '<h1 id="title">发票 CONTOSO-202610-0007</h1>');
  t.match(zh, '<dt>付款到期日</dt><dd id="due-date">2026年12月1日</dd>');
  t.match(zh, '<dt>开票方税号</dt>');
  t.match(zh, '>已作废</div>');
  t.match(zh, '<p id="replaces">取代已作废的发票 CONTOSO-202610-0005。</p>');
  const md = renderIssued(invoice, { plan, format: 'md', status: 'credited' }).body;
  t.match(md, '# Invoice CONTOSO-202610-0007');
  t.match(md, '**CREDITED**');
  t.match(md, '- Due: December 1, 2026');
  t.match(md, '- Customer tax ID: DE \\<123\\>');
  const mdZh = renderIssued(invoice, { plan, format: 'md', status: 'issued', locale: 'zh-CN' }).body;
  t.match(mdZh, '- 编号：CONTOSO-202610-0007');
  t.notMatch(mdZh, /\*\*[^*]+\*\*\n\n- 编号/, 'no stamp while issued');
});

t.test('credit note: lines credited, the invoice it credits, the reason, both locales', async (t) => {
  const { body, total } = creditNoteBody(rec, [], { reason: 'goodwill <b>', lines: [{ line: 0, amount: '77.42' }, { line: 6 }] }, 'CONTOSO-CN-202611-0001', '2026-11-20T15:00:00.000Z', 'half-up');
  const cn = JSON.parse(body);
  // line 6 is the service credit (-14.55): crediting it charges it back
  t.same(cn.lines.map((l: { line: number; amount: string }) => [l.line, l.amount]), [
    [0, '-77.42'],
    [6, '14.55'],
  ]);
  t.same([cn.subtotal, cn.tax, cn.total, total], ['-62.87', '-6.29', '-69.16', '-69.16']);
  const html = renderIssued(body, { plan, format: 'html', status: 'issued' }).body;
  t.match(html, '<h1 id="title">Credit note CONTOSO-CN-202611-0001</h1>');
  t.match(html, '<p id="credits">Credits invoice CONTOSO-202610-0007 (period October 2026).</p>');
  t.match(html, '<dd id="reason">goodwill &lt;b&gt;</dd>');
  t.match(html, '<dd id="issued-date">November 20, 2026</dd>');
  t.notMatch(html, 'id="due-date"', 'a credit note has no due date');
  t.match(html, '<td class="num">0</td><td>Standard: base fee, 22 of 31 days</td><td class="num">-$77.42</td>');
  const zh = renderIssued(body, { plan, format: 'html', status: 'issued', locale: 'zh-CN' }).body;
  t.match(zh, '<h1 id="title">贷项通知单 CONTOSO-CN-202611-0001</h1>');
  t.match(zh, '<p id="credits">冲减发票 CONTOSO-202610-0007（账期 2026年10月）。</p>');
  t.match(zh, '<dt>原因</dt>');
  const md = renderIssued(body, { plan, format: 'md', status: 'issued', locale: 'zh-CN' }).body;
  t.match(md, '# 贷项通知单 CONTOSO-CN-202611-0001');
});

t.test('tax-inclusive invoices: a credit note\'s tax is the part its amount contains', async (t) => {
  const inclusive = invoiceBody(plan, { ...statement, taxInclusive: true }, null, 'CONTOSO-202610-0008', '2026-11-02T12:00:00.000Z', null);
  const { body } = creditNoteBody({ ...rec, number: 'CONTOSO-202610-0008', body: inclusive }, [], { reason: 'x', lines: [{ line: 0, amount: '110.00' }] }, 'CONTOSO-CN-202611-0002', '2026-11-20T15:00:00.000Z', 'half-up');
  const cn = JSON.parse(body);
  t.same([cn.subtotal, cn.tax, cn.total, cn.taxInclusive], ['-110.00', '-10.00', '-110.00', true]);
});

t.test('per-unit over part of a month, CSV fractions, hours billed beside hours worked', async (t) => {
  const billed = quoteStatement(
    {
      partner: 'contoso',
      period: '2026-10',
      customer: { id: 'p' },
      subscriptions: [{ id: 's', offering: 'standard', start: '2026-10-10', quantities: [{ metric: 'seats', value: 10, from: '2026-10-10' }] }],
      requests: [{ id: 'r1', offering: 'standard', customer: 'p', service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-14T10:00:00-04:00' }],
      worklogs: [{ id: 'w1', request: 'r1', start: '2026-10-14T10:00:00-04:00', minutes: 170 }],
      spend: [{ id: 'sp', service: 'azure', amount: '2000.00', period: '2026-10' }],
    } as never,
    contoso(),
  );
  const en = describeStatement(billed, contoso(), {});
  const seats = en.lines.find((l) => l.component === 'seats')!;
  t.equal(seats.description, 'Standard: seats, 10 seats × 22/31 of a month × 4.00');
  t.equal(seats.quantity, '220/31', 'the JSON keeps the exact quantity');
  const zh = describeStatement(billed, contoso(), { locale: 'zh-CN' });
  t.equal(zh.lines.find((l) => l.component === 'seats')!.description, 'Standard：seats，10 seats × 22/31 个月 × 4.00');
  const csv = renderStatement(en, { plan: contoso(), format: 'csv' }).body;
  t.match(csv, ',7.096774,seats,4.00,28.39,USD\r\n', 'no fraction a spreadsheet reads as a date');
  t.match(csv, ',0.709677,days,250.00,177.42,USD\r\n');
  t.same([csvQuantity('10/31'), csvQuantity('31/31'), csvQuantity('1/4'), csvQuantity('1.25'), csvQuantity(undefined)], ['0.322581', '1', '0.25', '1.25', '']);
  const html = renderStatement(en, { plan: contoso(), format: 'html' }).body;
  t.match(html, '<td class="num">7.10</td><td>seats</td>');
  t.notMatch(html, '220/31');
  t.match(html, '<span class="value" id="hours-worked">2.83 h</span>');
  t.match(html, '<span class="value" id="hours-billed">1.00 h</span>', '170 minutes worked, 2 h included, 1 h billed (15-minute increments)');
  const zhHtml = renderStatement(zh, { plan: contoso(), format: 'html', locale: 'zh-CN' }).body;
  t.match(zhHtml, '计费工时<span class="value" id="hours-billed">1.00小时</span>');
});

t.test('partner.billing in a plan file: paymentTerms (default 30) and taxId, checked', async (t) => {
  const { readFileSync } = await import('node:fs');
  const { loadPlan } = await import('../../src/plans/load.js');
  const base = readFileSync('test/fixtures/plans/contoso.yaml', 'utf8');
  const withBilling = (yaml: string): string => base.replace('  contact: { email: billing@contoso.example', `  billing: ${yaml}\n  contact: { email: billing@contoso.example`);
  t.same(loadPlan(withBilling('{ paymentTerms: 14, taxId: US-98-7654321 }'), 'contoso.yaml').plan?.partner.billing, { paymentTerms: 14, taxId: 'US-98-7654321' });
  t.same(loadPlan(withBilling('{ taxId: "91310000MA1FL0000X" }'), 'contoso.yaml').plan?.partner.billing, { paymentTerms: 30, taxId: '91310000MA1FL0000X' });
  t.equal(loadPlan(base, 'contoso.yaml').plan?.partner.billing, undefined);
  for (const bad of ['{ paymentTerms: -1 }', '{ paymentTerms: 1.5 }', '{ paymentTerms: 400 }', '{ taxId: "" }', '{ terms: 30 }']) {
    const r = loadPlan(withBilling(bad), 'contoso.yaml');
    t.equal(r.plan, null, bad);
    t.ok(r.findings.some((f) => f.severity === 'error' && /billing/.test(JSON.stringify(f))), `${bad}: an error at partner.billing`);
  }
});

t.test('an issued document names the customer, not its id, when the caller knows the name', async (t) => {
  const text = (html: string): string => html.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<section id="reference"[\s\S]*?<\/section>|<p id="reference"[\s\S]*?<\/p>|<footer[\s\S]*?<\/footer>/g, '').replace(/<[^>]+>/g, ' ');
  const named = renderIssued(invoice, { plan, format: 'html', status: 'void', customer: { id: 'northwind', name: 'Northwind <Traders>' } }).body;
  t.match(named, 'Northwind &lt;Traders&gt;', 'the name, escaped');
  t.notMatch(text(named), /\bnorthwind\b/, 'the id is not in the text');
  t.match(named, 'class="document stamped"', 'the stamp keeps its own column');
  const other = renderIssued(invoice, { plan, format: 'html', status: 'issued', customer: { id: 'someone-else', name: 'Someone Else' } }).body;
  t.notMatch(other, 'Someone Else', "another customer's name is never used");
  const { body: note } = creditNoteBody(rec, [], { reason: 'wrong seats', lines: [{ line: 0, amount: '10.00' }] }, 'CONTOSO-CN-202611-0003', '2026-11-20T15:00:00.000Z', 'half-up');
  const zh = renderIssued(note, { plan, format: 'md', status: 'issued', locale: 'zh-CN', customer: { id: 'northwind', name: '北风贸易' } }).body;
  t.match(zh, '北风贸易');
});
