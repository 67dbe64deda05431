// `tierbook import purchases` (SPEC §10): CSV (quantity read as a whole
// number) and NDJSON, checked exactly as POST /purchases checks them, all or
// nothing, every bad row reported with its line and code.
import t from 'tap';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../src/store/sqlite.js';
import { runImport } from '../../src/cli/import-run.js';
import { BLOCKS_YAML } from './purchases-plan.js';

const dir = mkdtempSync(join(tmpdir(), 'tierbook-purchases-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const plans = join(dir, 'plans');
mkdirSync(plans);
writeFileSync(join(plans, 'contoso.yaml'), BLOCKS_YAML);
const db = join(dir, 'x.db');
const file = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
/** `tierbook import <kind> <file> --partner contoso` in this process (the command's own work function), its stderr captured. */
const cli = async (_import: 'import', kind: 'customers' | 'subscriptions' | 'purchases', path: string) => {
  let err = '';
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => ((err += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await runImport(kind, path, { partner: 'contoso', db, plans });
    return { code, err };
  } finally {
    process.stderr.write = write;
  }
};

t.test('import purchases: all or nothing, each bad row on its line', async (t) => {
  t.equal((await cli('import', 'customers', file('c.csv', 'id,name\nalpha,Alpha\nbeta,Beta\n'))).code, 0);
  const subs = [
    { id: 'a-top', customer: 'alpha', offering: 'topup', start: '2026-10-01' },
    { id: 'b-top', customer: 'beta', offering: 'topup', start: '2026-10-01' },
  ];
  t.equal((await cli('import', 'subscriptions', file('s.ndjson', subs.map((s) => JSON.stringify(s)).join('\n') + '\n'))).code, 0);

  const bad = await cli(
    'import',
    'purchases',
    file('bad.csv', 'id,customer,subscription,component,date,quantity,amount\np1,alpha,a-top,hours,2026-10-15,2,\np2,alpha,b-top,hours,2026-10-15,1,\np3,alpha,a-top,labour,2026-10-15,1,\np4,alpha,a-top,hours,2026-09-01,1,\n'),
  );
  t.equal(bad.code, 1);
  t.equal(
    bad.err,
    [
      `${join(dir, 'bad.csv')}:3: PURCHASE_SUBSCRIPTION_MISMATCH: /subscription: customer "alpha" holds no subscription "b-top"`,
      `${join(dir, 'bad.csv')}:4: PURCHASE_NOT_A_BLOCK: /component: "labour" is not a block component with renew: purchase of offering "topup" (purchasable: hours)`,
      `${join(dir, 'bad.csv')}:5: PURCHASE_OUTSIDE_SUBSCRIPTION: /date: subscription "a-top" runs 2026-10-01 to open end; a purchase on 2026-09-01 is outside it`,
      'tierbook import: nothing imported (3 errors)',
      '',
    ].join('\n'),
  );
  const repo = await openSqlite(db);
  t.teardown(() => repo.close());
  t.same((await repo.history('contoso', 'alpha', 0, 0, '2099-12-31')).purchases, [], 'nothing written');

  const ok = await cli('import', 'purchases', file('ok.csv', 'id,customer,subscription,component,date,quantity,amount\np1,alpha,a-top,hours,2026-10-15,2,\np2,beta,b-top,hours,2026-11-02,,400.00\n'));
  t.equal(ok.code, 0, ok.err);
  t.match(ok.err, /^imported 2 purchases for contoso \(2 new, 0 already present\)\n/);
  t.same((await repo.history('contoso', 'alpha', 0, 0, '2099-12-31')).purchases, [{ id: 'p1', customer: 'alpha', subscription: 'a-top', component: 'hours', date: '2026-10-15', quantity: 2, amount: null }]);
  t.same((await repo.history('contoso', 'beta', 0, 0, '2099-12-31')).purchases, [{ id: 'p2', customer: 'beta', subscription: 'b-top', component: 'hours', date: '2026-11-02', quantity: 1, amount: '400.00' }]);
  const again = await cli('import', 'purchases', file('again.ndjson', JSON.stringify({ id: 'p1', customer: 'alpha', subscription: 'a-top', component: 'hours', date: '2026-10-15', quantity: 2 }) + '\n'));
  t.equal(again.code, 0, again.err);
  t.match(again.err, /^imported 1 purchases for contoso \(0 new, 1 already present\)\n/, 'the same row again replays');
});
