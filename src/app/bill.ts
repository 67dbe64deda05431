// The bill use case: the period's statement of each customer priced from the
// store and, when finalizing, issued (numbered and stored once; a second run
// returns the stored document). Files and progress belong to the CLI.
import type { BillingInput, Statement } from '../billing/types.js';
import type { Plan } from '../plans/types.js';
import type { Repository } from '../store/repository.js';
import { billingInput, draftStatement, inputsDigest } from './statements.js';
import { invoiceMaker } from './documents.js';

export interface Billed {
  readonly statement: Statement;
  /** The document: the draft's JSON, or the issued body as stored. */
  readonly body: string;
  /** The statement number when issued; `created` false when it had been issued before. */
  readonly issued?: { readonly number: string; readonly created: boolean };
}

/** How many customers a run prices at once at most (PostgreSQL). */
export const BILL_CONCURRENCY = 8;

/**
 * The concurrency of a bill run: on PostgreSQL (`poolSize` its connections)
 * up to BILL_CONCURRENCY, never more than the pool; on SQLite (`poolSize`
 * null: one synchronous connection, nothing to overlap) 1.
 */
export function billConcurrency(poolSize: number | null): number {
  return poolSize === null ? 1 : Math.max(1, Math.min(BILL_CONCURRENCY, Math.floor(poolSize)));
}

interface Priced {
  readonly input: BillingInput;
  readonly statement: Statement;
}

/** Reads and prices; throws BillingError when the statement cannot be priced. */
async function price(repo: Repository, plan: Plan, customer: string, period: string): Promise<Priced> {
  const input = await billingInput(repo, plan, customer, period);
  if (!input) throw new Error(`unknown customer "${customer}"`);
  return { input, statement: draftStatement(input) };
}

/** The draft's document, or (finalize) the statement issued: numbered now, or the one issued before. */
async function complete(repo: Repository, plan: Plan, customer: string, period: string, { input, statement }: Priced, finalize: boolean): Promise<Billed> {
  if (!finalize) return { statement, body: JSON.stringify(statement, null, 2) + '\n' };
  const res = await repo.issue(plan.partner.id, customer, period, invoiceMaker(plan, input, statement, inputsDigest(input)));
  return { statement, body: res.record.body, issued: { number: res.record.number, created: res.created } };
}

/** Throws BillingError when the statement cannot be priced; the customer must exist. */
export async function billCustomer(repo: Repository, plan: Plan, customer: string, period: string, finalize: boolean): Promise<Billed> {
  return complete(repo, plan, customer, period, await price(repo, plan, customer, period), finalize);
}

/** One customer's outcome: its statement, or what billing it threw (a BillingError, or anything else). */
export type BillOutcome = { readonly customer: string; readonly billed: Billed } | { readonly customer: string; readonly error: unknown };

/**
 * Bills `customers` in their order. Up to `concurrency` customers are priced
 * at once (reads and pricing only: on PostgreSQL the store's round trips
 * overlap); each is then issued when finalizing and handed to `each` strictly
 * in customer order, one at a time, the next one issued only after `each`
 * has returned. So statement numbers are taken in customer order, without a
 * gap, exactly as one-at-a-time billing takes them, and at most `concurrency`
 * connections are busy (the issue of one and the pricing of the next
 * concurrency − 1). At concurrency 1 it is the plain loop: price, issue,
 * `each`, next customer.
 *
 * When `each` throws, the run stops there: later customers may have been
 * priced (read only) but none is issued or handed over; their reads are
 * awaited, then the error is thrown.
 */
export async function billCustomers(
  repo: Repository,
  plan: Plan,
  customers: readonly string[],
  period: string,
  finalize: boolean,
  each: (outcome: BillOutcome) => void | Promise<void>,
  concurrency = 1,
): Promise<void> {
  const ahead = Math.max(1, Math.floor(concurrency));
  type Settled = { readonly priced: Priced } | { readonly error: unknown };
  // settled, never rejected: a failure is the outcome of its customer, in turn
  const pending = new Map<number, Promise<Settled>>();
  let started = 0;
  const startUpTo = (end: number): void => {
    for (; started < Math.min(end, customers.length); started++) {
      pending.set(started, price(repo, plan, customers[started]!, period).then((priced) => ({ priced }), (error: unknown) => ({ error })));
    }
  };
  try {
    startUpTo(ahead);
    for (let i = 0; i < customers.length; i++) {
      const customer = customers[i]!;
      const s = await pending.get(i)!;
      pending.delete(i);
      let outcome: BillOutcome;
      if ('error' in s) outcome = { customer, error: s.error };
      else {
        try {
          outcome = { customer, billed: await complete(repo, plan, customer, period, s.priced, finalize) };
        } catch (error) {
          outcome = { customer, error };
        }
      }
      await each(outcome);
      startUpTo(i + 1 + ahead);
    }
  } finally {
    await Promise.all(pending.values());
  }
}
