// `tierbook copy`: SQLite → PostgreSQL → SQLite keeps every row and every
// issued statement byte for byte; a target holding rows is refused unless
// --force; the copied PostgreSQL store numbers on after the copied statements.
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { copyStore, storeTables } from '../../src/store/copy.js';
import { openStore } from '../../src/store/open.js';
import type { Repository } from '../../src/store/repository.js';
import { isTierbookError } from '../../src/errors.js';
import { pgDatabase } from '../helpers/pg.js';
import type { Decision } from '../../src/rules/types.js';

const dir = mkdtempSync(join(tmpdir(), 'tierbook-copy-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const decision: Decision = {
  accepted: true, reasons: [], offering: 'standard', handledBy: 'partner', escalation: null, withinHours: true,
  responseTarget: '4h', responseDueAt: '2026-10-05T14:00:00-04:00', billable: true, rules: [], notes: [],
};
const OCT = [Date.parse('2026-10-01T00:00:00Z'), Date.parse('2026-11-01T00:00:00Z')] as const;

async function fill(repo: Repository): Promise<void> {
  await repo.insertMany('contoso', 'customers', [
    { record: { id: 'a', name: 'Ålesund AS', locale: 'nb-NO', taxRate: '25%', email: 'x@a.test', tenantId: '11111111-1111-1111-1111-111111111111' }, bodyHash: 'ha' },
    { record: { id: 'b', name: '华云', locale: 'zh-CN', taxRate: null, email: null }, bodyHash: 'hb' },
  ]);
  await repo.insertMany('contoso', 'subscriptions', [{ record: { id: 's1', customer: 'a', offering: 'standard', start: '2026-10-01', end: null, discount: '10%', quantities: [{ metric: 'seats', value: 3, from: '2026-10-01' }] }, bodyHash: 'hs' }]);
  await repo.addQuantity('contoso', 's1', { metric: 'seats', value: 9, from: '2026-10-15' });
  await repo.insertMany('contoso', 'requests', [
    { record: { id: 'r1', customer: 'a', offering: null, service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-05T10:00:00-04:00', serviceIncident: true, respondedAt: null, decision }, bodyHash: 'hr1' },
    { record: { id: 'r2', customer: 'a', offering: 'standard', service: 'm365', category: 'billing', severity: 'C', channel: 'email', receivedAt: '2026-10-06T10:00:00Z', serviceIncident: false, respondedAt: '2026-10-06T11:00:00Z', decision }, bodyHash: 'hr2' },
  ]);
  await repo.insertMany('contoso', 'worklogs', [{ record: { id: 'w1', customer: 'a', request: 'r1', offering: 'standard', start: '2026-10-05T11:00:00-04:00', minutes: 45 }, bodyHash: 'hw' }]);
  await repo.insertMany('contoso', 'spend', [{ record: { id: 'sp1', customer: 'a', period: '2026-10', service: 'azure', amount: '-12.50', retail: '15.00', source: 'invoice', invoice: 'INV-1' }, bodyHash: 'hsp' }]);
  await repo.createToken('contoso', 'admin');
  await repo.putIdempotent('contoso', { key: 'k1', route: 'POST /spend', bodyHash: 'b', status: 201, contentType: 'application/json', response: '{"ok":true}' });
  for (const c of ['a', 'b']) {
    await repo.issue('contoso', c, '2026-10', (number, issuedAt) => ({ body: JSON.stringify({ number, issuedAt, total: '1 234,50 kr', note: 'é\u2028😀' }, null, 2), planHash: 'ph', inputsDigest: 'dg' }));
  }
}

/** Everything the Repository shows of a store (ids and bodies, not creation times). */
async function view(repo: Repository) {
  return {
    customers: await repo.listCustomers('contoso'),
    subscriptions: await repo.listSubscriptions('contoso', 'a'),
    period: await repo.periodData('contoso', 'a', '2026-10', ...OCT),
    issued: await repo.listIssued('contoso'),
    idem: await repo.getIdempotent('contoso', 'k1'),
  };
}

t.test('the store tables, parents first', async (t) => {
  // every table of the schema, each after the tables its foreign keys name (new tables join without editing this test)
  const names = storeTables().map((x) => x.name);
  for (const core of ['api_tokens', 'customers', 'idempotency', 'subscriptions', 'quantities', 'requests', 'spend', 'statements', 'worklogs', 'voided_invoices', 'credit_notes']) t.ok(names.includes(core), core);
  t.equal(new Set(names).size, names.length);
  t.ok(names.indexOf('customers') < names.indexOf('subscriptions') && names.indexOf('subscriptions') < names.indexOf('quantities') && names.indexOf('customers') < names.indexOf('statements'), `parents first: ${names.join(', ')}`);
  t.same(storeTables().find((x) => x.name === 'requests')!.booleans, ['service_incident']);
});

t.test('SQLite → PostgreSQL → SQLite, verified; the copy numbers on', async (t) => {
  const first = join(dir, 'first.db');
  const src = await openStore(first);
  await fill(src);
  const before = await view(src);
  await src.close();

  const pgdb = await pgDatabase(t);
  const report = await copyStore(first, pgdb.url);
  t.same(report.tables.find((x) => x.name === 'quantities'), { name: 'quantities', rows: 2 });
  t.equal(report.statements, 2);
  const onPg = await openStore(pgdb.url, { poolSize: 2 });
  t.same(await view(onPg), before, 'PostgreSQL shows the same store');
  t.ok(await onPg.findToken('tb_unknown') === null);

  const back = join(dir, 'back.db');
  const r2 = await copyStore(pgdb.url, back);
  t.equal(r2.statements, 2);
  const again = await openStore(back);
  t.same(await view(again), before, 'and back to SQLite');
  await again.close();

  // numbering continues after the copied statements (the counter row starts from them)
  await onPg.insertMany('contoso', 'customers', [{ record: { id: 'c', name: 'C', locale: null, taxRate: null, email: null }, bodyHash: 'hc' }]);
  t.equal((await onPg.issue('contoso', 'c', '2026-10', () => ({ body: '{}', planHash: 'p', inputsDigest: 'd' }))).record.number, 'CONTOSO-202610-0003');
  // so does the quantities identity
  const s = await onPg.addQuantity('contoso', 's1', { metric: 'seats', value: 1, from: '2026-10-20' });
  t.same(s!.quantities.map((q) => q.value), [3, 9, 1]);
  await onPg.close();

  // a target holding rows: refused, nothing written; --force empties it first
  const refused = await copyStore(first, pgdb.url).catch((e: unknown) => e);
  t.ok(isTierbookError(refused, 'COPY_TARGET_NOT_EMPTY'));
  const holding = ['api_tokens', 'customers', 'idempotency', 'subscriptions', 'quantities', 'requests', 'spend', 'statements', 'worklogs'];
  t.match((refused as Error).message, new RegExp(`already holds rows \\(${storeTables().map((x) => x.name).filter((n) => holding.includes(n)).join(', ')}\\); copy into an empty store, or give --force to empty it first$`));
  const still = await openStore(pgdb.url, { migrate: false, poolSize: 1 });
  t.equal((await still.listIssued('contoso')).length, 3, 'untouched');
  await copyStore(first, pgdb.url, { force: true });
  t.same(await view(still), before, '--force: replaced by the source');
  await still.close();
});

t.test('the CLI: exit 0 with a summary; a non-empty target exits 1 with its code', async (t) => {
  const a = join(dir, 'cli-a.db');
  const repo = await openStore(a);
  await fill(repo);
  await repo.close();
  const b = join(dir, 'cli-b.db');
  const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'test/helpers/run-cli.ts', 'copy', ...args], { encoding: 'utf8' });
  const ok = run('--from', a, '--to', b);
  t.equal(ok.status, 0, ok.stderr);
  // one line per table in copy order (tables the fill leaves empty show 0)
  const rows: Record<string, number> = { api_tokens: 1, customers: 2, idempotency: 1, subscriptions: 1, quantities: 2, requests: 2, spend: 1, statements: 2, worklogs: 1 };
  t.equal(
    ok.stdout,
    [...storeTables().map((x) => `${x.name.padEnd(14)} ${rows[x.name] ?? 0}`), 'copied and verified: 13 rows, 2 issued statement bodies identical', ''].join('\n'),
  );
  const no = run('--from', a, '--to', b);
  t.equal(no.status, 1);
  t.match(no.stderr, /^tierbook copy: COPY_TARGET_NOT_EMPTY: /);
  t.equal(run('--from', join(dir, 'nope.db'), '--to', b).status, 2);
});

t.test("input revisions are the source's own: copied as not known, so the target reads its heads and kept states", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tierbook-copy-rev-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const first = join(dir, 'first.db');
  const src = await openStore(first);
  await fill(src);
  const rev = await src.inputsRev('contoso', 'a');
  await src.issue('contoso', 'a', '2026-11', () => ({ body: '{}', planHash: 'ph', inputsDigest: 'dg', inputsRev: rev }));
  await src.putLedgerStates('contoso', 'a', { period: '2026-11', stamp: 's', states: '[]', inputsRev: rev });
  await src.close();
  const pgdb = await pgDatabase(t);
  await copyStore(first, pgdb.url);
  const onPg = await openStore(pgdb.url, { poolSize: 2 });
  t.teardown(() => onPg.close());
  // a SQLite seq read as a PostgreSQL snapshot would fail the query: null, "not known"
  t.same((await onPg.issuedHeadsSince('contoso', 'a', '2026-11')).map((h) => [h.period, h.inputsRev]), [['2026-11', null]]);
  t.same((await onPg.ledgerStates('contoso', 'a', '2026-12', 1)).map((k) => [k.period, k.inputsRev]), [['2026-11', null]]);
});
