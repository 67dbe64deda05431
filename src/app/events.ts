// Events of a request's life (SPEC §11.2) on the way in, and the request's
// SLA clocks on the way out. One use case for `POST /requests/:id/events`,
// `tierbook import events` and `GET /requests/:id`: the checks a schema cannot
// make (the event after the request's receipt, its fields fitting its type, a
// status off the list, a severity of the request's offering), the event id and
// body hash that make a repeated event replay, and the clocks computed by the
// core (src/rules/sla.ts).
import type { Plan } from '../plans/types.js';
import { requestClocks, type Clock, type ClockRequest, type Pause, type RequestClocks, type RequestEventInput } from '../rules/sla.js';
import { parseInstant } from '../time/instant.js';
import { ConflictError, MissingReferenceError, type EventRecord, type Hashed, type IdempotencyClaim, type Repository, type RequestLives, type RequestRecord, type WriteResult } from '../store/repository.js';
import type { BillingInput, RequestInput } from '../billing/types.js';
import { clockDues, duesBelong } from '../billing/sla.js';
import { period } from '../time/period.js';
import type { ImportProblem, ImportResult } from './import.js';
import { EventRecordBody, REQUEST_STATUSES } from '../wire/records.js';
import { ajvToParams, validatorOf } from '../wire/validate.js';
import { ERR, TierbookError, type FieldError } from '../errors.js';
import { bodyHash, sha256 } from './ingest.js';

type EventCode = 'EVENT_BEFORE_RECEIPT' | 'EVENT_INVALID' | 'EVENT_STATUS_INVALID' | 'EVENT_SEVERITY_UNKNOWN' | 'INVALID_RECORD' | 'MISSING_REFERENCE';

/** An event that cannot be stored: a registry code, the index of the event in its batch, the field. */
export class EventError extends TierbookError<EventCode> {
  override readonly name = 'EventError';
  override readonly index: number;
  override readonly errors: readonly FieldError[];
  constructor(code: EventCode, index: number, errors: readonly FieldError[]) {
    const message = errors.map((e) => `${e.pointer || '/'}: ${e.detail}`).join('; ');
    super(code, message, ERR[code].status, ERR[code].exit, { detail: message }, { errors, index });
    this.index = index;
    this.errors = errors;
  }
}

const fail = (code: EventCode, index: number, pointer: string, detail: string): EventError => new EventError(code, index, [{ in: 'body', pointer, detail }]);
const STATUSES: ReadonlySet<string> = new Set(REQUEST_STATUSES);

/**
 * The id of an event written without one: derived from what it says (its
 * request, instant, type and value), so the same event sent or imported twice
 * replays instead of counting twice.
 */
export function derivedEventId(request: string, b: { at: string; type: string; status?: string; severity?: string }): string {
  return 'ev-' + sha256([request, String(parseInstant(b.at)), b.type, b.status ?? '', b.severity ?? ''].join('\n')).slice(0, 32);
}

/** The offering a request's clocks run under: the one its decision matched, else the one posted. */
export const offeringOf = (r: RequestRecord): string | null => r.decision.offering ?? r.offering;

/**
 * One schema-valid event body (with its `request`) for a known request: the
 * record to store, or an EventError naming the field.
 */
export function eventOf(plan: Plan, request: RequestRecord, b: EventRecordBody, index = 0): Hashed<EventRecord> {
  const at = parseInstant(b.at);
  if (at < parseInstant(request.receivedAt)) {
    throw fail('EVENT_BEFORE_RECEIPT', index, '/at', `at ${b.at} is before the request's receivedAt ${request.receivedAt}`);
  }
  const extra = (field: 'status' | 'severity'): EventError => fail('EVENT_INVALID', index, `/${field}`, `a ${b.type} event takes no ${field}`);
  if (b.type === 'responded') {
    if (b.status !== undefined) throw extra('status');
    if (b.severity !== undefined) throw extra('severity');
  } else if (b.type === 'status') {
    if (b.severity !== undefined) throw extra('severity');
    if (b.status === undefined) throw fail('EVENT_INVALID', index, '/status', 'a status event names its status');
    if (!STATUSES.has(b.status)) throw fail('EVENT_STATUS_INVALID', index, '/status', `"${b.status}" is not a status (${REQUEST_STATUSES.join(', ')})`);
  } else {
    if (b.status !== undefined) throw extra('status');
    if (b.severity === undefined) throw fail('EVENT_INVALID', index, '/severity', 'a severity event names the new severity');
    const offering = offeringOf(request);
    const o = offering === null ? undefined : plan.offerings.get(offering);
    if (!o) throw fail('EVENT_SEVERITY_UNKNOWN', index, '/severity', `request "${request.id}" has no offering of plan ${plan.partner.id}: its severity cannot change`);
    if (!o.severities.has(b.severity)) {
      throw fail('EVENT_SEVERITY_UNKNOWN', index, '/severity', `"${b.severity}" is not a severity of offering "${o.id}" (${[...o.severities.keys()].join(', ')})`);
    }
  }
  const record: EventRecord = {
    request: request.id,
    id: b.id ?? derivedEventId(request.id, b),
    at: b.at,
    type: b.type,
    status: b.status ?? null,
    severity: b.severity ?? null,
  };
  return { record, bodyHash: bodyHash(b) };
}

/** Schema errors of one event line (with `request`), as JSON pointers into it. */
function schemaErrors(body: unknown): FieldError[] {
  const v = validatorOf(EventRecordBody);
  return v(body) ? [] : ajvToParams(v.errors ?? [], 'body');
}

/**
 * Validates and stores events (each naming its `request`) in one transaction:
 * all or nothing. An unknown request is MISSING_REFERENCE naming the event's
 * index (the route answers 404 before calling this).
 */
export async function addEvents(
  repo: Repository,
  plan: Plan,
  bodies: readonly unknown[],
  claim?: IdempotencyClaim<WriteResult<EventRecord>[]>,
): Promise<WriteResult<EventRecord>[]> {
  const partner = plan.partner.id;
  const requests = new Map<string, Promise<RequestRecord | null>>();
  const recs: Hashed<EventRecord>[] = [];
  for (const [i, body] of bodies.entries()) {
    const errors = schemaErrors(body);
    if (errors.length > 0) throw new EventError('INVALID_RECORD', i, errors);
    const b = body as EventRecordBody;
    let p = requests.get(b.request);
    if (!p) requests.set(b.request, (p = repo.getRequest(partner, b.request)));
    const request = await p;
    if (!request) throw fail('MISSING_REFERENCE', i, '/request', `unknown request "${b.request}"`);
    recs.push(eventOf(plan, request, b, i));
  }
  return repo.addEvents(partner, recs, claim);
}

/**
 * `tierbook import events`: every event line checked (all problems reported,
 * each with its index), then all stored in one transaction, or none.
 */
export async function importEvents(repo: Repository, plan: Plan, bodies: readonly unknown[]): Promise<ImportResult> {
  const problems: ImportProblem[] = [];
  const partner = plan.partner.id;
  const known = new Map<string, RequestRecord | null>();
  const recs: Hashed<EventRecord>[] = [];
  for (const [i, body] of bodies.entries()) {
    try {
      const errors = schemaErrors(body);
      if (errors.length > 0) throw new EventError('INVALID_RECORD', i, errors);
      const b = body as EventRecordBody;
      if (!known.has(b.request)) known.set(b.request, await repo.getRequest(partner, b.request));
      const request = known.get(b.request);
      if (!request) throw fail('MISSING_REFERENCE', i, '/request', `unknown request "${b.request}"`);
      recs.push(eventOf(plan, request, b, i));
    } catch (err) {
      if (!(err instanceof EventError)) throw err;
      for (const e of err.errors) problems.push({ code: err.code, index: i, pointer: e.pointer || '/', detail: e.detail });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  try {
    const start = performance.now();
    const res = await repo.addEvents(partner, recs);
    return { ok: true, stored: res.length, created: res.filter((r) => r.created).length, writeMs: Math.round(performance.now() - start) };
  } catch (err) {
    if (err instanceof MissingReferenceError) return { ok: false, problems: [{ code: 'MISSING_REFERENCE', index: err.index, pointer: err.pointer, detail: err.message }] };
    if (err instanceof ConflictError) return { ok: false, problems: [{ code: 'RECORD_CONFLICT', index: err.index, pointer: '', detail: err.message }] };
    throw err;
  }
}

/** A clock as `GET /requests/:id` answers it (§11.3): no epoch milliseconds. */
export interface ClockView {
  readonly target: string;
  readonly dueAt: string | null;
  readonly state: Clock['state'];
  readonly stoppedAt: string | null;
}

export interface SlaView {
  readonly response: ClockView;
  readonly resolution: ClockView | null;
  readonly status: RequestClocks['status'];
  readonly severity: string;
  readonly pauses: readonly Pause[];
}

const clockView = (c: Clock): ClockView => ({ target: c.target, dueAt: c.dueAt, state: c.state, stoppedAt: c.stoppedAt });

/** The clocks of a stored request as of `nowMs`; null when it has none (rejected, or its offering is no longer in the plan). */
export function requestSla(plan: Plan, request: RequestRecord, events: readonly EventRecord[], nowMs: number): SlaView | null {
  const offering = offeringOf(request);
  if (!request.decision.accepted || offering === null) return null;
  const o = plan.offerings.get(offering);
  if (!o || !o.severities.has(request.severity)) return null;
  const clocks = requestClocks(plan, { ...clockRequest(request, events), offering }, nowMs);
  return {
    response: clockView(clocks.response),
    resolution: clocks.resolution ? clockView(clocks.resolution) : null,
    status: clocks.status,
    severity: clocks.severity,
    pauses: clocks.pauses,
  };
}

/** What the clocks are computed from: the request as stored and its events (store order is application order). */
export function clockRequest(request: RequestRecord, events: readonly EventRecord[]): ClockRequest {
  return {
    offering: offeringOf(request) ?? '',
    severity: request.severity,
    receivedAt: request.receivedAt,
    respondedAt: request.respondedAt,
    responseTarget: request.decision.responseTarget,
    events: events.map(eventInput),
  };
}

/** A stored event as the core reads it (null fields absent). */
export function eventInput(e: EventRecord): RequestEventInput {
  return {
    id: e.id,
    at: e.at,
    type: e.type,
    ...(e.status !== null ? { status: e.status as RequestEventInput['status'] } : {}),
    ...(e.severity !== null ? { severity: e.severity } : {}),
  };
}

/**
 * How far before a period a statement looks for requests whose clocks may
 * belong to it (§11.4: a clock belongs to the period of its due time). A year:
 * the longest target a calendar answers for; a clock due later than that
 * after its receipt (a year of waiting on the customer) is not counted.
 */
export const CLOCK_LOOKBACK_MS = 366 * 24 * 60 * 60 * 1000;

/** A stored request as the billing engine takes it (statements and the clocks of earlier requests). */
export const requestInputOf = (r: RequestRecord): RequestInput => ({
  id: r.id,
  // the stored decision says which offering took it (§3.1 matching happened at arrival)
  offering: r.decision.offering ?? r.offering ?? '',
  customer: r.customer,
  service: r.service,
  category: r.category,
  severity: r.severity,
  channel: r.channel,
  receivedAt: r.receivedAt,
  ...(r.serviceIncident !== null ? { serviceIncident: r.serviceIncident } : {}),
  respondedAt: r.respondedAt,
  decision: r.decision,
});

/**
 * An earlier request as withLives takes it, kept for the other periods of a
 * corrections window (app/corrections.ts): its input with its events and its
 * clocks' due times, which do not depend on the period (rules/sla.ts: the due
 * time is fixed by the request's life, not by when it is judged). Kept by the
 * stored record and valid for the same plan and the same events only.
 */
interface EarlierRequest {
  readonly plan: Plan;
  readonly events: readonly EventRecord[] | undefined;
  readonly input: RequestInput;
  readonly dues: ReturnType<typeof clockDues>;
}

/** The earlier requests' clocks shared by the periods cut from one read (sharingClocks). */
export type ClockMemo = Map<RequestRecord, EarlierRequest>;

const memos = new WeakMap<RequestLives, ClockMemo>();

/**
 * Lives cut from one read for several periods (a corrections window): the
 * earlier requests' inputs and clocks are computed once for all of them
 * (`memo`, one per window), not once per period. withLives gives the same
 * input with or without it.
 */
export function sharingClocks(lives: RequestLives, memo: ClockMemo): RequestLives {
  memos.set(lives, memo);
  return lives;
}

const sameEvents = (a: readonly EventRecord[] | undefined, b: readonly EventRecord[] | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((e, i) => e === b[i]));

/**
 * The billing input with the requests' lives (§11.4): each request of the
 * period gets its events, and an earlier request (received within
 * CLOCK_LOOKBACK_MS) joins the input only when one of its clocks belongs to
 * the period, so a statement without such requests has the inputs (and the
 * digest) it always had.
 */
export function withLives(input: BillingInput, lives: RequestLives): BillingInput {
  const byRequest = new Map<string, EventRecord[]>();
  for (const e of lives.events) {
    let list = byRequest.get(e.request);
    if (!list) byRequest.set(e.request, (list = []));
    list.push(e);
  }
  const P = period(input.period, input.plan.partner.timezone);
  const have = new Set(input.requests.map((r) => r.id));
  const withEvents = (r: RequestInput, events: readonly EventRecord[] | undefined): RequestInput => (events ? { ...r, events: events.map(eventInput) } : r);
  const memo = memos.get(lives);
  const earlier: RequestInput[] = [];
  for (const r of lives.requests) {
    if (have.has(r.id) || !(parseInstant(r.receivedAt) < P.startMs)) continue;
    const events = byRequest.get(r.id);
    let known = memo?.get(r);
    if (!known || known.plan !== input.plan || !sameEvents(known.events, events)) {
      const req = withEvents(requestInputOf(r), events);
      known = { plan: input.plan, events, input: req, dues: clockDues(input.plan, req) };
      memo?.set(r, known);
    }
    if (duesBelong(P, known.dues)) earlier.push(known.input);
  }
  if (byRequest.size === 0 && earlier.length === 0) return input;
  return { ...input, requests: [...input.requests.map((r) => withEvents(r, byRequest.get(r.id))), ...earlier] };
}
