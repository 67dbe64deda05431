// SLA clocks on a statement (SPEC §11.4), pure. Each accepted request's
// clocks are computed over its whole life (src/rules/sla.ts) and judged at the
// period's end; a clock belongs to the period of its due time in the
// partner's timezone, not to the period of the request's receipt. So a
// request received on 30 October and due on 2 November is counted (and
// credited) in November. The statement's service levels and credits count
// the clocks that belong to its period; its request table lists the period's
// requests and the earlier ones with a clock belonging here.
import type { Plan } from '../plans/types.js';
import type { Decision } from '../rules/types.js';
import { orderEvents, requestClockTimes, requestClocks, type Clock, type RequestClocks } from '../rules/sla.js';
import { localDate, type Period } from '../time/period.js';
import { parseInstant } from '../time/instant.js';
import type { ClockCounts, RequestInput, ServiceLevels, StatementClock } from './types.js';

export type ClockKind = 'response' | 'resolution';

/** An accepted request with its clocks, and the subscription (statement order) that held its offering when it arrived. */
export interface ClockedRequest {
  readonly id: string;
  readonly input: RequestInput;
  readonly decision: Decision;
  readonly offering: string;
  readonly receivedMs: number;
  /** Received before the period (its clocks may still belong to it). */
  readonly earlier: boolean;
  /** The subscription (statement order) that held the offering on the receipt date. */
  readonly subscription: number;
  readonly clocks: RequestClocks;
  readonly response: StatementClock;
  readonly resolution: StatementClock | null;
}

const periodOf = (c: Clock, zone: string): string | null => (c.dueMs === null ? null : localDate(c.dueMs, zone).slice(0, 7));

function statementClock(c: Clock, zone: string): StatementClock {
  return { target: c.target, dueAt: c.dueAt, state: c.state, stoppedAt: c.stoppedAt, period: periodOf(c, zone) };
}

/**
 * The clocks of every accepted request of the input, judged at the period's
 * end. `decide` gives a request's decision (stored, or evaluated for quotes);
 * `holder` the subscription holding an offering on a local date (-1: none).
 * Requests of an offering or severity the plan no longer has are left out
 * (they cannot be timed; their statement lines are priced as before).
 */
export function clockRequests(
  plan: Plan,
  period: Period,
  requests: Iterable<RequestInput>,
  decide: (r: RequestInput) => Decision,
  holder: (offering: string, date: string) => number,
): ClockedRequest[] {
  const zone = plan.partner.timezone;
  const out: ClockedRequest[] = [];
  for (const r of requests) {
    const receivedMs = parseInstant(r.receivedAt);
    if (Number.isNaN(receivedMs) || receivedMs >= period.endMs) continue;
    const d = decide(r);
    if (!d.accepted) continue;
    const offering = d.offering ?? r.offering;
    const o = plan.offerings.get(offering);
    if (!o) continue;
    // a severity the plan no longer has cannot be timed again: the decision's due time stands (as before clocks had a life)
    const clocks = o.severities.has(r.severity)
      ? requestClocks(
          plan,
          { offering, severity: r.severity, receivedAt: r.receivedAt, respondedAt: r.respondedAt ?? null, events: r.events ?? [], responseTarget: d.responseTarget },
          period.endMs,
        )
      : decidedClocks(r, d, period.endMs);
    const response = statementClock(clocks.response, zone);
    const resolution = clocks.resolution ? statementClock(clocks.resolution, zone) : null;
    const subscription = holder(offering, localDate(receivedMs, zone));
    if (subscription < 0) continue; // no subscription held the offering that day: not billed, not counted (§3.2)
    const earlier = receivedMs < period.startMs;
    // an earlier request matters here only through a clock of this period
    if (earlier && response.period !== period.id && resolution?.period !== period.id) continue;
    out.push({ id: r.id, input: r, decision: d, offering, receivedMs, earlier, subscription, clocks, response, resolution });
  }
  return out.sort((a, b) => a.receivedMs - b.receivedMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The response clock as the decision timed it at intake (no events, no resolution): for a severity the plan no longer has. */
function decidedClocks(r: RequestInput, d: Decision, endMs: number): RequestClocks {
  const due = d.responseDueAt ? parseInstant(d.responseDueAt) : NaN;
  const dueMs = Number.isNaN(due) ? null : due;
  const stop = r.respondedAt ? parseInstant(r.respondedAt) : NaN;
  const stopped = !Number.isNaN(stop);
  const state = stopped ? (dueMs !== null && stop > dueMs ? 'breached' : 'met') : dueMs !== null && dueMs < endMs ? 'breached' : 'open';
  const response: Clock = { target: d.responseTarget ?? '', dueAt: dueMs === null ? null : d.responseDueAt, dueMs, state, stoppedAt: stopped ? r.respondedAt! : null };
  return { status: 'open', severity: r.severity, response, resolution: null, pauses: [] };
}

/** The due times (epoch ms, null: never due) of an accepted request's response and resolution clocks; null when it has no clocks (not accepted, offering or severity not in the plan, no valid receipt). They do not depend on the instant the clocks are judged at. */
export function clockDues(plan: Plan, r: RequestInput): readonly [number | null, number | null] | null {
  const d = r.decision;
  const offering = d?.offering ?? r.offering;
  if (!d?.accepted || !plan.offerings.get(offering)?.severities.has(r.severity)) return null;
  // in numbers (no instant written back): it runs for every request of the year before the period
  const receivedMs = parseInstant(r.receivedAt);
  if (Number.isNaN(receivedMs)) return null;
  const responded = r.respondedAt ? parseInstant(r.respondedAt) : NaN;
  const c = requestClockTimes(
    plan,
    { offering, severity: r.severity, receivedMs, respondedMs: Number.isNaN(responded) ? null : responded, events: orderEvents(r.events ?? [], receivedMs), responseTarget: d.responseTarget },
  );
  return [c.response.dueMs, c.resolution?.dueMs ?? null];
}

/** Does one of the due times (clockDues) fall in the period (its local month)? */
export function duesBelong(period: Period, dues: readonly [number | null, number | null] | null): boolean {
  if (dues === null) return false;
  // no closure: it runs for every earlier request of every period of a window
  const [response, resolution] = dues;
  return (response !== null && response >= period.startMs && response < period.endMs) || (resolution !== null && resolution >= period.startMs && resolution < period.endMs);
}

/** Does one of an accepted request's clocks belong to the period (its due time's local month)? */
export function clockBelongs(plan: Plan, period: Period, r: RequestInput): boolean {
  return duesBelong(period, clockDues(plan, r));
}

/** §11.4: the breached clocks of the listed kinds that belong to the period, of one subscription's requests. */
export function breaches(clocked: readonly ClockedRequest[], subscription: number, period: string, on: readonly ClockKind[]): number {
  let n = 0;
  for (const c of clocked) {
    if (c.subscription !== subscription) continue;
    for (const kind of on) {
      const clock = c[kind];
      if (clock && clock.period === period && clock.state === 'breached') n++;
    }
  }
  return n;
}

/**
 * The counts of one kind of clock: met and breached among those belonging to
 * the period; open: still running at the period's end and not yet due (due
 * later, or paused), among the period's own requests; it is met or breached
 * in the period it belongs to. A clock of the period's request that belongs
 * to a later period but stopped before this one ended is counted there only.
 */
function counts(clocked: readonly ClockedRequest[], kind: ClockKind, period: Period): ClockCounts {
  let met = 0;
  let breached = 0;
  let open = 0;
  for (const c of clocked) {
    const clock = c[kind];
    if (!clock) continue;
    if (clock.period === period.id) {
      if (clock.state === 'met') met++;
      else if (clock.state === 'breached') breached++;
      else open++;
    } else if (!c.earlier && (clock.stoppedAt === null || parseInstant(clock.stoppedAt) >= period.endMs)) open++; // running at the period's end, due later

  }
  return { met, breached, open };
}

/** `requests`: the accepted requests received in the period (as counted by the usage step). */
export function serviceLevels(clocked: readonly ClockedRequest[], requests: number, period: Period): ServiceLevels {
  const response = counts(clocked, 'response', period);
  const resolution = counts(clocked, 'resolution', period);
  return { requests, met: response.met, breached: response.breached, response, resolution };
}
