// `tierbook import subscriptions` with the columns of subscriptions over time
// (end, discount, priceAsOf, prices as JSON), and SUBSCRIPTION_OVERLAP on its line.
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMain } from '../helpers/run-main.js';
import { openSqlite } from '../../src/store/sqlite.js';

const PLANS = fileURLToPath(new URL('../fixtures/plans/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tierbook-subimport-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'x.db');

const run = runMain;
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const importCsv = (kind: string, name: string, text: string) => run('import', kind, file(name, text), '--partner', 'contoso', '--db', db, '--plans', PLANS);

t.test('subscriptions CSV: end, discount, priceAsOf, prices; overlap and bad prices reported on their lines', async (t) => {
  let r = await importCsv('customers', 'c.csv', 'id,name,taxRate,taxId\nnw,Northwind,8%,US12-3456789\n');
  t.equal(r.code, 0, r.err);
  r = await importCsv(
    'subscriptions',
    's.csv',
    'id,customer,offering,start,end,discount,priceAsOf,prices\n' +
      'nw-ess,nw,essential,2026-01-01,2026-10-15,10%,,\n' +
      'nw-std,nw,standard,2026-10-16,,10%,2026-10-01,"{""base"":{""amount"":""225.00""}}"\n',
  );
  t.equal(r.code, 0, r.err);
  const repo = await openSqlite(db);
  t.teardown(() => repo.close());
  t.same(await repo.getSubscription('contoso', 'nw-std'), {
    id: 'nw-std', customer: 'nw', offering: 'standard', start: '2026-10-16', end: null, discount: '10%', prices: { base: { amount: '225.00' } }, priceAsOf: '2026-10-01', quantities: [],
  });
  t.same([(await repo.getSubscription('contoso', 'nw-ess'))!.end, (await repo.getCustomer('contoso', 'nw'))!.taxId], ['2026-10-15', 'US12-3456789']);

  r = await importCsv('subscriptions', 'o.csv', 'id,customer,offering,start\nnw-ess2,nw,essential,2026-10-01\n');
  t.equal(r.code, 1);
  t.match(r.err, /o\.csv:2: SUBSCRIPTION_OVERLAP: .*subscription "nw-ess2" \(2026-10-01 to no end\) would overlap subscription "nw-ess" \(2026-01-01 to 2026-10-15\)/);
  r = await importCsv('subscriptions', 'b.csv', 'id,customer,offering,start,end,prices\nx1,nw,dynamics-plus,2026-10-01,2026-09-01,\nx2,nw,dynamics-plus,2026-11-01,,"{""bogus"":{""amount"":""1.00""}}"\n');
  t.equal(r.code, 1);
  t.match(r.err, /b\.csv:2: END_BEFORE_START: \/end: end 2026-09-01 is before start 2026-10-01/);
  t.match(r.err, /b\.csv:3: UNKNOWN_COMPONENT: \/prices\/bogus: offering "dynamics-plus" has no component "bogus"/);
  t.equal(await repo.getSubscription('contoso', 'x1'), null, 'nothing imported');
});

t.test('a row of a stored subscription changes its end, discount, priceAsOf and prices; other rows are created', async (t) => {
  const head = 'id,customer,offering,start,end,discount,priceAsOf,prices\n';
  let r = await importCsv('subscriptions', 'u1.csv', head + 'up-1,nw,dynamics-plus,2026-06-01,,5%,,\n');
  t.equal(r.code, 0, r.err);
  // the same file again: replayed, nothing changes
  r = await importCsv('subscriptions', 'u1.csv', head + 'up-1,nw,dynamics-plus,2026-06-01,,5%,,\n');
  t.equal(r.code, 0, r.err);
  // ended on the 10th, discount removed, grandfathered; a new row beside it
  r = await importCsv('subscriptions', 'u2.csv', head + 'up-1,nw,dynamics-plus,2026-06-01,2026-11-10,,2026-06-01,\nup-2,nw,dynamics-plus,2026-11-11,,,,\n');
  t.equal(r.code, 0, r.err);
  const repo = await openSqlite(db);
  t.teardown(() => repo.close());
  t.match(await repo.getSubscription('contoso', 'up-1'), { end: '2026-11-10', discount: null, priceAsOf: '2026-06-01', prices: null });
  t.match(await repo.getSubscription('contoso', 'up-2'), { start: '2026-11-11', end: null });
  // an end before the start is refused on its line and nothing is written
  r = await importCsv('subscriptions', 'u3.csv', head + 'up-1,nw,dynamics-plus,2026-06-01,2026-05-01,,,\nup-3,nw,essential,2027-01-01,,,,\n');
  t.equal(r.code, 1);
  t.match(r.err, /u3\.csv:2: END_BEFORE_START/);
  t.equal(await repo.getSubscription('contoso', 'up-3'), null, 'nothing imported');
  t.equal((await repo.getSubscription('contoso', 'up-1'))!.end, '2026-11-10');
  // another start for a stored id is still a conflict, not a change
  r = await importCsv('subscriptions', 'u4.csv', head + 'up-1,nw,dynamics-plus,2026-07-01,,,,\n');
  t.equal(r.code, 1);
  t.match(r.err, /u4\.csv:2: RECORD_CONFLICT/);
});
