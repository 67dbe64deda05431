// The import use case: bodies of one kind checked one by one, so that every
// bad one is reported (not only the first), then stored in one call. Reading
// the file and naming lines belong to the CLI (src/cli/import-run.ts).
import type { Plan } from '../plans/types.js';
import { ConflictError, MissingReferenceError, type Hashed, type KindRecord, type RecordKind, type Repository } from '../store/repository.js';
import { Ingest, RecordError } from './ingest.js';
import { ERR, TierbookError, type ErrorCode } from '../errors.js';
import type { SubscriptionRecord } from '../store/repository.js';
import type { SubscriptionPatchBody } from '../wire/records.js';
import { patchOf, patchSubscription } from './subscriptions.js';

/** A body that cannot be imported: its index in the input and what is wrong (`pointer` '' when the whole body). */
export interface ImportProblem {
  /** The registry code (src/errors.ts). */
  readonly code: ErrorCode;
  readonly index: number | undefined;
  readonly pointer: string;
  readonly detail: string;
}

export type ImportResult =
  | {
      readonly ok: true;
      readonly stored: number;
      readonly created: number;
      /** How long the one write transaction took: other writers (servers) waited this long for the lock. */
      readonly writeMs: number;
    }
  | { readonly ok: false; readonly problems: readonly ImportProblem[] };

/** Imports `bodies` of `kind` for the plan's partner: all of them or, with any problem, none. */
export async function importRecords(repo: Repository, plan: Plan, kind: RecordKind, bodies: readonly unknown[]): Promise<ImportResult> {
  const ingest = new Ingest(repo, plan);
  const records: Hashed<KindRecord[RecordKind]>[] = [];
  const problems: ImportProblem[] = [];
  for (let i = 0; i < bodies.length; i++) {
    try {
      records.push(...(await ingest.records(kind, [bodies[i]])));
    } catch (err) {
      if (!(err instanceof RecordError)) throw err;
      for (const e of err.errors) problems.push({ code: err.code, index: i, pointer: e.pointer || '/', detail: e.detail });
    }
  }
  // a subscription row whose id is stored, same customer, offering and start: it changes end, discount, priceAsOf and prices
  const updates = kind === 'subscriptions' ? await subscriptionUpdates(repo, plan, records as unknown as Hashed<SubscriptionRecord>[], problems) : new Map<number, { body: SubscriptionPatchBody; back: SubscriptionPatchBody }>();
  if (problems.length > 0) return { ok: false, problems };
  // changes first (an end moved earlier makes room for the row that follows it), each its own write;
  // when a later write fails they are put back, so the import still leaves all or nothing
  const start = performance.now();
  const done: [string, SubscriptionPatchBody][] = [];
  const undo = async (): Promise<void> => {
    for (const [id, back] of done.reverse()) await patchSubscription(repo, plan, id, back);
  };
  for (const [i, { body, back }] of updates) {
    const id = (records[i]!.record as SubscriptionRecord).id;
    try {
      await patchSubscription(repo, plan, id, body);
      done.push([id, back]);
    } catch (err) {
      if (!(err instanceof TierbookError)) throw err;
      await undo();
      return { ok: false, problems: [{ code: err.code as ErrorCode, index: i, pointer: err.code === 'SUBSCRIPTION_OVERLAP' ? '/end' : '', detail: err.message }] };
    }
  }
  try {
    const res = await repo.insertMany(plan.partner.id, kind, records.filter((_, i) => !updates.has(i)));
    const writeMs = Math.round(performance.now() - start);
    return { ok: true, stored: res.length + updates.size, created: res.filter((r) => r.created).length, writeMs };
  } catch (err) {
    await undo();
    if (err instanceof MissingReferenceError) return { ok: false, problems: [{ code: 'MISSING_REFERENCE', index: err.index, pointer: err.pointer, detail: err.message }] };
    if (err instanceof ConflictError) return { ok: false, problems: [{ code: 'RECORD_CONFLICT', index: err.index, pointer: '', detail: err.message }] };
    if (ERR.SUBSCRIPTION_OVERLAP.is(err)) return { ok: false, problems: [{ code: 'SUBSCRIPTION_OVERLAP', index: err.index, pointer: '/start', detail: err.message }] };
    throw err;
  }
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Rows that change a stored subscription (by index): the row's end, discount,
 * priceAsOf and prices where they differ from the stored ones (an empty cell
 * removes). Quantities stay as stored (POST …/quantities changes them). A
 * stored id with another customer, offering or start is left to the insert,
 * which reports RECORD_CONFLICT as before.
 */
async function subscriptionUpdates(repo: Repository, plan: Plan, records: readonly Hashed<SubscriptionRecord>[], problems: ImportProblem[]): Promise<Map<number, { body: SubscriptionPatchBody; back: SubscriptionPatchBody }>> {
  const out = new Map<number, { body: SubscriptionPatchBody; back: SubscriptionPatchBody }>();
  for (let i = 0; i < records.length; i++) {
    const row = records[i]!.record;
    const stored = await repo.getSubscription(plan.partner.id, row.id);
    if (!stored || stored.customer !== row.customer || stored.offering !== row.offering || stored.start !== row.start) continue;
    const body: { -readonly [K in keyof SubscriptionPatchBody]: SubscriptionPatchBody[K] } = {};
    if (!same(stored.end, row.end)) body.end = row.end ?? null;
    if (!same(stored.discount, row.discount)) body.discount = row.discount ?? null;
    if (!same(stored.priceAsOf, row.priceAsOf)) body.priceAsOf = row.priceAsOf ?? null;
    if (!same(stored.prices, row.prices)) body.prices = (row.prices ?? null) as SubscriptionPatchBody['prices'];
    if (Object.keys(body).length === 0) continue; // the same row again: the insert replays it
    try {
      patchOf(plan, stored, body);
      const back = { end: stored.end, discount: stored.discount, priceAsOf: stored.priceAsOf ?? null, prices: (stored.prices ?? null) as SubscriptionPatchBody['prices'] };
      out.set(i, { body, back });
    } catch (err) {
      if (!(err instanceof TierbookError)) throw err;
      problems.push({ code: err.code as ErrorCode, index: i, pointer: err.code === 'END_BEFORE_START' ? '/end' : '/prices', detail: err.message });
    }
  }
  return out;
}
