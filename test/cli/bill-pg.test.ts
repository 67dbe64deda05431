// `tierbook bill` on PostgreSQL prices up to 8 customers at once
// (billCustomers): over a dozen customers it must give what SQLite (one at a
// time) gives — the same results in customer order, the same progress lines,
// the same files, the same failure report and exit status — and --finalize
// must number the statements without a gap in customer order. The use case
// itself, with pricing made to finish out of order: outcomes, issues and
// numbers in customer order, never more than `concurrency` reads at once, and
// a run stopped by its callback issues nothing after it.
import t from 'tap';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { billConcurrency, billCustomers, type BillOutcome } from '../../src/app/bill.js';
import { loadPlanDir } from '../../src/cli/store-options.js';
import { openStore } from '../../src/store/open.js';
import type { Repository } from '../../src/store/repository.js';
import { pgDatabase } from '../helpers/pg.js';
import { runMainWith, type RunResult } from '../helpers/run-main.js';

t.setTimeout(600_000);

const PLANS = fileURLToPath(new URL('../fixtures/plans/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tierbook-bill-pg-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const BILL_PLANS = join(dir, 'plans');
mkdirSync(BILL_PLANS);
const contoso = readFileSync(join(PLANS, 'contoso.yaml'), 'utf8');
const retired = contoso.replace(/\n  dynamics-plus:\n[\s\S]*?\n(?=rules:)/, '\n');
if (retired === contoso) throw new Error('the fixture plan changed: dynamics-plus not found');
writeFileSync(join(BILL_PLANS, 'contoso.yaml'), retired);

// the command line in this process (runMain): what `bill` prints and writes is
// the test, not the process (the binary's exit status is fuzz-inputs' child)
const cli = (db: string, ...args: string[]) => runMainWith({ env: { TIERBOOK_PLANS: PLANS, TIERBOOK_DB_POOL: '' } }, ...args, '--db', db);

// 12 customers (more than the 8 priced at once); cust-05 subscribes to
// dynamics-plus, which the plan bill runs with (BILL_PLANS: the fixture
// without that offering) no longer has: its statement fails with a BillingError
const N = 12;
const ids = Array.from({ length: N }, (_, i) => `cust-${String(i + 1).padStart(2, '0')}`);
const BROKEN = 'cust-05';
const files = {
  customers: join(dir, 'customers.csv'),
  subscriptions: join(dir, 'subscriptions.ndjson'),
  requests: join(dir, 'requests.ndjson'),
  spend: join(dir, 'spend.csv'),
};
writeFileSync(files.customers, 'id,name,taxRate\n' + ids.map((id, i) => `${id},Customer ${i + 1},${i % 3 === 0 ? '8%' : ''}\n`).join(''));
writeFileSync(
  files.subscriptions,
  ids.map((id, i) => JSON.stringify({ id: `${id}-std`, customer: id, offering: id === BROKEN ? 'dynamics-plus' : 'standard', start: '2026-10-01', quantities: [{ metric: id === BROKEN ? 'users' : 'seats', value: 5 + i, from: '2026-10-01' }] }) + '\n').join(''),
);
writeFileSync(
  files.requests,
  ids
    .flatMap((id, i) =>
      Array.from({ length: i % 4 }, (_, k) => ({ partner: 'contoso', id: `${id}-r${k}`, customer: id, service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: `2026-10-${String(10 + k).padStart(2, '0')}T10:00:00-04:00` })),
    )
    .map((r) => JSON.stringify(r) + '\n')
    .join(''),
);
writeFileSync(files.spend, 'customer,period,service,amount\n' + ids.map((id, i) => `${id},2026-10,azure,${1000 + 37 * i}.00\n`).join(''));

async function seed(db: string): Promise<void> {
  for (const [kind, file] of Object.entries(files)) {
    const r = await cli(db, 'import', kind, file, '--partner', 'contoso');
    if (r.code !== 0) throw new Error(`import ${kind}: exit ${r.code}: ${r.err}`);
  }
}

/** The files of `out`, an issued body without its issue instant (the only thing two runs may differ in). */
function documents(out: string): Record<string, unknown> {
  return Object.fromEntries(
    readdirSync(out)
      .sort()
      .map((f) => {
        const { issuedAt, ...doc } = JSON.parse(readFileSync(join(out, f), 'utf8')) as Record<string, unknown>;
        return [f, { ...doc, ...(issuedAt === undefined ? {} : { issuedAt: typeof issuedAt }) }];
      }),
  );
}

t.test('bill on PostgreSQL (8 at a time) gives what SQLite (one at a time) gives; finalize numbers in customer order', async (t) => {
  const pgDb = (await pgDatabase(t)).url;
  const sqliteDb = join(dir, 'bill.db');
  await seed(sqliteDb);
  await seed(pgDb);

  const runs: Record<string, { drafts: RunResult; draftFiles: string; issued: RunResult; issuedFiles: string; again: RunResult }> = {};
  for (const k of ['sqlite', 'pg'] as const) {
    const db = k === 'pg' ? pgDb : sqliteDb;
    const drafts = join(dir, `${k}-drafts`);
    const issued = join(dir, `${k}-issued`);
    runs[k] = { drafts: await cli(db, 'bill', 'contoso', '2026-10', '--out', drafts, '--plans', BILL_PLANS), draftFiles: drafts, issued: await cli(db, 'bill', 'contoso', '2026-10', '--out', issued, '--finalize', '--plans', BILL_PLANS), issuedFiles: issued, again: await cli(db, 'bill', 'contoso', '2026-10', '--finalize', '--plans', BILL_PLANS) };
  }
  const { sqlite, pg } = runs as Record<'sqlite' | 'pg', (typeof runs)[string]>;

  // the SQLite run as it always was: results in customer order, one failure reported, exit 1
  const good = ids.filter((id) => id !== BROKEN);
  t.equal(sqlite!.drafts.code, 1, sqlite!.drafts.err);
  t.same(sqlite!.drafts.out.trim().split('\n').map((l) => l.split('\t')[0]), ids, 'one result line per customer, in customer order');
  t.match(sqlite!.drafts.out, new RegExp(`^${BROKEN}\\terror: unknown offering "dynamics-plus"`, 'm'));
  t.same(sqlite!.drafts.err.split('\n').filter((l) => l.startsWith('billed ')), ids.map((id, i) => `billed ${i + 1}/${N} ${id}`));
  t.match(sqlite!.drafts.err, new RegExp(`^${N - 1} statement\\(s\\) for contoso 2026-10 in .*; 1 failed$`, 'm'));
  const numbers = sqlite!.issued.out.trim().split('\n').filter((l) => !l.includes('error:')).map((l) => l.split('\t'));
  t.same(numbers.map((l) => [l[0], l[2]]), good.map((id, i) => [id, `CONTOSO-202610-${String(i + 1).padStart(4, '0')}`]), 'numbers gapless in customer order (SQLite)');

  // PostgreSQL: the very same output, byte for byte, and the same documents
  for (const run of ['drafts', 'issued', 'again'] as const) {
    t.equal(pg![run].code, sqlite![run].code, `${run}: exit status`);
    t.equal(pg![run].out, sqlite![run].out, `${run}: stdout (results, totals, numbers in customer order)`);
    t.equal(pg![run].err.replaceAll(join(dir, 'pg-'), join(dir, 'sqlite-')), sqlite![run].err, `${run}: stderr (progress in customer order, summary)`);
  }
  t.same(readdirSync(pg!.draftFiles).sort(), good.map((id) => `${id}-2026-10.json`), 'a file per priced customer');
  for (const id of good) {
    t.equal(readFileSync(join(pg!.draftFiles, `${id}-2026-10.json`), 'utf8'), readFileSync(join(sqlite!.draftFiles, `${id}-2026-10.json`), 'utf8'), `${id}: the same draft, byte for byte`);
  }
  t.same(documents(pg!.issuedFiles), documents(sqlite!.issuedFiles), 'the same issued documents (numbers included)');
  t.match(pg!.again.out, /cust-01\tUSD [\d.]+\tCONTOSO-202610-0001 \(already issued\)/, 'a second finalize issues nothing new');
  const repo = await openStore(pgDb, { migrate: false });
  t.teardown(() => repo.close());
  t.same((await repo.listIssued('contoso')).map((s) => [s.number, s.customer]), good.map((id, i) => [`CONTOSO-202610-${String(i + 1).padStart(4, '0')}`, id]), 'the store holds the same numbering');
});

t.test('billCustomers: concurrent pricing, everything else in customer order', async (t) => {
  const db = (await pgDatabase(t)).url;
  await seed(db);
  const plan = (await loadPlanDir('bill', BILL_PLANS)).plans.get('contoso')!;
  const repo = await openStore(db, { migrate: false, poolSize: 10 });
  t.teardown(() => repo.close());

  // each customer's read is held back, later customers less: they finish first
  let reading = 0;
  let most = 0;
  const events: string[] = [];
  const periodData: Repository['periodData'] = async (...a) => {
    most = Math.max(most, ++reading);
    events.push(`read ${a[1]}`);
    try {
      await new Promise((r) => setTimeout(r, 5 * (N - ids.indexOf(a[1]))));
      return await repo.periodData(...a);
    } finally {
      reading--;
    }
  };
  const issue: Repository['issue'] = (...a) => {
    events.push(`issue ${a[1]}`);
    return repo.issue(...a);
  };
  const slow = new Proxy(repo, {
    get: (target, prop) => (prop === 'periodData' ? periodData : prop === 'issue' ? issue : ((v: unknown) => (typeof v === 'function' ? v.bind(target) : v))(Reflect.get(target, prop))),
  });

  const seen: BillOutcome[] = [];
  await billCustomers(slow, plan, ids, '2026-10', true, (o) => void seen.push(o), 4);
  t.same(seen.map((o) => o.customer), ids, 'outcomes in customer order');
  t.equal(most, 4, 'four reads at once, never more');
  t.same(events.filter((e) => e.startsWith('issue')), good().map((id) => `issue ${id}`), 'issued one by one in customer order');
  t.same(seen.flatMap((o) => ('billed' in o ? [o.billed.issued!.number] : [])), good().map((_, i) => `CONTOSO-202610-${String(i + 1).padStart(4, '0')}`), 'gapless numbers in customer order');
  t.match(seen.find((o) => o.customer === BROKEN), { error: { name: 'BillingError' } }, 'a failure is the outcome of its own customer');

  // a callback that throws stops the run: nothing issued after that customer
  events.length = 0;
  const handed: string[] = [];
  await t.rejects(
    billCustomers(slow, plan, ids, '2026-11', true, (o) => {
      handed.push(o.customer);
      if (o.customer === 'cust-03') throw new Error('stop');
    }, 8, { force: true }), // November has no stored spend: force past SPEND_MISSING
    { message: 'stop' },
  );
  t.same(handed, ['cust-01', 'cust-02', 'cust-03']);
  t.same(events.filter((e) => e.startsWith('issue')), ['issue cust-01', 'issue cust-02', 'issue cust-03'], 'later customers priced at most, never issued');
  t.equal(reading, 0, 'every read had ended when the run threw');
  t.same((await repo.listIssued('contoso')).filter((s) => s.period === '2026-11').map((s) => s.customer), ['cust-01', 'cust-02', 'cust-03']);

  // what `bill` runs with: 1 on SQLite, min(8, pool) on PostgreSQL
  t.same([billConcurrency(null), billConcurrency(10), billConcurrency(8), billConcurrency(3), billConcurrency(1)], [1, 8, 8, 3, 1]);

  function good(): string[] {
    return ids.filter((id) => id !== BROKEN);
  }
});
