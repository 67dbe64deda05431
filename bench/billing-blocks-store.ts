// Benchmark `billing-blocks` (issue 18): the real `bill` path for customers
// with prepaid blocks. Two SQLite stores of n customers on contoso's Standard
// since 2024-11-01 with 4 to 12 worklogs a month (about 200 over 25 months);
// in one the plan has a monthly 10 h block drawing labour, in the other not.
// The 24 months before November 2026 are issued in each store (priced through
// the real path, rows and kept ledger states written directly: issueDirect;
// a sample is verified to read back unchanged); then November's drafts of every customer are timed
// through billCustomers: billingInput (resumed from the kept state: October's
// state and November's records), the corrections of the 12 issued months
// before (each resumed from the state of the month before it), pricing.
// Target: with blocks ≤ 1.5× without. Also measured: with blocks when no state
// is kept (every ledger from the subscription's start).
// The stores are filled with raw inserts (not timed) in a temporary directory.
//   node --import tsx bench/billing-blocks-store.ts                     10,000 customers
//   BENCH_SCALE=small node --import tsx bench/billing-blocks-store.ts   1,000
//   BENCH_MONTHS=k …   only the k months before November issued (quicker)
//   BENCH_CUSTOMERS=n …   n customers (profiling)
//   BENCH_STORE_DIR=dir …   keep the filled stores in dir and reuse them
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { billCustomers } from '../src/app/bill.js';
import { CORRECTION_MONTHS, monthsBefore, statementInput } from '../src/app/corrections.js';
import { invoiceMaker } from '../src/app/documents.js';
import { ledgerStamp, revStamp } from '../src/app/ledger-states.js';
import { billingInput, draftOf, inputsDigest, issuable } from '../src/app/statements.js';
import { LEDGER_STATE_SQL } from '../src/store/ledger-states.js';
import type { Plan } from '../src/plans/types.js';
import type { Repository } from '../src/store/repository.js';
import { applyMigrations, openDatabase, openSqlite } from '../src/store/sqlite.js';
import { parseInstant } from '../src/time/instant.js';
import { months, plans } from './billing-blocks.js';
import { prng } from './data.js';
import type { BenchResult } from './types.js';
import { cpuMs, fmt, isMain, line, nowMs, result, sink } from './util.js';

const PERIOD = '2026-11';
const START = '2024-11-01';

/** n customers on Standard since START, each with 4 to 12 worklogs a month over 25 months; returns the worklog count. */
function fill(file: string, n: number): number {
  const db = openDatabase(file);
  let count = 0;
  try {
    applyMigrations(db);
    const now = '2026-12-01T00:00:00.000Z';
    const customer = db.prepare('insert into customers (partner, id, name, body_hash, created_at, updated_at) values (?, ?, ?, ?, ?, ?)');
    const sub = db.prepare('insert into subscriptions (partner, id, customer, offering, start, body_hash, created_at) values (?, ?, ?, ?, ?, ?, ?)');
    const worklog = db.prepare('insert into worklogs (partner, id, customer, offering, start, start_ms, minutes, body_hash, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const all = months();
    for (let i0 = 0; i0 < n; i0 += 200) {
      db.transaction(() => {
        for (let i = i0; i < Math.min(n, i0 + 200); i++) {
          customer.run('contoso', `c${i}`, `Customer ${i}`, 'h', now, now);
          sub.run('contoso', `s${i}`, `c${i}`, 'standard', START, 'h', now);
          const r = prng(1000 + i);
          for (const m of all) {
            const k = 4 + Math.floor(r() * 9);
            for (let j = 0; j < k; j++) {
              const start = `${m}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}T${String(Math.floor(r() * 24)).padStart(2, '0')}:${String(Math.floor(r() * 60)).padStart(2, '0')}:00-05:00`;
              worklog.run('contoso', `w${i}-${m}-${j}`, `c${i}`, 'standard', start, parseInstant(start), 15 + Math.floor(r() * 226), 'h', now);
              count++;
            }
          }
        }
      })();
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  return count;
}

/**
 * Issues every customer's months in order, fast: each month's statement is
 * read and priced through the real path (billingInput, resumed from the state
 * this fill kept for the month before, so its inputs digest is the one a later
 * correction reads), and its issued row and (block store) ledger state are
 * written directly in one transaction per month: no corrections (nothing is
 * late, so they would be empty: `verify` checks a sample) and no numbering
 * query per statement (`repo.issue` counts the period's numbers each time,
 * quadratic in the customers). Returns the seconds it took.
 */
async function issueDirect(file: string, repo: Repository, plan: Plan, n: number, issued: readonly string[]): Promise<number> {
  const db = openDatabase(file);
  const t0 = nowMs();
  try {
    const put = db.prepare('insert into statements (partner, customer, period, number, plan_hash, inputs_digest, body, issued_at, inputs_rev) values (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const keep = db.prepare(LEDGER_STATE_SQL.put);
    const issuedAt = '2026-12-01T00:00:00.000Z';
    for (const p of issued) {
      const rows: unknown[][] = [];
      const states: unknown[][] = [];
      for (let i = 0; i < n; i++) {
        const c = `c${i}`;
        // as finalize: the input changes seen, taken before the inputs are read (app/corrections.ts statementRead)
        const rev = await repo.inputsRev('contoso', c);
        const input = await billingInput(repo, plan, c, p);
        if (!input) throw new Error(`no customer ${c}`);
        const { statement, ledgers } = draftOf(input);
        const number = `CONTOSO-${p.replace('-', '')}-${String(i + 1).padStart(5, '0')}`;
        const made = invoiceMaker(plan, input, issuable(statement), inputsDigest(input), rev)(number, issuedAt, null);
        rows.push(['contoso', c, p, number, made.planHash, made.inputsDigest, made.body, issuedAt, rev]);
        // as finalize keeps them: with the revision taken before the read (app/ledger-states.ts keepLedgerStates)
        if (ledgers.length > 0) states.push(['contoso', c, p, ledgerStamp(plan, input.subscriptions, revStamp(rev)), JSON.stringify(ledgers), issuedAt, rev]);
      }
      db.transaction(() => {
        for (const r of rows) put.run(...r);
        for (const r of states) keep.run(...r);
      })();
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  return (nowMs() - t0) / 1000;
}

/**
 * Checks the fill on a sample of customers: every issued month of the
 * correction window reads back with the digest it was issued with (so the
 * draft's corrections price nothing again), the draft carries no correction,
 * and (block store) November resumes from October's kept state.
 */
async function verify(repo: Repository, plan: Plan, n: number, blocks: boolean): Promise<void> {
  for (let i = 0; i < n; i += Math.max(1, Math.floor(n / 20))) {
    const c = `c${i}`;
    const input = await statementInput(repo, plan, c, PERIOD);
    if (!input || input.corrections) throw new Error(`fill: ${c}'s draft of ${PERIOD} carries corrections`);
    if (blocks && input.ledgers?.[0]?.period !== '2026-10') throw new Error(`fill: ${c}'s draft does not resume from October`);
    for (const q of await repo.issuedSince('contoso', c, monthsBefore(PERIOD, CORRECTION_MONTHS))) {
      const again = await billingInput(repo, plan, c, q.period);
      if (!again || inputsDigest(again, q.planHash) !== q.inputsDigest) throw new Error(`fill: ${c} ${q.period} reads back with another digest`);
    }
  }
}

/**
 * The draft of PERIOD for every customer through billCustomers (what `bill`
 * runs: billingInput, the corrections of the 12 issued months before, pricing,
 * describing), with blocks (resumed from the kept states) and without, each
 * from its own store with the months before issued. Returns the figure and,
 * apart, the same with blocks when no state is kept (from the subscription's start).
 */
export async function runBillingBlocksStoreBench(): Promise<BenchResult[]> {
  const n = Number(process.env.BENCH_CUSTOMERS ?? (process.env.BENCH_SCALE === 'small' ? 1_000 : 10_000));
  const count = Number(process.env.BENCH_MONTHS ?? 24);
  // BENCH_STORE_DIR: the filled stores are kept there and reused by the next run of the same size (the fill is the long part)
  const keepDir = process.env.BENCH_STORE_DIR;
  const dir = keepDir ?? mkdtempSync(join(tmpdir(), 'tierbook-bench-blocks-'));
  try {
    const { plain, blocks } = plans();
    const issued = months().filter((m) => m < PERIOD).slice(-count);
    const open = async (name: string, plan: Plan): Promise<{ repo: Repository; fill: number; finalize: number; worklogs: number }> => {
      const file = join(dir, `${name}-${n}-${issued.length}.db`);
      if (keepDir && existsSync(file)) {
        // reused: migrations added since the fill (indexes) applied, the fill checked again
        const db = openDatabase(file);
        applyMigrations(db);
        const worklogs = db.prepare('select count(*) from worklogs').pluck().get() as number;
        db.close();
        const repo = await openSqlite(file, { migrate: false });
        await verify(repo, plan, n, plan === blocks);
        return { repo, fill: 0, finalize: 0, worklogs };
      }
      const t0 = nowMs();
      const worklogs = fill(file, n);
      const fillS = (nowMs() - t0) / 1000;
      const repo = await openSqlite(file, { migrate: false });
      const issuing = await issueDirect(file, repo, plan, n, issued);
      await verify(repo, plan, n, plan === blocks);
      return { repo, fill: fillS, finalize: issuing, worklogs };
    };
    const a = await open('plain', plain);
    const b = await open('blocks', blocks);
    const customers = Array.from({ length: n }, (_, i) => `c${i}`);
    const pass = async (repo: Repository, plan: Plan): Promise<number> => {
      const t0 = cpuMs();
      await billCustomers(repo, plan, customers, PERIOD, false, (o) => {
        if ('error' in o) throw o.error;
        sink.n += o.billed.body.length;
      });
      return (cpuMs() - t0) / 1000;
    };
    // the store without its kept states: every ledger from the subscription's start
    const noStates = new Proxy(b.repo, {
      get(target, key) {
        if (key === 'ledgerStates' || key === 'keptStates') return async () => [];
        const v = Reflect.get(target, key, target) as unknown;
        return typeof v === 'function' ? (v as (...x: unknown[]) => unknown).bind(target) : v;
      },
    }) as Repository;
    // warm-up (JIT, page cache), then the best of three alternating passes
    await pass(a.repo, plain);
    await pass(b.repo, blocks);
    let x = Infinity;
    let y = Infinity;
    let z = Infinity;
    for (let k = 0; k < 3; k++) {
      x = Math.min(x, await pass(a.repo, plain));
      y = Math.min(y, await pass(b.repo, blocks));
      if (k === 0 || process.env.BENCH_FULL) z = Math.min(z, await pass(noStates, blocks));
    }
    await a.repo.close();
    await b.repo.close();
    process.stdout.write(
      `  ${n} customers, ${b.worklogs} worklogs over 25 months, ${issued.length} months issued (fill ${fmt(a.fill)} + ${fmt(b.fill)} s, issue ${fmt(a.finalize)} s without / ${fmt(b.finalize)} s with blocks);\n` +
        `  bill ${PERIOD} (draft, CPU s): ${fmt(y)} with blocks resumed from kept states, ${fmt(z)} with blocks from the start, ${fmt(x)} without blocks\n`,
    );
    const label = `CPU s (bill: ${n.toLocaleString('en-US')} customers with blocks, 24 months of history, ${issued.length} issued`;
    return [
      result('billing-blocks', y, `${label}, resumed from kept states)`, 'the same customers and store without blocks (CPU s)', x),
      result('billing-blocks-store-from-start', z, `${label}, no kept state)`, 'the same customers and store without blocks (CPU s)', x),
    ];
  } finally {
    if (!keepDir) rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  for (const r of await runBillingBlocksStoreBench()) console.log(line(r));
}
