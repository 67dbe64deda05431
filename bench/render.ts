// Benchmark: monthly statements rendered to HTML per second
// (renderStatement, format html: view model, Handlebars, locale formatting,
// inline SVG chart), on statements priced from the seeded data. Anchor, in the
// same run: the same statements rendered as JSON (format json).
//   node --import tsx bench/render.ts
import { toBillingInput } from '../src/app/statements.js';
import { priceStatement } from '../src/billing/statement.js';
import { renderStatement } from '../src/render/index.js';
import type { BilledStatement } from '../src/billing/types.js';
import type { Plan } from '../src/plans/types.js';
import { BENCH_PERIOD, customerData, loadContosoPlan } from './data.js';
import type { BenchResult } from './types.js';
import { isMain, line, rate, result, sink } from './util.js';

/** Statements of `n` customers with `records` usage records each. */
export function sampleStatements(plan: Plan, n: number, records: number): { statement: BilledStatement; locale: string | null }[] {
  return Array.from({ length: n }, (_, i) => {
    const d = customerData(i, { plan, records, seed: 17 });
    const input = toBillingInput(plan, BENCH_PERIOD, {
      customer: d.customer.record,
      subscriptions: d.subscriptions.map((h) => h.record),
      requests: d.requests.map((h) => h.record),
      worklogs: d.worklogs.map((h) => h.record),
      spend: d.spend.map((h) => h.record),
    });
    return { statement: priceStatement(input), locale: d.customer.record.locale };
  });
}

export async function runRenderBench(opts: { seconds?: number } = {}): Promise<BenchResult[]> {
  const ms = (opts.seconds ?? 2) * 1000;
  const plan = loadContosoPlan();
  const docs = sampleStatements(plan, 100, 30);
  const render = (format: 'html' | 'json') => (): number => {
    for (const d of docs) sink.n += renderStatement(d.statement, { plan, format, ...(d.locale ? { locale: d.locale } : {}) }).body.length;
    return docs.length;
  };
  rate(render('html'), 300); // warm up: templates compiled, formatters built
  const value = rate(render('html'), ms);
  rate(render('json'), 100);
  const anchorValue = rate(render('json'), ms);
  return [result('render', value, 'statements/s', 'the same statements as JSON (renderStatement format json)', anchorValue)];
}

if (isMain(import.meta.url)) {
  // BENCH_SECONDS sets the CPU seconds measured per case (default 2).
  const seconds = Number(process.env.BENCH_SECONDS) || undefined;
  for (const r of await runRenderBench(seconds ? { seconds } : {})) console.log(line(r));
}
