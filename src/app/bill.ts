// The bill use case for one customer: the period's statement priced from the
// store and, when finalizing, issued (numbered and stored once; a second run
// returns the stored document). Files and progress belong to the CLI.
import type { Statement } from '../billing/types.js';
import type { Plan } from '../plans/types.js';
import type { Repository } from '../store/repository.js';
import { billingInput, draftStatement, inputsDigest, issuedBody } from './statements.js';

export interface Billed {
  readonly statement: Statement;
  /** The document: the draft's JSON, or the issued body as stored. */
  readonly body: string;
  /** The statement number when issued; `created` false when it had been issued before. */
  readonly issued?: { readonly number: string; readonly created: boolean };
}

/** Throws BillingError when the statement cannot be priced; the customer must exist. */
export async function billCustomer(repo: Repository, plan: Plan, customer: string, period: string, finalize: boolean): Promise<Billed> {
  const input = await billingInput(repo, plan, customer, period);
  if (!input) throw new Error(`unknown customer "${customer}"`);
  const statement = draftStatement(input);
  if (!finalize) return { statement, body: JSON.stringify(statement, null, 2) + '\n' };
  const res = await repo.issue(plan.partner.id, customer, period, (n, issuedAt) => ({ body: issuedBody(statement, n, issuedAt), planHash: statement.planHash, inputsDigest: inputsDigest(input) }));
  return { statement, body: res.record.body, issued: { number: res.record.number, created: res.created } };
}
