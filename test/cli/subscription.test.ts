// `tierbook subscription end|change|price` (§8.1) in this process: what each
// prints, its exit status (0 done, 1 refused with a code, 2 usage), and that
// it wrote through the same use cases as the API.
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMain } from '../helpers/run-main.js';
import { openSqlite } from '../../src/store/sqlite.js';

const PLANS = fileURLToPath(new URL('../fixtures/plans/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tierbook-subscription-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'x.db');

const run = runMain;
const sub = (...args: string[]) => run('subscription', ...args, '--partner', 'contoso', '--db', db, '--plans', PLANS);

t.before(async () => {
  const repo = await openSqlite(db);
  await repo.insertMany('contoso', 'customers', [{ record: { id: 'nw', name: 'Northwind', locale: null, taxRate: null, email: null }, bodyHash: 'c' }]);
  await repo.insertMany('contoso', 'subscriptions', [
    { record: { id: 'nw-std', customer: 'nw', offering: 'standard', start: '2026-10-01', end: null, discount: '5%', quantities: [{ metric: 'seats', value: 8, from: '2026-10-01' }] }, bodyHash: 's' },
  ]);
  await repo.close();
});

t.test('end: prints the subscription; "none" removes the end; refusals exit 1 with their code', async (t) => {
  let r = await sub('end', 'nw-std', '2026-12-31');
  t.same([r.code, JSON.parse(r.out).end, r.err], [0, '2026-12-31', '']);
  r = await sub('end', 'nw-std', 'none');
  t.same([r.code, JSON.parse(r.out).end], [0, null]);
  r = await sub('end', 'nw-std', '2026-09-30');
  t.same([r.code, r.out], [1, '']);
  t.equal(r.err, 'tierbook subscription: END_BEFORE_START: subscription "nw-std" starts on 2026-10-01; its end 2026-09-30 is before that (/end)\n');
  r = await sub('end', 'ghost', '2026-12-31');
  t.same([r.code, r.err], [1, 'tierbook subscription: NOT_FOUND: subscription "ghost" not found\n']);
  r = await sub('end', 'nw-std', '2026-02-30');
  t.equal(r.code, 2, 'not a date: usage');
  t.match(r.err, /USAGE: <date> must be a date YYYY-MM-DD or none, got "2026-02-30"/);
  t.equal((await run('subscription', 'end', 'nw-std', '2026-12-31', '--db', db, '--plans', PLANS)).code, 2, 'several plans and no --partner');
});

t.test('price: one component at a time, cleared, the price date; refusals', async (t) => {
  let r = await sub('price', 'nw-std', '--component', 'base', '--amount', '200.00');
  t.same([r.code, JSON.parse(r.out).prices], [0, { base: { amount: '200.00' } }]);
  r = await sub('price', 'nw-std', '--component', 'azure', '--rate', '6%', '--minimum', '50.00', '--as-of', '2026-09-01');
  t.same([r.code, JSON.parse(r.out).prices, JSON.parse(r.out).priceAsOf], [0, { base: { amount: '200.00' }, azure: { rate: '6%', minimum: '50.00' } }, '2026-09-01'], 'the other component kept');
  r = await sub('price', 'nw-std', '--component', 'base', '--clear');
  t.same(JSON.parse(r.out).prices, { azure: { rate: '6%', minimum: '50.00' } });
  r = await sub('price', 'nw-std', '--component', 'bogus', '--amount', '1.00');
  t.equal(r.code, 1);
  t.match(r.err, /^tierbook subscription: UNKNOWN_COMPONENT: \/prices\/bogus: offering "standard" has no component "bogus"/);
  r = await sub('price', 'nw-std', '--component', 'base', '--rate', '5%');
  t.same([r.code, /PRICE_OVERRIDE_INVALID/.test(r.err)], [1, true]);
  r = await sub('price', 'nw-std', '--component', 'base', '--amount', 'abc');
  t.same([r.code, /PRICE_OVERRIDE_INVALID/.test(r.err)], [1, true]);
  t.equal((await sub('price', 'nw-std', '--component', 'base', '--amount', '1.00', '--rate', '5%')).code, 2, 'two kinds of price');
  t.equal((await sub('price', 'nw-std', '--component', 'base')).code, 2, 'a component and no price');
  t.equal((await sub('price', 'nw-std')).code, 2, 'nothing to change');
  r = await sub('price', 'nw-std', '--clear', '--as-of', 'none');
  t.same([r.code, JSON.parse(r.out).prices, JSON.parse(r.out).priceAsOf], [0, null, null]);
});

t.test('change: ended and started; out of range and overlap exit 1', async (t) => {
  let r = await sub('change', 'nw-std', '--offering', 'essential', '--at', '2026-11-16');
  t.equal(r.code, 0, r.err);
  const { ended, started } = JSON.parse(r.out);
  t.same([ended.end, started.id, started.offering, started.start, started.discount, started.quantities], ['2026-11-15', 'nw-std-20261116', 'essential', '2026-11-16', '5%', [{ metric: 'seats', value: 8, from: '2026-11-16' }]]);
  r = await sub('change', 'nw-std', '--offering', 'essential', '--at', '2026-11-20', '--id', 'nw-late');
  t.equal(r.code, 1);
  t.match(r.err, /^tierbook subscription: CHANGE_OUT_OF_RANGE: subscription "nw-std" runs 2026-10-01 to 2026-11-15/);
  r = await sub('change', 'nw-std', '--offering', 'standard', '--at', '2026-10-10', '--id', 'nw-std-b');
  t.same([r.code, JSON.parse(r.out).ended.end, JSON.parse(r.out).started.end], [0, '2026-10-09', '2026-11-15'], 'to the same offering: the end carried');
  r = await sub('end', 'nw-std', 'none');
  t.equal(r.code, 1);
  t.equal(r.err, 'tierbook subscription: SUBSCRIPTION_OVERLAP: subscription "nw-std" (2026-10-01 to no end) would overlap subscription "nw-std-b" (2026-10-10 to 2026-11-15) of customer "nw" to offering "standard"\n');
  t.equal((await sub('change', 'nw-std', '--at', '2026-11-01')).code, 2, '--offering required');
  t.equal((await sub('change', 'nw-std', '--offering', 'ghost', '--at', '2026-10-05')).code, 1, 'unknown offering');
});
