// Admin lists (issue 22): a kind's records a page at a time, filtered, in a
// stable order (customers by id; subscriptions by start; requests by
// receivedAt; worklogs by start; spend by period; then id). A page answers
// `{ items, nextCursor }`; the cursor is opaque to clients (base64url of the
// kind and the last item's sort key and id) and continues exactly after that
// item, whatever was written meanwhile. The API's list routes call these.
import { DateTime } from 'luxon';
import type { Plan } from '../plans/types.js';
import type { KindRecord, ListFilter, ListKind, PageKey, Repository } from '../store/repository.js';
import { ERR } from '../errors.js';
import { isInstant, parseInstant } from '../time/instant.js';
import { isLocalDate } from '../time/instant.js';
import { period as periodOf } from '../time/period.js';
import { LIST_LIMIT, type CustomerListQuery, type PeriodListQuery, type RequestListQuery, type SubscriptionListQuery } from '../wire/params.js';

export interface PageAnswer<T> {
  readonly items: T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

const badQuery = (name: string, detail: string) => ERR.INVALID_QUERY({ detail: `invalid query string: /${name} ${detail}` }, { errors: [{ in: 'query', pointer: `/${name}`, detail }] });

/** The page size asked for (default LIST_LIMIT.default), 1 to LIST_LIMIT.max. */
export function pageLimit(limit: string | undefined): number {
  if (limit === undefined) return LIST_LIMIT.default;
  const n = Number(limit);
  if (!Number.isInteger(n) || n < 1 || n > LIST_LIMIT.max) throw badQuery('limit', `must be a whole number of items from 1 to ${LIST_LIMIT.max}`);
  return n;
}

export function encodeCursor(scope: string, key: readonly [string | number, string]): string {
  return Buffer.from(JSON.stringify([scope, ...key]), 'utf8').toString('base64url');
}

/** The key a cursor of `scope` continues after; INVALID_QUERY for anything this API did not give out for that list. */
export function decodeCursor(scope: string, cursor: string | undefined): PageKey | null {
  if (cursor === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== scope || !['string', 'number'].includes(typeof parsed[1]) || typeof parsed[2] !== 'string') {
    throw badQuery('cursor', `is not a cursor of this list (pass the nextCursor of an earlier page of ${scope}, unchanged)`);
  }
  return [parsed[1] as string | number, parsed[2]];
}

/** Epoch ms of a `from`/`to` bound: an instant as given, a local date at its start (`to`: the next day's start, so the day is included). */
export function boundMs(name: string, value: string | undefined, zone: string, end: boolean): number | undefined {
  if (value === undefined) return undefined;
  if (isInstant(value)) return parseInstant(value);
  if (isLocalDate(value)) {
    const day = DateTime.fromISO(value, { zone });
    return (end ? day.plus({ days: 1 }) : day).toMillis();
  }
  throw badQuery(name, 'must be a local date YYYY-MM-DD or an instant with offset such as 2026-10-14T10:00:00-04:00');
}

async function page<K extends ListKind>(repo: Repository, partner: string, filter: ListFilter & { kind: K }, limit: string | undefined, cursor: string | undefined): Promise<PageAnswer<KindRecord[K]>> {
  const size = pageLimit(limit);
  const got = await repo.listPage<K>(partner, filter, { limit: size, after: decodeCursor(filter.kind, cursor) });
  return { items: got.items, nextCursor: got.next ? encodeCursor(filter.kind, got.next) : null };
}

export function listCustomers(repo: Repository, plan: Plan, q: CustomerListQuery) {
  return page(repo, plan.partner.id, { kind: 'customers', ...(q.q !== undefined ? { q: q.q } : {}) }, q.limit, q.cursor);
}

export function listSubscriptions(repo: Repository, plan: Plan, q: SubscriptionListQuery) {
  const { limit, cursor, ...filter } = q;
  return page(repo, plan.partner.id, { kind: 'subscriptions', ...filter }, limit, cursor);
}

export function listRequests(repo: Repository, plan: Plan, q: RequestListQuery) {
  const zone = plan.partner.timezone;
  const fromMs = boundMs('from', q.from, zone, false);
  const toMs = boundMs('to', q.to, zone, true);
  if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs) throw badQuery('to', 'must be after from');
  return page(
    repo,
    plan.partner.id,
    { kind: 'requests', ...(q.customer !== undefined ? { customer: q.customer } : {}), ...(fromMs !== undefined ? { fromMs } : {}), ...(toMs !== undefined ? { toMs } : {}), ...(q.state ? { state: q.state } : {}) },
    q.limit,
    q.cursor,
  );
}

/** Worklogs of a period: those started within the month in the partner's timezone. */
export function listWorklogs(repo: Repository, plan: Plan, q: PeriodListQuery) {
  const p = q.period === undefined ? null : periodOf(q.period, plan.partner.timezone);
  return page(repo, plan.partner.id, { kind: 'worklogs', ...(q.customer !== undefined ? { customer: q.customer } : {}), ...(p ? { fromMs: p.startMs, toMs: p.endMs } : {}) }, q.limit, q.cursor);
}

export function listSpend(repo: Repository, plan: Plan, q: PeriodListQuery) {
  const { limit, cursor, ...filter } = q;
  return page(repo, plan.partner.id, { kind: 'spend', ...filter }, limit, cursor);
}
