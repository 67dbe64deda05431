// Benchmark `billing-blocks` (issue 18): the real `bill` path for customers
// with prepaid blocks. Two SQLite stores of n customers on contoso's Standard
// since 2024-11-01 with 4 to 12 worklogs a month (about 200 over 25 months);
// in one the plan has a monthly 10 h block drawing labour, in the other not.
// The 24 months before November 2026 are finalized in each store the way
// `bill --finalize` does it (so the block store keeps a ledger state per
// customer and month); then November's drafts of every customer are timed
// through billCustomers: billingInput (resumed from the kept state: October's
// state and November's records), the corrections of the 12 issued months
// before (each resumed from the state of the month before it), pricing.
// Target: with blocks ≤ 1.5× without. Also measured: with blocks when no state
// is kept (every ledger from the subscription's start).
// The stores are filled with raw inserts (not timed) in a temporary directory.
//   node --import tsx bench/billing-blocks-store.ts                     10,000 customers
//   BENCH_SCALE=small node --import tsx bench/billing-blocks-store.ts   1,000
//   BENCH_MONTHS=k …   only the k months before November issued (quicker)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { billCustomers } from '../src/app/bill.js';
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

/** Finalizes every customer's months in order, the way `bill --finalize` does (kept ledger states included); returns the seconds it took. */
async function finalize(repo: Repository, plan: Plan, n: number, issued: readonly string[]): Promise<number> {
  const customers = Array.from({ length: n }, (_, i) => `c${i}`);
  const t0 = nowMs();
  for (const p of issued) {
    await billCustomers(repo, plan, customers, p, true, (o) => {
      if ('error' in o) throw o.error;
    }, 1, { force: true });
  }
  return (nowMs() - t0) / 1000;
}

/**
 * The draft of PERIOD for every customer through billCustomers (what `bill`
 * runs: billingInput, the corrections of the 12 issued months before, pricing,
 * describing), with blocks (resumed from the kept states) and without, each
 * from its own store with the months before issued. Returns the figure and,
 * apart, the same with blocks when no state is kept (from the subscription's start).
 */
export async function runBillingBlocksStoreBench(): Promise<BenchResult[]> {
  const n = process.env.BENCH_SCALE === 'small' ? 1_000 : 10_000;
  const count = Number(process.env.BENCH_MONTHS ?? 24);
  const dir = mkdtempSync(join(tmpdir(), 'tierbook-bench-blocks-'));
  try {
    const { plain, blocks } = plans();
    const issued = months().filter((m) => m < PERIOD).slice(-count);
    const open = async (name: string, plan: Plan): Promise<{ repo: Repository; fill: number; finalize: number; worklogs: number }> => {
      const file = join(dir, `${name}.db`);
      const t0 = nowMs();
      const worklogs = fill(file, n);
      const fillS = (nowMs() - t0) / 1000;
      const repo = await openSqlite(file, { migrate: false });
      return { repo, fill: fillS, finalize: await finalize(repo, plan, n, issued), worklogs };
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
        if (key === 'ledgerStates') return async () => [];
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
      `  ${n} customers, ${b.worklogs} worklogs over 25 months, ${issued.length} months issued (fill ${fmt(a.fill)} + ${fmt(b.fill)} s, finalize ${fmt(a.finalize)} s without / ${fmt(b.finalize)} s with blocks);\n` +
        `  bill ${PERIOD} (draft, CPU s): ${fmt(y)} with blocks resumed from kept states, ${fmt(z)} with blocks from the start, ${fmt(x)} without blocks\n`,
    );
    const label = `CPU s (bill: ${n.toLocaleString('en-US')} customers with blocks, 24 months of history, ${issued.length} issued`;
    return [
      result('billing-blocks', y, `${label}, resumed from kept states)`, 'the same customers and store without blocks (CPU s)', x),
      result('billing-blocks-store-from-start', z, `${label}, no kept state)`, 'the same customers and store without blocks (CPU s)', x),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  for (const r of await runBillingBlocksStoreBench()) console.log(line(r));
}
