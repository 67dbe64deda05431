// Benchmark billing-pg: seconds to compute the draft statements of every
// customer for a month from the PostgreSQL store through the bill use case
// (billCustomers: PgRepository.periodData -> billingInput -> priceStatement,
// what `tierbook bill` does, with its concurrency on PostgreSQL:
// billConcurrency of the default pool, 8 customers at a time), against one
// scan of the same usage rows with node-postgres (server-side cursors, in
// (customer, time) index order), in the same process. The same use case at
// concurrency 1 (one customer after another, as on SQLite) is measured
// beside it.
// The database is filled once (raw multi-row inserts, not timed) and kept on
// the server as tierbook_bench_billing_<scale>_<key> (the key covers what
// shapes its rows), as bench/billing.ts keeps its SQLite file in bench/.cache;
// the measurement runs in a fresh child process so its peak RSS is its own.
//   node --import tsx bench/billing-pg.ts          10,000 customers / 1,000,000 records
//   BENCH_SCALE=small …                            1,000 / 100,000
//   BENCH_FRESH=1 …                                fill again
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { billConcurrency, billCustomers } from '../src/app/bill.js';
import { period as periodOf } from '../src/time/period.js';
import { applyPgMigrations, DEFAULT_POOL_SIZE, openPg } from '../src/store/pg.js';
import { testPgUrl, withDatabase } from '../test/helpers/pg.js';
import { BENCH_PERIOD, customerData, loadContosoPlan, recordsOf } from './data.js';
import { DEFAULT_SCALES, SMALL_SCALES, type BillingScale } from './billing.js';
import { insertAllPg, pgClient } from './pg-sql.js';
import type { BenchResult } from './types.js';
import { fmt, isMain, line, nowMs, peakRssMb, result, sink } from './util.js';

const SELF = fileURLToPath(import.meta.url);
const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** What `tierbook bill` uses on PostgreSQL with the default pool. */
const CONCURRENCY = billConcurrency(DEFAULT_POOL_SIZE);

/** What shapes the filled database's rows: generator, writer, schema, plan. */
function fillKey(): string {
  const h = createHash('sha256');
  const files = (dir: string): string[] => readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((f) => statSync(join(ROOT, f)).isFile());
  for (const f of ['bench/data.ts', 'bench/pg-sql.ts', 'plans/contoso.yaml', ...files('drizzle/pg')].sort()) h.update(f).update('\0').update(readFileSync(join(ROOT, f))).update('\0');
  return h.digest('hex').slice(0, 12);
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = await pgClient(testPgUrl());
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Fills database `name` (created here) with `scale`: raw inserts, 200 customers per transaction. */
async function fill(name: string, scale: BillingScale): Promise<void> {
  await admin((c) => c.query(`create database "${name}"`));
  const url = withDatabase(testPgUrl(), name);
  await applyPgMigrations(url);
  const plan = loadContosoPlan();
  const c = await pgClient(url);
  try {
    for (let i0 = 0; i0 < scale.customers; i0 += 200) {
      const data = [];
      for (let i = i0; i < Math.min(scale.customers, i0 + 200); i++) data.push(customerData(i, { plan, records: recordsOf(i, scale.customers, scale.records), seed: 3 }));
      await c.query('begin');
      await insertAllPg(c, plan.partner.id, data);
      await c.query('commit');
    }
    await c.query('vacuum analyze');
  } finally {
    await c.end();
  }
}

/** The database of `scale`, filled unless a complete one is kept (a fill is renamed into place only once complete). */
async function filled(scale: BillingScale): Promise<{ url: string; fillText: string }> {
  const base = `tierbook_bench_billing_${scale.customers}_${scale.records}`;
  const name = `${base}_${fillKey()}`;
  const names = await admin(async (c) => (await c.query<{ datname: string }>('select datname from pg_database where datname like $1', [`${base}_%`])).rows.map((r) => r.datname));
  let fillText = 'kept database';
  if (process.env.BENCH_FRESH === '1' || !names.includes(name)) {
    // older keys and broken fills of this scale only fill the disk
    for (const old of names) await admin((c) => c.query(`drop database if exists "${old}" with (force)`));
    const f0 = nowMs();
    await fill(`${name}_part`, scale);
    await admin((c) => c.query(`alter database "${name}_part" rename to "${name}"`));
    fillText = `database filled in ${fmt((nowMs() - f0) / 1000)} s`;
  }
  return { url: withDatabase(testPgUrl(), name), fillText };
}

interface WorkerAnswer {
  seconds: number;
  concurrentSeconds: number;
  anchorSeconds: number;
  statements: number;
  rows: number;
  peakRssMb: number;
}

/** The anchor: one pass over the period's usage rows in (customer, time) index order, 10,000 rows per fetch. */
async function scan(url: string, partner: string, fromMs: number, toMs: number, period: string): Promise<{ seconds: number; rows: number }> {
  const c = await pgClient(url);
  try {
    const t0 = nowMs();
    let rows = 0;
    let bytes = 0;
    await c.query('begin isolation level repeatable read read only');
    const cursor = async (sql: string, values: unknown[], f: (r: Record<string, unknown>) => number): Promise<void> => {
      await c.query(`declare u no scroll cursor for ${sql}`, values);
      for (;;) {
        const got = (await c.query('fetch 10000 from u')).rows;
        if (got.length === 0) break;
        rows += got.length;
        for (const r of got) bytes += f(r);
      }
      await c.query('close u');
    };
    await cursor('select * from requests where partner = $1 and received_ms >= $2 and received_ms < $3 order by customer, received_ms', [partner, fromMs, toMs], (r) => (r.decision as string).length);
    await cursor('select * from worklogs where partner = $1 and start_ms >= $2 and start_ms < $3 order by customer, start_ms', [partner, fromMs, toMs], (r) => r.minutes as number);
    await cursor('select * from spend where partner = $1 and period = $2 order by customer', [partner, period], (r) => (r.amount as string).length);
    await c.query('commit');
    sink.n += bytes;
    return { seconds: (nowMs() - t0) / 1000, rows };
  } finally {
    await c.end();
  }
}

async function worker(url: string): Promise<WorkerAnswer> {
  const plan = loadContosoPlan();
  const P = periodOf(BENCH_PERIOD, plan.partner.timezone);
  const first = await scan(url, plan.partner.id, P.startMs, P.endMs, BENCH_PERIOD);
  const repo = await openPg(url, { migrate: false, poolSize: DEFAULT_POOL_SIZE });
  const customers = (await repo.listCustomers(plan.partner.id)).map((c) => c.id);
  /** The bill use case over every customer (drafts), `concurrency` at a time; the number of statements. */
  const bill = async (concurrency: number): Promise<number> => {
    let statements = 0;
    await billCustomers(repo, plan, customers, BENCH_PERIOD, false, (o) => {
      if (!('billed' in o)) throw o.error;
      sink.n += o.billed.statement.lines.length + o.billed.body.length;
      statements++;
    }, concurrency);
    return statements;
  };
  const t0 = nowMs();
  const counted = await bill(1);
  const seconds = (nowMs() - t0) / 1000;
  const t1 = nowMs();
  if ((await bill(CONCURRENCY)) !== counted) throw new Error('the concurrent run billed another number of statements');
  const concurrentSeconds = (nowMs() - t1) / 1000;
  await repo.close();
  const again = await scan(url, plan.partner.id, P.startMs, P.endMs, BENCH_PERIOD);
  return { seconds, concurrentSeconds, anchorSeconds: Math.min(first.seconds, again.seconds), statements: counted, rows: first.rows, peakRssMb: peakRssMb() };
}

export async function runBillingPgBench(opts: { scales?: readonly BillingScale[] } = {}): Promise<BenchResult[]> {
  const scales = opts.scales ?? (process.env.BENCH_SCALE === 'small' ? SMALL_SCALES : DEFAULT_SCALES);
  const out: BenchResult[] = [];
  for (const scale of scales) {
    const { url, fillText } = await filled(scale);
    const text = execFileSync(process.execPath, ['--import', 'tsx', SELF, '--worker', url], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const a = JSON.parse(text.trim().split('\n').pop()!) as WorkerAnswer;
    const label = `${scale.customers.toLocaleString('en-US')} customers / ${scale.records.toLocaleString('en-US')} records`;
    console.log(
      `billing-pg ${label}: ${fmt(a.concurrentSeconds)} s for ${a.statements} statements through the bill use case ${CONCURRENCY} at a time ` +
        `(${fmt(a.statements / a.concurrentSeconds)}/s), ${fmt(a.seconds)} s one at a time; scan of ${a.rows.toLocaleString('en-US')} rows ${fmt(a.anchorSeconds)} s; ` +
        `ratio ${fmt(a.concurrentSeconds / a.anchorSeconds)} (${fmt(a.seconds / a.anchorSeconds)} one at a time); peak RSS ${fmt(a.peakRssMb)} MB (${fillText})`,
    );
    const anchor = 'one pg scan of the same rows (cursor, index order)';
    out.push(
      // the headline: what `tierbook bill` does on PostgreSQL
      result(`billing-pg ${label}`, a.concurrentSeconds, 's', anchor, a.anchorSeconds),
      result(`billing-pg ${label} one at a time`, a.seconds, 's', anchor, a.anchorSeconds),
      result(`billing-pg ${label} peak RSS`, a.peakRssMb, 'MB', 'limit', 512),
    );
  }
  const main = out.find((r) => r.name.endsWith(' 1,000,000 records')) ?? out[0]!;
  return [{ ...main, name: 'billing-pg' }, ...out];
}

if (isMain(import.meta.url)) {
  if (process.argv[2] === '--worker') {
    console.log(JSON.stringify(await worker(process.argv[3]!)));
  } else {
    for (const r of await runBillingPgBench()) console.log(line(r));
  }
}
