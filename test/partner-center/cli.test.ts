// `tierbook import partner-center` on the command line (in this process,
// runMain: the text a partner sees): the text summary on stdout, a structural
// error on stderr with exit 1, --partner required; and `tierbook import
// customers|spend` with a tenantId column and negative spend rows without ids,
// imported twice. (The real binary's exit status and no-stack output are
// test/cli/fuzz-inputs.test.ts's end-to-end child.)
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from '../helpers/run-main.js';
import { dailyCsv, T_NORTHWIND } from './files.js';

const dir = mkdtempSync(join(tmpdir(), 'tierbook-pc-cli-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const plans = join(dir, 'plans');
mkdirSync(plans);
writeFileSync(
  join(plans, 'contoso.yaml'),
  readFileSync('test/fixtures/plans/contoso.yaml', 'utf8').replace(/\n {2}azure: Microsoft Azure\n/, '\n  azure:\n    name: Microsoft Azure\n    match: { subscriptionDescription: ["Azure plan*"] }\n'),
);
const db = join(dir, 'store.db');
const file = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const cli = async (...args: string[]) => {
  const r = await runMain('import', ...args, '--db', db, '--plans', plans);
  return { status: r.code, stdout: r.out, stderr: r.err };
};

t.test('customers with a tenant, negative spend without ids twice', async (t) => {
  const c = await cli('customers', file('customers.csv', `id,name,tenantId\nnorthwind,Northwind Traders,${T_NORTHWIND}\n`), '--partner', 'contoso');
  const first = (text: string) => text.split('\n')[0]; // later lines are timing notes
  t.same([c.status, first(c.stderr)], [0, 'imported 1 customers for contoso (1 new, 0 already present)']);
  const spend = file('spend.csv', 'customer,period,service,amount\nnorthwind,2026-09,azure,-12.50\nnorthwind,2026-09,m365,40.00\n');
  t.same([first((await cli('spend', spend, '--partner', 'contoso')).stderr), first((await cli('spend', spend, '--partner', 'contoso')).stderr)], [
    'imported 2 spend for contoso (2 new, 0 already present)',
    'imported 2 spend for contoso (0 new, 2 already present)',
  ]);
});

t.test('import partner-center', async (t) => {
  const usage = file('usage.csv', dailyCsv([
    { UsageDate: '10/3/2026', BillingPreTaxTotal: '10.005', UnitPrice: '12', Quantity: '1' },
    { UsageDate: '10/4/2026', BillingPreTaxTotal: '1', ProductName: 'Power BI Pro', SubscriptionDescription: 'Power BI' },
  ]));
  const r = await cli('partner-center', usage, '--partner', 'contoso');
  t.same([r.status, r.stderr], [0, '']);
  t.equal(
    r.stdout,
    `${usage}: daily rated usage file, 2 lines\n` +
      'imported: 1 spend record (1 new, 0 replaced), cost 10.01\n' +
      'unmatched (no service matches):\n' +
      '  Power BI Pro: 1 line, cost 1\n',
  );
  const json = await cli('partner-center', usage, '--partner', 'contoso', '--format', 'json', '--dry-run');
  t.same([json.status, JSON.parse(json.stdout).imported, JSON.parse(json.stdout).dryRun], [0, { records: 1, created: 0, replaced: 1, cost: '10.01' }, true]);

  const bad = await cli('partner-center', file('bad.csv', dailyCsv([{ UsageDate: '10/3/2026', BillingPreTaxTotal: '1.5.1' }])), '--partner', 'contoso');
  t.same([bad.status, bad.stdout, bad.stderr], [1, '', `${join(dir, 'bad.csv')}:2:37: INVALID_RECONCILIATION_FILE: BillingPreTaxTotal: "1.5.1" is not a number\n`]);
  const noPartner = await cli('partner-center', usage);
  t.same([noPartner.status, noPartner.stderr], [2, 'tierbook import: USAGE: partner-center needs --partner <id>: the partner whose customers the file bills\n']);
});
