// Benchmark: usage records per second through the store's batch path
// (Repository.insertMany in batches of 10,000 — the API's largest batch,
// MAX_BATCH — requests with their decisions,
// then worklogs on them, then cloud spend), against raw better-sqlite3
// prepared inserts of the same rows in one transaction, in the same run, on
// a fresh database file each (same schema, WAL).
//   node --import tsx bench/ingest.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_BATCH } from '../src/api/routes/usage.js';
import type { Hashed, KindRecord } from '../src/store/repository.js';
import { applyMigrations, openDatabase, openSqlite } from '../src/store/sqlite.js';
import { customerData, loadContosoPlan, type CustomerData } from './data.js';
import { rawWriter } from './sql.js';
import type { BenchResult } from './types.js';
import { isMain, line, nowMs, result } from './util.js';

// The figure named `ingest` uses the API's largest batch; a second figure at
// 1,000 shows the cost of one fsync'd commit per batch (synchronous=FULL).
const BATCH = MAX_BATCH;
const SMALL_BATCH = 1000;

async function viaStore(file: string, partner: string, data: CustomerData[], batch: number): Promise<number> {
  const repo = await openSqlite(file);
  try {
    await repo.insertMany(partner, 'customers', data.map((d) => d.customer));
    await repo.insertMany(partner, 'subscriptions', data.flatMap((d) => d.subscriptions));
    const kinds = ['requests', 'worklogs', 'spend'] as const;
    const t0 = nowMs();
    let n = 0;
    for (const kind of kinds) {
      const recs = data.flatMap((d): Hashed<KindRecord[typeof kind]>[] => d[kind]);
      for (let i = 0; i < recs.length; i += batch) {
        n += (await repo.insertMany(partner, kind, recs.slice(i, i + batch))).length;
      }
    }
    return (n * 1000) / (nowMs() - t0);
  } finally {
    await repo.close();
  }
}

function raw(file: string, partner: string, data: CustomerData[]): number {
  const db = openDatabase(file);
  try {
    applyMigrations(db);
    const w = rawWriter(db, partner);
    db.transaction(() => {
      data.forEach((d) => w.customer(d.customer));
      data.forEach((d) => d.subscriptions.forEach(w.subscription));
    })();
    const t0 = nowMs();
    let n = 0;
    db.transaction(() => {
      for (const d of data) d.requests.forEach(w.request), (n += d.requests.length);
      for (const d of data) d.worklogs.forEach(w.worklog), (n += d.worklogs.length);
      for (const d of data) d.spend.forEach(w.spend), (n += d.spend.length);
    })();
    return (n * 1000) / (nowMs() - t0);
  } finally {
    db.close();
  }
}

export async function runIngestBench(opts: { customers?: number; perCustomer?: number; rounds?: number } = {}): Promise<BenchResult[]> {
  const plan = loadContosoPlan();
  const customers = opts.customers ?? 100;
  const perCustomer = opts.perCustomer ?? 100;
  const data = Array.from({ length: customers }, (_, i) => customerData(i, { plan, records: perCustomer, seed: 21 }));
  const dir = mkdtempSync(join(tmpdir(), 'tierbook-bench-ingest-'));
  try {
    // Rounds alternate; the best of each is kept (the first writes also pay for
    // growing the files, and on a shared machine one slow round is noise).
    const store: number[] = [];
    const small: number[] = [];
    const anchor: number[] = [];
    for (let round = 0; round < (opts.rounds ?? 5); round++) {
      anchor.push(raw(join(dir, `raw-${round}.db`), plan.partner.id, data));
      store.push(await viaStore(join(dir, `store-${round}.db`), plan.partner.id, data, BATCH));
      small.push(await viaStore(join(dir, `small-${round}.db`), plan.partner.id, data, SMALL_BATCH));
    }
    const anchorText = 'raw better-sqlite3 inserts, one transaction';
    return [
      result('ingest', Math.max(...store), 'records/s', anchorText, Math.max(...anchor)),
      result(`ingest-batch-${SMALL_BATCH}`, Math.max(...small), 'records/s', anchorText, Math.max(...anchor)),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  for (const r of await runIngestBench()) console.log(line(r));
}
