// SLA clocks over a request's life (pure): a response clock and, when the
// severity has a resolution target, a resolution clock. Each counts open time
// of the severity's calendar from receipt, does not count while the request's
// status is one of the severity's `pauseOn`, and stops at its event. A
// severity change applies the new severity's targets and calendar to the whole
// life of the request. Cost: sorting the events, then O(windows crossed +
// pauses) per clock (src/calendar/working.ts); never minute stepping.
import type { Calendar } from '../calendar/types.js';
import { addWorkingTimeSkipping, normalizePauses, type PausedSpan } from '../calendar/working.js';
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

interface Ordered {
  readonly at: number;
  readonly event: RequestEventInput;
}

const PAUSABLE: ReadonlySet<string> = new Set<PauseStatus>(['waiting-customer', 'waiting-microsoft', 'waiting-provider']);

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
  const offering = plan.offerings.get(request.offering);
  if (!offering) throw new RangeError(`unknown offering "${request.offering}"`);
  const received = parseInstant(request.receivedAt);
  if (Number.isNaN(received)) throw new RangeError(`receivedAt "${request.receivedAt}" is not an instant`);
  const events = ordered(request.events ?? [], received);

  // the severity in force applies retroactively: find it first
  let label = request.severity;
  for (const { event } of events) if (event.type === 'severity' && event.severity !== undefined && offering.severities.has(event.severity)) label = event.severity;
  const severity = severityOf(offering, label);
  const pauseOn = new Set<string>(severity.pauseOn ?? []);

  // status timeline: pauses, first resolution, first response
  const spans: { from: number; to: number; status: PauseStatus }[] = [];
  let status: RequestStatus = 'open';
  let statusAtNow: RequestStatus = 'open';
  let resolvedAt = Infinity;
  let respondedAt = request.respondedAt ? parseInstant(request.respondedAt) : NaN;
  if (Number.isNaN(respondedAt)) respondedAt = Infinity;
  else respondedAt = Math.max(respondedAt, received);
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

  const zone = zoneOf(plan, severity.calendar);
  const ruleMinutes = label === request.severity && request.responseTarget ? parseDuration(request.responseTarget) : null;
  const responseMinutes = ruleMinutes ?? severity.responseMinutes;
  const response = clock(severity.calendar, zone, received, responseMinutes, responseStop, spans, nowMs);
  const resolution =
    severity.resolutionMinutes !== undefined ? clock(severity.calendar, zone, received, severity.resolutionMinutes, resolvedAt, spans, nowMs) : null;
  return {
    status: statusAtNow,
    severity: label,
    response,
    resolution,
    pauses: spans.map((s) => ({ from: zone.format(s.from), to: s.to === Infinity ? null : zone.format(s.to), status: s.status })),
  };
}

/** Events in order of `at`, ties in the order given; `at` before receipt read as receipt. */
function ordered(events: readonly RequestEventInput[], received: number): Ordered[] {
  const out: Ordered[] = [];
  for (const event of events) {
    const at = parseInstant(event.at);
    if (!Number.isNaN(at)) out.push({ at: Math.max(at, received), event });
  }
  // Array.prototype.sort is stable: ties keep arrival order
  return out.sort((a, b) => a.at - b.at);
}

function severityOf(offering: Offering, label: string): Severity {
  const s = offering.severities.get(label);
  if (!s) throw new RangeError(`offering "${offering.id}" has no severity "${label}"`);
  return s;
}

/** The zone a due time is written in: the calendar's, the partner's for 24x7 (as request evaluation does). */
function zoneOf(plan: Plan, calendar: Calendar): ZoneOffsets {
  return zoneOffsets(calendar.alwaysOpen ? plan.partner.timezone : calendar.timezone);
}

function clock(
  calendar: Calendar, zone: ZoneOffsets, received: number, minutes: number, stop: number,
  spans: readonly PausedSpan[], nowMs: number | undefined,
): Clock {
  const stopped = stop !== Infinity;
  // a stopped clock's due time is where it would have fallen had it run on from
  // its stop unpaused; pauses after the stop do not move it
  const pauses = normalizePauses(stopped ? spans.filter((s) => s.from < stop).map((s) => ({ from: s.from, to: Math.min(s.to, stop) })) : spans);
  const due = addWorkingTimeSkipping(calendar, received, minutes, pauses);
  const dueMs = due !== null && Number.isFinite(due) ? due : null;
  let state: ClockState;
  if (stopped) state = dueMs === null || stop <= dueMs ? 'met' : 'breached';
  else state = dueMs !== null && nowMs !== undefined && nowMs > dueMs ? 'breached' : 'open';
  return {
    target: formatDuration(minutes),
    dueAt: dueMs === null ? null : zone.format(dueMs),
    dueMs,
    state,
    stoppedAt: stopped ? zone.format(stop) : null,
  };
}
