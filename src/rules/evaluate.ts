// Request evaluation (SPEC §3): the checks of §3.2, the rules of §3.3 and the
// decision of §3.4, on a plan compiled once (./compile.ts).
import type { Plan } from '../plans/types.js';
import {
  billableOn,
  compilePlan,
  type CompiledOffering,
  type CompiledPlan,
  type RuleContext,
  type RuleOutcome,
} from './compile.js';
import { parseInstant, zoneOffsets } from '../time/instant.js';
import type { Decision, Reason, SupportRequest } from './types.js';

/** The shared empty list of decisions with no rules, notes or reasons (frozen: decisions are read-only). */
const NONE = Object.freeze([]) as unknown as string[];
const NO_REASONS: readonly Reason[] = Object.freeze([]);

export interface EvaluateOptions {
  /**
   * Ids of the offerings the customer holds on the request's local date, when
   * known (API). Given: §3.1 subscription matching (see evaluateForCustomer).
   * null/absent: the request must name its offering.
   */
  readonly activeOfferings?: readonly string[] | null;
}

/**
 * Decides one request. `request` must have passed parseRequest (a receivedAt
 * that is not an instant throws a TypeError: that is a caller's bug, not a
 * decision).
 */
export function evaluate(plan: Plan, request: SupportRequest, opts?: EvaluateOptions): Decision {
  const active = opts?.activeOfferings;
  if (active !== undefined && active !== null) return evaluateForCustomer(plan, request, active);
  const cp = compilePlan(plan);
  const at = instantOf(request);
  if (request.offering === undefined || request.offering === null) {
    return rejected(cp, request, null, null, [
      reason(
        'UNKNOWN_OFFERING',
        `the request names no offering and the customer's subscriptions are not known here; name one of: ${cp.offeringsText}`,
      ),
    ]);
  }
  return evaluateOffering(cp, request, request.offering, at);
}

/**
 * §3.1 with known subscriptions. `activeOfferingIds`: what the customer holds
 * on the request's local date (ids the plan does not know are ignored).
 * - request names an offering: it is evaluated if held, else NO_ACTIVE_SUBSCRIPTION;
 * - otherwise each held offering is tried in the plan's order of offerings;
 *   the first that accepts wins; if none accepts, the first one's decision is
 *   returned (its `offering` says which was tried);
 * - nothing held: NO_ACTIVE_SUBSCRIPTION with `offering: null`.
 */
export function evaluateForCustomer(
  plan: Plan,
  request: SupportRequest,
  activeOfferingIds: readonly string[],
): Decision {
  const cp = compilePlan(plan);
  const at = instantOf(request);
  const named = request.offering;
  if (named !== undefined && named !== null) {
    if (!cp.offerings.has(named) || activeOfferingIds.includes(named)) return evaluateOffering(cp, request, named, at);
    const held = heldInOrder(cp, activeOfferingIds);
    return rejected(cp, request, null, null, [
      reason(
        'NO_ACTIVE_SUBSCRIPTION',
        `${customerText(request)} does not hold offering "${named}" on ${cp.partnerZone.localDate(at)}` +
          (held.length > 0 ? `; it holds: ${held.join(', ')}` : '; it holds no offering on that date'),
      ),
    ]);
  }
  const held = heldInOrder(cp, activeOfferingIds);
  if (held.length === 0) {
    return rejected(cp, request, null, null, [
      reason(
        'NO_ACTIVE_SUBSCRIPTION',
        `${customerText(request)} holds no offering of partner "${cp.plan.partner.id}" on ${cp.partnerZone.localDate(at)}`,
      ),
    ]);
  }
  let first: Decision | null = null;
  for (const id of held) {
    const d = evaluateOffering(cp, request, id, at);
    if (d.accepted) return d;
    if (first === null) first = d;
  }
  return first as Decision;
}

function heldInOrder(cp: CompiledPlan, ids: readonly string[]): string[] {
  const out: string[] = [];
  for (const id of cp.offerings.keys()) if (ids.includes(id)) out.push(id);
  return out;
}

function instantOf(request: SupportRequest): number {
  const at = parseInstant(request.receivedAt);
  if (Number.isNaN(at)) throw new TypeError(`receivedAt is not an ISO 8601 instant: ${JSON.stringify(request.receivedAt)}`);
  return at;
}

function evaluateOffering(cp: CompiledPlan, req: SupportRequest, offeringId: string, at: number): Decision {
  const co = cp.offerings.get(offeringId);
  if (co === undefined) {
    return rejected(cp, req, null, null, [
      reason(
        'UNKNOWN_OFFERING',
        `offering "${offeringId}" is not in the plan of partner "${cp.plan.partner.id}"; its offerings are: ${cp.offeringsText}`,
      ),
    ]);
  }
  let reasons: Reason[] | null = null;
  if (!co.services.has(req.service)) {
    (reasons ??= []).push(
      reason('SERVICE_NOT_COVERED', `service "${req.service}" is not covered by offering "${co.id}"; it covers: ${co.text.services}`),
    );
  }
  if (!co.categories.has(req.category)) {
    (reasons ??= []).push(
      reason(
        'CATEGORY_NOT_COVERED',
        `category "${req.category}" is not covered by offering "${co.id}"; it covers: ${co.text.categories}`,
      ),
    );
  }
  const channel = co.channels.get(req.channel);
  if (channel === undefined) {
    (reasons ??= []).push(
      reason(
        'CHANNEL_NOT_OFFERED',
        `channel "${req.channel}" is not offered by offering "${co.id}"; it offers: ${co.text.channels}`,
      ),
    );
  } else if (!channel.calendar.isOpen(at)) {
    // only an offered channel is checked for hours: for one that is not
    // offered, its hours would be beside the point
    (reasons ??= []).push(reason('CHANNEL_CLOSED', closedMessage(cp, co, req.channel, at)));
  }
  const sev = co.severities.get(req.severity);
  if (sev === undefined) {
    (reasons ??= []).push(
      reason(
        'SEVERITY_NOT_OFFERED',
        `severity "${req.severity}" is not offered by offering "${co.id}"; it offers: ${co.text.severities}`,
      ),
    );
  }
  const withinHours = co.calendar.isOpen(at);
  if (reasons !== null || sev === undefined) return rejected(cp, req, co.id, withinHours, reasons ?? []);

  const ctx: RuleContext = {
    customer: req.customer ?? undefined,
    offering: co.id,
    service: req.service,
    category: req.category,
    severity: req.severity,
    channel: req.channel,
    withinHours,
    serviceIncident: req.serviceIncident === true,
  };
  const out: RuleOutcome = {
    rules: NONE,
    notes: NONE,
    reject: null,
    route: null,
    billable: null,
    responseMinutes: sev.minutes,
    responseText: null,
  };
  co.runRules(ctx, out);
  if (out.reject !== null) {
    return rejected(cp, req, co.id, withinHours, [reason('RULE_REJECTED', out.reject)], out.rules, out.notes);
  }
  const due = sev.calendar.addWorkingTime(at, out.responseMinutes);
  return {
    accepted: true,
    reasons: NO_REASONS,
    offering: co.id,
    handledBy: out.route ?? co.offering.delivery,
    escalation: escalationOf(cp, req),
    withinHours,
    responseTarget: out.responseText ?? sev.text,
    // a calendar that never opens has no due time
    responseDueAt: Number.isFinite(due) ? sev.zone.format(due) : null,
    billable: out.billable ?? billableOn(co.billable[req.category], cp.partnerZone, at),
    rules: out.rules,
    notes: out.notes,
  };
}

function escalationOf(cp: CompiledPlan, req: SupportRequest): string | null {
  return cp.escalation[req.category] ?? null;
}

/**
 * A rejecting decision. What the request and the plan alone determine is
 * filled in (offering, withinHours, escalation); what rules could have changed
 * (handledBy, responseTarget, responseDueAt, billable) is null, because the
 * rules did not run, or stopped at a reject. `rules` and `notes`: what fired
 * before a reject.
 */
function rejected(
  cp: CompiledPlan,
  req: SupportRequest,
  offering: string | null,
  withinHours: boolean | null,
  reasons: Reason[],
  rules: string[] = NONE,
  notes: string[] = NONE,
): Decision {
  return {
    accepted: false,
    reasons,
    offering,
    handledBy: null,
    escalation: escalationOf(cp, req),
    withinHours,
    responseTarget: null,
    responseDueAt: null,
    billable: null,
    rules,
    notes,
  };
}

function closedMessage(cp: CompiledPlan, co: CompiledOffering, channelId: string, at: number): string {
  const ch = co.channels.get(channelId)!;
  const cal = ch.calendar;
  const zone = cal.alwaysOpen || cal.id === '24x7' ? cp.partnerZone : zoneOffsets(cal.timezone);
  const next = cal.nextOpening(at);
  const open: string[] = [];
  for (const [id, other] of co.channels) if (id !== channelId && other.calendar.isOpen(at)) open.push(id);
  return (
    `channel "${channelId}" is closed at ${zone.format(at)} (calendar "${cal.id}")` +
    (Number.isFinite(next) ? `; it opens next at ${zone.format(next)}` : '; it never opens') +
    (open.length > 0 ? `; open now: ${open.join(', ')}` : '')
  );
}

function customerText(req: SupportRequest): string {
  return req.customer ? `customer "${req.customer}"` : 'the customer';
}

function reason(code: Reason['code'], message: string): Reason {
  return { code, message };
}
