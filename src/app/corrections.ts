// Corrections (§9.6): when a customer's period P is priced, each earlier
// period Q (up to 12 months before P) with a current invoice is priced again
// from the store's current data with the plan version Q was issued under.
// Per offering, what Q's own lines now come to less what its invoice said,
// less the corrections of Q already on issued invoices, is owed (or owed
// back) on P. The core only turns the amounts into lines.
//
// Cost (bench bill-history): an earlier period no change has reached since
// its statement's read (the store's input_changes, kept by triggers on every
// input table: IssuedHead.unseenMs/unseenPeriod) is not read at all. One a
// change may have reached is read and its inputs digest compared with the one
// stored at issue: equal, it has not changed and is not priced again. Those
// reads are made once for the whole window and cut per period
// (correctionsWindow): the requests' lives, the period's data, adjustments.
import type { BillingInput, CorrectionInput } from '../billing/types.js';
import type { Plan } from '../plans/types.js';
import type { IssuedHead, Repository, RequestLives } from '../store/repository.js';
import { period as periodOf, type Period } from '../time/period.js';
import { parseInstant } from '../time/instant.js';
import { CLOCK_LOOKBACK_MS, sharingClocks, type ClockMemo } from './events.js';
import { priceStatement } from '../billing/statement.js';
import { loadPlan } from '../plans/load.js';
import { add, neg, parseDecimal, toFixed, ZERO, type Rat } from '../rational.js';
import { currencyDigits } from '../currency.js';
import { Memo } from '../memo.js';
import { billingInput, inputsDigest, type PeriodRead } from './statements.js';
import { LedgerReads } from './ledger-states.js';
import { mayHaveChanged } from './input-changes.js';

/** How many months back corrections reach. */
export const CORRECTION_MONTHS = 12;

/** The period `months` before `period` (YYYY-MM). */
export function monthsBefore(period: string, months: number): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const n = y * 12 + (m - 1) - months;
  return `${String(Math.floor(n / 12)).padStart(4, '0')}-${String((n % 12) + 1).padStart(2, '0')}`;
}

interface BodyLine {
  readonly offering?: string;
  readonly component?: string;
  readonly corrects?: string;
  readonly amount: string;
}

const linesOf = (body: string): readonly BodyLine[] => (JSON.parse(body) as { lines?: BodyLine[] }).lines ?? [];

const plus = (m: Map<string, Rat>, k: string, amount: string): void => {
  m.set(k, add(m.get(k) ?? ZERO, parseDecimal(amount) ?? ZERO));
};

const less = (m: Map<string, Rat>, k: string, x: Rat): void => {
  m.set(k, add(m.get(k) ?? ZERO, neg(x)));
};

/** Compiled plan versions by hash (a version's text never changes). */
const versions = new Memo<string, Plan | null>(64);

/** The plan an issued period was priced with: the loaded one when its hash matches, else the text stored at finalize; null when unknown (issued before plan versions were kept). */
export async function planVersion(repo: Repository, plan: Plan, hash: string): Promise<Plan | null> {
  if (hash === plan.hash) return plan;
  const key = `${plan.partner.id} ${hash}`;
  const known = versions.get(key);
  if (known !== undefined) return known;
  const text = await repo.getPlanVersion(plan.partner.id, hash);
  const loaded = text === null ? null : loadPlan(text, `plan version ${hash}`).plan;
  versions.set(key, loaded);
  return loaded;
}

/**
 * The corrections period `period` of `customer` carries (§9.6): per earlier
 * issued period and offering, the amount still to bill (negative: to give
 * back), zero amounts left out. `plan` is the plan in force (P's).
 */
export async function correctionsFor(repo: Repository, plan: Plan, customer: string, period: string): Promise<CorrectionInput[]> {
  const { earlier, already } = await toCorrect(repo, plan, customer, period);
  if (earlier.length === 0) return [];
  return owedOn(repo, plan, customer, already, earlier, await correctionsWindow(repo, plan, customer, earlier), new LedgerReads(repo, plan, customer, earlier.length));
}

/** Corrections already issued, per corrected invoice number and offering. */
type Corrected = ReadonlyMap<string, Map<string, Rat>>;

/**
 * The earlier issued periods whose corrections must be worked out for P:
 * those a change their statement had not seen may have reached (or whose
 * revision is not known), and those corrected before (a correction is
 * checked again each month). The rest have the inputs they were issued with,
 * so they owe nothing: they are not read. The invoices come without their
 * bodies (issuedHeadsSince) but those that name "correction", from which the
 * corrections already issued are read.
 */
async function toCorrect(repo: Repository, plan: Plan, customer: string, period: string): Promise<{ issued: IssuedHead[]; earlier: IssuedHead[]; already: Corrected }> {
  const issued = await repo.issuedHeadsSince(plan.partner.id, customer, monthsBefore(period, CORRECTION_MONTHS));
  const already = new Map<string, Map<string, Rat>>();
  for (const r of issued) {
    if (r.body === null || !r.body.includes('"correction"')) continue;
    for (const l of linesOf(r.body)) {
      if (l.component !== 'correction' || !l.corrects) continue;
      const per = already.get(l.corrects) ?? new Map<string, Rat>();
      plus(per, l.offering ?? '', l.amount);
      already.set(l.corrects, per);
    }
  }
  const zone = plan.partner.timezone;
  return { issued, earlier: issued.filter((q) => q.period < period && (already.has(q.number) || mayHaveChanged(q, zone))), already };
}

/** The corrections of the `earlier` issued periods, each period's inputs cut from `window`; a period's own body is read only when it is priced again. */
async function owedOn(
  repo: Repository,
  plan: Plan,
  customer: string,
  already: Corrected,
  earlier: readonly IssuedHead[],
  window: (period: string) => WindowCut,
  ledgers: LedgerReads,
): Promise<CorrectionInput[]> {
  const out: CorrectionInput[] = [];
  for (const q of earlier) {
    const owed = await outstanding(repo, plan, customer, q, already.get(q.number), { ...window(q.period), ledgers });
    out.push(...owed);
  }
  return out;
}

/** What one earlier period's billingInput is given from the window: its requests' lives and its own data, each absent when it must be read apart (and the statement's LedgerReads, shared with the draft). */
interface WindowCut {
  readonly lives?: RequestLives;
  readonly read?: PeriodRead;
  readonly ledgers?: LedgerReads;
}

/** The first and last period of `earlier`, in the partner's zone. */
function windowSpan(plan: Plan, earlier: readonly { readonly period: string }[]): { first: string; last: string; from: Period; to: Period } {
  const first = earlier.reduce((a, q) => (q.period < a ? q.period : a), earlier[0]!.period);
  const last = earlier.reduce((a, q) => (q.period > a ? q.period : a), earlier[0]!.period);
  return { first, last, from: periodOf(first, plan.partner.timezone), to: periodOf(last, plan.partner.timezone) };
}

/**
 * Everything the earlier periods' inputs read, in ONE read of each kind for
 * the whole window (bench bill-history), cut per period in memory exactly as
 * the period's own reads return it (same records, same order):
 * - the requests' lives (windowLives);
 * - periodData: the customer and its subscriptions (the same for every
 *   period), the requests received in [start, end) (from the lives' read,
 *   which spans them), the worklogs started in [start, end) (stored start_ms
 *   is parseInstant(start)), the spend of the period: each read in the
 *   per-period order, so a filter keeps it. A period whose worklogs refer to
 *   a request received outside it (periodData adds those in its own order)
 *   reads its data apart;
 * - the period's adjustments, in order of creation.
 * Block history and kept ledger states stay billingInput's own reads.
 */
export async function correctionsWindow(repo: Repository, plan: Plan, customer: string, earlier: readonly { readonly period: string }[]): Promise<(period: string) => WindowCut> {
  if (earlier.length < 2) return () => ({}); // one period: its own reads are the window
  const { first, last, from, to } = windowSpan(plan, earlier);
  const [all, w] = await Promise.all([
    repo.requestLives(plan.partner.id, customer, from.startMs - CLOCK_LOOKBACK_MS, to.endMs, to.endMs),
    repo.windowData(plan.partner.id, customer, first, last, from.startMs, to.endMs),
  ]);
  const lives = livesCut(plan, all);
  const received = all.requests.map((r) => parseInstant(r.receivedAt));
  const started = w ? w.worklogs.map((x) => parseInstant(x.start)) : [];
  return (period) => {
    if (!w) return { lives: lives(period) };
    const P = periodOf(period, plan.partner.timezone);
    const within = (ms: number): boolean => ms >= P.startMs && ms < P.endMs;
    const requests = all.requests.filter((_, i) => within(received[i]!));
    const worklogs = w.worklogs.filter((_, i) => within(started[i]!));
    const have = new Set(requests.map((r) => r.id));
    if (worklogs.some((x) => x.request !== null && !have.has(x.request))) return { lives: lives(period) };
    const data = { customer: w.customer, subscriptions: w.subscriptions, requests, worklogs, spend: w.spend.filter((s) => s.period === period) };
    return { lives: lives(period), read: { data, adjustments: w.adjustments.filter((a) => a.period === period) } };
  };
}

/**
 * The requests' lives of every earlier period in ONE read (bench
 * bill-history): each period's own read reaches a year back, so 12 of them
 * read the same requests up to 12 times. The window's read is cut per period
 * with the store's own predicates (requests received in [start − lookback,
 * start), events of requests received in [start − lookback, end); the stored
 * received_ms is parseInstant(receivedAt)), in the store's order, so a
 * period's lives are exactly what its own read returns.
 */
export async function windowLives(repo: Repository, plan: Plan, customer: string, earlier: readonly { readonly period: string }[]): Promise<(period: string) => RequestLives | undefined> {
  if (earlier.length < 2) return () => undefined; // one period: its own read is the window
  const { from, to } = windowSpan(plan, earlier);
  return livesCut(plan, await repo.requestLives(plan.partner.id, customer, from.startMs - CLOCK_LOOKBACK_MS, to.endMs, to.endMs));
}

/** The lives read of a whole window, cut per period (see windowLives). */
function livesCut(plan: Plan, all: RequestLives): (period: string) => RequestLives {
  const zone = plan.partner.timezone;
  const received = all.requests.map((r) => parseInstant(r.receivedAt));
  const receivedOf = new Map(all.requests.map((r, i) => [r.id, received[i]!]));
  const clocks: ClockMemo = new Map(); // an earlier request's clocks, computed once for the window (sharingClocks)
  return (period) => {
    const P = periodOf(period, zone);
    const from = P.startMs - CLOCK_LOOKBACK_MS;
    const inRange = (ms: number | undefined, to: number): boolean => ms !== undefined && ms >= from && ms < to;
    return sharingClocks(
      {
        requests: all.requests.filter((_, i) => inRange(received[i], P.startMs)),
        events: all.events.filter((e) => inRange(receivedOf.get(e.request), P.endMs)),
      },
      clocks,
    );
  };
}

/** A statement's input as read, with the input changes seen before the read (kept with the statement when it is issued; null: a draft's read, none taken). */
export interface StatementRead {
  readonly input: BillingInput;
  readonly inputsRev: string | null;
}

/**
 * The input of a customer's period as a draft or finalize prices it: the
 * period's data, its corrections of earlier periods, and `asOfMs` (the
 * shell's clock) for the PERIOD_NOT_ENDED guard. Null: unknown customer.
 */
export async function statementInput(repo: Repository, plan: Plan, customer: string, period: string, asOfMs?: number): Promise<BillingInput | null> {
  // a draft keeps nothing: no revision to take (one round trip less on PostgreSQL)
  return (await statementRead(repo, plan, customer, period, asOfMs, false))?.input ?? null;
}

/**
 * statementInput with, for a finalize (`revision`), the store's input
 * revision taken before anything is read (kept with the statement:
 * IssueMade.inputsRev). A draft keeps nothing and takes none.
 */
export async function statementRead(repo: Repository, plan: Plan, customer: string, period: string, asOfMs: number | undefined, revision = true): Promise<StatementRead | null> {
  const inputsRev = revision ? await repo.inputsRev(plan.partner.id, customer) : null;
  const { issued, earlier, already } = await toCorrect(repo, plan, customer, period);
  // with earlier issued periods, P's own reads are cut from the corrections window too (P is its last period):
  // the customer, its subscriptions and the year of requests before P are read once, not once for P and once for the window
  const window = earlier.length > 0 ? await correctionsWindow(repo, plan, customer, [...earlier, { period }]) : null;
  // block ledgers: the kept states read once for the draft and its corrections (P first: the newest), their unseen changes from the heads
  const ledgers = new LedgerReads(repo, plan, customer, earlier.length, issued);
  const input = await billingInput(repo, plan, customer, period, { ...(window ? window(period) : {}), ledgers });
  if (!input) return null;
  const corrections = window ? await owedOn(repo, plan, customer, already, earlier, window, ledgers) : [];
  return { input: { ...input, ...(corrections.length > 0 ? { corrections } : {}), ...(asOfMs !== undefined ? { asOfMs } : {}) }, inputsRev };
}

/** What Q still owes per offering: repriced − issued − already corrected. */
async function outstanding(
  repo: Repository,
  plan: Plan,
  customer: string,
  q: IssuedHead,
  corrected: Map<string, Rat> | undefined,
  cut: WindowCut,
): Promise<CorrectionInput[]> {
  // a kept block ledger state is of the plan in force: resumed only when Q is priced with that plan
  const input = await billingInput(repo, plan, customer, q.period, { resume: q.planHash === plan.hash, ...cut });
  if (!input) return [];
  // unchanged since issue and never corrected: nothing to price again
  if (!corrected && inputsDigest(input, q.planHash) === q.inputsDigest) return [];
  const version = await planVersion(repo, plan, q.planHash);
  if (!version) return []; // issued before plan versions were stored: it cannot be priced as issued
  const body = q.body ?? (await repo.issuedByNumber(plan.partner.id, q.number))?.body;
  if (body === undefined) return []; // voided since it was read: no longer a current invoice to correct
  const repriced = priceStatement({ ...input, plan: version } satisfies BillingInput);
  const delta = new Map<string, Rat>();
  for (const l of repriced.lines) plus(delta, l.offering, l.amount);
  // a period's own lines: the corrections it carried for earlier periods are not part of it
  for (const l of linesOf(body)) if (l.component !== 'correction') less(delta, l.offering ?? '', parseDecimal(l.amount) ?? ZERO);
  for (const [o, x] of corrected ?? []) less(delta, o, x);
  const digits = currencyDigits(repriced.currency);
  const out: CorrectionInput[] = [];
  for (const [offering, x] of delta) {
    if (x.n === 0n || offering === '') continue;
    out.push({ offering, corrects: q.number, period: q.period, amount: toFixed(x, digits) });
  }
  return out;
}
