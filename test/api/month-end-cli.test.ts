// Month-end on the command line (§9.1, §9.4): `import adjustments` (CSV and
// NDJSON, all or nothing, PERIOD_ISSUED), and `bill --finalize` finalizing
// the rest, listing refused customers with their codes and exiting 1.
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMain } from '../helpers/run-main.js';

const PLANS = fileURLToPath(new URL('../fixtures/plans/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tierbook-month-end-cli-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'x.db');

const run = runMain;
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const store = ['--db', db, '--plans', PLANS, '--partner', 'contoso'];

t.test('import adjustments, then bill --finalize: refusals listed with codes, exit 1; --force issues them', async (t) => {
  t.equal((await run('migrate', '--db', db)).code, 0);
  const customers = file('c.ndjson', ['northwind', 'tailspin'].map((id) => JSON.stringify({ id, name: id, taxRate: '10%' })).join('\n') + '\n');
  t.equal((await run('import', 'customers', customers, ...store)).code, 0);
  const subs = file('s.ndjson', ['northwind', 'tailspin'].map((id) => JSON.stringify({ id: `${id}-std`, customer: id, offering: 'standard', start: '2026-10-01', quantities: [{ metric: 'seats', value: 10, from: '2026-10-01' }] })).join('\n') + '\n');
  t.equal((await run('import', 'subscriptions', subs, ...store)).code, 0);
  t.equal((await run('import', 'spend', file('sp.ndjson', JSON.stringify({ id: 'nw-oct', customer: 'northwind', period: '2026-10', service: 'azure', amount: '2000.00' }) + '\n'), ...store)).code, 0);

  // CSV: taxable as text, an empty offering left out
  const csv = file('adj.csv', 'id,customer,period,description,amount,offering,taxable\nsetup,northwind,2026-10,"Setup, on site",150.00,standard,true\nfees,northwind,2026-10,Card fees,12.50,,false\n');
  const imported = await run('import', 'adjustments', csv, ...store);
  t.equal(imported.code, 0, imported.err);
  t.match(imported.err, 'imported 2 adjustments for contoso (2 new, 0 already present)');
  const bad = await run('import', 'adjustments', file('bad.ndjson', JSON.stringify({ customer: 'northwind', period: '2026-10', description: 'x', amount: '1.001' }) + '\n' + JSON.stringify({ customer: 'northwind', period: '2026-10', description: 'ok', amount: '1.00' }) + '\n'), ...store);
  t.equal(bad.code, 1);
  t.match(bad.err, 'bad.ndjson:1: INVALID_RECORD: /amount: USD amounts have at most 2 decimals, got "1.001"');
  t.match(bad.err, 'nothing imported');

  const out = join(dir, 'out');
  const billed = await run('bill', 'contoso', '2026-10', '--finalize', '--out', out, '--db', db, '--plans', PLANS);
  t.equal(billed.code, 1);
  t.same(billed.out.trim().split('\n'), [
    'northwind\tUSD 672.50\tCONTOSO-202610-0001', // 250 + 40 + 160 + 150 + 12.50 = 612.50; tax 10 % of 600.00 (the card fees are not taxable)
    'tailspin\trefused: SPEND_MISSING: no cloud spend of azure is stored for customer "tailspin" and 2026-10 (standard, component azure); nothing was issued (force to issue anyway)',
  ]);
  t.match(billed.err, '1 statement(s) for contoso 2026-10 issued in');
  t.match(billed.err, '; 1 refused');

  const late = await run('import', 'adjustments', file('late.ndjson', JSON.stringify({ customer: 'northwind', period: '2026-10', description: 'late', amount: '1.00' }) + '\n'), ...store);
  t.equal(late.code, 1);
  t.match(late.err, 'late.ndjson:1: PERIOD_ISSUED: /period: customer "northwind" has invoice CONTOSO-202610-0001 issued for 2026-10');

  const forced = await run('bill', 'contoso', '2026-10', '--finalize', '--force', '--db', db, '--plans', PLANS);
  t.equal(forced.code, 0, forced.err);
  t.same(forced.out.trim().split('\n'), ['northwind\tUSD 672.50\tCONTOSO-202610-0001 (already issued)', 'tailspin\tUSD 429.00\tCONTOSO-202610-0002']);

  // verify prices the invoice with the plan text stored at finalize, whatever the plans directory holds now
  const empty = join(dir, 'no-plans');
  (await import('node:fs')).mkdirSync(empty);
  const verified = await run('verify', 'CONTOSO-202610-0001', '--format', 'json', '--db', db, '--plans', empty);
  t.equal(verified.code, 0, verified.err + verified.out);
  const report = JSON.parse(verified.out);
  t.equal(report.plan.source, 'store');
  t.equal(report.ok, true);

  // a month that has not ended: every customer refused, nothing issued
  const early = await run('bill', 'contoso', '2999-01', '--finalize', '--force', '--db', db, '--plans', PLANS);
  t.equal(early.code, 1);
  t.match(early.out, /^northwind\trefused: PERIOD_NOT_ENDED: period 2999-01 has not ended in America\/New_York \(it ends 2999-01-31 24:00\); nothing was issued$/m);
  t.match(early.out, /^tailspin\trefused: PERIOD_NOT_ENDED: /m);
});
