// Benchmark `billing-blocks-store` (issue 18, the store's share): the draft
// statements of every customer from a SQLite store (billingInput →
// priceStatement, what `bill` does per customer) when each customer holds a
// monthly block drawing labour and 24 months of labour history, against the
// same store priced with the plan without the block (billingInput then reads
// the period's records only). The difference is the block history read
// (Repository.history: three range reads on the customer-and-time indexes)
// plus the ledger. Target: within 1.5× of the anchor.
// The store is filled with raw inserts (not timed) in a temporary directory.
//   node --import tsx bench/billing-blocks-store.ts                     10,000 customers
//   BENCH_SCALE=small node --import tsx bench/billing-blocks-store.ts   1,000
//   BENCH_SPLIT=1 …   also prints reading (billingInput) and pricing apart
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { billingInput } from '../src/app/statements.js';
import { priceStatement } from '../src/billing/statement.js';
import type { Plan } from '../src/plans/types.js';
import { applyMigrations, openDatabase, openSqlite } from '../src/store/sqlite.js';
import { parseInstant } from '../src/time/instant.js';
import { months, plans } from './billing-blocks.js';
import { prng } from './data.js';
import type { BenchResult } from './types.js';
import { fmt, isMain, line, nowMs, result, sink } from './util.js';

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

export async function runBillingBlocksStoreBench(): Promise<BenchResult[]> {
  const n = process.env.BENCH_SCALE === 'small' ? 1_000 : 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'tierbook-bench-blocks-'));
  try {
    const file = join(dir, 'store.db');
    const worklogs = fill(file, n);
    const repo = await openSqlite(file, { migrate: false });
    const { plain, blocks } = plans();
    const pass = async (plan: Plan): Promise<number> => {
      const t0 = nowMs();
      for (let i = 0; i < n; i++) sink.n += priceStatement((await billingInput(repo, plan, `c${i}`, PERIOD))!).lines.length;
      return (nowMs() - t0) / 1000;
    };
    // warm-up (JIT, page cache), then the best of three alternating passes
    await pass(plain);
    await pass(blocks);
    let a = Infinity;
    let b = Infinity;
    for (let k = 0; k < 3; k++) {
      a = Math.min(a, await pass(plain));
      b = Math.min(b, await pass(blocks));
    }
    if (process.env.BENCH_SPLIT) {
      // where the time goes: reading (billingInput) against pricing
      for (const plan of [plain, blocks]) {
        const inputs = [];
        let t0 = nowMs();
        for (let i = 0; i < n; i++) inputs.push((await billingInput(repo, plan, `c${i}`, PERIOD))!);
        const read = (nowMs() - t0) / 1000;
        const t1 = nowMs();
        for (const x of inputs) sink.n += priceStatement(x).lines.length;
        process.stdout.write(`  ${plan === blocks ? 'blocks' : 'plain'}: read ${fmt(read)} s, price ${fmt((nowMs() - t1) / 1000)} s\n`);
      }
    }
    await repo.close();
    process.stdout.write(`  ${n} customers, ${worklogs} worklogs over 25 months in SQLite; ${fmt(b)} s with blocks (history read), ${fmt(a)} s without\n`);
    return [result('billing-blocks-store', b, `s (${n.toLocaleString('en-US')} customers with blocks and 24 months of history, from SQLite)`, 'the same store without blocks (s)', a)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  for (const r of await runBillingBlocksStoreBench()) console.log(line(r));
}
