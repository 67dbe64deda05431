// `tierbook credit-note`, `tierbook void`, `tierbook documents` (§9.7): the
// same use cases as the API's documents routes, their output and exit codes.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ingest } from '../../src/app/ingest.js';
import { billCustomer } from '../../src/app/bill.js';
import { loadPlan } from '../../src/plans/load.js';
import type { Plan } from '../../src/plans/types.js';
import type { RecordKind } from '../../src/store/repository.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { runCreditNote, lineOption } from '../../src/cli/credit-note.js';
import { runVoid } from '../../src/cli/void.js';
import { runDocuments } from '../../src/cli/documents.js';
import { runVerify } from '../../src/cli/verify.js';
import { runMainWith } from '../helpers/run-main.js';

const PLANS = 'test/fixtures/plans';
const plan: Plan = loadPlan(readFileSync(path.join(PLANS, 'contoso.yaml'), 'utf8'), 'contoso.yaml').plan!;
const dir = mkdtempSync(path.join(tmpdir(), 'tierbook-docs-cli-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

/** A store with northwind's October issued: base 250.00, 10 seats 40.00, 8% of 2000.00 Azure 160.00; tax 10% (495.00). */
async function issuedStore(name: string): Promise<string> {
  const db = path.join(dir, name);
  const store = await openSqlite(db);
  const put = async (kind: RecordKind, bodies: unknown[]): Promise<void> => {
    await store.insertMany('contoso', kind, await new Ingest(store, plan).records(kind, bodies));
  };
  await put('customers', [{ id: 'northwind', name: 'Northwind', taxRate: '10%' }]);
  await put('subscriptions', [{ id: 's1', customer: 'northwind', offering: 'standard', start: '2026-10-01', quantities: [{ metric: 'seats', value: 10, from: '2026-10-01' }] }]);
  await put('spend', [{ id: 'sp1', customer: 'northwind', period: '2026-10', service: 'azure', amount: '2000.00' }]);
  const billed = await billCustomer(store, plan, 'northwind', '2026-10', true);
  if (billed.issued?.number !== 'CONTOSO-202610-0001') throw new Error(billed.body);
  await store.close();
  return db;
}

interface Run {
  code: number;
  out: string;
  err: string;
}
const io = (): { io: { out: (s: string) => void; err: (s: string) => void }; run: Run } => {
  const run: Run = { code: -1, out: '', err: '' };
  return { io: { out: (s) => void (run.out += s), err: (s) => void (run.err += s) }, run };
};

async function creditNote(db: string, number: string, reason: string | undefined, line: string[] = []): Promise<Run> {
  const { io: o, run } = io();
  run.code = await runCreditNote(number, { db, plans: PLANS, line, ...(reason !== undefined ? { reason } : {}) }, o);
  return run;
}
async function voidIt(db: string, number: string, reason?: string): Promise<Run> {
  const { io: o, run } = io();
  run.code = await runVoid(number, { db, ...(reason !== undefined ? { reason } : {}) }, o);
  return run;
}
async function documents(db: string, opts: { customer?: string; period?: string; kind?: string; format?: string; partner?: string; plans?: string } = {}): Promise<Run> {
  const { io: o, run } = io();
  run.code = await runDocuments({ db, plans: opts.plans ?? PLANS, format: opts.format ?? 'text', partner: opts.partner ?? 'contoso', ...opts }, o);
  return run;
}

t.test('--line N[=amount]', async (t) => {
  t.same(lineOption('2'), { line: 2 });
  t.same(lineOption('2=40.00'), { line: 2, amount: '40.00' });
  for (const bad of ['-1', '2=', '2=-4', 'x', '2=4,00', '1=1e3']) t.throws(() => lineOption(bad), { code: 'USAGE' }, bad);
});

t.test('credit notes, OVER_CREDIT, HAS_CREDIT_NOTES, the list', async (t) => {
  const db = await issuedStore('a.db');
  const cn1 = await creditNote(db, 'CONTOSO-202610-0001', 'goodwill', ['0=100.00', '1']);
  t.equal(cn1.code, 0, cn1.err);
  const note = JSON.parse(cn1.out);
  t.match(note.number, /^CONTOSO-CN-\d{6}-0001$/);
  t.same(note.lines.map((l: { line: number; amount: string }) => [l.line, l.amount]), [
    [0, '-100.00'],
    [1, '-40.00'],
  ]);
  t.same([note.subtotal, note.tax, note.total], ['-140.00', '-14.00', '-154.00']);
  const over = await creditNote(db, 'CONTOSO-202610-0001', 'again', ['1=0.01']);
  t.equal(over.code, 1);
  t.equal(over.out, '');
  t.equal(over.err, 'tierbook credit-note: OVER_CREDIT: line 1 of invoice "CONTOSO-202610-0001" has 0.00 left to credit; 0.01 is more\n');
  const rest = await creditNote(db, 'CONTOSO-202610-0001', 'cancelled');
  t.equal(rest.code, 0, rest.err);
  t.same([JSON.parse(rest.out).total, JSON.parse(rest.out).number.slice(-4)], ['-341.00', '0002']);
  const noVoid = await voidIt(db, 'CONTOSO-202610-0001', 'wrong');
  t.equal(noVoid.code, 1);
  t.match(noVoid.err, /^tierbook void: HAS_CREDIT_NOTES: invoice "CONTOSO-202610-0001" has credit notes \(CONTOSO-CN-\d{6}-0001, CONTOSO-CN-\d{6}-0002\); it cannot be voided\n$/);

  const list = await documents(db, { customer: 'northwind' });
  t.equal(list.code, 0, list.err);
  const lines = list.out.trimEnd().split('\n');
  t.equal(lines.length, 4);
  t.match(lines[0], /^NUMBER\s+KIND\s+CUSTOMER\s+PERIOD\s+ISSUED\s+TOTAL\s+STATUS\s+CREDITED\s+NOTE$/);
  t.match(lines[1], /^CONTOSO-202610-0001\s+invoice\s+northwind\s+2026-10\s+\S+\s+495\.00\s+credited\s+495\.00$/);
  t.match(lines[2], /^CONTOSO-CN-\d{6}-0001\s+credit-note\s+northwind\s+2026-10\s+\S+\s+-154\.00\s+issued\s+154\.00\s+credits CONTOSO-202610-0001$/);
  const json = await documents(db, { kind: 'invoice', format: 'json' });
  t.same(JSON.parse(json.out).map((d: { number: string; status: string }) => [d.number, d.status]), [['CONTOSO-202610-0001', 'credited']]);
  t.same(JSON.parse((await documents(db, { period: '2026-11', format: 'json' })).out), []);
  const onlyPlan = await documents(db, { partner: undefined as unknown as string, plans: PLANS });
  t.equal(onlyPlan.code, 2, 'several plans in the directory: --partner is needed');
  t.match(onlyPlan.err, /^tierbook documents: USAGE: give --partner/);
});

t.test('void, then the period is issued again with replaces', async (t) => {
  const db = await issuedStore('b.db');
  const v = await voidIt(db, 'CONTOSO-202610-0001', 'priced on the wrong plan');
  t.equal(v.code, 0, v.err);
  t.same(Object.keys(JSON.parse(v.out)), ['number', 'kind', 'status', 'reason', 'voidedAt']);
  t.equal(JSON.parse(v.out).status, 'void');
  const store = await openSqlite(db);
  const again = await billCustomer(store, plan, 'northwind', '2026-10', true);
  await store.close();
  t.same([again.issued?.number, JSON.parse(again.body).replaces], ['CONTOSO-202610-0002', 'CONTOSO-202610-0001']);
  const list = await documents(db, { format: 'json' });
  t.same(
    JSON.parse(list.out).map((d: { number: string; status: string; replacedBy?: string; replaces?: string }) => [d.number, d.status, d.replacedBy ?? d.replaces]),
    [
      ['CONTOSO-202610-0001', 'void', 'CONTOSO-202610-0002'],
      ['CONTOSO-202610-0002', 'issued', 'CONTOSO-202610-0001'],
    ],
  );
  const { io: vio, run: verified } = io();
  verified.code = await runVerify('CONTOSO-202610-0001', { all: false, format: 'json', db, plans: PLANS }, vio);
  t.equal(verified.code, 0, `a void invoice is verified by its number too: ${verified.err}${verified.out.slice(0, 300)}`);
  t.equal(JSON.parse(verified.out)[0]?.number ?? JSON.parse(verified.out).number, 'CONTOSO-202610-0001');
  const cnVoid = await creditNote(db, 'CONTOSO-202610-0001', 'x');
  t.same([cnVoid.code, cnVoid.err], [1, 'tierbook credit-note: INVOICE_VOID: invoice "CONTOSO-202610-0001" is void; it cannot be credited\n']);
});

t.test('usage errors exit 2, unknown documents 1', async (t) => {
  const db = await issuedStore('c.db');
  const cases: [Run, number, RegExp][] = [
    [await creditNote(db, 'CONTOSO-202610-0001', undefined), 2, /^tierbook credit-note: USAGE: --reason is required\n$/],
    [await creditNote(db, 'CONTOSO-202610-0001', 'x', ['a']), 2, /USAGE: --line takes N or N=amount/],
    [await creditNote(db, 'nonsense', 'x'), 2, /USAGE: "nonsense" is not a document number/],
    [await voidIt(db, 'CONTOSO-202610-0001', 'a\u0007b'), 2, /USAGE: --reason must be at most 500 characters/],
    [await creditNote(db, 'CONTOSO-202610-0001', 'x', ['7']), 1, /^tierbook credit-note: CREDIT_LINE_INVALID: invoice "CONTOSO-202610-0001" has 3 line\(s\) \(0 to 2\); there is no line 7\n$/],
    [await creditNote(db, 'GULFCLOUD-202610-0001', 'x'), 1, /^tierbook credit-note: DOCUMENT_NOT_FOUND: no issued document numbered "GULFCLOUD-202610-0001"\n$/],
    [await voidIt(db, 'CONTOSO-202610-0001'), 2, /^tierbook void: USAGE: --reason is required\n$/],
    [await voidIt(db, 'CONTOSO-202610-0009', 'x'), 1, /^tierbook void: DOCUMENT_NOT_FOUND: no issued document numbered "CONTOSO-202610-0009"\n$/],
    [await documents(db, { kind: 'receipt' }), 2, /USAGE: --kind must be invoice or credit-note/],
    [await documents(db, { period: '2026-13' }), 2, /USAGE: --period must be YYYY-MM/],
    [await documents(db, { format: 'xml' }), 2, /USAGE: unknown format "xml"/],
  ];
  for (const [run, code, err] of cases) {
    t.equal(run.code, code, run.err);
    t.match(run.err, err);
    t.equal(run.out, '');
  }
});

t.test('through the command line: registered, exit statuses', async (t) => {
  const db = await issuedStore('d.db');
  // the command line in this process (runMain): registration, options and exit statuses
  const cli = async (...args: string[]) => {
    const r = await runMainWith({ env: { TIERBOOK_DB: db, TIERBOOK_PLANS: PLANS } }, ...args);
    return { status: r.code, stdout: r.out, stderr: r.err };
  };
  const cn = await cli('credit-note', 'CONTOSO-202610-0001', '--line', '2=60.00', '--line', '0', '--reason', 'goodwill');
  t.equal(cn.status, 0, cn.stderr);
  t.same(JSON.parse(cn.stdout).lines.map((l: { line: number; amount: string }) => [l.line, l.amount]), [
    [2, '-60.00'],
    [0, '-250.00'],
  ]);
  const v = await cli('void', 'CONTOSO-202610-0001', '--reason', 'x');
  t.equal(v.status, 1);
  t.match(v.stderr, /^tierbook void: HAS_CREDIT_NOTES: /);
  const docs = await cli('documents', '--partner', 'contoso', '--customer', 'northwind', '--format', 'json');
  t.equal(docs.status, 0, docs.stderr);
  t.same(JSON.parse(docs.stdout).map((d: { status: string }) => d.status), ['partially-credited', 'issued']);
});
