// Benchmark `billing-prices` (issue 17): the engine's cost of customer prices
// and grandfathering. 10,000 customers on contoso's Standard offering (base
// with a price change, seats, labour, Azure share), each with the month's
// worklogs and spend. Measured: priceStatement for every customer with its own
// prices on all four components and a priceAsOf, against the same customers
// priced from the plan. Target: ratio ≤ 1.2 (an override is checked and
// applied per version and statement, never per day or worklog).
//   node --import tsx bench/billing-prices.ts                       10,000 customers
//   BENCH_SCALE=small node --import tsx bench/billing-prices.ts     1,000
import { priceStatement } from '../src/billing/statement.js';
import type { BillingInput, SubscriptionInput } from '../src/billing/types.js';
import { loadContosoPlan, prng } from './data.js';
import type { BenchResult } from './types.js';
import { cpuMs, fmt, isMain, line, result, sink } from './util.js';

const PERIOD = '2026-11';
const OWN: Pick<SubscriptionInput, 'prices' | 'priceAsOf'> = {
  priceAsOf: '2026-06-01',
  prices: { base: { amount: '230.00' }, seats: { amount: '3.75' }, labour: { amount: '110.00' }, azure: { rate: '7%', minimum: '80.00' } },
};

function inputs(n: number, own: boolean): BillingInput[] {
  const plan = loadContosoPlan();
  return Array.from({ length: n }, (_, i) => {
    const r = prng(7000 + i);
    const worklogs = Array.from({ length: 4 + Math.floor(r() * 9) }, (_, k) => ({
      id: `w${i}-${k}`,
      offering: 'standard',
      start: `${PERIOD}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}T${String(Math.floor(r() * 24)).padStart(2, '0')}:15:00-05:00`,
      minutes: 15 + Math.floor(r() * 226),
    }));
    return {
      plan,
      period: PERIOD,
      customer: { id: `c${i}` },
      subscriptions: [{ id: `s${i}`, offering: 'standard', start: '2026-01-01', quantities: [{ metric: 'seats', value: 10 + (i % 40), from: '2026-01-01' }], ...(own ? OWN : {}) }],
      requests: [],
      worklogs,
      spend: [{ service: 'azure', amount: '1234.56' }],
    };
  });
}

/** One pass over every input: CPU seconds of the process (the machine is shared: wall time swings with the others' load). */
function timed(xs: readonly BillingInput[]): number {
  const t0 = cpuMs();
  for (const x of xs) sink.n += priceStatement(x).lines.length;
  return (cpuMs() - t0) / 1000;
}

export async function runBillingPricesBench(): Promise<BenchResult[]> {
  const n = process.env.BENCH_SCALE === 'small' ? 1_000 : 10_000;
  const own = inputs(n, true);
  const plain = inputs(n, false);
  // one warm-up pass each (JIT), then the best of five, the two sides interleaved
  timed(own.slice(0, 200));
  timed(plain.slice(0, 200));
  let a = Infinity;
  let b = Infinity;
  for (let k = 0; k < 5; k++) {
    a = Math.min(a, timed(plain));
    b = Math.min(b, timed(own));
  }
  process.stdout.write(`  ${n} customers; ${fmt(b)} s with customer prices and priceAsOf, ${fmt(a)} s from the plan\n`);
  return [result('billing-prices', b, `s (${n.toLocaleString('en-US')} customers with their own prices)`, 'the same customers priced from the plan (s)', a)];
}

if (isMain(import.meta.url)) {
  for (const r of await runBillingPricesBench()) console.log(line(r));
}
