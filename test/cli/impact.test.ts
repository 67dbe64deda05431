// `tierbook diff --impact` with customer prices (SPEC §8.2), grandfathering
// (§8.3) and an issued period (§9.6): a new version of the base fee from
// 2026-11-01 (250.00 -> 300.00), four customers of `standard` in 2026-11.
// Every amount by hand in the comments.
import t from 'tap';
import path from 'node:path';
import { runDiff, type DiffOptions } from '../../src/cli/diff-run.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { BASE_PLAN, TempRepo, edit } from '../plans/diff-repo.js';

t.setTimeout(600_000);

const repo = new TempRepo();
t.teardown(() => repo.cleanup());
repo.write('plans/contoso.yaml', BASE_PLAN);
repo.commit('base');
repo.write('plans/contoso.yaml', edit(BASE_PLAN, '- { id: base, model: flat, amount: 250.00 }', '- { id: base, model: flat, amount: 250.00, to: 2026-10-31 }\n      - { id: base, model: flat, amount: 300.00, from: 2026-11-01 }'));
repo.commit('base 300.00 from November');

async function run(opts: DiffOptions): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runDiff('HEAD~1', [], { to: 'HEAD', impact: true, db: 'impact.db', period: '2026-11', ...opts }, { cwd: repo.dir, env: {}, out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

t.before(async () => {
  const store = await openSqlite(path.join(repo.dir, 'impact.db'));
  const h = (x: unknown) => ({ record: x, bodyHash: JSON.stringify(x) });
  const customer = (id: string) => ({ id, name: id, locale: null, taxRate: null, email: null });
  const seats = (n: number) => [{ metric: 'seats', value: n, from: '2026-01-01' }];
  await store.insertMany('contoso', 'customers', ['alpine', 'bayside', 'cedar', 'dunmore'].map((c) => h(customer(c))) as never);
  await store.insertMany(
    'contoso',
    'subscriptions',
    [
      { id: 'a1', customer: 'alpine', offering: 'standard', start: '2026-01-01', end: null, discount: null, quantities: seats(20) },
      { id: 'b1', customer: 'bayside', offering: 'standard', start: '2026-01-01', end: null, discount: null, priceAsOf: '2026-10-01', quantities: seats(20) },
      { id: 'c1', customer: 'cedar', offering: 'standard', start: '2026-01-01', end: null, discount: null, prices: { base: { amount: '220.00' } }, quantities: seats(20) },
      { id: 'd1', customer: 'dunmore', offering: 'standard', start: '2026-01-01', end: null, discount: null, quantities: seats(20) },
    ].map(h) as never,
  );
  // November is already issued for dunmore, at the old price: 250.00 + 20 × 4.00 = 330.00
  const body = JSON.stringify({
    partner: 'contoso',
    customer: 'dunmore',
    period: '2026-11',
    currency: 'USD',
    lines: [
      { offering: 'standard', component: 'base', model: 'flat', description: 'Standard: base fee', amount: '250.00' },
      { offering: 'standard', component: 'seats', model: 'per-unit', description: 'Standard: seats', amount: '80.00' },
    ],
    subtotal: '330.00',
    tax: '0.00',
    total: '330.00',
    serviceLevels: { requests: 0, met: 0, breached: 0 },
    planHash: 'sha256:old',
  });
  await store.issue('contoso', 'dunmore', '2026-11', () => ({ body, planHash: 'sha256:old', inputsDigest: 'd' }));
  await store.close();
});

t.test('grandfathered unaffected, agreed prices paid, the issued period left out with its correction', async (t) => {
  const r = await run({ format: 'json' });
  t.equal(r.code, 0, r.err);
  const [imp] = JSON.parse(r.out).impact;
  t.equal(imp.offerings.length, 1);
  t.equal(imp.offerings[0].offering, 'standard');
  const number = imp.offerings[0].customers[3].issued as string;
  t.match(number, /^CONTOSO-202611-\d{4}$/);
  t.same(imp.offerings[0].corrections, { customers: 1, total: { USD: '50.00' } });
  t.same(imp.offerings[0].customers, [
    // 250.00 + 80.00 = 330.00 -> 300.00 + 80.00 = 380.00
    { customer: 'alpine', before: { currency: 'USD', offering: '330.00', total: '330.00' }, after: { currency: 'USD', offering: '380.00', total: '380.00' }, difference: '50.00' },
    // as of 2026-10-01 the 250.00 version is priced on every day, under both plans
    {
      customer: 'bayside',
      before: { currency: 'USD', offering: '330.00', total: '330.00' },
      after: { currency: 'USD', offering: '330.00', total: '330.00' },
      difference: '0.00',
      grandfathered: '2026-10-01',
    },
    // its own 220.00 on every version: 220.00 + 80.00 = 300.00 (the minimum 300.00 is met), under both plans
    {
      customer: 'cedar',
      before: { currency: 'USD', offering: '300.00', total: '300.00' },
      after: { currency: 'USD', offering: '300.00', total: '300.00' },
      difference: '0.00',
      agreed: ['base'],
    },
    // issued at 330.00; the new plan would bill 380.00: +50.00 reaches the next open statement as a correction
    {
      customer: 'dunmore',
      before: { currency: 'USD', offering: '330.00', total: '330.00' },
      after: { currency: 'USD', offering: '380.00', total: '380.00' },
      difference: null,
      issued: number,
      correction: '50.00',
    },
  ]);

  const text = await run({});
  t.equal(text.code, 0, text.err);
  const block = text.out.slice(text.out.indexOf('Customer impact'));
  t.equal(
    block,
    [
      'Customer impact, contoso, 2026-11 (statement totals before → after)',
      '  offering standard',
      '    alpine   USD 330.00 → USD 380.00  (+50.00)',
      '    bayside  USD 330.00 → USD 330.00  (0.00)  grandfathered as of 2026-10-01',
      '    cedar    USD 300.00 → USD 300.00  (0.00)  agreed prices: base',
      `    dunmore  issued ${number}, left out: correction on the next open statement USD +50.00 (offering lines USD 330.00 → USD 380.00)`,
      '    corrections on the next open statements: USD +50.00 (1 customer with the period issued)',
      '',
      '2 change(s) in 1 of 1 plan file(s).', // base changed, base added (the new version)
      '',
    ].join('\n'),
  );

  const md = await run({ format: 'md' });
  t.match(md.out, '| `standard` | `bayside` | USD 330.00 | USD 330.00 | 0.00 | grandfathered as of 2026-10-01 |');
  t.match(md.out, `| \`standard\` | \`dunmore\` | — | — | — | issued ${number}, left out: correction on the next open statement USD +50.00 (offering lines USD 330.00 → USD 380.00) |`);
});

t.test('a price edited in place reaches a grandfathered customer, and the row says so', async (t) => {
  // seats 4.00 -> 4.50 in the same version: the plan keeps no memory of 4.00
  const current = edit(BASE_PLAN, '- { id: base, model: flat, amount: 250.00 }', '- { id: base, model: flat, amount: 250.00, to: 2026-10-31 }\n      - { id: base, model: flat, amount: 300.00, from: 2026-11-01 }');
  repo.write('plans/contoso.yaml', edit(current, 'amount: 4.00 }', 'amount: 4.50 }'));
  repo.commit('seats 4.50 in place');
  const r = await run({ format: 'json' });
  t.equal(r.code, 0, r.err);
  const rows = JSON.parse(r.out).impact[0].offerings[0].customers;
  // 250.00 + 20 × 4.50 = 340.00 against 330.00
  t.same(rows[1], {
    customer: 'bayside',
    before: { currency: 'USD', offering: '330.00', total: '330.00' },
    after: { currency: 'USD', offering: '340.00', total: '340.00' },
    difference: '10.00',
    grandfathered: '2026-10-01',
    editedAsOf: ['seats'],
  });
  const text = await run({});
  t.match(
    text.out,
    '    bayside  USD 330.00 → USD 340.00  (+10.00)  grandfathered as of 2026-10-01; the price in force on 2026-10-01 was edited in place (seats): change prices as a new version to keep grandfathered customers on theirs\n',
  );
});
