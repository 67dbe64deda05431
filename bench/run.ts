// `npm run bench`: every benchmark in sequence, a table, and bench/results.json
// (the seven figures by name; the extra figures — scales, p99, RSS,
// rule counts — are printed and written to docs/performance.md by hand).
//   BENCH_SCALE=full npm run bench   billing at 100k, 1M and 3M records
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runApiEvaluateBench } from './api-evaluate.js';
import { runBillingBench } from './billing.js';
import { runBillHistoryBench } from './bill-history.js';
import { runBillingBlocksBench } from './billing-blocks.js';
import { runBillingPricesBench } from './billing-prices.js';
import { runBillingPgBench } from './billing-pg.js';
import { runCheckBench } from './check.js';
import { runDeadlineBench } from './deadline.js';
import { runDeadlineEventsBench } from './deadline-events.js';
import { runEvaluateBench } from './evaluate.js';
import { runIngestBench } from './ingest.js';
import { runIngestPgBench } from './ingest-pg.js';
import { runRenderBench } from './render.js';
import { runImportPcBench } from './import-pc.js';
import type { BenchResult } from './types.js';
import { fmt, nowMs } from './util.js';

const NAMES = ['evaluate', 'deadline', 'deadline-events', 'ingest', 'billing', 'bill-history', 'billing-blocks', 'billing-prices', 'ingest-pg', 'billing-pg', 'api-evaluate', 'check', 'render', 'import-pc'] as const;

/** evaluate.ts names its figures by plan; the first (the contoso plan as written) is the issue's `evaluate`. */
async function evaluateBench(): Promise<BenchResult[]> {
  const rs = await runEvaluateBench();
  return rs.length === 0 ? rs : [{ ...rs[0]!, name: 'evaluate' }, ...rs];
}

const benches: Array<[string, () => Promise<BenchResult[]>]> = [
  ['evaluate', evaluateBench],
  ['deadline', () => runDeadlineBench()],
  ['deadline-events', () => runDeadlineEventsBench()],
  ['ingest', () => runIngestBench()],
  ['billing', () => runBillingBench()],
  // corrections (issue 16): drafts with 12 issued months each against the same drafts before any was issued
  ['bill-history', () => runBillHistoryBench()],
  // prepaid blocks (issue 18): the ledger over 24 months of history against the same customers without blocks
  ['billing-blocks', () => runBillingBlocksBench()],
  // customer prices and grandfathering (issue 17): the same customers with and without their own prices
  ['billing-prices', () => runBillingPricesBench()],
  // PostgreSQL (issue 15): on the test server of TIERBOOK_TEST_PG, else the local one
  ['ingest-pg', () => runIngestPgBench()],
  ['billing-pg', () => runBillingPgBench()],
  ['api-evaluate', () => runApiEvaluateBench()],
  ['check', () => runCheckBench()],
  ['render', () => runRenderBench()],
  ['import-pc', () => runImportPcBench()],
];

const only = process.argv.slice(2);
const all: BenchResult[] = [];
for (const [name, run] of benches) {
  if (only.length > 0 && !only.includes(name)) continue;
  const t0 = nowMs();
  process.stdout.write(`· ${name} …\n`);
  try {
    all.push(...(await run()));
  } catch (err) {
    // one broken benchmark must not hide the others' figures
    console.error(`${name} failed: ${(err as Error)?.stack ?? String(err)}`);
  }
  process.stdout.write(`  (${fmt((nowMs() - t0) / 1000)} s)\n`);
}

const rows = all.map((r) => [r.name, fmt(r.value), r.unit, fmt(r.anchorValue), fmt(r.ratio), r.anchor]);
const head = ['name', 'value', 'unit', 'anchor value', 'ratio', 'anchor'];
const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const show = (r: string[]): string => r.map((c, i) => (i === 1 || i === 3 || i === 4 ? c.padStart(width[i]!) : c.padEnd(width[i]!))).join('  ');
console.log('\n' + show(head) + '\n' + width.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(show(r));

const results = NAMES.map((n) => all.find((r) => r.name === n)).filter((r): r is BenchResult => r !== undefined);
const file = fileURLToPath(new URL('./results.json', import.meta.url));
writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
console.log(`\n${results.length} of ${NAMES.length} figures written to bench/results.json`);
if (results.length < NAMES.length) process.exitCode = 1;
