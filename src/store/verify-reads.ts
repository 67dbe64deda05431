// What `tierbook verify` reads of the store beyond records: issued statements
// by number and when each input record was stored. Both are Repository
// methods now (issuedByNumber, listIssued, inputStamps); these keep the
// use case's call shape.
import type { BillingInput } from '../billing/types.js';
import type { InputStamps, IssuedStatementRecord, Repository } from './repository.js';

/** Issued statements by number, or all of a partner (by number). */
export async function issuedRecords(repo: Repository, partner: string, number: string | null): Promise<IssuedStatementRecord[]> {
  if (number === null) return repo.listIssued(partner);
  const one = await repo.issuedByNumber(partner, number);
  return one ? [one] : [];
}

export type Stamps = InputStamps;

const ids = (xs: readonly { id?: string }[]): string[] => xs.map((x) => x.id).filter((id): id is string => typeof id === 'string');

/** When the records of an input were stored: what tells records added after issue from the others. */
export function stampsOf(repo: Repository, partner: string, input: BillingInput, since: string): Promise<Stamps> {
  return repo.inputStamps(
    partner,
    { customer: input.customer.id, subscriptions: ids(input.subscriptions), requests: ids(input.requests), worklogs: ids(input.worklogs), spend: ids(input.spend) },
    since,
  );
}
