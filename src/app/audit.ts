// The audit log (issue 22): who (the token id), when, what, before and after,
// of every change to a customer or subscription made through the API and
// of every correction of a request, worklog or spend record. The entries are
// handed to the store with the write (Repository `audit` parameters) and
// written in its transaction. `GET /audit` reads them a page at a time.
import type { Plan } from '../plans/types.js';
import type { Audit, AuditChange, AuditEntity, AuditRecord, KindRecord, QuantityRecord, RecordKind, Repository, SubscriptionRecord, SubscriptionRevision, WriteResult } from '../store/repository.js';
import type { AuditQuery } from '../wire/params.js';
import { boundMs, decodeCursor, encodeCursor, pageLimit, type PageAnswer } from './lists.js';

/** An audit of `changes` by `token`; no token (a door without one, e.g. the CLI): no audit. */
export function audited<R>(token: string | undefined, changes: (result: R) => readonly AuditChange[]): Audit<R> | undefined {
  return token === undefined ? undefined : { token, changes };
}

const ENTITY: Partial<Record<RecordKind, AuditEntity>> = { customers: 'customer', subscriptions: 'subscription' };

/** Records created by a POST: one `create` entry each (replays changed nothing). Only customers and subscriptions are audited on creation. */
export function creations<K extends RecordKind>(token: string | undefined, kind: K): Audit<WriteResult<KindRecord[K]>[]> | undefined {
  const entity = ENTITY[kind];
  if (!entity) return undefined;
  return audited(token, (results) => results.filter((r) => r.created).map((r) => ({ action: 'create', entity, id: r.record.id, before: null, after: r.record })));
}

/** One record changed (before → after; nothing when the write found no record). */
export function update<R extends { id: string } | null>(token: string | undefined, entity: AuditEntity, before: () => unknown): Audit<R> | undefined {
  return audited(token, (after: R) => (after === null ? [] : [{ action: 'update', entity, id: after.id, before: before(), after }]));
}

/** A subscription revised (PATCH, change of offering): it updated, and one created beside it if any. */
export function revision(token: string | undefined, before: () => SubscriptionRecord | undefined, createdId: () => string | undefined): Audit<SubscriptionRevision | null> | undefined {
  return audited(token, (r) => {
    if (!r) return [];
    const id = createdId();
    const made = id === undefined ? undefined : r.customerSubscriptions.find((s) => s.id === id);
    return [
      { action: 'update', entity: 'subscription', id: r.subscription.id, before: before() ?? null, after: r.subscription },
      ...(made ? [{ action: 'create' as const, entity: 'subscription' as const, id: made.id, before: null, after: made }] : []),
    ];
  });
}

/** A quantity `q` recorded: the subscription before (without it) and after. */
export function quantityAdded(token: string | undefined, q: QuantityRecord): Audit<SubscriptionRecord | null> | undefined {
  return audited(token, (s) => {
    if (s === null) return [];
    const i = s.quantities.findLastIndex((x) => x.metric === q.metric && x.value === q.value && x.from === q.from);
    return [{ action: 'update', entity: 'subscription', id: s.id, before: { ...s, quantities: s.quantities.filter((_, j) => j !== i) }, after: s }];
  });
}

/** GET /audit: the partner's entries, oldest first, filtered by entity, id and time (from inclusive, to exclusive; a date is the partner's day, `to` included). */
export async function listAudit(repo: Repository, plan: Plan, q: AuditQuery): Promise<PageAnswer<AuditRecord>> {
  const zone = plan.partner.timezone;
  const fromMs = boundMs('from', q.from, zone, false);
  const toMs = boundMs('to', q.to, zone, true);
  const after = decodeCursor('audit', q.cursor);
  const got = await repo.auditLog(
    plan.partner.id,
    { ...(q.entity ? { entity: q.entity } : {}), ...(q.id !== undefined ? { id: q.id } : {}), ...(fromMs !== undefined ? { fromMs } : {}), ...(toMs !== undefined ? { toMs } : {}) },
    { limit: pageLimit(q.limit), after: after === null ? null : Number(after[0]) },
  );
  return { items: got.items, nextCursor: got.next ? encodeCursor('audit', got.next) : null };
}
