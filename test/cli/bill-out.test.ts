// `tierbook bill --out DIR --format …` (issue 23): every customer's document in
// each format, named <customer>-<period>.<ext>, in the customer's locale or
// --locale's; drafts as GET /statements renders them, issued documents as GET
// /documents/:number does; the set written whole or not at all.
import t, { type Test as Tap } from 'tap';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Ingest } from '../../src/app/ingest.js';
import { buildApp } from '../../src/api/app.js';
import { loadPlan } from '../../src/plans/load.js';
import type { Plan } from '../../src/plans/types.js';
import type { RecordKind } from '../../src/store/repository.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { runMain } from '../helpers/run-main.js';

const PLANS = 'test/fixtures/plans';
const plan: Plan = loadPlan(readFileSync(path.join(PLANS, 'contoso.yaml'), 'utf8'), 'contoso.yaml').plan!;
const dir = mkdtempSync(path.join(tmpdir(), 'tierbook-bill-out-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

/** northwind (no locale: the partner's en-US) and lianhua (zh-CN), both on standard with 10 seats in October 2026. */
async function store(name: string): Promise<string> {
  const db = path.join(dir, name);
  const repo = await openSqlite(db);
  const put = async (kind: RecordKind, bodies: unknown[]): Promise<void> => {
    await repo.insertMany('contoso', kind, await new Ingest(repo, plan).records(kind, bodies));
  };
  await put('customers', [
    { id: 'northwind', name: 'Northwind Traders', taxRate: '10%' },
    { id: 'lianhua', name: '联华', locale: 'zh-CN' },
  ]);
  await put('subscriptions', [
    { id: 's1', customer: 'northwind', offering: 'standard', start: '2026-10-01', quantities: [{ metric: 'seats', value: 10, from: '2026-10-01' }] },
    { id: 's2', customer: 'lianhua', offering: 'standard', start: '2026-10-01', quantities: [{ metric: 'seats', value: 3, from: '2026-10-01' }] },
  ]);
  await put('spend', [
    { id: 'sp1', customer: 'northwind', period: '2026-10', service: 'azure', amount: '2000.00' },
    { id: 'sp2', customer: 'lianhua', period: '2026-10', service: 'azure', amount: '500.00' },
  ]);
  await repo.close();
  return db;
}

/** The API on the same store, to compare the files with what its routes answer (a viewer's token). */
async function api(t: Tap, db: string) {
  const repo = await openSqlite(db);
  const app = await buildApp({ repo, plans: new Map([['contoso', plan]]), cache: false, authLimit: false });
  const token = await repo.createToken('contoso', 'viewer');
  t.teardown(async () => {
    await app.close();
    await repo.close();
  });
  return { repo, get: (path: string) => app.inject({ url: `/v1/partners/contoso/${path}`, headers: { authorization: `Bearer ${token}` } }) };
}

const bill = (db: string, ...args: string[]) => runMain('bill', 'contoso', '2026-10', '--db', db, '--plans', PLANS, ...args);
const read = (out: string, name: string): string => readFileSync(path.join(out, name), 'utf8');
/** The rows of an RFC 4180 CSV (quoted fields with doubled quotes; CRLF between rows). */
function csvRows(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  for (let i = 0; i < csv.length; i++) {
    const ch = csv[i]!;
    if (ch === '"') {
      for (i++; i < csv.length && !(csv[i] === '"' && csv[i + 1] !== '"'); i++) cell += csv[i] === '"' ? (i++, '"') : csv[i];
    } else if (ch === ',') (row.push(cell), (cell = ''));
    else if (ch === '\r' && csv[i + 1] === '\n') (row.push(cell), rows.push(row), (row = []), (cell = ''), i++);
    else cell += ch;
  }
  return rows;
}
/** The amount column of a statement CSV. */
const csvAmounts = (csv: string): string[] => {
  const rows = csvRows(csv);
  const at = rows[0]!.indexOf('amount');
  return rows.slice(1).map((r) => r[at]!).filter((a) => a !== '');
};
const cents = (a: string): number => Math.round(Number(a) * 100); // exact for two-decimal amounts of this size

t.test('drafts in every format, each customer in its locale', async (t) => {
  const db = await store('drafts.db');
  const out = path.join(dir, 'drafts');
  const r = await bill(db, '--out', out, '--format', 'html,md', '--format', 'csv,json');
  t.equal(r.code, 0, r.err);
  t.equal(r.out, 'lianhua\tUSD 362.00\nnorthwind\tUSD 495.00\n');
  t.same(readdirSync(out).sort(), [
    'lianhua-2026-10.csv',
    'lianhua-2026-10.html',
    'lianhua-2026-10.json',
    'lianhua-2026-10.md',
    'northwind-2026-10.csv',
    'northwind-2026-10.html',
    'northwind-2026-10.json',
    'northwind-2026-10.md',
  ]);
  // nothing left beside DIR
  t.same(readdirSync(dir).filter((f) => f.startsWith('.')), []);
  t.match(read(out, 'northwind-2026-10.html'), /^<!DOCTYPE html>\s*<html lang="en-US"[ >]/i);
  t.match(read(out, 'lianhua-2026-10.html'), /^<!DOCTYPE html>\s*<html lang="zh-CN"[ >]/i);
  t.match(read(out, 'lianhua-2026-10.md'), /联华/);
  for (const c of ['northwind', 'lianhua']) {
    const json = JSON.parse(read(out, `${c}-2026-10.json`)) as { customer: string; subtotal: string; total: string; currency: string };
    t.equal(json.customer, c);
    // the CSV's amounts add up to the JSON's subtotal
    t.equal(csvAmounts(read(out, `${c}-2026-10.csv`)).reduce((s, a) => s + cents(a), 0), cents(json.subtotal), `${c} csv`);
    t.match(r.out, `${c}\t${json.currency} ${json.total}\n`);
  }
  // a JSON-only run writes the same JSON as before --format existed
  const plain = path.join(dir, 'plain');
  t.equal((await bill(db, '--out', plain)).code, 0);
  t.same(readdirSync(plain).sort(), ['lianhua-2026-10.json', 'northwind-2026-10.json']);
  t.equal(read(plain, 'northwind-2026-10.json'), read(out, 'northwind-2026-10.json'));

  // the HTML is what GET /statements/:customer/:period?format=html answers
  const { repo, get } = await api(t, db);
  for (const [c, f] of [['lianhua', 'html'], ['northwind', 'md'], ['northwind', 'csv']] as const) {
    const res = await get(`statements/${c}/2026-10?format=${f}`);
    t.equal(res.statusCode, 200);
    t.equal(read(out, `${c}-2026-10.${f}`), res.body, `${c}.${f} as the API renders it`);
  }
});

t.test('--locale forces the locale of every document', async (t) => {
  const db = await store('locale.db');
  const out = path.join(dir, 'zh');
  const r = await bill(db, '--out', out, '--format', 'html', '--locale', 'zh-CN');
  t.equal(r.code, 0, r.err);
  t.same(readdirSync(out).sort(), ['lianhua-2026-10.html', 'northwind-2026-10.html']);
  t.match(read(out, 'northwind-2026-10.html'), /<html lang="zh-CN"[ >]/);
  t.match(read(out, 'lianhua-2026-10.html'), /<html lang="zh-CN"[ >]/);
  const en = path.join(dir, 'en');
  t.equal((await bill(db, '--out', en, '--format', 'html', '--locale', 'en-US')).code, 0);
  t.match(read(en, 'lianhua-2026-10.html'), /<html lang="en-US"[ >]/);
});

t.test('--finalize writes the issued documents of record, as GET /documents/:number renders them', async (t) => {
  const db = await store('issued.db');
  const out = path.join(dir, 'issued');
  const r = await bill(db, '--finalize', '--out', out, '--format', 'json,html,csv');
  t.equal(r.code, 0, r.err);
  t.match(r.out, /northwind\tUSD 495\.00\tCONTOSO-202610-\d{4}\n/);
  t.same(readdirSync(out).sort(), ['lianhua-2026-10.csv', 'lianhua-2026-10.html', 'lianhua-2026-10.json', 'northwind-2026-10.csv', 'northwind-2026-10.html', 'northwind-2026-10.json']);
  const { repo, get } = await api(t, db);
  for (const c of ['northwind', 'lianhua']) {
    const issued = (await repo.getIssued('contoso', c, '2026-10'))!;
    t.equal(read(out, `${c}-2026-10.json`), issued.body, `${c}: the JSON byte for byte as issued`);
    for (const f of ['html', 'csv']) {
      const res = await get(`documents/${issued.number}?format=${f}`);
      t.equal(res.statusCode, 200);
      t.equal(read(out, `${c}-2026-10.${f}`), res.body, `${c}.${f} as GET /documents/:number renders it`);
    }
    t.match(read(out, `${c}-2026-10.html`), issued.number);
  }
  t.match(read(out, 'lianhua-2026-10.html'), /<html lang="zh-CN"[ >]/);
  t.match(read(out, 'northwind-2026-10.html'), /<html lang="en-US"[ >]/);
});

/** What an unexpected error of a run says: thrown out of main, or (exit 1) written to stderr. */
const failure = (run: ReturnType<typeof bill>): Promise<string> =>
  run.then(
    (r) => (r.code === 1 ? r.err : `exit ${r.code}`),
    (e: unknown) => String(e),
  );

t.test('a run that fails half-way writes nothing; an existing DIR keeps its other files', async (t) => {
  const db = await store('broken.db');
  const out = path.join(dir, 'kept');
  mkdirSync(out);
  writeFileSync(path.join(out, 'other.txt'), 'mine');
  t.equal((await bill(db, '--finalize', '--out', out)).code, 0);
  t.same(readdirSync(out).sort(), ['lianhua-2026-10.json', 'northwind-2026-10.json', 'other.txt']);
  // northwind's stored document no longer parses: rendering it fails after lianhua's files were written
  const raw = new Database(db);
  raw.prepare("update statements set body = '{' where customer = 'northwind'").run();
  raw.close();
  const again = path.join(dir, 'never');
  t.match(await failure(bill(db, '--finalize', '--out', again, '--format', 'html')), /^SyntaxError: /m);
  t.notOk(existsSync(again), 'DIR not created');
  t.same(readdirSync(dir).filter((f) => f.startsWith('.')), [], 'no temporary directory left');
  t.match(await failure(bill(db, '--finalize', '--out', out, '--format', 'html')), /^SyntaxError: /m);
  t.same(readdirSync(out).sort(), ['lianhua-2026-10.json', 'northwind-2026-10.json', 'other.txt'], 'DIR as it was');
});

t.test('usage errors', async (t) => {
  const db = await store('usage.db');
  const cases: Array<[string[], string]> = [
    [['--out', path.join(dir, 'x'), '--format', 'html,pdf'], 'tierbook bill: USAGE: --format must be json, html, md, csv (comma-separated or repeated), got "pdf"'],
    [['--out', path.join(dir, 'x'), '--format', ''], 'tierbook bill: USAGE: --format must be json, html, md, csv (comma-separated or repeated), got ""'],
    [['--format', 'html'], 'tierbook bill: USAGE: --format needs --out DIR'],
    [['--locale', 'zh-CN'], 'tierbook bill: USAGE: --locale needs --out DIR'],
    [['--out', path.join(dir, 'x'), '--locale', 'fr-FR'], 'tierbook bill: USAGE: --locale must be en-US or zh-CN, got "fr-FR"'],
  ];
  for (const [args, line] of cases) {
    const r = await bill(db, ...args);
    t.equal(r.code, 2, args.join(' '));
    t.equal(r.err.split('\n')[0], line);
    t.equal(r.out, '');
  }
  t.notOk(existsSync(path.join(dir, 'x')));
});
