// Statements from the store: the same pure priceStatement as quotes, fed
// with what the store holds for one customer and period.
import type { AdjustmentInput, BilledStatement, BillingInput, LedgerState, Statement } from '../billing/types.js';
import { ERR } from '../errors.js';
import { planSource } from '../plans/load.js';
import { period as periodOf, type Period } from '../time/period.js';
import { priceStatementDetailed } from '../billing/statement.js';
import { describeStatement } from '../render/lines.js';
import type { Plan } from '../plans/types.js';
import type { AdjustmentRecord, CustomerHistory, CustomerPeriodData, PurchaseRecord, Repository, RequestLives } from '../store/repository.js';
import { nextPeriodId } from '../billing/ledger.js';
import { anyBlock, resumeFrom, type LedgerReads, type Resume } from './ledger-states.js';
import { blockHistory, purchaseInput, withHistory } from './purchases.js';
import { CLOCK_LOOKBACK_MS, requestInputOf, withLives } from './events.js';
import { sha256 } from './ingest.js';
import { pricedSpend } from '../partner-center/precedence.js';

/**
 * The billing input of a customer's period, or null when the customer is
 * unknown. `resume: false`: block ledgers from the subscription's start, not
 * from a kept state (for an input priced with another plan than `plan`).
 */
export async function billingInput(
  repo: Repository,
  plan: Plan,
  customer: string,
  period: string,
  opts: { readonly resume?: boolean; readonly lives?: RequestLives; readonly read?: PeriodRead; readonly ledgers?: LedgerReads } = {},
): Promise<BillingInput | null> {
  const P = periodOf(period, plan.partner.timezone);
  // `read`: the period's data and adjustments already read, e.g. cut from one read of a corrections window (app/corrections.ts)
  const data = opts.read ? opts.read.data : await repo.periodData(plan.partner.id, customer, period, P.startMs, P.endMs);
  if (!data) return null;
  // prepaid blocks: the ledger runs from the subscription's start (one more read, only for customers with a block),
  // or resumes from the latest kept state that is still current and reads only the records after it (app/ledger-states.ts)
  // (`ledgers`: the kept states and history stamps read once for a draft and its corrections: LedgerReads)
  const resume = opts.resume !== false ? await resumable(repo, plan, data, period, opts.ledgers) : null;
  const history = resume ? await historyAfter(repo, plan, customer, resume.period, P) : await blockHistory(repo, plan, data, P);
  // SLA clocks (§11.4): the requests' events, and earlier requests whose clocks belong to this period (app/events.ts)
  // the period's requests came with periodData: only the year before is read again, with the events of both
  // (`lives`: that read already made, e.g. cut from one read of a corrections window: app/corrections.ts)
  const lives = opts.lives ?? (await repo.requestLives(plan.partner.id, customer, P.startMs - CLOCK_LOOKBACK_MS, P.startMs, P.endMs));
  const read = withLives(toBillingInput(plan, period, history ? withHistory(data, history) : data, history?.purchases), lives);
  const input = resume ? { ...read, ledgers: resume.ledgers } : read;
  const adjustments = opts.read ? opts.read.adjustments : await repo.listAdjustments(plan.partner.id, customer, period);
  return adjustments.length === 0 ? input : { ...input, adjustments: adjustments.map(adjustmentInput) };
}

/** What periodData and listAdjustments return for one period, read beforehand. */
export interface PeriodRead {
  readonly data: CustomerPeriodData;
  readonly adjustments: readonly AdjustmentRecord[];
}

/** A kept ledger state to resume from, when the customer has a block (the subscriptions as the engine takes them are part of its stamp). */
async function resumable(repo: Repository, plan: Plan, data: CustomerPeriodData, period: string, reads?: LedgerReads): Promise<Resume | null> {
  const subs = toBillingInput(plan, period, { ...data, requests: [], worklogs: [], spend: [] }).subscriptions;
  return anyBlock(plan, subs) ? resumeFrom(repo, plan, data.customer.id, subs, period, reads) : null;
}

/** The block history after a kept state's period `after` and before P (purchases through P's last day, after that period). */
async function historyAfter(repo: Repository, plan: Plan, customer: string, after: string, P: Period): Promise<CustomerHistory> {
  const h = await repo.history(plan.partner.id, customer, periodOf(nextPeriodId(after), plan.partner.timezone).startMs, P.startMs, P.last);
  return { ...h, purchases: h.purchases.filter((p) => p.date.slice(0, 7) > after) };
}

/** An adjustment as the engine reads it (§9.1): absent fields left out, so the inputs digest stays stable. */
export function adjustmentInput(a: AdjustmentRecord): AdjustmentInput {
  return { id: a.id, description: a.description, amount: a.amount, ...(a.offering ? { offering: a.offering } : {}), ...(a.taxable ? {} : { taxable: false }) };
}

export function toBillingInput(plan: Plan, period: string, d: CustomerPeriodData, purchases?: readonly PurchaseRecord[]): BillingInput {
  return {
    plan,
    period,
    customer: { id: d.customer.id, name: d.customer.name, ...(d.customer.locale ? { locale: d.customer.locale } : {}), taxRate: d.customer.taxRate, ...(d.customer.taxId ? { taxId: d.customer.taxId } : {}) },
    // customer prices and grandfathering (§8.2, §8.3) are priced by the engine: absent when none, so old inputs digest as before
    subscriptions: d.subscriptions.map((s) => ({ id: s.id, offering: s.offering, start: s.start, end: s.end, discount: s.discount, quantities: s.quantities, ...(s.prices ? { prices: s.prices } : {}), ...(s.priceAsOf ? { priceAsOf: s.priceAsOf } : {}) })),
    requests: d.requests.map(requestInputOf),
    // component and billable (§8.6) only when said, so old inputs digest as before
    worklogs: d.worklogs.map((w) => ({
      id: w.id,
      ...(w.request ? { request: w.request } : {}),
      ...(w.offering ? { offering: w.offering } : {}),
      start: w.start,
      minutes: w.minutes,
      ...(w.component ? { component: w.component } : {}),
      ...(w.billable === false ? { billable: false } : {}),
    })),
    // §12.2: billed Partner Center records over unbilled, invoice file over daily file of one invoice
    spend: pricedSpend(d.spend).map((s) => ({ id: s.id, service: s.service, amount: s.amount, ...(s.retail ? { retail: s.retail } : {}), period: s.period })),
    ...(purchases && purchases.length > 0 ? { purchases: purchases.map(purchaseInput) } : {}),
  };
}

/**
 * What a statement was priced from, for the issued record: the inputs with
 * the plan by hash. Corrections (they follow from other periods) and the
 * instant priced at are not the period's data: left out, so a period's
 * digest can be compared later with the same data read again (§9.6).
 */
export function inputsDigest(input: BillingInput, planHash: string = input.plan.hash): string {
  const { corrections: _c, asOfMs: _a, plan: _p, ...own } = input;
  // plain JSON, not canonical: every stored input is built by toBillingInput in one key order, and
  // corrections digest up to 12 earlier periods per statement (canonical sorting cost ~4× the hash)
  return 'sha256:' + sha256(planHash + '\n' + JSON.stringify(own));
}

/** Plan versions this process has stored, per store: one write per plan and store, not per statement. */
const keptVersions = new WeakMap<Repository, Set<string>>();

/**
 * Stores the plan's text under its hash before a statement priced with it is
 * issued (§9.5), unless stored already. A plan built without a file (tests)
 * has no text to keep.
 */
export async function keepPlanVersion(repo: Repository, plan: Plan): Promise<void> {
  const source = planSource(plan);
  if (source === undefined || plan.hash === '') return;
  const kept = keptVersions.get(repo) ?? new Set<string>();
  const key = `${plan.partner.id} ${plan.hash}`;
  if (kept.has(key)) return;
  await repo.putPlanVersion(plan.partner.id, plan.hash, source);
  kept.add(key);
  keptVersions.set(repo, kept);
}

/** Codes that stop a finalize (§9.4): they are draft warnings, never on an issued document. */
export const GUARD_CODES: ReadonlySet<string> = new Set(['PERIOD_NOT_ENDED', 'SPEND_MISSING']);

/**
 * Refuses a finalize (§9.4) with the first guard the draft carries:
 * PERIOD_NOT_ENDED always, SPEND_MISSING unless forced.
 */
export function finalizeGuard(plan: Plan, statement: BilledStatement, force: boolean): void {
  for (const w of statement.warnings ?? []) {
    if (w.code === 'PERIOD_NOT_ENDED') {
      const P = periodOf(w.period, plan.partner.timezone);
      throw ERR.PERIOD_NOT_ENDED({ period: w.period, timezone: plan.partner.timezone, end: `${P.last} 24:00` });
    }
    if (w.code === 'SPEND_MISSING' && !force) {
      throw ERR.SPEND_MISSING({ services: w.services.join(', '), customer: statement.customer, period: statement.period, offering: w.offering, component: w.component });
    }
  }
}

/** Warnings for the admin before finalizing, never on an issued document: the guards, a prepaid block running low (§10), a stored customer price the plan no longer fits (§8.2). */
const DRAFT_ONLY: ReadonlySet<string> = new Set([...GUARD_CODES, 'BLOCK_LOW', 'PRICE_OVERRIDE_UNKNOWN']);

/** The statement as issued: without the draft's guard warnings (a forced SPEND_MISSING, §9.4) and BLOCK_LOW (§10). */
export function issuable(statement: Statement): Statement {
  if (!statement.warnings?.some((w) => DRAFT_ONLY.has(w.code))) return statement;
  const warnings = statement.warnings.filter((w) => !DRAFT_ONLY.has(w.code));
  const { warnings: _w, ...rest } = statement;
  // the key keeps its place when warnings remain
  return warnings.length > 0 ? { ...statement, warnings } : (rest as Statement);
}

/** The statement document of a customer's period: priced, its lines described in the customer's (else the partner's) locale. */
export function draftStatement(input: BillingInput): Statement {
  return draftOf(input).statement;
}

/** The draft both ways: as billed (warnings as facts, for the finalize guards) and as the document. */
export function draftOf(input: BillingInput): { billed: BilledStatement; statement: Statement; ledgers: readonly LedgerState[] } {
  // the block ledgers at the period's end too: finalize keeps them (app/ledger-states.ts)
  const { statement: billed, ledgers } = priceStatementDetailed(input);
  return { billed, statement: describeStatement(billed, input.plan, { customerLocale: input.customer.locale }), ledgers };
}

/** The issued document: the statement with its number; stored and served byte for byte. */
export function issuedBody(statement: Statement, number: string, issuedAt: string): string {
  return JSON.stringify({ number, issuedAt, ...statement }, null, 2) + '\n';
}
