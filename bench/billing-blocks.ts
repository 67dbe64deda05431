// Benchmark `billing-blocks-engine` (issue 18): the engine's cost of prepaid blocks
// (the figure `billing-blocks` itself is the bill path from the store:
// bench/billing-blocks-store.ts; `npm run bench -- billing-blocks` runs both).
// 10,000 customers on contoso's Standard offering, each with 24 months of
// labour history before the priced month. Measured: priceStatement for every
// customer with a monthly block drawing labour (the input holds the 24 earlier
// months too: the ledger runs from the subscription's start), against the
// same customers on the plan without the block (the input holds the month's
// records only, as the app loads it). Target: ratio ≤ 1.5.
// The store's share (loading the history rows) is H4's app path and is not in
// this figure; docs/performance.md says how the two add up.
//   node --import tsx bench/billing-blocks.ts          10,000 customers
//   BENCH_SCALE=small node --import tsx bench/billing-blocks.ts   1,000
import { priceStatement, priceStatementDetailed } from '../src/billing/statement.js';
import type { BillingInput, PurchaseInput, WorklogInput } from '../src/billing/types.js';
import { loadPlan } from '../src/plans/load.js';
import type { Plan } from '../src/plans/types.js';
import { contosoSource, prng } from './data.js';
import type { BenchResult } from './types.js';
import { runBillingBlocksStoreBench } from './billing-blocks-store.js';
import { cpuMs, fmt, isMain, line, result, sink } from './util.js';

const PERIOD = '2026-11';
const START = '2024-11-01'; // 24 months before the priced one
const LABOUR = '      - { id: labour, model: hourly, amount: 120.00, included: 2h, increment: 15m, afterHoursMultiplier: 1.5 }\n';
const BLOCK =
  '      - { id: prepaid, model: block, unit: hours, size: 10h, amount: 1100.00, renew: monthly, rollover: { periods: 2, max: 5h }, overage: 150.00, draws: [labour], alertAt: "80%" }\n';

export function plans(): { plain: Plan; blocks: Plan } {
  const src = contosoSource();
  if (!src.includes(LABOUR)) throw new Error('plans/contoso.yaml: the standard labour line moved; update bench/billing-blocks.ts');
  const load = (text: string): Plan => {
    const r = loadPlan(text, 'contoso.yaml');
    if (!r.plan) throw new Error(r.findings.map((f) => f.message).join('; '));
    return r.plan;
  };
  return { plain: load(src), blocks: load(src.replace(LABOUR, LABOUR + BLOCK)) };
}

/** Months from START through PERIOD, "YYYY-MM". */
export function months(): string[] {
  const out: string[] = [];
  for (let y = 2024, m = 11; `${y}-${String(m).padStart(2, '0')}` <= PERIOD; m === 12 ? ((y += 1), (m = 1)) : (m += 1)) out.push(`${y}-${String(m).padStart(2, '0')}`);
  return out;
}

/** One customer's labour: about 8 worklogs a month at any hour, 15 to 240 minutes. */
function customer(i: number, all: readonly string[]): { worklogs: WorklogInput[]; purchases: PurchaseInput[] } {
  const r = prng(1000 + i);
  const worklogs: WorklogInput[] = [];
  for (const m of all) {
    const n = 4 + Math.floor(r() * 9);
    for (let k = 0; k < n; k++) {
      const day = 1 + Math.floor(r() * 28);
      const hour = Math.floor(r() * 24);
      const minute = Math.floor(r() * 60);
      worklogs.push({
        id: `w${i}-${m}-${k}`,
        offering: 'standard',
        start: `${m}-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00-05:00`,
        minutes: 15 + Math.floor(r() * 226),
      });
    }
  }
  const purchases = r() < 0.3 ? [{ id: `p${i}`, subscription: `s${i}`, component: 'prepaid', date: `${all[Math.floor(r() * all.length)]}-15` }] : [];
  return { worklogs, purchases };
}

function inputs(n: number, plan: Plan, withHistory: boolean): BillingInput[] {
  const all = months();
  return Array.from({ length: n }, (_, i) => {
    const c = customer(i, all);
    return {
      plan,
      period: PERIOD,
      customer: { id: `c${i}` },
      subscriptions: [{ id: `s${i}`, offering: 'standard', start: START, quantities: [{ metric: 'seats', value: 10 + (i % 40), from: START }] }],
      requests: [],
      worklogs: withHistory ? c.worklogs : c.worklogs.filter((w) => w.start.startsWith(PERIOD)),
      spend: [{ service: 'azure', amount: '1234.56' }],
      ...(withHistory ? { purchases: c.purchases } : {}),
    };
  });
}

/** One pass over every input: CPU seconds of the process (the machine is shared: wall time swings with the others' load). */
function timed(xs: readonly BillingInput[]): number {
  const t0 = cpuMs();
  for (const x of xs) sink.n += priceStatement(x).lines.length;
  return (cpuMs() - t0) / 1000;
}

/** The engine alone (no store): from the start, and resumed from last month's state. */
export async function runBillingBlocksEngineBench(): Promise<BenchResult[]> {
  const n = process.env.BENCH_SCALE === 'small' ? 1_000 : 10_000;
  const { plain, blocks } = plans();
  const withBlocks = inputs(n, blocks, true);
  const without = inputs(n, plain, false);
  const history = withBlocks.reduce((s, x) => s + x.worklogs.length, 0);
  // one warm-up pass each (JIT), then the best of five, the two sides interleaved
  timed(withBlocks.slice(0, 200));
  timed(without.slice(0, 200));
  // resumed: each customer's ledger state at the end of the month before (what a kept state would give), and the month's records only
  const previous = PERIOD === '2026-11' ? '2026-10' : '';
  const resumed = withBlocks.map((x) => ({
    ...x,
    ledgers: priceStatementDetailed({ ...x, period: previous }).ledgers,
    worklogs: x.worklogs.filter((w) => w.start.startsWith(PERIOD)),
    purchases: (x.purchases ?? []).filter((p) => p.date.startsWith(PERIOD)),
  }));
  timed(resumed.slice(0, 200));
  let a = Infinity;
  let b = Infinity;
  let c = Infinity;
  for (let k = 0; k < 5; k++) {
    a = Math.min(a, timed(without));
    b = Math.min(b, timed(withBlocks));
    c = Math.min(c, timed(resumed));
  }
  process.stdout.write(
    `  ${n} customers, ${history} worklogs over 25 months with blocks; CPU s: ${fmt(b)} with blocks from the start, ${fmt(c)} resumed from last month's ledger state, ${fmt(a)} without blocks\n`,
  );
  const customers = n.toLocaleString('en-US');
  return [
    result('billing-blocks-engine', b, `CPU s (${customers} customers with blocks and 24 months of history)`, 'the same customers without blocks (CPU s)', a),
    result('billing-blocks-engine-resumed', c, `CPU s (${customers} customers with blocks, resumed from last month's state)`, 'the same customers without blocks (CPU s)', a),
  ];
}

/** The figure `billing-blocks` (the real bill path from the store, bench/billing-blocks-store.ts), then the engine's share. */
export async function runBillingBlocksBench(): Promise<BenchResult[]> {
  return [...(await runBillingBlocksStoreBench()), ...(await runBillingBlocksEngineBench())];
}

if (isMain(import.meta.url)) {
  for (const r of await runBillingBlocksEngineBench()) console.log(line(r));
}
