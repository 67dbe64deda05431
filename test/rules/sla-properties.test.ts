// requestClocks against a naive minute-stepping reference: random calendars
// (weekly hours, holidays, dated overrides, near DST changes), random status
// events (pauses by the severity's pauseOn), random severity changes (the last
// one applies from receipt, with its own calendar), responses and resolutions:
// identical due times and states.
import t from 'tap';
import fc from 'fast-check';
import type { CalendarSpec, Window } from '../../src/calendar/types.js';
import type { PausedSpan } from '../../src/calendar/working.js';
import { loadPlan } from '../../src/plans/load.js';
import { requestClocks, type RequestEventInput } from '../../src/rules/sla.js';
import { MINUTE, ZONES, refAddSkipping, specWithOverrides } from '../calendar/working-reference.js';

const STATUSES = ['open', 'waiting-customer', 'waiting-microsoft', 'waiting-provider', 'resolved'] as const;
const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const windows = (ws: readonly Window[]): string => `[${ws.map((w) => `"${hhmm(w.start)}-${hhmm(w.end)}"`).join(', ')}]`;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function calendarYaml(id: string, spec: CalendarSpec): string {
  const hours = spec.weekly.map((ws, d) => `      ${DAYS[d]}: ${windows(ws)}`).join('\n');
  const overrides = Object.entries(spec.overrides ?? {}).map(([d, ws]) => `      "${d}": ${windows(ws)}`).join('\n');
  return `  ${id}:\n    timezone: ${spec.timezone}\n    hours:\n${hours}\n    holidays: [${spec.holidays.join(', ')}]\n` + (overrides ? `    overrides:\n${overrides}\n` : '');
}

interface Sev { minutes: number; resolution: number; calendar: 'a' | 'b' | '24x7'; pauseOn: string[] }
const sevArb: fc.Arbitrary<Sev> = fc.record({
  minutes: fc.integer({ min: 1, max: 240 }),
  resolution: fc.integer({ min: 1, max: 600 }),
  calendar: fc.constantFrom('a' as const, 'b' as const, '24x7' as const),
  pauseOn: fc.subarray(['waiting-customer', 'waiting-microsoft', 'waiting-provider']),
});

function planYaml(a: CalendarSpec, b: CalendarSpec, sevs: Record<string, Sev>): string {
  const severities = Object.entries(sevs)
    .map(([l, s]) => `      ${l}: { response: ${s.minutes}m, resolution: ${s.resolution}m, calendar: ${s.calendar}, pauseOn: [${s.pauseOn.join(', ')}] }`)
    .join('\n');
  return `version: 1
partner: { id: p, name: P, currency: USD, timezone: ${a.timezone} }
services: { m365: M365 }
calendars:
${calendarYaml('a', a)}${calendarYaml('b', b)}channels:
  email: { type: email, address: s@p.example }
offerings:
  o:
    name: O
    services: [m365]
    categories: [billing]
    channels: [email]
    severities:
${severities}
    pricing: []
`;
}

const scenario = fc
  .record({ a: specWithOverrides, b: specWithOverrides, X: sevArb, Y: sevArb, Z: sevArb })
  .chain((r) => {
    const received = Date.parse(ZONES[r.a.timezone]) - 1440 * MINUTE;
    const event = fc.record({
      minute: fc.integer({ min: 0, max: 2 * 1440 }),
      kind: fc.constantFrom('status', 'status', 'status', 'severity', 'responded'),
      status: fc.constantFrom(...STATUSES),
      severity: fc.constantFrom('X', 'Y', 'Z'),
    });
    return fc.record({
      r: fc.constant(r),
      received: fc.constant(received),
      initial: fc.constantFrom('X', 'Y', 'Z'),
      events: fc.array(event, { maxLength: 8 }),
      responded: fc.option(fc.integer({ min: 0, max: 2 * 1440 }), { nil: undefined }),
    });
  });

/** Pause spans from the status events (already in order): each status holds until the next one. */
function refPauses(received: number, statuses: { at: number; status: string }[], pauseOn: string[]): PausedSpan[] {
  const segs = [{ at: received, status: 'open' }, ...statuses];
  const out: PausedSpan[] = [];
  segs.forEach((s, i) => {
    const to = i + 1 < segs.length ? segs[i + 1].at : Infinity;
    if (pauseOn.includes(s.status) && to > s.at) out.push({ from: s.at, to });
  });
  return out;
}

t.test('due times equal the minute-stepping reference', async (t) => {
  fc.assert(
    fc.property(scenario, ({ r, received, initial, events, responded }) => {
      const sevs = { X: r.X, Y: r.Y, Z: r.Z };
      const loaded = loadPlan(planYaml(r.a, r.b, sevs), 'p.yaml');
      if (!loaded.plan) throw new Error(loaded.findings.map((f) => `${f.path}: ${f.message}`).join('\n'));
      const wire: RequestEventInput[] = events.map((e) => {
        const at = new Date(received + e.minute * MINUTE).toISOString();
        return e.kind === 'status' ? { at, type: 'status', status: e.status } : e.kind === 'severity' ? { at, type: 'severity', severity: e.severity } : { at, type: 'responded' };
      });
      const respondedAt = responded === undefined ? undefined : new Date(received + responded * MINUTE).toISOString();
      const got = requestClocks(loaded.plan, { offering: 'o', severity: initial, receivedAt: new Date(received).toISOString(), respondedAt, events: wire });

      // reference: stable order by minute, the last severity change wins
      const sorted = events.map((e, i) => ({ ...e, i })).sort((x, y) => x.minute - y.minute || x.i - y.i);
      const label = [initial, ...sorted.filter((e) => e.kind === 'severity').map((e) => e.severity)].pop()!;
      const sev = sevs[label as 'X' | 'Y' | 'Z'];
      const spec: CalendarSpec = sev.calendar === 'a' ? r.a : sev.calendar === 'b' ? r.b : { id: '24x7', timezone: 'UTC', weekly: Array.from({ length: 7 }, () => [{ start: 0, end: 1440 }]), holidays: [], alwaysOpen: true };
      const statuses = sorted.filter((e) => e.kind === 'status').map((e) => ({ at: received + e.minute * MINUTE, status: e.status }));
      const pauses = refPauses(received, statuses, sev.pauseOn);
      // stops: the first resolved stops both clocks; the first answer (respondedAt or event) the response clock
      const resolved = statuses.find((s) => s.status === 'resolved')?.at ?? Infinity;
      const answers = sorted.filter((e) => e.kind === 'responded').map((e) => received + e.minute * MINUTE);
      const stop = Math.min(resolved, responded === undefined ? Infinity : received + responded * MINUTE, ...answers);
      const until = (end: number): PausedSpan[] => pauses.filter((p) => p.from < end).map((p) => ({ from: p.from, to: Math.min(p.to, end) }));
      const refResponse = refAddSkipping(spec, received, sev.minutes, until(stop), 6 * 1440);
      const refResolution = refAddSkipping(spec, received, sev.resolution, until(resolved), 6 * 1440);
      const stateOf = (due: number | null, end: number): string => (end === Infinity ? 'open' : due === null || due === Infinity || end <= due ? 'met' : 'breached');
      const same = (dueMs: number | null | undefined, ref: number | null): boolean => (ref === Infinity ? dueMs === null || (dueMs as number) > received + 6 * 1440 * MINUTE : dueMs === ref);
      if (got.severity !== label) return false;
      return (
        same(got.response.dueMs, refResponse) && same(got.resolution?.dueMs, refResolution) &&
        got.response.state === stateOf(refResponse, stop) && got.resolution?.state === stateOf(refResolution, resolved)
      );
    }),
    { numRuns: 60 },
  );
  t.pass('identical due times');
});
