// Resumed block ledgers (§10, issue 18). A block ledger runs from the
// subscription's start, so a statement would read years of history; instead
// finalize keeps each block's state at the issued period's end (the engine's
// PricedStatement.ledgers) with a stamp of what it was computed from, and a
// later statement resumes from the latest kept state whose stamp still matches
// and reads only the records after it. A state is never trusted: its stamp is
// recomputed from the store each time (a late worklog into an issued month, a
// corrected or deleted record, another plan or a changed subscription make it
// stale, and the statement falls back to an older state or the full history).
// Resumed or not, the statement is the same byte for byte; a missing state only
// costs speed.
import type { LedgerState, SubscriptionInput } from '../billing/types.js';
import type { Plan } from '../plans/types.js';
import type { Repository } from '../store/repository.js';
import { period as periodOf } from '../time/period.js';
import { sha256 } from './ingest.js';
import { hasBlock } from './purchases.js';

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
 * (start, end, quantities, prices) and the store's stamp of the records up to
 * the period's end (Repository.historyStamp).
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
 */
export async function resumeFrom(repo: Repository, plan: Plan, customer: string, subs: readonly SubscriptionInput[], period: string): Promise<Resume | null> {
  const kept = await repo.ledgerStates(plan.partner.id, customer, period, RESUME_TRIES);
  for (const k of kept) {
    if (k.stamp !== ledgerStamp(plan, subs, await recordsStamp(repo, plan, customer, k.period))) continue;
    return { period: k.period, ledgers: JSON.parse(k.states) as LedgerState[] };
  }
  return null;
}

/**
 * Keeps the ledger states a finalized statement ended with. `records` is the
 * store's stamp taken BEFORE the statement's inputs were read: a record that
 * arrives in between then makes the state stale instead of wrongly current.
 */
export async function keepLedgerStates(repo: Repository, plan: Plan, customer: string, period: string, subs: readonly SubscriptionInput[], records: string, ledgers: readonly LedgerState[]): Promise<void> {
  if (ledgers.length === 0) return;
  await repo.putLedgerStates(plan.partner.id, customer, { period, stamp: ledgerStamp(plan, subs, records), states: JSON.stringify(ledgers) });
}
