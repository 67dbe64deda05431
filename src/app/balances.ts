// A subscription's prepaid-block ledgers through a period (SPEC §10), for
// GET /subscriptions/:id/balances: read from the same priced statement the
// customer gets, so the two never disagree.
import type { Plan } from '../plans/types.js';
import type { Balance } from '../billing/types.js';
import type { Repository } from '../store/repository.js';
import { priceStatement } from '../billing/statement.js';
import { billingInput } from './statements.js';

/** A subscription's block ledgers through a period (GET /subscriptions/:id/balances). */
export interface SubscriptionBalances {
  readonly subscription: string;
  readonly customer: string;
  readonly period: string;
  readonly balances: Omit<Balance, 'subscription'>[];
}

/**
 * The ledgers of a subscription's block components through `period`, as its
 * customer's statement of that period carries them (the same pricing, so the
 * two never disagree); null when the partner has no such subscription.
 */
export async function subscriptionBalances(repo: Repository, plan: Plan, id: string, period: string): Promise<SubscriptionBalances | null> {
  const sub = await repo.getSubscription(plan.partner.id, id);
  if (!sub) return null;
  const input = await billingInput(repo, plan, sub.customer, period);
  const statement = input ? priceStatement(input) : null;
  const balances = (statement?.balances ?? []).filter((b) => b.subscription === id).map(({ subscription: _s, ...rest }) => rest);
  return { subscription: id, customer: sub.customer, period, balances };
}
