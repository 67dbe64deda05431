// Purchases of prepaid blocks (SPEC §10, `renew: purchase`): the checks a
// schema cannot make, shared by POST /purchases, /batch/purchases and
// `tierbook import purchases` (through app/ingest.ts), and the billing input
// a purchase becomes.
import type { Offering, Plan } from '../plans/types.js';
import type { PurchaseInput } from '../billing/types.js';
import type { CustomerHistory, CustomerPeriodData, PurchaseRecord, Repository, SubscriptionRecord } from '../store/repository.js';
import { period as periodOf, type Period } from '../time/period.js';
import { purchaseOf } from '../store/queries.js';

/** The registry codes of purchase refusals (all '{detail}' templates, 400). */
export type PurchaseErrorCode = 'PURCHASE_SUBSCRIPTION_MISMATCH' | 'PURCHASE_NOT_A_BLOCK' | 'PURCHASE_OUTSIDE_SUBSCRIPTION';

/** Why a purchase cannot be stored: the field, what is wrong, and the code (INVALID_RECORD when none more precise). */
export interface PurchaseProblem {
  readonly pointer: string;
  readonly detail: string;
  readonly code: PurchaseErrorCode | 'INVALID_RECORD';
}

/** A purchase body that passed its schema (wire/records.ts PurchaseBody). */
export interface PurchaseFields {
  readonly id: string;
  readonly customer: string;
  readonly subscription: string;
  readonly component: string;
  readonly date: string;
  readonly quantity?: number;
  readonly amount?: string;
}

/** What the checks read of a block component (src/models/block.ts holds the full type). */
interface BlockLike {
  readonly id: string;
  readonly model: string;
  readonly renew?: string;
  readonly from?: string;
  readonly to?: string;
}

const components = (o: Offering): readonly BlockLike[] => o.pricing as readonly BlockLike[];

/** The ids of the offering's purchasable blocks (`model: block`, `renew: purchase`), in plan order, once each. */
export function purchasableBlocks(o: Offering): string[] {
  return [...new Set(components(o).filter((c) => c.model === 'block' && c.renew === 'purchase').map((c) => c.id))];
}

/** True when the offering has a block component of either renewal (its customers' statements need the ledger's history). */
export function hasBlock(o: Offering | undefined): boolean {
  return o !== undefined && components(o).some((c) => c.model === 'block');
}

/**
 * The problem with a purchase, or null. `sub` is the subscription the body
 * names, null when the customer holds no subscription of that id (another
 * customer's subscription reads as not held: a purchase is the customer's).
 */
export function purchaseProblem(plan: Plan, p: PurchaseFields, sub: SubscriptionRecord | null): PurchaseProblem | null {
  if (sub === null || sub.customer !== p.customer) {
    return { pointer: '/subscription', code: 'PURCHASE_SUBSCRIPTION_MISMATCH', detail: `customer "${p.customer}" holds no subscription "${p.subscription}"` };
  }
  const offering = plan.offerings.get(sub.offering);
  const blocks = offering ? purchasableBlocks(offering) : [];
  if (!blocks.includes(p.component)) {
    const which = blocks.length === 0 ? 'it has none' : `purchasable: ${blocks.join(', ')}`;
    return {
      pointer: '/component',
      code: 'PURCHASE_NOT_A_BLOCK',
      detail: `"${p.component}" is not a block component with renew: purchase of offering "${sub.offering}" (${which})`,
    };
  }
  if (p.date < sub.start || (sub.end !== null && p.date > sub.end)) {
    return {
      pointer: '/date',
      code: 'PURCHASE_OUTSIDE_SUBSCRIPTION',
      detail: `subscription "${sub.id}" runs ${sub.start} to ${sub.end ?? 'open end'}; a purchase on ${p.date} is outside it`,
    };
  }
  const exponent = offering!.exponent;
  const decimals = p.amount?.split('.')[1]?.length ?? 0;
  if (decimals > exponent) {
    return { pointer: '/amount', code: 'INVALID_RECORD', detail: `"${p.amount}" has more decimals than ${offering!.currency} allows (${exponent})` };
  }
  return null;
}

/** The stored record of a checked body (quantity 1 by default; amount null: priced from the block by the statement). */
export const purchaseRecord = (p: PurchaseFields): PurchaseRecord => purchaseOf({ ...p, quantity: p.quantity ?? 1, amount: p.amount ?? null });

/** A stored purchase as the billing engine takes it. */
export const purchaseInput = (p: PurchaseRecord): PurchaseInput => ({
  id: p.id,
  subscription: p.subscription,
  component: p.component,
  date: p.date,
  quantity: p.quantity,
  ...(p.amount !== null ? { amount: p.amount } : {}),
});

/**
 * The records before period P that the block ledgers of a customer need
 * (§10: a ledger runs from the subscription's start), or null when none of
 * the customer's subscriptions active by P's end has a block: then billing
 * reads nothing more than before. One read from the earliest such start's
 * month: requests and worklogs before P, purchases through P's last day.
 */
export async function blockHistory(repo: Repository, plan: Plan, d: CustomerPeriodData, P: Period): Promise<CustomerHistory | null> {
  let since: string | null = null;
  for (const s of d.subscriptions) {
    if (s.start > P.last || !hasBlock(plan.offerings.get(s.offering))) continue;
    if (since === null || s.start < since) since = s.start;
  }
  if (since === null) return null;
  const fromMs = periodOf(since.slice(0, 7), plan.partner.timezone).startMs;
  return repo.history(plan.partner.id, d.customer.id, fromMs, P.startMs, P.last);
}

/** The period's data with the history before it: earlier records first (each list stays in time order), a request once. */
export function withHistory(d: CustomerPeriodData, h: CustomerHistory): CustomerPeriodData {
  const seen = new Set(h.requests.map((r) => r.id));
  return {
    ...d,
    requests: [...h.requests, ...d.requests.filter((r) => !seen.has(r.id))],
    worklogs: [...h.worklogs, ...d.worklogs],
  };
}
