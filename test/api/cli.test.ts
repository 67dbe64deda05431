// The store commands end to end: token create, import (good file; a bad row
// writes nothing and names its line), bill with --out and --finalize.
import t from 'tap';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqlite } from '../../src/store/sqlite.js';
import { runMainWith } from '../helpers/run-main.js';

t.setTimeout(900_000);

const PLANS = fileURLToPath(new URL('../fixtures/plans/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tierbook-cli-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'x.db');

// in this process (runMain): the commands' behaviour; the real binary's exit
// status and output are test/cli/fuzz-inputs.test.ts's end-to-end child
const cli = (...args: string[]) => runMainWith({ env: { TIERBOOK_PLANS: PLANS } }, ...args, '--db', db);

t.test('token create prints only the token', async (t) => {
  const r = await cli('token', 'create', '--partner', 'contoso', '--role', 'viewer');
  t.equal(r.code, 0, r.err);
  t.match(r.out, /^tb_[A-Za-z0-9_-]+\n$/);
  const repo = await openSqlite(db);
  t.same(await repo.findToken(r.out.trim()).then((x) => x && { partner: x.partner, role: x.role }), { partner: 'contoso', role: 'viewer' });
  await repo.close();
  t.equal((await cli('token', 'create', '--partner', 'contoso', '--role', 'root')).code, 2);
});

t.test('import: all or nothing with line numbers', async (t) => {
  const customers = join(dir, 'customers.csv');
  writeFileSync(customers, 'id,name,taxRate\nnorthwind,"Northwind, Inc.",8%\nfabrikam-ltd,Fabrikam,\n');
  const ok = await cli('import', 'customers', customers, '--partner', 'contoso');
  t.equal(ok.code, 0, ok.err);
  t.match(ok.err, /^imported 2 customers for contoso \(2 new, 0 already present\)\ntierbook import: one transaction held the store's write lock for \d+ ms\n$/, 'how long servers waited for the import (issue 21 item 3)');
  const subs = join(dir, 'subs.ndjson');
  writeFileSync(subs, JSON.stringify({ id: 'nw-std', customer: 'northwind', offering: 'standard', start: '2026-10-01', quantities: [{ metric: 'seats', value: 10, from: '2026-10-01' }] }) + '\n');
  t.equal((await cli('import', 'subscriptions', subs, '--partner', 'contoso')).code, 0);

  const reqs = join(dir, 'requests.ndjson');
  const good = { partner: 'contoso', customer: 'northwind', service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-14T10:00:00-04:00' };
  writeFileSync(reqs, [{ ...good, id: 'q1' }, { ...good, id: 'q2', severity: 7 }, { ...good, id: 'q3' }, { ...good, id: 'q4', customer: 'ghost' }].map((x) => JSON.stringify(x)).join('\n') + '\n');
  const bad = await cli('import', 'requests', reqs);
  t.equal(bad.code, 1);
  t.match(bad.err, /requests\.ndjson:2: INVALID_RECORD: \/severity/);
  t.match(bad.err, /requests\.ndjson:4: INVALID_RECORD: \/customer/);
  const repo = await openSqlite(db);
  t.equal(await repo.getRequest('contoso', 'q1'), null, 'nothing written');

  writeFileSync(reqs, [{ ...good, id: 'q1' }, { ...good, id: 'q3', receivedAt: '2026-10-20T10:00:00-04:00' }].map((x) => JSON.stringify(x)).join('\n') + '\n');
  t.equal((await cli('import', 'requests', reqs)).code, 0);
  t.equal((await repo.getRequest('contoso', 'q1'))!.decision.offering, 'standard');
  const spend = join(dir, 'spend.csv');
  writeFileSync(spend, 'customer,period,service,amount\nnorthwind,2026-10,azure,1000.00\nnorthwind,2026-10,azure,12.3.4\n');
  const badSpend = await cli('import', 'spend', spend, '--partner', 'contoso');
  t.equal(badSpend.code, 1);
  t.match(badSpend.err, /spend\.csv:3: INVALID_RECORD: \/amount/);
  t.equal((await repo.periodData('contoso', 'northwind', '2026-10', 0, 1e15))!.spend.length, 0);
  // the month's spend, so that finalize finds what percent-of-spend bills (SPEND_MISSING otherwise)
  writeFileSync(spend, 'customer,period,service,amount\nnorthwind,2026-10,azure,1000.00\n');
  t.equal((await cli('import', 'spend', spend, '--partner', 'contoso')).code, 0);
  await repo.close();
});

t.test('bill writes, finalizes and numbers statements', async (t) => {
  const out = join(dir, 'out');
  const r = await cli('bill', 'contoso', '2026-10', '--out', out, '--finalize');
  t.equal(r.code, 0, r.err);
  t.match(r.err, /billed 2\/2/);
  const files = readdirSync(out).sort();
  t.same(files, ['fabrikam-ltd-2026-10.json', 'northwind-2026-10.json']);
  const nw = JSON.parse(readFileSync(join(out, 'northwind-2026-10.json'), 'utf8'));
  t.match(nw.number, /^CONTOSO-202610-000[12]$/);
  t.equal((await cli('bill', 'contoso', '2026-13')).code, 2);
});
