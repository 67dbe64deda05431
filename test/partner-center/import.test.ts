// Partner Center imports (SPEC §12.2) on files with Microsoft's documented
// columns: exact sums, the replace rules, pricing precedence, the report's
// groups, structural errors with their line and column, and the API route.
import t from 'tap';
import { Readable } from 'node:stream';
import { request } from 'node:http';
import fc from 'fast-check';
import { importPartnerCenter, type ImportSummary } from '../../src/partner-center/import.js';
import { readPartnerCenter } from '../../src/partner-center/read.js';
import { sumText } from '../../src/partner-center/numbers.js';
import { billingInput } from '../../src/app/statements.js';
import { add, parseDecimal, ZERO, type Rat } from '../../src/rational.js';
import { TierbookError } from '../../src/errors.js';
import { byteLimit } from '../../src/api/routes/imports.js';
import { huayun } from '../render/fixtures.js';
import { startServer, type Server } from '../api/helpers.js';
import { cell, contosoWithMatchers, dailyCsv, invoiceCsv, T_NORTHWIND, T_UNKNOWN } from './files.js';

const plan = contosoWithMatchers();
let s: Server;

t.before(async () => {
  s = await startServer([plan, huayun()]);
  const ok = (a: { status: number; text: string }) => {
    if (a.status >= 300) throw new Error(a.text);
  };
  // the tenant in capitals: stored and matched lower case
  ok(await s.call('POST', '/customers', { body: { id: 'northwind', name: 'Northwind Traders', tenantId: T_NORTHWIND.toUpperCase() } }));
  ok(await s.call('POST', '/subscriptions', { body: { id: 'nw-standard', customer: 'northwind', offering: 'standard', start: '2026-10-01' } }));
});
t.teardown(() => s.close());

const run = (text: string, opts: { strict?: boolean; dryRun?: boolean; file?: string } = {}) =>
  importPartnerCenter(s.repo, plan, Readable.from([Buffer.from(text)]), { file: opts.file ?? 'usage.csv', ...opts });

/** The spend a statement of northwind's October is priced from, per service: amount/retail. */
async function priced(): Promise<Record<string, string[]>> {
  const input = await billingInput(s.repo, plan, 'northwind', '2026-10');
  const out: Record<string, string[]> = {};
  for (const x of input!.spend) (out[x.service] ??= []).push(`${x.amount}/${x.retail ?? '-'}`);
  for (const k of Object.keys(out)) out[k]!.sort();
  return out;
}

const unbilledDaily = dailyCsv([
  { UsageDate: '10/3/2026', BillingPreTaxTotal: '1.234567', UnitPrice: '0.5', Quantity: '3' },
  { UsageDate: '2026-10-04', BillingPreTaxTotal: '2.000001', UnitPrice: '0.25', Quantity: '4.5' },
  { UsageDate: '10/5/2026', BillingPreTaxTotal: '-0.5', UnitPrice: '0', Quantity: '1', ChargeType: 'refund' },
  { CustomerId: T_UNKNOWN, CustomerName: 'Fabrikam, Inc.', BillingPreTaxTotal: '5.5', UsageDate: '10/6/2026' },
  { ProductName: 'Power BI Pro, monthly', SubscriptionDescription: 'Power BI', BillingPreTaxTotal: '7.25', UsageDate: '10/6/2026' },
  { BillingCurrency: 'EUR', BillingPreTaxTotal: '9.99', UsageDate: '10/7/2026' },
]);

t.test('a daily rated usage file: exact sums rounded once per record, each reported group', async (t) => {
  const sum = await run(unbilledDaily);
  t.same(sum, {
    file: 'usage.csv',
    kind: 'daily',
    lines: 6,
    // 1.234567 + 2.000001 − 0.5 = 2.734568 → 2.73; retail 1.5 + 1.125 + 0 = 2.625 → 2.63 (half-up)
    imported: { records: 1, created: 1, replaced: 0, cost: '2.73' },
    unknownCustomers: [{ customerId: T_UNKNOWN, customerName: 'Fabrikam, Inc.', lines: 1, cost: '5.5' }],
    unmatched: [{ productName: 'Power BI Pro, monthly', lines: 1, cost: '7.25' }],
    currencyMismatch: [{ currency: 'EUR', lines: 1, cost: '9.99' }],
    dryRun: false,
  } satisfies ImportSummary);
  t.same(await priced(), { azure: ['2.73/2.63'] });
});

t.test('the same file again replaces its figures: nothing counted twice', async (t) => {
  const sum = await run(unbilledDaily);
  t.same(sum.imported, { records: 1, created: 0, replaced: 1, cost: '2.73' });
  t.same(await priced(), { azure: ['2.73/2.63'] });
  const dry = await run(unbilledDaily, { dryRun: true });
  t.same([dry.dryRun, dry.imported], [true, { records: 1, created: 0, replaced: 1, cost: '2.73' }]);
});

t.test('billed replaces unbilled, an invoice file wins over the daily file of its invoice', async (t) => {
  const billed = dailyCsv([{ UsageDate: '10/9/2026', InvoiceNumber: 'G000000001', BillingPreTaxTotal: '10.00', UnitPrice: '11', Quantity: '1' }]);
  t.same((await run(billed)).imported, { records: 1, created: 1, replaced: 0, cost: '10.00' });
  t.same(await priced(), { azure: ['10.00/11.00'] }, 'the unbilled record no longer prices');

  const invoice = invoiceCsv([
    { ProductName: 'Azure plan', SubscriptionDescription: 'Azure plan', Subtotal: '12.00', UnitPrice: '12.00', EffectiveUnitPrice: '12.00', BillableQuantity: '1' },
    // a licence at 20 % off: retail = Subtotal × UnitPrice / EffectiveUnitPrice = 100 × 12 / 9.60 = 125
    { Subtotal: '100.00', UnitPrice: '12.00', EffectiveUnitPrice: '9.60', BillableQuantity: '10' },
    // a third of a month (prorated): 33.33 × 12 / 9.60 = 41.6625
    { Subtotal: '33.33', UnitPrice: '12.00', EffectiveUnitPrice: '9.60', BillableQuantity: '10', ChargeStartDate: '10/21/2026' },
    // EffectiveUnitPrice 0 (a free trial): UnitPrice × BillableQuantity × PCToBCExchangeRate = 12 × 2 × 1
    { Subtotal: '0.00', UnitPrice: '12.00', EffectiveUnitPrice: '0', BillableQuantity: '2' },
  ]);
  const sum = await run(invoice, { file: 'invoice.csv' });
  t.same([sum.kind, sum.lines, sum.imported], ['invoice', 4, { records: 2, created: 2, replaced: 0, cost: '145.33' }]);
  // m365 retail 125 + 41.6625 + 24 = 190.6625 → 190.66
  t.same(await priced(), { azure: ['12.00/12.00'], m365: ['133.33/190.66'] }, 'the invoice file record of G000000001 wins over the daily one');
});

t.test('--strict refuses a file with reported lines; nothing is written', async (t) => {
  const before = await priced();
  const err = await run(dailyCsv([{ CustomerId: T_UNKNOWN, BillingPreTaxTotal: '1', UsageDate: '10/1/2026' }, { BillingPreTaxTotal: '99', UsageDate: '10/1/2026', InvoiceNumber: 'G2' }]), { strict: true }).catch((e: unknown) => e);
  t.ok(err instanceof TierbookError);
  t.same([(err as TierbookError).code, (err as TierbookError).message], ['RECONCILIATION_LINES_REPORTED', 'nothing imported: 1 line(s) were reported and --strict refuses them']);
  t.same(await priced(), before);
});

t.test('structural errors import nothing and name the line and column', async (t) => {
  const before = await priced();
  const fails = async (text: string, code: string, message: string, extra: Record<string, unknown>) => {
    const err = (await run(text).catch((e: unknown) => e)) as TierbookError;
    t.ok(err instanceof TierbookError, message);
    t.same([err.code, err.message, err.status, err.exit, err.extra], [code, message, 400, 1, extra]);
  };
  await fails('CustomerId,UsageDate,BillingCurrency\r\nx,10/1/2026,USD\r\n', 'INVALID_RECONCILIATION_FILE',
    'usage.csv: line 1: required column BillingPreTaxTotal is missing (the header looks like a daily rated usage file)', { line: 1, columnName: 'BillingPreTaxTotal', reason: 'required column BillingPreTaxTotal is missing (the header looks like a daily rated usage file)' });
  await fails('Name,Amount\nx,1\n', 'INVALID_RECONCILIATION_FILE',
    'usage.csv: line 1: not a Partner Center file: the header has neither the invoice reconciliation columns (InvoiceNumber, ChargeStartDate, Subtotal, Currency) nor the daily rated usage columns (UsageDate, BillingPreTaxTotal, BillingCurrency)', { line: 1, columnName: 'UsageDate', reason: 'not a Partner Center file: the header has neither the invoice reconciliation columns (InvoiceNumber, ChargeStartDate, Subtotal, Currency) nor the daily rated usage columns (UsageDate, BillingPreTaxTotal, BillingCurrency)' });
  // the first line's product name spans two physical lines: the bad number is on line 4
  await fails(dailyCsv([{ BillingPreTaxTotal: '20', UsageDate: '10/1/2026', ProductName: 'Two\nlines' }, { BillingPreTaxTotal: '1,5', UsageDate: '10/2/2026' }]), 'INVALID_RECONCILIATION_FILE',
    'usage.csv: line 4, column 37 (BillingPreTaxTotal): "1,5" is not a number', { line: 4, column: 37, columnName: 'BillingPreTaxTotal', reason: '"1,5" is not a number' });
  await fails(dailyCsv([{ BillingPreTaxTotal: '20', UsageDate: '2/30/2026' }]), 'INVALID_RECONCILIATION_FILE',
    'usage.csv: line 2, column 21 (UsageDate): "2/30/2026" is not a date (M/D/YYYY or YYYY-MM-DD)', { line: 2, column: 21, columnName: 'UsageDate', reason: '"2/30/2026" is not a date (M/D/YYYY or YYYY-MM-DD)' });
  await fails(invoiceCsv([{ Subtotal: '5', UnitPrice: 'n/a', EffectiveUnitPrice: '1' }]), 'INVALID_RECONCILIATION_FILE',
    'usage.csv: line 2, column 17 (UnitPrice): "n/a" is not a number', { line: 2, column: 17, columnName: 'UnitPrice', reason: '"n/a" is not a number' });
  await fails('UsageDate,BillingPreTaxTotal,BillingCurrency,CustomerId\n10/1/2026,"1.5,USD,x\n', 'INVALID_RECONCILIATION_FILE',
    'usage.csv: line 2: not RFC 4180 CSV: Quote Not Closed: the parsing is finished with an opening quote', { line: 2, reason: 'not RFC 4180 CSV: Quote Not Closed: the parsing is finished with an opening quote' });
  t.same(await priced(), before, 'nothing written');
});

t.test('bytes must be UTF-8; a character split between chunks is fine', async (t) => {
  const text = 'UsageDate,BillingPreTaxTotal,BillingCurrency,CustomerId,CustomerName\n10/1/2026,1,USD,t,Société\n10/1/2026,2,USD,t,x\n';
  const bytes = Buffer.from(text);
  const at = bytes.indexOf(0xa9); // the second byte of "é"
  const split = [bytes.subarray(0, at), bytes.subarray(at)];
  const r = await readPartnerCenter(Readable.from(split), { services: [] });
  t.same([r.lines, r.customerNames.get('t')], [2, 'Société']);
  const latin1 = Buffer.concat([Buffer.from('UsageDate,BillingPreTaxTotal,BillingCurrency,CustomerId,CustomerName\n10/1/2026,1,USD,t,x\n10/1/2026,2,USD,t,Soci'), Buffer.from([0xe9]), Buffer.from('t\n')]);
  const err = (await importPartnerCenter(s.repo, plan, Readable.from([latin1]), { file: 'latin1.csv' }).catch((e: unknown) => e)) as TierbookError;
  t.same([err.code, err.message], ['INVALID_RECONCILIATION_FILE', 'latin1.csv: line 3: the file is not UTF-8 (saved again in another encoding?): use the file as Partner Center gave it']);
});

t.test('property: sums are exact whatever the quoting, line ends and BOM', async (t) => {
  const decimal = fc
    .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 8 }))
    .map(([neg, units, scale]) => {
      const digits = units.toString().padStart(scale + 1, '0');
      const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
      return neg && units !== 0n ? `-${text}` : text;
    });
  const name = fc.string({ unit: fc.constantFrom('a', 'Z', ',', '"', ' ', '\n', '\r\n', 'é'), maxLength: 12 });
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(decimal, name), { minLength: 1, maxLength: 30 }), fc.boolean(), fc.boolean(), async (rows, crlf, bom) => {
      const eol = crlf ? '\r\n' : '\n';
      const text = (bom ? '\uFEFF' : '') + ['CustomerId,ProductName,UsageDate,BillingPreTaxTotal,BillingCurrency', ...rows.map(([d, n]) => `t,${cell(n)},10/1/2026,${d},USD`)].join(eol) + eol;
      const r = await readPartnerCenter(Readable.from([Buffer.from(text)]), { services: [] });
      const want = new Map<string, Rat>();
      for (const [d, n] of rows) want.set(n, add(want.get(n) ?? ZERO, parseDecimal(d)!));
      const got = new Map(r.groups.map((g) => [g.productName, g.cost.rat()]));
      return r.lines === rows.length && got.size === want.size && [...want].every(([n, v]) => { const x = got.get(n); return x !== undefined && x.n === v.n && x.d === v.d; });
    }),
    { seed: 20261012, numRuns: 60 },
  );
  t.equal(sumText((await readPartnerCenter(Readable.from(['UsageDate,BillingPreTaxTotal,BillingCurrency,CustomerId\n1/1/2026,0.10,USD,t\n1/2/2026,1E-2,USD,t\n']), { services: [] })).groups[0]!.cost), '0.11', 'the exponent form too');
});

t.test('tenantId: unique per partner, a GUID', async (t) => {
  const dup = await s.call('POST', '/customers', { body: { id: 'twin', name: 'Twin', tenantId: T_NORTHWIND } });
  t.same([dup.status, dup.json.code, dup.json.detail], [409, 'RECORD_CONFLICT', `tenant "${T_NORTHWIND}" already belongs to customer "northwind"`]);
  const bad = await s.call('POST', '/customers', { body: { id: 'twin', name: 'Twin', tenantId: 'not-a-guid' } });
  t.same([bad.status, bad.json.errors[0].pointer], [400, '/tenantId']);
  // another partner may hold the same tenant (its own customer)
  const other = await s.call('POST', '/v1/partners/huayun/customers', { token: s.other, body: { id: 'nw', name: 'NW', tenantId: T_NORTHWIND } });
  t.equal(other.status, 201);
  const got = await s.call('GET', '/customers/northwind');
  t.equal(got.json.tenantId, T_NORTHWIND);
});

t.test('POST /imports/partner-center', async (t) => {
  const csv = { 'content-type': 'text/csv' };
  const ok = await s.call('POST', '/imports/partner-center?dryRun=true', { raw: unbilledDaily, headers: csv });
  t.same([ok.status, ok.json.file, ok.json.lines, ok.json.imported, ok.json.dryRun], [200, 'body', 6, { records: 1, created: 0, replaced: 1, cost: '2.73' }, true]);

  const bad = await s.call('POST', '/imports/partner-center', { raw: dailyCsv([{ BillingPreTaxTotal: 'x', UsageDate: '10/1/2026' }]), headers: csv });
  t.same([bad.status, bad.json.code, bad.json.line, bad.json.column, bad.json.columnName], [400, 'INVALID_RECONCILIATION_FILE', 2, 37, 'BillingPreTaxTotal']);

  // a bad line early in a large body: the answer is the 400, not a closed socket
  const rows = Array.from({ length: 20_000 }, () => ({ BillingPreTaxTotal: '1', UsageDate: '10/1/2026' }));
  const early = await s.call('POST', '/imports/partner-center', { raw: dailyCsv([{ BillingPreTaxTotal: '1', UsageDate: '13/1/2026' }, ...rows]), headers: csv });
  t.same([early.status, early.json.code, early.json.line], [400, 'INVALID_RECONCILIATION_FILE', 2]);

  const strict = await s.call('POST', '/imports/partner-center?strict=true', { raw: unbilledDaily, headers: csv });
  t.same([strict.status, strict.json.code, strict.json.summary.unknownCustomers.length], [422, 'RECONCILIATION_LINES_REPORTED', 1]);

  const json = await s.call('POST', '/imports/partner-center', { body: { file: 'x' } });
  t.same([json.status, json.json.code], [415, 'UNSUPPORTED_MEDIA_TYPE']);
  t.equal((await s.call('POST', '/imports/partner-center', { raw: unbilledDaily, headers: csv, token: null })).status, 401, 'a token is needed');
  t.equal((await s.call('POST', '/imports/partner-center', { raw: unbilledDaily, headers: csv, token: s.viewer })).status, 403, 'a viewer may not import');
  t.equal((await s.call('POST', '/imports/partner-center', { raw: unbilledDaily, headers: csv, token: s.other })).status, 404, "another partner's token: that partner is not found");
  // huayun's own import knows none of contoso's tenants… except the one its own customer holds
  const iso = await s.call('POST', '/v1/partners/huayun/imports/partner-center?dryRun=true', { raw: unbilledDaily, headers: csv, token: s.other });
  t.same([iso.status, iso.json.imported.records, iso.json.unknownCustomers.map((u: { customerId: string }) => u.customerId)], [200, 0, [T_UNKNOWN]]);

  // a chunked body is counted as it arrives
  const limit = byteLimit(10);
  const passed: string[] = [];
  limit.on('data', (c: Buffer) => passed.push(c.toString()));
  const failed = new Promise<unknown>((resolve) => limit.on('error', resolve));
  limit.write('12345');
  limit.write('67890');
  limit.write('x');
  const e = (await failed) as TierbookError;
  t.same([passed.join(''), e.code, e.status], ['1234567890', 'BODY_TOO_LARGE', 413]);

  // over 64 MiB by Content-Length: refused before the body is read
  const url = new URL(`${s.base}/imports/partner-center`);
  const status = await new Promise<number>((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...csv, authorization: `Bearer ${s.admin}`, 'content-length': String(64 * 1024 * 1024 + 1) } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', reject);
    req.write('UsageDate,BillingPreTaxTotal\n');
  });
  t.equal(status, 413);
});
