// Benchmark ingest-pg: usage records per second through the PostgreSQL store's
// batch path (PgRepository.insertMany in batches of 10,000, the API's
// MAX_BATCH: requests with their decisions, worklogs on them, cloud spend)
// against raw node-postgres multi-row INSERTs of the same rows in one
// transaction, in the same run, each on a fresh database (same schema) of the
// test server (TIERBOOK_TEST_PG, else postgres://postgres@127.0.0.1:5432/postgres).
//   node --import tsx bench/ingest-pg.ts
import { MAX_BATCH } from '../src/api/routes/usage.js';
import type { Hashed, KindRecord } from '../src/store/repository.js';
import { applyPgMigrations, openPg } from '../src/store/pg.js';
import { createTestDatabase } from '../test/helpers/pg.js';
import { customerData, loadContosoPlan, type CustomerData } from './data.js';
import { insertAllPg, pgClient } from './pg-sql.js';
import type { BenchResult } from './types.js';
import { isMain, line, nowMs, result } from './util.js';

async function viaStore(url: string, partner: string, data: CustomerData[]): Promise<number> {
  const repo = await openPg(url);
  try {
    await repo.insertMany(partner, 'customers', data.map((d) => d.customer));
    await repo.insertMany(partner, 'subscriptions', data.flatMap((d) => d.subscriptions));
    const t0 = nowMs();
    let n = 0;
    for (const kind of ['requests', 'worklogs', 'spend'] as const) {
      const recs = data.flatMap((d): Hashed<KindRecord[typeof kind]>[] => d[kind]);
      for (let i = 0; i < recs.length; i += MAX_BATCH) n += (await repo.insertMany(partner, kind, recs.slice(i, i + MAX_BATCH))).length;
    }
    return (n * 1000) / (nowMs() - t0);
  } finally {
    await repo.close();
  }
}

async function raw(url: string, partner: string, data: CustomerData[]): Promise<number> {
  await applyPgMigrations(url);
  const c = await pgClient(url);
  try {
    await insertAllPg(c, partner, data, new Set(['setup']));
    const t0 = nowMs();
    await c.query('begin');
    const n = await insertAllPg(c, partner, data, new Set(['usage']));
    await c.query('commit');
    return (n * 1000) / (nowMs() - t0);
  } finally {
    await c.end();
  }
}

export async function runIngestPgBench(opts: { customers?: number; perCustomer?: number; rounds?: number } = {}): Promise<BenchResult[]> {
  const plan = loadContosoPlan();
  const data = Array.from({ length: opts.customers ?? 100 }, (_, i) => customerData(i, { plan, records: opts.perCustomer ?? 100, seed: 21 }));
  // Rounds alternate, each on new databases; the best of each side is kept (one slow round on a shared machine is noise).
  const store: number[] = [];
  const anchor: number[] = [];
  for (let round = 0; round < (opts.rounds ?? 3); round++) {
    for (const [side, into] of [[raw, anchor], [viaStore, store]] as const) {
      const db = await createTestDatabase('tierbook_bench_ingest');
      try {
        into.push(await side(db.url, plan.partner.id, data));
      } finally {
        await db.drop();
      }
    }
  }
  return [result('ingest-pg', Math.max(...store), 'records/s', 'raw pg multi-row inserts, one transaction', Math.max(...anchor))];
}

if (isMain(import.meta.url)) {
  for (const r of await runIngestPgBench()) console.log(line(r));
}
