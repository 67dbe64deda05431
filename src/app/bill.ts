// The bill use case: the period's statement of each customer priced from the
// store and, when finalizing, issued (numbered and stored once; a second run
// returns the stored document). Files and progress belong to the CLI.
import type { BilledStatement, BillingInput, LedgerState, Statement } from '../billing/types.js';
import type { Plan } from '../plans/types.js';
import type { CustomerRecord, Repository } from '../store/repository.js';
import type { IssuedFormat } from '../render/issued.js';
import type { STATEMENT_FORMATS } from '../wire/params.js';
import { draftOf, finalizeGuard, inputsDigest, issuable, keepPlanVersion } from './statements.js';
import { statementRead } from './corrections.js';
import { documentWithStatus, invoiceMaker } from './documents.js';
import { anyBlock, keepLedgerStates } from './ledger-states.js';

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
  /** The store's input revision before the read (kept with the statement: app/corrections.ts); null for a draft. */
  readonly inputsRev: string | null;
  readonly billed: BilledStatement;
  readonly statement: Statement;
  /** Block ledgers at the period's end (finalize keeps them with inputsRev). */
  readonly ledgers: readonly LedgerState[];
}

/** The month-end options of a run: the shell's clock (PERIOD_NOT_ENDED) and `force` (issue despite SPEND_MISSING), §9.4. */
export interface BillOptions {
  /** Epoch ms now; absent: the period's end is not checked (the caller lends its clock). */
  readonly nowMs?: number;
  readonly force?: boolean;
}

/** Reads and prices (with the corrections of earlier periods, §9.6); throws BillingError when the statement cannot be priced. */
async function price(repo: Repository, plan: Plan, customer: string, period: string, opts: BillOptions, finalize: boolean): Promise<Priced> {
  const read = await statementRead(repo, plan, customer, period, opts.nowMs, finalize);
  if (!read) throw new Error(`unknown customer "${customer}"`);
  return { input: read.input, inputsRev: read.inputsRev, ...draftOf(read.input) };
}

/**
 * The draft's document, or (finalize) the statement issued: numbered now, or
 * the one issued before. A finalize the guards refuse (§9.4) throws
 * PERIOD_NOT_ENDED or SPEND_MISSING and issues nothing.
 */
async function complete(repo: Repository, plan: Plan, customer: string, period: string, { input, inputsRev, billed, statement, ledgers }: Priced, finalize: boolean, opts: BillOptions): Promise<Billed> {
  if (!finalize) return { statement, body: JSON.stringify(statement, null, 2) + '\n' };
  const existing = await repo.getIssued(plan.partner.id, customer, period);
  if (existing) return { statement, body: existing.body, issued: { number: existing.number, created: false } };
  finalizeGuard(plan, billed, opts.force === true);
  await keepPlanVersion(repo, plan);
  const doc = issuable(statement);
  const res = await repo.issue(plan.partner.id, customer, period, invoiceMaker(plan, input, doc, inputsDigest(input), inputsRev));
  // after the issue's transaction, with the revision taken before the read (app/ledger-states.ts): a state not kept only costs a later statement its speed
  if (res.created && inputsRev !== null && anyBlock(plan, input.subscriptions)) await keepLedgerStates(repo, plan, customer, period, input.subscriptions, inputsRev, ledgers);
  return { statement: doc, body: res.record.body, issued: { number: res.record.number, created: res.created } };
}

/** Throws BillingError when the statement cannot be priced, PERIOD_NOT_ENDED or SPEND_MISSING when finalize is refused; the customer must exist. */
export async function billCustomer(repo: Repository, plan: Plan, customer: string, period: string, finalize: boolean, opts: BillOptions = {}): Promise<Billed> {
  return complete(repo, plan, customer, period, await price(repo, plan, customer, period, opts, finalize), finalize, opts);
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
  opts: BillOptions = {},
): Promise<void> {
  const ahead = Math.max(1, Math.floor(concurrency));
  type Settled = { readonly priced: Priced } | { readonly error: unknown };
  // settled, never rejected: a failure is the outcome of its customer, in turn
  const pending = new Map<number, Promise<Settled>>();
  let started = 0;
  const startUpTo = (end: number): void => {
    for (; started < Math.min(end, customers.length); started++) {
      pending.set(started, price(repo, plan, customers[started]!, period, opts, finalize).then((priced) => ({ priced }), (error: unknown) => ({ error })));
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
          outcome = { customer, billed: await complete(repo, plan, customer, period, s.priced, finalize, opts) };
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

/** The formats `bill --out` writes a customer's document in (`<customer>-<period>.<format>`): those of the statement routes. */
export type DocumentFormat = (typeof STATEMENT_FORMATS)[number];

/** One customer's documents, ready to be written: file name and content, in the order of `formats`. */
export interface BilledFile {
  readonly name: string;
  readonly body: string;
}

/**
 * A billed customer's documents in `formats`, as the API serves them: a draft
 * as GET /statements/:customer/:period renders it; an issued statement as
 * GET /documents/:number does (rendered from its stored JSON with its status
 * stamp; its JSON byte for byte as issued). The locale is `locale` when given,
 * else the customer's, else the partner's. A draft's JSON without `locale` is
 * the draft as priced (what `bill --out` always wrote).
 */
export async function billedFiles(
  repo: Repository,
  plan: Plan,
  customer: CustomerRecord,
  period: string,
  billed: Billed,
  formats: readonly DocumentFormat[],
  locale?: string,
): Promise<BilledFile[]> {
  const render = await import('../render/index.js'); // Handlebars and the templates: loaded when a run writes documents
  const status = billed.issued ? (await documentWithStatus(repo, plan.partner.id, billed.issued.number)).summary.status : null;
  const ref = { id: customer.id, ...(customer.name ? { name: customer.name } : {}), ...(customer.locale ? { locale: customer.locale } : {}) };
  const bodyOf = (format: DocumentFormat): string => {
    if (format === 'json' && (status !== null || locale === undefined)) return billed.body;
    if (status !== null) {
      return render.renderIssued(billed.body, { plan, format: format as IssuedFormat, status, customer: ref, ...(locale ? { locale } : {}), ...(customer.locale ? { customerLocale: customer.locale } : {}) }).body;
    }
    return render.renderStatement(billed.statement, { plan, format, customer: ref, ...(locale ? { locale } : {}) }).body;
  };
  return formats.map((format) => ({ name: `${customer.id}-${period}.${format}`, body: bodyOf(format) }));
}
