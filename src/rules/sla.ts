// SLA clocks over a request's life (pure): a response clock and, when the
// severity has a resolution target, a resolution clock. Each counts open time
// of the severity's calendar from receipt, does not count while the request's
// status is one of the severity's `pauseOn`, and stops at its event. A
// severity change applies the new severity's targets and calendar to the whole
// life of the request. Cost: sorting the events, then O(windows crossed +
// pauses) per clock (src/calendar/working.ts); never minute stepping.
import type { Calendar } from '../calendar/types.js';
import { addWorkingTimeSkipping, type PausedSpan } from '../calendar/working.js';
import type { Offering, PauseStatus, Plan, Severity } from '../plans/types.js';
import { parseDuration, formatDuration } from '../time/duration.js';
import { parseInstant, zoneOffsets, type ZoneOffsets } from '../time/instant.js';

export type RequestStatus = 'open' | PauseStatus | 'resolved';
export type ClockState = 'met' | 'breached' | 'open';

/** One event of a request's life, as stored and accepted on the wire. */
export interface RequestEventInput {
  readonly id?: string;
  readonly at: string;
  readonly type: 'responded' | 'status' | 'severity';
  readonly status?: RequestStatus;
  readonly severity?: string;
}

export interface ClockRequest {
  readonly offering: string;
  readonly severity: string; // at intake
  readonly receivedAt: string;
  readonly respondedAt?: string | null;
  readonly events?: readonly RequestEventInput[] | null;
  /**
   * A response target a rule set at intake (the decision's `responseTarget`).
   * It holds while the severity stays the intake one; a severity change brings
   * the new severity's own targets.
   */
  readonly responseTarget?: string | null;
}

export interface Clock {
  readonly target: string; // duration, e.g. "4h"
  /** The instant counted time reaches the target; null while paused before reaching it. */
  readonly dueAt: string | null;
  readonly dueMs: number | null;
  readonly state: ClockState;
  readonly stoppedAt: string | null;
}

export interface Pause {
  readonly from: string;
  readonly to: string | null; // null: not resumed
  readonly status: PauseStatus;
}

export interface RequestClocks {
  /** The request's status at `nowMs` (after every event when no `nowMs`). */
  readonly status: RequestStatus;
  /** The severity in force: the last severity change, else the intake one. */
  readonly severity: string;
  readonly response: Clock;
  readonly resolution: Clock | null;
  /** Spans during which the clocks did not count (the severity's `pauseOn`), in order. */
  readonly pauses: readonly Pause[];
}

/** An event with its instant read (epoch ms). */
export interface TimedEvent {
  readonly at: number;
  readonly event: RequestEventInput;
}

/** A clock in numbers: what statements count (the instants are written only for documents and the API). */
export interface ClockTimes {
  readonly target: string;
  readonly minutes: number;
  readonly dueMs: number | null;
  readonly stopMs: number | null;
  readonly state: ClockState;
}

export interface RequestClockTimes {
  readonly status: RequestStatus;
  readonly severity: string;
  readonly response: ClockTimes;
  readonly resolution: ClockTimes | null;
  /** In order; `to` Infinity when not resumed. */
  readonly pauses: readonly { readonly from: number; readonly to: number; readonly status: PauseStatus }[];
  /** The zone the instants are written in: the severity calendar's, the partner's for 24x7. */
  readonly zone: ZoneOffsets;
}

/** requestClockTimes' input: instants read, events in order (orderEvents). */
export interface TimedRequest {
  readonly offering: string;
  readonly severity: string;
  readonly receivedMs: number;
  readonly respondedMs?: number | null;
  readonly events: readonly TimedEvent[];
  readonly responseTarget?: string | null;
}

/**
 * The clocks of a request. Every event counts (an event's `at` before receipt
 * is read as the receipt; unparseable ones and unknown severity labels are
 * skipped: the shell refuses them on the way in). A running clock is judged at
 * `nowMs`: breached once `nowMs` is past its due time, else open; without
 * `nowMs` a running clock is open. A stopped clock is met when it stopped at
 * or before its due time, else breached.
 * Throws a RangeError when the offering or its severity is not in the plan.
 */
export function requestClocks(plan: Plan, request: ClockRequest, nowMs?: number): RequestClocks {
  const received = parseInstant(request.receivedAt);
  if (Number.isNaN(received)) throw new RangeError(`receivedAt "${request.receivedAt}" is not an instant`);
  const responded = request.respondedAt ? parseInstant(request.respondedAt) : NaN;
  const t = requestClockTimes(plan, {
    offering: request.offering, severity: request.severity, receivedMs: received, respondedMs: Number.isNaN(responded) ? null : responded,
    events: orderEvents(request.events ?? [], received), responseTarget: request.responseTarget,
  }, nowMs);
  const zone = t.zone;
  return {
    status: t.status,
    severity: t.severity,
    response: written(t.response, zone),
    resolution: t.resolution && written(t.resolution, zone),
    pauses: t.pauses.map((s) => ({ from: zone.format(s.from), to: s.to === Infinity ? null : zone.format(s.to), status: s.status })),
  };
}

function written(c: ClockTimes, zone: ZoneOffsets): Clock {
  return {
    target: c.target,
    dueAt: c.dueMs === null ? null : zone.format(c.dueMs),
    dueMs: c.dueMs,
    state: c.state,
    stoppedAt: c.stopMs === null ? null : zone.format(c.stopMs),
  };
}

/** requestClocks in numbers, from instants already read and events already in order. */
export function requestClockTimes(plan: Plan, request: TimedRequest, nowMs?: number): RequestClockTimes {
  const offering = plan.offerings.get(request.offering);
  if (!offering) throw new RangeError(`unknown offering "${request.offering}"`);
  const received = request.receivedMs;
  const events = request.events;

  // the severity in force applies retroactively: find it first
  let label = request.severity;
  for (const { event } of events) if (event.type === 'severity' && event.severity !== undefined && offering.severities.has(event.severity)) label = event.severity;
  const severity = severityOf(offering, label);
  const { pauseOn, zone } = contextOf(plan, severity);

  // status timeline: pauses, first resolution, first response
  const spans: { from: number; to: number; status: PauseStatus }[] = [];
  let status: RequestStatus = 'open';
  let statusAtNow: RequestStatus = 'open';
  let resolvedAt = Infinity;
  let respondedAt = request.respondedMs ?? Infinity;
  if (respondedAt < received) respondedAt = received;
  for (const { at, event } of events) {
    if (event.type === 'responded') respondedAt = Math.min(respondedAt, at);
    if (event.type !== 'status' || event.status === undefined) continue;
    const next = event.status;
    if (next === 'resolved' && resolvedAt === Infinity) resolvedAt = at;
    const open = spans[spans.length - 1];
    if (pauseOn.has(status) && open && open.to === Infinity) open.to = at;
    if (pauseOn.has(next)) spans.push({ from: at, to: Infinity, status: next as PauseStatus });
    status = next;
    if (nowMs === undefined || at <= nowMs) statusAtNow = next;
  }
  if (nowMs === undefined) statusAtNow = status;
  // resolving answers the customer too: it stops a response clock still running
  const responseStop = Math.min(respondedAt, resolvedAt);

  const ruleMinutes = label === request.severity && request.responseTarget ? parseDuration(request.responseTarget) : null;
  const response = ruleMinutes !== null
    ? clock(severity.calendar, received, ruleMinutes, formatDuration(ruleMinutes), responseStop, spans, nowMs)
    : clock(severity.calendar, received, severity.responseMinutes, severity.response, responseStop, spans, nowMs);
  const resolution = severity.resolutionMinutes !== undefined
    ? clock(severity.calendar, received, severity.resolutionMinutes, severity.resolution!, resolvedAt, spans, nowMs)
    : null;
  return { status: statusAtNow, severity: label, response, resolution, pauses: spans, zone };
}

/** Events in order of `at`, ties in the order given; `at` before receipt read as receipt. */
export function orderEvents(events: readonly RequestEventInput[], received: number): readonly TimedEvent[] {
  if (events.length === 0) return NO_EVENTS;
  const out: TimedEvent[] = [];
  for (const event of events) {
    const at = parseInstant(event.at);
    if (!Number.isNaN(at)) out.push({ at: Math.max(at, received), event });
  }
  // events mostly arrive in order: sort only when not (Array.prototype.sort is stable: ties keep arrival order)
  for (let i = 1; i < out.length; i++) if (out[i].at < out[i - 1].at) return out.sort((a, b) => a.at - b.at);
  return out;
}

function severityOf(offering: Offering, label: string): Severity {
  const s = offering.severities.get(label);
  if (!s) throw new RangeError(`offering "${offering.id}" has no severity "${label}"`);
  return s;
}

const NO_EVENTS: readonly TimedEvent[] = [];

interface SeverityContext {
  readonly pauseOn: ReadonlySet<string>;
  /** The zone a due time is written in: the calendar's, the partner's for 24x7 (as request evaluation does). */
  readonly zone: ZoneOffsets;
}
/** Per compiled severity (one object per plan): a statement asks for thousands of clocks of a few severities. */
const contexts = new WeakMap<Severity, SeverityContext>();
function contextOf(plan: Plan, severity: Severity): SeverityContext {
  let c = contexts.get(severity);
  if (!c) {
    const cal = severity.calendar;
    c = { pauseOn: new Set(severity.pauseOn ?? []), zone: zoneOffsets(cal.alwaysOpen ? plan.partner.timezone : cal.timezone) };
    contexts.set(severity, c);
  }
  return c;
}

function clipped(spans: readonly PausedSpan[], stop: number): PausedSpan[] {
  const out: PausedSpan[] = [];
  for (const s of spans) if (s.from < stop) out.push(s.to > stop ? { from: s.from, to: stop } : s);
  return out;
}

function clock(
  calendar: Calendar, received: number, minutes: number, target: string, stop: number,
  spans: readonly PausedSpan[], nowMs: number | undefined,
): ClockTimes {
  const stopped = stop !== Infinity;
  // a stopped clock's due time is where it would have fallen had it run on from
  // its stop unpaused; pauses after the stop do not move it. The spans are
  // built in order and never overlap (touching is fine), so no sorting here.
  const pauses = stopped && spans.length > 0 && spans[spans.length - 1].to > stop ? clipped(spans, stop) : spans;
  const due = addWorkingTimeSkipping(calendar, received, minutes, pauses);
  const dueMs = due !== null && Number.isFinite(due) ? due : null;
  let state: ClockState;
  if (stopped) state = dueMs === null || stop <= dueMs ? 'met' : 'breached';
  else state = dueMs !== null && nowMs !== undefined && nowMs > dueMs ? 'breached' : 'open';
  return { target, minutes, dueMs, stopMs: stopped ? stop : null, state };
}
