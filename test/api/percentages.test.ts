// One rule for every percentage (issue 21 item 2): a string of 0 to 100 with
// up to 4 decimals and a "%" ("0%", "8.25%", "100%"). A discount of "150%"
// was stored and issued negative invoices; a tax rate of "999.9999%" was
// accepted everywhere. Checked where bodies are validated (API, batch,
// import, quotes), where the plan compiles, and in the billing core itself,
// for rows stored before the rule (or by any other way into the store).
import t from 'tap';
import { readFileSync } from 'node:fs';
import { PERCENT_PATTERN } from '../../src/wire/patterns.js';
import { loadPlan } from '../../src/plans/load.js';
import { importRecords } from '../../src/app/import.js';
import { seed, startServer, type Server } from './helpers.js';

let s: Server;
t.before(async () => {
  s = await startServer();
  await seed(s);
});
t.teardown(() => s.close());

t.test('the pattern: 0 to 100 with up to 4 decimals', async (t) => {
  const re = new RegExp(PERCENT_PATTERN);
  for (const ok of ['0%', '0.0001%', '8%', '8.25%', '99.9999%', '100%', '100.0%', '100.0000%']) t.ok(re.test(ok), ok);
  for (const bad of ['100.0001%', '150%', '999.9999%', '101%', '-1%', '1.23456%', '8', '%', '.5%', '1e2%', '1000%']) t.notOk(re.test(bad), bad);
});

t.test('API, batch: over 100 % is a 400 naming the field', async (t) => {
  const sub = { customer: 'northwind', offering: 'essential', start: '2026-10-01' };
  for (const discount of ['150%', '100.0001%']) {
    const r = await s.call('POST', '/subscriptions', { body: { ...sub, discount } });
    t.equal(r.status, 400, discount);
    t.equal(r.json.errors[0].pointer, '/discount');
  }
  const tax = await s.call('POST', '/customers', { body: { id: 'taxed', name: 'Taxed', taxRate: '999.9999%' } });
  t.same([tax.status, tax.json.errors[0].pointer], [400, '/taxRate']);
  const put = await s.call('PUT', '/customers/northwind', { body: { name: 'Northwind', taxRate: '100.5%' } });
  t.same([put.status, put.json.errors[0].pointer], [400, '/taxRate']);
  // tierbook import goes through the same ingest
  const imported = await importRecords(s.repo, s.plan, 'subscriptions', [sub, { ...sub, discount: '101%' }]);
  t.same(imported.ok ? [] : [...new Set(imported.problems.map((p) => `${p.index} ${p.pointer}`))], ['1 /discount']);
  t.equal((await s.call('POST', '/subscriptions', { body: { ...sub, id: 'free', discount: '100%' } })).status, 201, '100 % is allowed');
});

t.test('quotes: the same rule', async (t) => {
  const doc = JSON.parse(readFileSync('docs/examples/quote-standard.json', 'utf8')) as { customer: Record<string, unknown> };
  const r = await s.call('POST', '/quotes', { body: { ...doc, customer: { ...doc.customer, taxRate: '999.9999%' } } });
  t.equal(r.status, 400);
  t.match(JSON.stringify(r.json.errors), '/customer/taxRate');
});

t.test('the billing core refuses a stored discount or tax rate over 100 %', async (t) => {
  // rows written before the rule existed (straight into the store, past ingest)
  await s.repo.insertMany('contoso', 'customers', [{ record: { id: 'legacy', name: 'Legacy', locale: null, taxRate: '999.9999%', email: null }, bodyHash: 'x1' }]);
  await s.repo.insertMany('contoso', 'subscriptions', [
    // dynamics-plus: northwind holds essential ("free") and standard already, and one subscription per offering on a day is the rule
    { record: { id: 'legacy-std', customer: 'northwind', offering: 'dynamics-plus', start: '2026-10-01', end: null, discount: '150%', quantities: [] }, bodyHash: 'x2' },
  ]);
  const st = await s.call('GET', '/statements/northwind/2026-10');
  t.equal(st.status, 422);
  t.equal(st.json.code, 'BILLING_REFUSED');
  t.match(st.json.detail, 'discount "150%" of subscription "legacy-std" is over 100%');
  const fin = await s.call('POST', '/statements/northwind/2026-10/finalize');
  t.equal(fin.status, 422, 'nothing negative is issued');
  await s.repo.insertMany('contoso', 'subscriptions', [{ record: { id: 'legacy-ess', customer: 'legacy', offering: 'essential', start: '2026-10-01', end: null, discount: null, quantities: [] }, bodyHash: 'x3' }]);
  const tax = await s.call('GET', '/statements/legacy/2026-10');
  t.same([tax.status, tax.json.code], [422, 'BILLING_REFUSED']);
  t.match(tax.json.detail, 'tax rate "999.9999%" is over 100%');
});

t.test('plans: a share of spend over 100 % is an error', async (t) => {
  const src = readFileSync('test/fixtures/plans/contoso.yaml', 'utf8');
  t.ok(src.includes('rate: "8%"'));
  const r = loadPlan(src.replace('rate: "8%"', 'rate: "150%"'), 'c.yaml');
  t.equal(r.plan, null);
  t.match(r.findings.filter((f) => f.severity === 'error'), [{ path: /rate$/, message: /150% is over 100%/ }]);
});
