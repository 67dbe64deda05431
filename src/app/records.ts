// Corrections of requests, worklogs and spend before they are billed (issue
// 22): PATCH changes fields (the record is then checked as a whole, like a
// new one: a request's decision is taken again), DELETE removes it. Both are
// refused with PERIOD_ISSUED once the record's period (before or after the
// change) has a current invoice: from then on the month-end corrections apply
// (adjustments, credit notes). Each change is written to the audit log in its
// own transaction.
import type { Plan } from '../plans/types.js';
import type { CorrectableKind, Hashed, IdempotencyClaim, KindRecord, RecordRevision, Repository } from '../store/repository.js';
import { ERR } from '../errors.js';
import { parseInstant, zoneOffsets } from '../time/instant.js';
import { Ingest, canonicalJson } from './ingest.js';
import { audited } from './audit.js';

type Body = Record<string, unknown>;

export const KIND_ENTITY = { requests: 'request', worklogs: 'worklog', spend: 'spend' } as const;
const NOUN = { requests: 'request', worklogs: 'worklog', spend: 'spend record' } as const;

/** The body that creates `r` (nulls and defaults left out). */
export function creationBody(kind: CorrectableKind, r: KindRecord[CorrectableKind]): Body {
  const keep = (o: Body): Body => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
  switch (kind) {
    case 'requests': {
      const q = r as KindRecord['requests'];
      const { decision: _decision, ...fields } = q;
      return keep(fields as unknown as Body);
    }
    case 'worklogs': {
      const w = r as KindRecord['worklogs'];
      return keep({ ...w, billable: w.billable === false ? false : null });
    }
    case 'spend': {
      const s = r as KindRecord['spend'];
      return keep({ id: s.id, customer: s.customer, period: s.period, service: s.service, amount: s.amount, retail: s.retail });
    }
  }
}

/** The period a record is billed in: a request's and a worklog's local month in the partner's timezone, spend's own. */
export function billedPeriod(plan: Plan, kind: CorrectableKind, r: KindRecord[CorrectableKind]): string {
  if (kind === 'spend') return (r as KindRecord['spend']).period;
  const at = kind === 'requests' ? (r as KindRecord['requests']).receivedAt : (r as KindRecord['worklogs']).start;
  return zoneOffsets(plan.partner.timezone).localDate(parseInstant(at)).slice(0, 7);
}

function revise<K extends CorrectableKind>(
  repo: Repository,
  plan: Plan,
  kind: K,
  id: string,
  based: KindRecord[K],
  next: Hashed<KindRecord[K]> | null,
  claim: IdempotencyClaim<RecordRevision<K> | null> | undefined,
  by: string | undefined,
): Promise<RecordRevision<K> | null> {
  const change = (current: KindRecord[K]): Hashed<KindRecord[K]> | null => {
    // the correction was checked against `based`: another change in between is not silently overwritten
    if (canonicalJson(current) !== canonicalJson(based)) throw ERR.RECORD_CONFLICT({ detail: `${NOUN[kind]} "${id}" changed while this correction was checked; send it again` });
    return next;
  };
  const audit = audited<RecordRevision<K> | null>(by, (r) => (r ? [{ action: r.after ? 'update' : 'delete', entity: KIND_ENTITY[kind], id, before: r.before, after: r.after }] : []));
  return repo.reviseRecord(plan.partner.id, kind, id, change, (r) => billedPeriod(plan, kind, r), claim, audit);
}

/** PATCH: the record with `patch`'s fields (null removes one), checked as new; null when there is no such record. */
export async function patchRecord<K extends CorrectableKind>(
  repo: Repository,
  plan: Plan,
  kind: K,
  id: string,
  patch: Body,
  claim?: IdempotencyClaim<RecordRevision<K> | null>,
  by?: string,
  /** The clock a respondedAt is checked against (the server's, injected). */
  now?: () => number,
): Promise<RecordRevision<K> | null> {
  const current = await repo.getRecord(plan.partner.id, kind, id);
  if (!current) return null;
  const body: Body = { ...creationBody(kind, current) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete body[k];
    else body[k] = v;
  }
  // a worklog moved to a request takes the request's offering (naming both is checked by ingest)
  if (kind === 'worklogs' && patch.request != null && patch.offering === undefined) delete body.offering;
  const [next] = await new Ingest(repo, plan, now).records(kind, [body]);
  return revise(repo, plan, kind, id, current, next!, claim, by);
}

/** DELETE: the record removed; null when there is no such record. */
export async function deleteRecord<K extends CorrectableKind>(
  repo: Repository,
  plan: Plan,
  kind: K,
  id: string,
  claim?: IdempotencyClaim<RecordRevision<K> | null>,
  by?: string,
): Promise<RecordRevision<K> | null> {
  const current = await repo.getRecord(plan.partner.id, kind, id);
  if (!current) return null;
  return revise(repo, plan, kind, id, current, null, claim, by);
}
