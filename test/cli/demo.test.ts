// The demo of `tierbook start` (src/cli/demo.ts) on the shipped plans, at a
// fixed clock: what it seeds (customers per offering, an agreed price,
// requests with one rejected and one unanswered, a prepaid block with
// purchases, the month before last issued with a credit note, last month's
// drafts with SPEND_MISSING on one), that it seeds only an empty store, and
// that it is quick.
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqlite } from '../../src/store/sqlite.js';
import { loadPlansDir } from '../../src/cli/plan-files.js';
import { seedDemo } from '../../src/cli/demo.js';
import { billCustomer } from '../../src/app/bill.js';
import { subscriptionBalances } from '../../src/app/balances.js';

const NOW = Date.parse('2026-12-03T15:00:00Z');
const PLANS = fileURLToPath(new URL('../../plans/', import.meta.url));

t.test('the demo on the shipped plans', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tierbook-demo-'));
  const repo = await openSqlite(join(dir, 'demo.db'));
  t.teardown(async () => {
    await repo.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const { plans } = await loadPlansDir(PLANS);
  const list = [...plans.values()];
  const start = performance.now();
  const seeded = await seedDemo(repo, list, NOW);
  const ms = performance.now() - start;
  t.ok(ms < 5000, `seeded three partners in ${Math.round(ms)} ms`);
  t.same(seeded, [
    { partner: 'contoso', customer: 'northwind', period: '2026-11' },
    { partner: 'gulfcloud', customer: 'northwind', period: '2026-11' },
    { partner: 'lianyun', customer: 'northwind', period: '2026-11' },
  ]);

  const contoso = plans.get('contoso')!;
  t.same((await repo.listCustomers('contoso')).map((c) => [c.id, c.name, c.taxRate ?? null]), [
    ['alpine', 'Alpine Ski House', null],
    ['northwind', 'Northwind Traders', null],
    ['tailspin', 'Tailspin Toys', '8%'],
    ['wingtip', 'Wingtip Toys', '8%'],
  ]);
  const tailspin = await repo.getSubscription('contoso', 'tailspin-standard');
  t.same(tailspin?.prices, { base: { amount: '225.00' } }, '10 % off the 250.00 base fee');
  t.same(tailspin?.quantities, [
    { metric: 'seats', value: 20, from: '2026-10-01' },
    { metric: 'seats', value: 25, from: '2026-11-01' },
  ]);
  const rejected = await repo.getRequest('contoso', 'tailspin-202611-rejected');
  t.same(rejected?.decision.reasons.map((r) => r.code), ['SERVICE_NOT_COVERED']);
  t.equal((await repo.getRequest('contoso', 'tailspin-202611-5'))?.respondedAt ?? null, null, 'the month\'s last request is not answered yet');
  t.equal((await repo.listEvents('contoso', 'tailspin-202611-1')).length, 3, 'waiting on the customer, open again, resolved');

  // the month before last: issued, the first invoice half-credited on its first line
  const docs = await repo.documents('contoso', {});
  t.same(
    docs.map((d) => [d.number.replace(/-CN-\d{6}-/, '-CN-YYYYMM-'), d.kind, d.customer, d.period]),
    [
      ['CONTOSO-202610-0001', 'invoice', 'northwind', '2026-10'],
      ['CONTOSO-202610-0002', 'invoice', 'tailspin', '2026-10'],
      ['CONTOSO-202610-0003', 'invoice', 'alpine', '2026-10'],
      ['CONTOSO-202610-0004', 'invoice', 'wingtip', '2026-10'],
      ['CONTOSO-CN-YYYYMM-0001', 'credit-note', 'northwind', '2026-10'],
    ],
  );
  t.same(docs.map((d) => JSON.parse(d.body).total), ['49.00', '1346.76', '240.00', '1188.00', '-24.50']);

  // last month: drafts, the second customer without its Azure spend
  const drafts = [];
  for (const c of ['alpine', 'northwind', 'tailspin', 'wingtip']) drafts.push((await billCustomer(repo, contoso, c, '2026-11', false, { nowMs: NOW })).statement);
  t.same(drafts.map((d) => d.total), ['300.00', '49.00', '1629.45', '2376.00']);
  t.same(drafts.map((d) => (d.warnings ?? []).map((w) => w.code)), [[], [], ['SPEND_MISSING'], []]);
  const hours = await subscriptionBalances(repo, contoso, 'wingtip-hours-bank', '2026-11');
  t.same(hours?.balances.map((b) => [b.component, b.opening, b.granted, b.used, b.expired, b.closing]), [['hours', 0, 1200, 600, 600, 0]], 'two 10-hour blocks bought in November');

  // a second start seeds nothing
  const before = (await repo.listCustomers('contoso')).length;
  t.same(await seedDemo(repo, list, NOW), seeded);
  t.equal((await repo.listCustomers('contoso')).length, before);
  t.equal((await repo.documents('contoso', {})).length, 5);
});
