// Benchmark: SLA clocks over a request's life (src/rules/sla.ts). Requests on
// an office calendar (Mon–Fri 08–18, Sat 09–13, holidays, a half day and a
// make-up Saturday, America/New_York with both DST changes) received at any
// minute of 2026, each with 0–6 pause/resume status events, some responded and
// some resolved, response 4h or 8h and resolution 16h or 40h.
//   deadline-events        requestClockTimes: both clocks' due times and states
//                          from instants already read (as `deadline` measures
//                          addWorkingTime from epoch ms)
//   deadline-events-wire   requestClocks: the same from the wire's ISO strings,
//                          instants written back with their offsets
// Anchor of both, in the same run: a naive loop that steps minute by minute
// through isOpen() and the pause spans, from the same instants.
//   node --import tsx bench/deadline-events.ts
import type { Calendar } from '../src/calendar/types.js';
import { loadPlan } from '../src/plans/load.js';
import type { Plan } from '../src/plans/types.js';
import { orderEvents, requestClockTimes, requestClocks, type ClockRequest, type RequestEventInput, type TimedRequest } from '../src/rules/sla.js';
import { prng } from './data.js';
import type { BenchResult } from './types.js';
import { isMain, line, rate, result, sink } from './util.js';

const MINUTE = 60_000;

const PLAN = `version: 1
partner: { id: bench, name: Bench, currency: USD, timezone: America/New_York }
services: { m365: Microsoft 365 }
calendars:
  office:
    hours: { mon-fri: ["08:00-18:00"], sat: ["09:00-13:00"] }
    holidays: [2026-01-01, 2026-05-25, 2026-07-03, 2026-09-07, 2026-11-26, 2026-12-25, 2027-01-01]
    overrides:
      2026-11-27: ["08:00-12:00"]
      2026-12-19: ["08:00-18:00"]
channels:
  email: { type: email, address: support@bench.example }
offerings:
  standard:
    name: Standard
    services: [m365]
    categories: [technical]
    channels: [email]
    calendar: office
    pauseOn: [waiting-customer, waiting-microsoft]
    severities:
      B: { response: 4h, resolution: 16h }
      C: { response: 8h, resolution: 40h }
    pricing: []
`;

export function slaBenchPlan(): Plan {
  const r = loadPlan(PLAN, 'bench.yaml');
  if (!r.plan) throw new Error(r.findings.map((f) => f.message).join('; '));
  return r.plan;
}

export function slaCases(n: number, seed = 19): ClockRequest[] {
  const rnd = prng(seed);
  const from = Date.parse('2026-01-01T05:00:00Z');
  const iso = (t: number): string => new Date(t).toISOString();
  return Array.from({ length: n }, () => {
    const received = from + Math.floor(rnd() * 365 * 1440) * MINUTE;
    const events: RequestEventInput[] = [];
    // 0–6 events: pause, resume, pause, … up to two days apart (waiting on a customer or on Microsoft takes days)
    const count = Math.floor(rnd() * 7);
    let t = received;
    for (let i = 0; i < count; i++) {
      t += Math.floor(rnd() * 2 * 1440) * MINUTE;
      events.push({ at: iso(t), type: 'status', status: i % 2 === 0 ? (rnd() < 0.5 ? 'waiting-customer' : 'waiting-microsoft') : 'open' });
    }
    const respondedAt = rnd() < 0.5 ? iso(received + Math.floor(rnd() * 600) * MINUTE) : null;
    if (rnd() < 0.3) events.push({ at: iso(t + Math.floor(rnd() * 2880) * MINUTE), type: 'status', status: 'resolved' });
    return { offering: 'standard', severity: rnd() < 0.5 ? 'B' : 'C', receivedAt: iso(received), respondedAt, events };
  });
}

/** The anchor: minute by minute, open and not paused, until the target is counted (what the engine must not do). */
function naiveDue(cal: Calendar, received: number, minutes: number, paused: readonly (readonly [number, number])[]): number | null {
  let t = received;
  let left = minutes;
  while (left > 0) {
    const p = paused.find(([a, b]) => t >= a && t < b);
    if (p && p[1] === Infinity) return null; // paused for good before the target is reached
    if (!p && cal.isOpen(t)) left--;
    t += MINUTE;
  }
  return t;
}

/** A stopped clock's pauses end at its stop. */
const until = (paused: readonly [number, number][], stop: number): [number, number][] =>
  paused.filter(([a]) => a < stop).map(([a, b]) => [a, Math.min(b, stop)]);

/** Both clocks' due times the naive way, from the same events. */
function naiveClocks(plan: Plan, r: TimedRequest): [number | null, number | null] {
  const sev = plan.offerings.get(r.offering)!.severities.get(r.severity)!;
  const received = r.receivedMs;
  const pauseOn: readonly string[] = sev.pauseOn ?? [];
  const paused: [number, number][] = [];
  let status = 'open';
  let resolved = Infinity;
  for (const { at, event: e } of r.events) {
    if (e.status === 'resolved' && resolved === Infinity) resolved = at;
    if (pauseOn.includes(status) && paused.length > 0) paused[paused.length - 1]![1] = at;
    if (pauseOn.includes(e.status!) && !pauseOn.includes(status)) paused.push([at, Infinity]);
    status = e.status!;
  }
  const responded = Math.min(r.respondedMs ?? Infinity, resolved);
  return [naiveDue(sev.calendar, received, sev.responseMinutes, until(paused, responded)), naiveDue(sev.calendar, received, sev.resolutionMinutes!, until(paused, resolved))];
}

export async function runDeadlineEventsBench(opts: { seconds?: number } = {}): Promise<BenchResult[]> {
  const ms = (opts.seconds ?? 2) * 1000;
  const plan = slaBenchPlan();
  const cases = slaCases(20_000);
  const timed: TimedRequest[] = cases.map((c) => {
    const receivedMs = Date.parse(c.receivedAt);
    return { offering: c.offering, severity: c.severity, receivedMs, respondedMs: c.respondedAt ? Date.parse(c.respondedAt) : null, events: orderEvents(c.events ?? [], receivedMs) };
  });
  const now = Date.parse('2027-01-01T05:00:00Z');
  // Same answers, or the comparison means nothing.
  let mismatches = 0;
  for (let i = 0; i < 300; i++) {
    const c = requestClocks(plan, cases[i]!, now);
    const n = requestClockTimes(plan, timed[i]!, now);
    const [response, resolution] = naiveClocks(plan, timed[i]!);
    if (c.response.dueMs !== response || c.resolution!.dueMs !== resolution || n.response.dueMs !== response || n.resolution!.dueMs !== resolution) mismatches++;
  }
  if (mismatches > 0) console.warn(`deadline-events: ${mismatches} of 300 sample clocks differ from the naive loop`);

  const engine = (): number => {
    let s = 0;
    for (let i = 0; i < timed.length; i++) {
      const c = requestClockTimes(plan, timed[i]!, now);
      s += (c.response.dueMs ?? 0) + (c.resolution!.dueMs ?? 0);
    }
    sink.n += s;
    return timed.length;
  };
  const wire = (): number => {
    let s = 0;
    for (let i = 0; i < cases.length; i++) {
      const c = requestClocks(plan, cases[i]!, now);
      s += (c.response.dueAt?.length ?? 0) + (c.resolution!.dueMs ?? 0);
    }
    sink.n += s;
    return cases.length;
  };
  let j = 0;
  const naive = (): number => {
    let s = 0;
    for (let k = 0; k < 10; k++, j = (j + 1) % cases.length) {
      const [response, resolution] = naiveClocks(plan, timed[j]!);
      s += (response ?? 0) + (resolution ?? 0);
    }
    sink.n += s;
    return 10;
  };
  rate(engine, 300); // warm up: the year's chunks computed once, V8 optimized
  rate(wire, 300);
  const value = rate(engine, ms);
  const wireValue = rate(wire, ms);
  rate(naive, 100);
  const anchorValue = rate(naive, ms);
  return [
    result('deadline-events', value, 'requests/s', 'naive minute-stepping loop', anchorValue),
    result('deadline-events-wire', wireValue, 'requests/s', 'naive minute-stepping loop', anchorValue),
  ];
}

if (isMain(import.meta.url)) {
  for (const r of await runDeadlineEventsBench()) console.log(line(r));
}
