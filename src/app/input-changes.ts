// Whether a customer's input changes that a statement (or a kept ledger state)
// had not seen reach its period (store input_changes, read with it: the
// earliest unseen instant and period). Conservative as the store's notes are:
// false means the period's inputs are exactly those it was computed from.
import { period as periodOf } from '../time/period.js';

/** What the store reads back with an issued statement or a kept ledger state (Repository.issuedHeadsSince, ledgerStates). */
export interface SeenAt {
  readonly period: string;
  /** null: computed before revisions were kept, so not known. */
  readonly inputsRev: string | null;
  readonly unseenMs: number | null;
  readonly unseenPeriod: string | null;
}

/** True when an unseen change reaches `x.period` (in the partner's zone), or when that is not known. */
export function mayHaveChanged(x: SeenAt, zone: string): boolean {
  if (x.inputsRev === null) return true;
  if (x.unseenPeriod !== null && x.unseenPeriod <= x.period) return true;
  return x.unseenMs !== null && x.unseenMs < periodOf(x.period, zone).endMs;
}
