// Benchmark bill-history (issue 16, §9.6): drafts of every customer for a
// month, as `bill` prices them (statementInput: the period's data plus the
// corrections of up to 12 earlier issued periods, then the draft), on a store
// where each customer has 12 issued months, against the same use case on the
// same store before any month was issued (nothing to correct). Target: ≤ 2.
// The issued months' data is unchanged since issue, the ordinary case: each
// earlier period is read and its inputs digest compared, none is priced again.
//   node --import tsx bench/bill-history.ts                10,000 customers, 10 usage records a month
//   BENCH_SCALE=small node --import tsx bench/bill-history.ts  1,000 customers
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statementInput } from '../src/app/corrections.js';
import { billingInput, draftOf, inputsDigest, issuable, keepPlanVersion } from '../src/app/statements.js';
import { invoiceMaker } from '../src/app/documents.js';
import { monthsBefore } from '../src/app/corrections.js';
import { applyMigrations, openDatabase, openSqlite } from '../src/store/sqlite.js';
import type { Repository } from '../src/store/repository.js';
import type { Plan } from '../src/plans/types.js';
import { customerData, customerId, loadContosoPlan, type CustomerData } from './data.js';
import { rawWriter } from './sql.js';
import type { BenchResult } from './types.js';
import { fmt, isMain, line, nowMs, result, sink } from './util.js';

const PERIOD = '2027-01';
const HISTORY = Array.from({ length: 12 }, (_, k) => monthsBefore(PERIOD, 12 - k)); // 2026-01 … 2026-12

/** Record ids made unique per month (the generator numbers them within one period). */
function inMonth(d: CustomerData, period: string): CustomerData {
  const tag = (id: string): string => `${id}-${period}`;
  return {
    ...d,
    requests: d.requests.map((h) => ({ ...h, record: { ...h.record, id: tag(h.record.id) } })),
    worklogs: d.worklogs.map((h) => ({ ...h, record: { ...h.record, id: tag(h.record.id), request: h.record.request ? tag(h.record.request) : null } })),
    spend: d.spend.map((h) => ({ ...h, record: { ...h.record, id: tag(h.record.id) } })),
  };
}

function fill(file: string, plan: Plan, customers: number, perMonth: number): void {
  const db = openDatabase(file);
  try {
    applyMigrations(db);
    const w = rawWriter(db, plan.partner.id);
    for (let i0 = 0; i0 < customers; i0 += 200) {
      db.transaction(() => {
        for (let i = i0; i < Math.min(customers, i0 + 200); i++) {
          // customer and subscriptions from the first month (they start by 2026-01 at the latest), usage in every month
          const first = customerData(i, { plan, records: perMonth, seed: 5, period: HISTORY[0] });
          w.customer(first.customer);
          first.subscriptions.forEach(w.subscription);
          for (const period of [...HISTORY, PERIOD]) {
            const d = inMonth(customerData(i, { plan, records: perMonth, seed: 5, period }), period);
            d.requests.forEach(w.request);
            d.worklogs.forEach(w.worklog);
            d.spend.forEach(w.spend);
          }
        }
      })();
    }
  } finally {
    db.close();
  }
}

/** What `bill` does per customer before issuing: the input with corrections, the draft. */
async function draftAll(repo: Repository, plan: Plan, customers: number): Promise<number> {
  const t0 = nowMs();
  for (let i = 0; i < customers; i++) {
    const input = await statementInput(repo, plan, customerId(i), PERIOD);
    if (input) sink.n += draftOf(input).statement.lines.length;
  }
  return (nowMs() - t0) / 1000;
}

/** Issues the 12 earlier months of every customer, as finalize would (not timed). */
async function issueHistory(repo: Repository, plan: Plan, customers: number): Promise<void> {
  await keepPlanVersion(repo, plan);
  for (let i = 0; i < customers; i++) {
    for (const period of HISTORY) {
      const input = await billingInput(repo, plan, customerId(i), period);
      if (!input) continue;
      const doc = issuable(draftOf(input).statement);
      await repo.issue(plan.partner.id, customerId(i), period, invoiceMaker(plan, input, doc, inputsDigest(input)));
    }
  }
}

export async function runBillHistoryBench(): Promise<BenchResult[]> {
  const customers = Number(process.env.BENCH_CUSTOMERS) || (process.env.BENCH_SCALE === 'small' ? 1_000 : 10_000);
  const perMonth = 10;
  const plan = loadContosoPlan();
  const dir = mkdtempSync(join(tmpdir(), 'tierbook-bill-history-'));
  try {
    const file = join(dir, 'store.db');
    const f0 = nowMs();
    fill(file, plan, customers, perMonth);
    const repo = await openSqlite(file, { migrate: false });
    try {
      const filled = (nowMs() - f0) / 1000;
      const without = await draftAll(repo, plan, customers);
      const i0 = nowMs();
      await issueHistory(repo, plan, customers);
      const issued = (nowMs() - i0) / 1000;
      const withHistory = await draftAll(repo, plan, customers);
      const label = `${customers.toLocaleString('en-US')} customers, 12 issued months each`;
      console.log(
        `bill-history ${label}: ${fmt(withHistory)} s; without history ${fmt(without)} s; ratio ${fmt(withHistory / without)} (target ≤ 2); ` +
          `fill ${fmt(filled)} s, issuing ${customers * HISTORY.length} months ${fmt(issued)} s (not timed)`,
      );
      const r = result(`bill-history ${label}`, withHistory, 's', 'the same drafts before any month was issued', without);
      return [{ ...r, name: 'bill-history' }, r];
    } finally {
      await repo.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  for (const r of await runBillHistoryBench()) console.log(line(r));
}
