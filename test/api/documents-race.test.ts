// Gapless numbers under concurrency (§9.7): several processes, each with its
// own SQLite connection to one file, finalize the same customers' period and
// issue credit notes against the same invoice at once. Every customer gets one
// invoice, the invoice numbers and the credit-note numbers run 0001.. without
// a gap or a repeat, and no line is credited past its amount (OVER_CREDIT for
// the losers). This file is also the child (DOCS_RACE_CHILD set).
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ingest } from '../../src/app/ingest.js';
import { billCustomer } from '../../src/app/bill.js';
import { issueCreditNote, listDocuments } from '../../src/app/documents.js';
import { loadPlan } from '../../src/plans/load.js';
import type { Plan } from '../../src/plans/types.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { isTierbookError } from '../../src/errors.js';

const plan: Plan = loadPlan(readFileSync('test/fixtures/plans/contoso.yaml', 'utf8'), 'contoso.yaml').plan!;
const CUSTOMERS = 8;
const PROCESSES = 3;
const SMALL_NOTES = 4; // per process, 1.00 each off line 0 (250.00): all succeed
const BIG_NOTES = 2; // per process, 15.00 each off line 1 (40.00): only 2 of the 6 fit

const customerIds = Array.from({ length: CUSTOMERS }, (_, i) => `c${i + 1}`);

async function child(db: string, index: number, out: string): Promise<void> {
  const store = await openSqlite(db);
  const log: string[] = [];
  // each process finalizes every customer, starting at a different one
  const order = customerIds.map((_, i) => customerIds[(i + index * 3) % CUSTOMERS]!);
  const work: Promise<void>[] = [];
  for (const c of order) work.push(billCustomer(store, plan, c, '2026-10', true).then((b) => void log.push(`invoice ${c} ${b.issued!.number} ${b.issued!.created}`)));
  for (let i = 0; i < SMALL_NOTES; i++) work.push(issueCreditNote(store, plan, 'CONTOSO-202610-0001', { reason: `small ${index}.${i}`, lines: [{ line: 0, amount: '1.00' }] }).then((r) => void log.push(`note ${r.record.number}`)));
  for (let i = 0; i < BIG_NOTES; i++) {
    work.push(
      issueCreditNote(store, plan, 'CONTOSO-202610-0001', { reason: `big ${index}.${i}`, lines: [{ line: 1, amount: '15.00' }] }).then(
        (r) => void log.push(`note ${r.record.number}`),
        (e: unknown) => void log.push(isTierbookError(e) ? `refused ${e.code}` : `error ${String(e)}`),
      ),
    );
  }
  await Promise.all(work);
  await store.close();
  writeFileSync(out, log.join('\n') + '\n');
}

if (process.env.DOCS_RACE_CHILD) {
  const [db, index, out] = process.env.DOCS_RACE_CHILD.split('|');
  await child(db!, Number(index), out!);
} else {
  t.test('concurrent finalize and credit notes from several processes keep numbers gapless', async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tierbook-docs-race-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const db = path.join(dir, 'race.db');
    const store = await openSqlite(db);
    const ingest = new Ingest(store, plan);
    await store.insertMany('contoso', 'customers', await ingest.records('customers', [{ id: 'first', name: 'First', taxRate: '10%' }, ...customerIds.map((id) => ({ id, name: id }))]));
    await store.insertMany(
      'contoso',
      'subscriptions',
      await ingest.records('subscriptions', ['first', ...customerIds].map((c) => ({ id: `${c}-s`, customer: c, offering: 'standard', start: '2026-10-01', quantities: [{ metric: 'seats', value: 10, from: '2026-10-01' }] }))),
    );
    await store.insertMany('contoso', 'spend', await ingest.records('spend', ['first', ...customerIds].map((c) => ({ id: `${c}-sp`, customer: c, period: '2026-10', service: 'azure', amount: '2000.00' }))));
    t.equal((await billCustomer(store, plan, 'first', '2026-10', true)).issued?.number, 'CONTOSO-202610-0001');
    await store.close();

    const self = fileURLToPath(import.meta.url);
    const outs = Array.from({ length: PROCESSES }, (_, i) => path.join(dir, `out-${i}.txt`));
    await Promise.all(
      outs.map(
        (out, i) =>
          new Promise<void>((resolve, reject) => {
            const p = spawn(process.execPath, ['--import', 'tsx', self], { env: { ...process.env, DOCS_RACE_CHILD: `${db}|${i}|${out}` }, stdio: ['ignore', 'ignore', 'pipe'] });
            let err = '';
            p.stderr.on('data', (d: Buffer) => (err += d.toString()));
            p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`child ${i} exited ${code}: ${err}`))));
          }),
      ),
    );
    const log = outs.flatMap((o) => readFileSync(o, 'utf8').trim().split('\n'));
    t.same(log.filter((l) => l.startsWith('error')), [], 'no store error (busy, constraint) reached a caller');

    const created = log.filter((l) => l.startsWith('invoice') && l.endsWith('true')).map((l) => l.split(' '));
    t.equal(created.length, CUSTOMERS, 'each customer issued exactly once');
    t.same(new Set(created.map((c) => c[1])).size, CUSTOMERS);
    const expectInvoices = Array.from({ length: CUSTOMERS }, (_, i) => `CONTOSO-202610-${String(i + 2).padStart(4, '0')}`);
    t.same(created.map((c) => c[2]).sort(), expectInvoices, 'invoice numbers 0002.. without a gap');
    const answered = log.filter((l) => l.startsWith('invoice')).map((l) => l.split(' '));
    const byCustomer = new Map(created.map((c) => [c[1], c[2]]));
    t.ok(answered.every((a) => byCustomer.get(a[1]!) === a[2]), 'the losers of each race were answered the winner\'s invoice');

    const notes = log.filter((l) => l.startsWith('note')).map((l) => l.split(' ')[1]!);
    t.equal(notes.length, PROCESSES * SMALL_NOTES + 2, 'every small note, and the two big notes that fit');
    t.equal(log.filter((l) => l === 'refused OVER_CREDIT').length, PROCESSES * BIG_NOTES - 2);
    const series = notes[0]!.slice(0, -4);
    t.same([...notes].sort(), Array.from({ length: notes.length }, (_, i) => series + String(i + 1).padStart(4, '0')), 'credit-note numbers 0001.. without a gap');

    const check = await openSqlite(db);
    t.teardown(() => check.close());
    const first = (await listDocuments(check, 'contoso', { customer: 'first', kind: 'invoice' }))[0]!;
    // 12 × 1.00 + 2 × 15.00 = 42.00, tax 10% 4.20
    t.same([first.status, first.credited], ['partially-credited', '46.20']);
  });
}
