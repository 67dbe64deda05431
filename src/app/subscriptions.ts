// Subscriptions over time (§8.1): ending one, changing its discount or
// customer prices, moving it to another offering on a date, listing a
// customer's. The API routes (src/api/routes/subscriptions.ts) and the CLI
// (`tierbook subscription …`) both call these. The rules that read the stored
// subscription run inside the store's write transaction (reviseSubscription),
// so two writers never decide from the same stale copy; the store adds the
// rule that a customer holds an offering through one subscription at a time.
import type { Plan } from '../plans/types.js';
import type { IdempotencyClaim, QuantityRecord, Repository, SubscriptionChange, SubscriptionPatch, SubscriptionRecord, SubscriptionRevision } from '../store/repository.js';
import type { PriceOverrideBody, SubscriptionChangeBody, SubscriptionPatchBody } from '../wire/records.js';
import { checkPrices, pricesError } from '../billing/prices.js';
import { addDays } from '../time/period.js';
import { ERR, type FieldError } from '../errors.js';
import { bodyHash } from './ingest.js';
import { revision } from './audit.js';

/** Subscription ids are slugs of at most 63 characters (src/wire). */
const MAX_ID = 63;

/** A claim on the use case's answer as a claim on the store's result: the key stores what the caller answers. */
export function claimVia<A, B>(claim: IdempotencyClaim<B> | undefined, f: (a: A) => B): IdempotencyClaim<A> | undefined {
  return claim && { key: claim.key, route: claim.route, bodyHash: claim.bodyHash, answer: (a: A) => claim.answer(f(a)) };
}

const at = (pointer: string, detail: string): { errors: FieldError[] } => ({ errors: [{ in: 'body', pointer, detail }] });

/** END_BEFORE_START when `end` is before the subscription's start. */
function checkEnd(s: SubscriptionRecord, end: string | null | undefined): void {
  if (end != null && end < s.start) throw ERR.END_BEFORE_START({ detail: `subscription "${s.id}" starts on ${s.start}; its end ${end} is before that` }, at('/end', `${end} is before the start ${s.start}`));
}

/**
 * What a PATCH sets: the fields given (null removes), after the checks that
 * need the stored subscription (end not before start, prices of its
 * offering's components and of the right shape). Pure, for tests and both doors.
 */
export function patchOf(plan: Plan, s: SubscriptionRecord, body: SubscriptionPatchBody): SubscriptionPatch {
  checkEnd(s, body.end);
  if (body.prices != null) {
    const offering = plan.offerings.get(s.offering);
    // an offering the plan dropped: its prices cannot be checked, nor priced
    if (!offering) throw ERR.UNKNOWN_OFFERING({ offering: s.offering, declared: [...plan.offerings.keys()].join(', ') });
    const err = pricesError(checkPrices(offering, body.prices));
    if (err) throw err;
  }
  const set: { -readonly [K in keyof SubscriptionPatch]: SubscriptionPatch[K] } = {};
  if (body.end !== undefined) set.end = body.end;
  if (body.discount !== undefined) set.discount = body.discount;
  // an empty map is no prices: stored as null, so the record reads the same either way
  if (body.prices !== undefined) set.prices = body.prices && Object.keys(body.prices).length > 0 ? body.prices : null;
  if (body.priceAsOf !== undefined) set.priceAsOf = body.priceAsOf;
  return set;
}

/** PATCH /subscriptions/:id: the subscription after the change, or null when unknown. */
export async function patchSubscription(
  repo: Repository,
  plan: Plan,
  id: string,
  body: SubscriptionPatchBody,
  claim?: IdempotencyClaim<SubscriptionRecord | null>,
  by?: string,
): Promise<SubscriptionRecord | null> {
  const of = (r: SubscriptionRevision | null): SubscriptionRecord | null => r?.subscription ?? null;
  let before: SubscriptionRecord | undefined; // as the transaction saw it (audit log)
  const revise = (s: SubscriptionRecord) => ({ set: patchOf(plan, (before = s), body) });
  return of(await repo.reviseSubscription(plan.partner.id, id, revise, claimVia(claim, of), revision(by, () => before, () => undefined)));
}

/**
 * The value of each metric in force on `date` (the latest record from on or
 * before it; of two on one date the later written), as one record from
 * `date`; records dated after `date` (changes already scheduled) follow as
 * they are. A metric with no record by `date` is 0 there and gets none.
 */
export function quantitiesFrom(quantities: readonly QuantityRecord[], date: string): QuantityRecord[] {
  const inForce = new Map<string, QuantityRecord>();
  for (const q of quantities) {
    if (q.from > date) continue;
    const had = inForce.get(q.metric);
    if (!had || q.from >= had.from) inForce.set(q.metric, q);
  }
  const carried = [...inForce.values()].map((q) => ({ metric: q.metric, value: q.value, from: date }));
  return [...carried, ...quantities.filter((q) => q.from > date).map((q) => ({ metric: q.metric, value: q.value, from: q.from }))];
}

/** The id a change gives the new subscription unless told: `<old id>-<YYYYMMDD of at>`. */
export const changedId = (old: string, date: string): string => `${old}-${date.replace(/-/g, '')}`;

/** The answer of a change: the ended subscription and the one started. */
export interface ChangeResult {
  readonly ended: SubscriptionRecord;
  readonly started: SubscriptionRecord;
}

/**
 * What a change of offering writes, decided from the stored subscription and
 * its customer's others (inside the store's transaction). The same change
 * again (the new id exists with that offering and start, and the old one ends
 * the day before) writes nothing and answers the same.
 */
export function changeOf(plan: Plan, s: SubscriptionRecord, siblings: readonly SubscriptionRecord[], body: SubscriptionChangeBody): SubscriptionChange {
  const newId = body.id ?? changedId(s.id, body.at);
  const before = addDays(body.at, -1);
  const again = siblings.find((x) => x.id === newId);
  if (again && again.offering === body.offering && again.start === body.at && s.end === before) return {};
  if (!plan.offerings.has(body.offering)) {
    throw ERR.UNKNOWN_OFFERING({ offering: body.offering, declared: [...plan.offerings.keys()].join(', ') }, at('/offering', `unknown offering "${body.offering}"`));
  }
  if (!(body.at > s.start) || (s.end !== null && body.at > s.end)) {
    throw ERR.CHANGE_OUT_OF_RANGE({ id: s.id, start: s.start, end: s.end ?? 'no end', at: body.at }, at('/at', `must be after ${s.start}${s.end === null ? '' : ` and not after ${s.end}`}`));
  }
  if (newId.length > MAX_ID) throw ERR.INVALID_BODY({ detail: `the new subscription's id "${newId}" would be longer than ${MAX_ID} characters: give one as "id"` }, at('/id', 'required here'));
  // what a POST of the new subscription would carry: the same body replays it
  const body2 = { id: newId, customer: s.customer, offering: body.offering, start: body.at, ...(s.end ? { end: s.end } : {}), ...(s.discount ? { discount: s.discount } : {}), quantities: quantitiesFrom(s.quantities, body.at) };
  const started: SubscriptionRecord = { ...body2, end: s.end, discount: s.discount, prices: null, priceAsOf: null };
  return { set: { end: before }, create: { record: started, bodyHash: bodyHash(body2) } };
}

/** The change's answer from the store's result (new or replayed). */
function changeResult(r: SubscriptionRevision | null, body: SubscriptionChangeBody): ChangeResult | null {
  if (!r) return null;
  const id = body.id ?? changedId(r.subscription.id, body.at);
  return { ended: r.subscription, started: r.customerSubscriptions.find((x) => x.id === id)! };
}

/** POST /subscriptions/:id/change: `{ ended, started }`, or null when the subscription is unknown. */
export async function changeSubscription(
  repo: Repository,
  plan: Plan,
  id: string,
  body: SubscriptionChangeBody,
  claim?: IdempotencyClaim<ChangeResult | null>,
  by?: string,
): Promise<ChangeResult | null> {
  const of = (r: SubscriptionRevision | null): ChangeResult | null => changeResult(r, body);
  let before: SubscriptionRecord | undefined;
  let created: string | undefined;
  const revise = (s: SubscriptionRecord, siblings: readonly SubscriptionRecord[]) => {
    const change = changeOf(plan, (before = s), siblings, body);
    created = change.create?.record.id;
    return change;
  };
  return of(await repo.reviseSubscription(plan.partner.id, id, revise, claimVia(claim, of), revision(by, () => before, () => created)));
}

/** A customer's subscriptions, oldest first (by start; of one start, in the order written); null when the customer is unknown. */
export async function customerSubscriptions(repo: Repository, partner: string, customer: string): Promise<SubscriptionRecord[] | null> {
  if (!(await repo.getCustomer(partner, customer))) return null;
  const subs = await repo.listSubscriptions(partner, customer);
  return [...subs].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

/** One customer price changed (`tierbook subscription price`): a component's override set or removed, all removed, and/or the price date. */
export interface PriceChange {
  readonly component?: string;
  /** The component's new override; null removes it. */
  readonly override?: PriceOverrideBody | null;
  /** Removes every override. */
  readonly clearAll?: boolean;
  /** undefined: unchanged; null: removed. */
  readonly priceAsOf?: string | null;
}

/** The PATCH a price change makes of the stored prices (the other components' overrides kept). */
export function priceChangePatch(s: SubscriptionRecord, change: PriceChange): SubscriptionPatchBody {
  let prices: SubscriptionPatchBody['prices'];
  if (change.clearAll) prices = null;
  else if (change.component !== undefined && change.override !== undefined) {
    const { [change.component]: _old, ...others } = s.prices ?? {};
    prices = change.override === null ? others : { ...others, [change.component]: change.override };
  }
  return { ...(prices !== undefined ? { prices } : {}), ...(change.priceAsOf !== undefined ? { priceAsOf: change.priceAsOf } : {}) };
}

/** A price change on the stored prices, in the write transaction (two changes of different components both hold). */
export async function changePrice(repo: Repository, plan: Plan, id: string, change: PriceChange): Promise<SubscriptionRecord | null> {
  const r = await repo.reviseSubscription(plan.partner.id, id, (s) => ({ set: patchOf(plan, s, priceChangePatch(s, change)) }));
  return r?.subscription ?? null;
}
