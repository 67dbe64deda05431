// One subscription per customer and offering on any day (§8.1): a second one
// overlapping the first would charge the base fee twice. Both backends hold
// every subscription write to it inside the write's transaction.
import { ERR, type TierbookError } from '../errors.js';

/** What the rule reads of a subscription: local dates compare as text. */
export interface SubscriptionSpan {
  readonly id: string;
  readonly customer: string;
  readonly offering: string;
  readonly start: string;
  readonly end: string | null;
}

const OPEN_END = '9999-12-31';

/** The first of `others` active on a day `s` is, for the same customer and offering. */
export function overlapping(s: SubscriptionSpan, others: Iterable<SubscriptionSpan>): SubscriptionSpan | undefined {
  for (const o of others) {
    if (o.id !== s.id && o.customer === s.customer && o.offering === s.offering && o.start <= (s.end ?? OPEN_END) && s.start <= (o.end ?? OPEN_END)) return o;
  }
  return undefined;
}

/** SUBSCRIPTION_OVERLAP naming both subscriptions and their dates. */
export function overlapError(s: SubscriptionSpan, o: SubscriptionSpan, index?: number): TierbookError {
  const params = {
    id: s.id,
    start: s.start,
    end: s.end ?? 'no end',
    existing: o.id,
    existingStart: o.start,
    existingEnd: o.end ?? 'no end',
    customer: s.customer,
    offering: s.offering,
  };
  return ERR.SUBSCRIPTION_OVERLAP(params, index === undefined ? {} : { index });
}

/** Throws SUBSCRIPTION_OVERLAP when `s` overlaps one of `others`. */
export function assertNoOverlap(s: SubscriptionSpan, others: Iterable<SubscriptionSpan>, index?: number): void {
  const o = overlapping(s, others);
  if (o) throw overlapError(s, o, index);
}
