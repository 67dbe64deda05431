// `tierbook diff` end to end over a temporary git repository: revisions and
// the working tree, the three formats, exit statuses, and the customer impact
// report checked against quotes of the same data under each plan.
import t from 'tap';
import path from 'node:path';
import { runDiff, type DiffOptions } from '../../src/cli/diff-run.js';
import { quoteStatement } from '../../src/billing/quote.js';
import type { QuoteDocument } from '../../src/billing/types.js';
import { loadPlan } from '../../src/plans/load.js';
import type { Plan } from '../../src/plans/types.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { BASE_PLAN, TempRepo, edit } from '../plans/diff-repo.js';
import { runMainWith } from '../helpers/run-main.js';

// every step spawns git several times: allow for a loaded machine
t.setTimeout(600_000);

const repo = new TempRepo();
t.teardown(() => repo.cleanup());

repo.write('plans/contoso.yaml', BASE_PLAN);
repo.write('README.md', 'not a plan\n');
const c0 = repo.commit('base');
const PRICED = edit(BASE_PLAN, 'amount: 4.00 }', 'amount: 4.50 }');
repo.write('plans/contoso.yaml', PRICED);
const c1 = repo.commit('seats 4.50');

async function run(rev: string, paths: string[], opts: DiffOptions, cwd = repo.dir): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runDiff(rev, paths, opts, { cwd, env: {}, out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

const SEATS = 'price seats amount: USD 4.00 per unit per month → USD 4.50 per unit per month';

t.test('text between two revisions', async (t) => {
  const r = await run('HEAD~1', [], { to: 'HEAD' });
  t.equal(r.code, 0);
  t.equal(r.err, '');
  t.equal(
    r.out,
    [
      `Plan changes HEAD~1 (${c0.slice(0, 7)}) → HEAD (${c1.slice(0, 7)})`,
      '',
      'contoso  plans/contoso.yaml',
      '  offering standard',
      `    ~ ${SEATS}`,
      '',
      '1 change(s) in 1 of 1 plan file(s).',
      '',
    ].join('\n'),
  );
});

t.test('no differences: still exit 0', async (t) => {
  const r = await run('HEAD', [], {});
  t.equal(r.code, 0);
  t.match(r.out, /No changes\./);
});

t.test('markdown for a pull-request comment', async (t) => {
  const r = await run(c0, [], { to: c1, format: 'md' });
  t.equal(r.code, 0);
  t.equal(
    r.out,
    [
      `### Plan changes \`${c0} (${c0.slice(0, 7)})\` → \`${c1} (${c1.slice(0, 7)})\``,
      '',
      '#### `contoso` (`plans/contoso.yaml`)',
      '',
      '**Offering `standard`**',
      '',
      `- \`~\` price seats amount: USD 4.00 per unit per month → USD 4.50 per unit per month`,
      '',
      '1 change(s) in 1 of 1 plan file(s).',
      '',
    ].join('\n'),
  );
});

t.test('json', async (t) => {
  const r = await run('HEAD~1', [], { to: 'HEAD', format: 'json' });
  t.equal(r.code, 0);
  t.same(JSON.parse(r.out), {
    from: 'HEAD~1',
    fromCommit: c0,
    to: 'HEAD',
    toCommit: c1,
    files: [{ path: 'plans/contoso.yaml', changes: 1 }],
    entries: [
      {
        partner: 'contoso',
        offering: 'standard',
        kind: 'price-changed',
        path: 'offerings.standard.pricing.seats.amount',
        before: 'USD 4.00 per unit per month',
        after: 'USD 4.50 per unit per month',
        summary: SEATS,
      },
    ],
  });
});

t.test('working tree against a revision, from a subdirectory, with a path', async (t) => {
  repo.write('plans/contoso.yaml', edit(PRICED, 'minimum: 300.00', 'minimum: 320.00'));
  t.teardown(() => repo.write('plans/contoso.yaml', PRICED));
  const r = await run('HEAD', ['contoso.yaml'], { format: 'json' }, path.join(repo.dir, 'plans'));
  t.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out);
  t.equal(doc.to, null);
  t.same(
    doc.entries.map((e: { kind: string; before: string; after: string }) => [e.kind, e.before, e.after]),
    [['minimum-changed', 'USD 300.00 per month', 'USD 320.00 per month']],
  );
});

t.test('a plan file added in the working tree and a scoped path', async (t) => {
  repo.write('plans/tailspin.yaml', edit(BASE_PLAN, 'id: contoso', 'id: tailspin'));
  t.teardown(() => repo.remove('plans/tailspin.yaml'));
  const all = JSON.parse((await run('HEAD', [], { format: 'json' })).out);
  t.same(
    all.entries.map((e: { partner: string; kind: string }) => [e.partner, e.kind]),
    [['tailspin', 'plan-added']],
  );
  const scoped = JSON.parse((await run('HEAD', ['plans/contoso.yaml'], { format: 'json' })).out);
  t.same(scoped.entries, []);
  t.same(scoped.files, [{ path: 'plans/contoso.yaml', changes: 0 }]);
});

t.test('--plans names the directory', async (t) => {
  const r = await run('HEAD~1', [], { to: 'HEAD', plans: 'plans', format: 'json' });
  t.equal(JSON.parse(r.out).entries.length, 1);
  const none = await run('HEAD~1', [], { to: 'HEAD', plans: 'nowhere' });
  t.equal(none.code, 2);
  t.match(none.err, /no plan files at nowhere/);
});

t.test('a plan that fails to load: exit 1 and the findings', async (t) => {
  repo.write('plans/contoso.yaml', edit(PRICED, 'channels: [email, phone]', 'channels: [email, fax]'));
  t.teardown(() => repo.write('plans/contoso.yaml', PRICED));
  const r = await run('HEAD', [], {});
  t.equal(r.code, 1);
  t.equal(r.out, '');
  t.match(r.err, /^plans\/contoso\.yaml:\d+:\d+: error: offerings\.standard\.channels\[1\]: .*fax/m);
  t.match(r.err, /cannot compare/);
});

t.test('usage errors: exit 2', async (t) => {
  for (const [rev, opts, msg] of [
    ['no-such-rev', {}, /bad revision: no-such-rev/],
    ['--upload-pack=x', {}, /bad revision/],
    ['HEAD', { to: 'nope' }, /bad revision: nope/],
    ['HEAD', { format: 'yaml' }, /unknown format "yaml"/],
    ['HEAD', { impact: true }, /--impact needs --period/],
    ['HEAD', { impact: true, period: '2026-13' }, /invalid --period/],
    ['HEAD', { impact: true, period: '2026-10', db: 'missing.db' }, /no database at missing\.db/],
    ['HEAD', { period: '2026-10' }, /only apply with --impact/],
  ] as const) {
    const r = await run(rev, [], opts as DiffOptions);
    t.equal(r.code, 2, `${rev} ${JSON.stringify(opts)}`);
    t.match(r.err, msg);
  }
  const outside = await run('HEAD', ['/'], {});
  t.equal(outside.code, 2);
  t.match(outside.err, /outside the repository/);
});

t.test('through the CLI entry point', async (t) => {
  // in this process (runMain, its stdout captured, not tap's) in the repository: the
  // command is registered, its options parsed, its exit statuses returned
  const run = (...args: string[]) => runMainWith({ cwd: repo.dir }, ...args);
  const ok = await run('diff', 'HEAD~1', '--to', 'HEAD', '--format', 'json');
  t.equal(ok.code, 0, ok.err);
  t.equal(JSON.parse(ok.out).entries[0].kind, 'price-changed');
  t.equal((await run('diff', 'HEAD~1', '--bogus')).code, 2);
  t.equal((await run('diff', 'bad-rev')).code, 2);
});

t.test('customer impact equals quotes of the same data under each plan', async (t) => {
  const dbFile = path.join(repo.dir, 'impact.db');
  const store = await openSqlite(dbFile);
  const h = (x: unknown) => ({ record: x, bodyHash: JSON.stringify(x) });
  const customers = [
    { id: 'northwind', name: 'Northwind', locale: null, taxRate: '8.25%', email: null },
    { id: 'woodgrove', name: 'Woodgrove', locale: null, taxRate: null, email: null },
    { id: 'litware', name: 'Litware', locale: null, taxRate: null, email: null },
  ];
  const subs = [
    { id: 's1', customer: 'northwind', offering: 'standard', start: '2026-09-01', end: null, discount: null, quantities: [{ metric: 'seats', value: 120, from: '2026-09-01' }, { metric: 'seats', value: 140, from: '2026-10-15' }] },
    { id: 's2', customer: 'woodgrove', offering: 'standard', start: '2026-10-10', end: null, discount: '10%', quantities: [{ metric: 'seats', value: 3, from: '2026-10-10' }] },
    { id: 's3', customer: 'woodgrove', offering: 'essential', start: '2026-01-01', end: null, discount: null, quantities: [] },
    { id: 's4', customer: 'litware', offering: 'essential', start: '2026-01-01', end: null, discount: null, quantities: [] },
  ];
  await store.insertMany('contoso', 'customers', customers.map(h) as never);
  await store.insertMany('contoso', 'subscriptions', subs.map(h) as never);
  // a request never answered: a breach, so a service credit on the statement. The
  // stored decision is deliberately odd (not billable, no deadline): the impact
  // report must re-evaluate the request under each plan, as a quote does.
  const request = { id: 'r1', offering: 'standard', service: 'm365', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-06T10:00:00-04:00' };
  const stale = { accepted: true, reasons: [], offering: 'standard', handledBy: 'partner', escalation: null, withinHours: true, responseTarget: null, responseDueAt: null, billable: false, rules: [], notes: [] };
  await store.insertMany('contoso', 'requests', [h({ ...request, customer: 'northwind', serviceIncident: null, respondedAt: null, decision: stale })] as never);
  await store.close();

  const r = await run('HEAD~1', [], { to: 'HEAD', format: 'json', impact: true, db: 'impact.db', period: '2026-10' });
  t.equal(r.code, 0, r.err);
  const impact = JSON.parse(r.out).impact;
  t.equal(impact.length, 1);
  t.equal(impact[0].partner, 'contoso');
  t.same(
    impact[0].offerings.map((o: { offering: string; customers: { customer: string }[] }) => [o.offering, o.customers.map((c) => c.customer)]),
    [['standard', ['northwind', 'woodgrove']]],
    'only the changed offering, only the customers holding it',
  );

  const before = loadPlan(BASE_PLAN, 'before.yaml').plan as Plan;
  const after = loadPlan(PRICED, 'after.yaml').plan as Plan;
  for (const row of impact[0].offerings[0].customers) {
    const c = customers.find((x) => x.id === row.customer)!;
    const doc: QuoteDocument = {
      partner: 'contoso',
      period: '2026-10',
      customer: { id: c.id, ...(c.taxRate ? { taxRate: c.taxRate } : {}) },
      subscriptions: subs.filter((s) => s.customer === c.id).map(({ customer: _c, ...s }) => s),
      requests: c.id === 'northwind' ? [request] : [],
    };
    const qb = quoteStatement(doc, before);
    const qa = quoteStatement(doc, after);
    if (c.id === 'northwind') t.ok(qb.lines.some((l) => l.component === 'service-credit'), 'the breach is priced');
    t.equal(row.before.total, qb.total, `${c.id} before`);
    t.equal(row.after.total, qa.total, `${c.id} after`);
    const offeringSum = (lines: readonly { offering: string; amount: string }[]) =>
      lines.filter((l) => l.offering === 'standard').reduce((n, l) => n + BigInt(l.amount.replace('.', '')), 0n);
    t.equal(BigInt(row.before.offering.replace('.', '')), offeringSum(qb.lines), `${c.id} offering lines before`);
    t.equal(BigInt(row.after.offering.replace('.', '')), offeringSum(qa.lines), `${c.id} offering lines after`);
    t.equal(BigInt(row.difference.replace('.', '')), BigInt(qa.total.replace('.', '')) - BigInt(qb.total.replace('.', '')), `${c.id} difference`);
  }
  t.not(impact[0].offerings[0].customers[0].difference, '0.00', 'the seat price change shows');

  const text = await run('HEAD~1', [], { to: 'HEAD', impact: true, db: 'impact.db', period: '2026-10' });
  t.match(text.out, /Customer impact, contoso, 2026-10/);
  t.match(text.out, /northwind +USD \d+\.\d\d → USD \d+\.\d\d +\(\+\d+\.\d\d\)/);
  const md = await run('HEAD~1', [], { to: 'HEAD', impact: true, db: 'impact.db', period: '2026-10', format: 'md' });
  t.match(md.out, /\| `standard` \| `northwind` \| USD \d+\.\d\d \| USD \d+\.\d\d \| \+\d+\.\d\d \|/);
});
