// Resumed block ledgers (§10, issue 18). A block ledger runs from the
// subscription's start, so a statement would read years of history; instead
// finalize keeps each block's state at the issued period's end (the engine's
// PricedStatement.ledgers) with a stamp of what it was computed from, and a
// later statement resumes from the latest kept state that is still current
// and reads only the records after it. A state is never trusted: it is kept
// with the finalize's input revision (taken before its read) and is current
// while no input change unseen by that revision reaches its period (the
// store's input_changes: a late worklog into an issued month, a corrected or
// deleted record, a changed subscription make it stale) and its stamp (the
// plan, the subscriptions) matches; then the statement falls back to an older
// state or the full history. A state kept before revisions were has its
// records' stamp recomputed from the store instead (historyStamps). Resumed or
// not, the statement is the same byte for byte; a missing state only costs
// speed.
import type { LedgerState, SubscriptionInput } from '../billing/types.js';
import type { Plan } from '../plans/types.js';
import type { KeptLedgerStates, Repository } from '../store/repository.js';
import { period as periodOf } from '../time/period.js';
import { sha256 } from './ingest.js';
import { hasBlock } from './purchases.js';
import { mayHaveChanged, type SeenAt } from './input-changes.js';

/** How many kept states (newest first) a statement checks before it reads the whole history. */
export const RESUME_TRIES = 2;

/** A kept state a statement resumes from: the period whose end it is at and the engine's states. */
export interface Resume {
  readonly period: string;
  readonly ledgers: readonly LedgerState[];
}

/** The customer's subscriptions with a block, as the engine takes them (the part of a ledger's inputs that is not records). */
const blockSubscriptions = (plan: Plan, subs: readonly SubscriptionInput[]): readonly SubscriptionInput[] => subs.filter((s) => hasBlock(plan.offerings.get(s.offering)));

/** True when one of the subscriptions has a block (only those customers keep or read states). */
export const anyBlock = (plan: Plan, subs: readonly SubscriptionInput[]): boolean => blockSubscriptions(plan, subs).length > 0;

/**
 * A state's stamp: the plan (blocks, timezone), the subscriptions with a block
 * (start, end, quantities, prices) and `records`: the input revision it was
 * computed after (`rev …`), or, for a state kept before revisions were, the
 * store's stamp of the records up to the period's end (Repository.historyStamp).
 */
export function ledgerStamp(plan: Plan, subs: readonly SubscriptionInput[], records: string): string {
  return 'sha256:' + sha256(`${plan.hash}\n${JSON.stringify(blockSubscriptions(plan, subs))}\n${records}`);
}

/** The store's stamp of a customer's records up to `period`'s end. */
export function recordsStamp(repo: Repository, plan: Plan, customer: string, period: string): Promise<string> {
  const P = periodOf(period, plan.partner.timezone);
  return repo.historyStamp(plan.partner.id, customer, P.endMs, P.last);
}

/**
 * The latest kept state before `period` whose stamp matches the store now,
 * or null (none kept, or every one of the RESUME_TRIES newest is stale).
 * `reads`: the customer's kept states and history stamps read once for a
 * whole statement (its draft and corrections: LedgerReads).
 */
export async function resumeFrom(repo: Repository, plan: Plan, customer: string, subs: readonly SubscriptionInput[], period: string, reads?: LedgerReads): Promise<Resume | null> {
  const shared = reads !== undefined && reads.repo === repo && reads.plan === plan && reads.customer === customer ? reads : null;
  const kept = shared ? await shared.kept(period) : await repo.ledgerStates(plan.partner.id, customer, period, RESUME_TRIES);
  for (const k of kept) {
    if (k.inputsRev !== null) {
      if (mayHaveChanged(k, plan.partner.timezone) || k.stamp !== ledgerStamp(plan, subs, revStamp(k.inputsRev))) continue;
    } else {
      const records = shared ? await shared.records(k.period) : await recordsStamp(repo, plan, customer, k.period);
      if (k.stamp !== ledgerStamp(plan, subs, records)) continue;
    }
    return { period: k.period, ledgers: JSON.parse(k.states) as LedgerState[] };
  }
  return null;
}

/** The records part of a state's stamp when it keeps an input revision. */
export const revStamp = (inputsRev: string): string => `rev ${inputsRev}`;

/**
 * One statement's reads of a customer's kept ledger states and history
 * stamps (bench billing-blocks): a draft of P resumes from a state before P
 * and each of its up to 12 corrections from a state before its own period,
 * so read one by one that is 13 reads of the states and 13 history stamps,
 * each folding every record since the subscription's start. The stamps are
 * prefixes of one ordered fold: here the states are read once, and the
 * stamps of all of them once (Repository.historyStamps: one read of the
 * records up to the newest state, each prefix folded in memory).
 *
 * Made for one call (a draft or finalize of one customer and its
 * corrections) and dropped after it: what it read is what the store held at
 * that read, as the one-by-one reads would hold it at theirs. Never kept
 * between calls (a late record must be seen by the next statement).
 */
export class LedgerReads {
  private states: { readonly before: string; readonly asked: number; readonly list: readonly KeptLedgerStates[] } | null = null;
  private stamps: Map<string, string> | null = null;

  /**
   * `corrected`: how many earlier periods the statement's corrections will
   * read (0: only the draft's states are read). `heads`: the customer's
   * issued invoices as the statement read them (Repository.issuedHeadsSince):
   * a state kept with its period's invoice's revision has that invoice's
   * unseen changes, so the states are read alone.
   */
  constructor(
    readonly repo: Repository,
    readonly plan: Plan,
    readonly customer: string,
    private readonly corrected: number,
    private readonly heads: readonly SeenAt[] = [],
  ) {}

  /** The RESUME_TRIES newest kept states before `period`, newest first (as Repository.ledgerStates gives them). */
  async kept(period: string): Promise<readonly KeptLedgerStates[]> {
    const s = this.states;
    if (s !== null && period <= s.before) {
      const before = s.list.filter((k) => k.period < period);
      // the list holds every state between its oldest and s.before: complete when shorter than asked, else enough when it has RESUME_TRIES
      if (s.list.length < s.asked || before.length >= RESUME_TRIES) return before.slice(0, RESUME_TRIES);
    }
    // the draft's tries, and one more for each earlier period its corrections read (most drafts read none: app/corrections.ts)
    const asked = RESUME_TRIES + this.corrected;
    const list = (await this.fromHeads(period, asked)) ?? (await this.repo.ledgerStates(this.plan.partner.id, this.customer, period, asked));
    this.states = { before: period, asked, list };
    this.stamps = null;
    return list.slice(0, RESUME_TRIES);
  }

  /** The states with their unseen changes taken from the heads, or null when one kept with a revision has no invoice of that revision among them (then the store reads them). */
  private async fromHeads(period: string, asked: number): Promise<KeptLedgerStates[] | null> {
    if (this.heads.length === 0) return null;
    const plain = await this.repo.keptStates(this.plan.partner.id, this.customer, period, asked);
    const byPeriod = new Map(this.heads.map((h) => [h.period, h]));
    const out: KeptLedgerStates[] = [];
    for (const k of plain) {
      const h = byPeriod.get(k.period);
      if (k.inputsRev === null) out.push({ ...k, unseenMs: null, unseenPeriod: null }); // checked by its records stamp
      else if (h !== undefined && h.inputsRev === k.inputsRev) out.push({ ...k, unseenMs: h.unseenMs, unseenPeriod: h.unseenPeriod });
      else return null;
    }
    return out;
  }

  /** The store's stamp of the customer's records up to `period`'s end (recordsStamp), for a period of the states read. */
  async records(period: string): Promise<string> {
    const known = this.stamps?.get(period);
    if (known !== undefined) return known;
    // every state read (and `period`), in one read up to the newest of them
    const periods = [...new Set([period, ...(this.states?.list ?? []).map((k) => k.period)])];
    const zone = this.plan.partner.timezone;
    const bounds = periods.map((p) => {
      const P = periodOf(p, zone);
      return { toMs: P.endMs, through: P.last };
    });
    const stamps = await this.repo.historyStamps(this.plan.partner.id, this.customer, bounds);
    this.stamps = new Map(periods.map((p, i) => [p, stamps[i]!]));
    return stamps[0]!;
  }
}

/**
 * Keeps the ledger states a finalized statement ended with. `inputsRev` is the
 * store's input revision taken BEFORE the statement's inputs were read
 * (StatementRead.inputsRev): a record that arrives in between is unseen by it,
 * so the state is stale instead of wrongly current.
 */
export async function keepLedgerStates(repo: Repository, plan: Plan, customer: string, period: string, subs: readonly SubscriptionInput[], inputsRev: string, ledgers: readonly LedgerState[]): Promise<void> {
  if (ledgers.length === 0) return;
  await repo.putLedgerStates(plan.partner.id, customer, { period, stamp: ledgerStamp(plan, subs, revStamp(inputsRev)), states: JSON.stringify(ledgers), inputsRev });
}
