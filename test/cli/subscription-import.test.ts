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
