// SLA clocks over a request's life, computed by hand (see sla-fixture.ts for the plan:
// New York, office 09:00-17:00 Mon-Fri, Thanksgiving 26 Nov 2026 closed, Fri 27 a half day
// 09:00-13:00, Sat 28 a make-up working day; pauseOn waiting-customer for the offering,
// A: 24x7 and never paused, C: paused on waiting-customer and waiting-microsoft).
import t from 'tap';
import { slaPlan } from './sla-fixture.js';
import { requestClocks, type ClockRequest, type RequestEventInput } from '../../src/rules/sla.js';

const plan = slaPlan();
const at = (iso: string): number => Date.parse(iso);
const status = (when: string, s: RequestEventInput['status']): RequestEventInput => ({ at: when, type: 'status', status: s });
const clocks = (r: Partial<ClockRequest> & { receivedAt: string }, now?: string) =>
  requestClocks(plan, { offering: 'std', severity: 'B', ...r }, now === undefined ? undefined : at(now));

t.test('paused over a weekend and a holiday: the pause skips the half day and the make-up Saturday', async (t) => {
  const c = clocks({
    receivedAt: '2026-11-25T15:00:00-05:00',
    respondedAt: '2026-11-25T16:00:00-05:00',
    // 1h30m counted on Wednesday, then waiting on the customer until Monday 10:00
    events: [status('2026-11-25T16:30:00-05:00', 'waiting-customer'), status('2026-11-30T10:00:00-05:00', 'open')],
  }, '2026-12-05T00:00:00-05:00');
  // response 4h: Wed 15-17 (2h), Thu closed, Fri 09-11 (2h); responded 16:00 -> met
  t.same(c.response, { target: '4h', dueAt: '2026-11-27T11:00:00-05:00', dueMs: at('2026-11-27T16:00:00Z'), state: 'met', stoppedAt: '2026-11-25T16:00:00-05:00' });
  // resolution 16h: 1h30m Wed, 14h30m left from Mon 10:00: Mon 7h, Tue 7h30m -> Tue 16:30; never resolved -> breached
  t.same(c.resolution, { target: '16h', dueAt: '2026-12-01T16:30:00-05:00', dueMs: at('2026-12-01T21:30:00Z'), state: 'breached', stoppedAt: null });
  t.same(c.pauses, [{ from: '2026-11-25T16:30:00-05:00', to: '2026-11-30T10:00:00-05:00', status: 'waiting-customer' }]);
  t.equal(c.status, 'open');
  // without the pause the half day (4h) and the make-up Saturday (8h) would count: Mon 11:00
  const unpaused = clocks({ receivedAt: '2026-11-25T15:00:00-05:00' });
  t.equal(unpaused.resolution?.dueAt, '2026-11-30T11:00:00-05:00');
});

t.test('paused while the calendar is closed: no effect', async (t) => {
  const base = { receivedAt: '2026-11-02T16:00:00-05:00' };
  const paused = clocks({ ...base, events: [status('2026-11-02T18:00:00-05:00', 'waiting-customer'), status('2026-11-03T08:00:00-05:00', 'open')] });
  const plain = clocks(base);
  // 1h Monday, 3h Tuesday from 09:00
  t.equal(paused.response.dueAt, '2026-11-03T12:00:00-05:00');
  t.same(paused.response, plain.response);
  t.same(paused.resolution, plain.resolution);
  t.equal(paused.pauses.length, 1);
});

t.test('severity raised from C to A after 3 business hours: A targets and 24x7 apply from receipt', async (t) => {
  const r = { severity: 'C', receivedAt: '2026-11-02T09:00:00-05:00', events: [{ at: '2026-11-02T12:00:00-05:00', type: 'severity' as const, severity: 'A' }] };
  const atChange = clocks(r, '2026-11-02T12:00:00-05:00');
  t.equal(atChange.severity, 'A');
  t.same(atChange.response, { target: '1h', dueAt: '2026-11-02T10:00:00-05:00', dueMs: at('2026-11-02T15:00:00Z'), state: 'breached', stoppedAt: null });
  t.same(atChange.resolution, { target: '8h', dueAt: '2026-11-02T17:00:00-05:00', dueMs: at('2026-11-02T22:00:00Z'), state: 'open', stoppedAt: null });
  // before the change it was C: 8h of office time, Monday 09:00-17:00
  const asC = clocks({ severity: 'C', receivedAt: r.receivedAt }, '2026-11-02T12:00:00-05:00');
  t.same([asC.severity, asC.response.dueAt, asC.response.state], ['C', '2026-11-02T17:00:00-05:00', 'open']);
  // A is never paused (its own empty pauseOn replaces the offering's)
  const waiting = clocks({ ...r, events: [...r.events, status('2026-11-02T09:30:00-05:00', 'waiting-customer')] }, '2026-11-02T12:00:00-05:00');
  t.equal(waiting.response.dueAt, '2026-11-02T10:00:00-05:00');
  t.same(waiting.pauses, []);
  t.equal(waiting.status, 'waiting-customer');
});

t.test('resolution breached while response met', async (t) => {
  const c = clocks({
    receivedAt: '2026-11-02T09:00:00-05:00',
    events: [{ at: '2026-11-02T09:30:00-05:00', type: 'responded' }, status('2026-11-04T10:00:00-05:00', 'resolved')],
  }, '2026-11-10T00:00:00-05:00');
  t.same(c.response, { target: '4h', dueAt: '2026-11-02T13:00:00-05:00', dueMs: at('2026-11-02T18:00:00Z'), state: 'met', stoppedAt: '2026-11-02T09:30:00-05:00' });
  // 16h = Monday and Tuesday -> Tuesday 17:00; resolved Wednesday 10:00
  t.same(c.resolution, { target: '16h', dueAt: '2026-11-03T17:00:00-05:00', dueMs: at('2026-11-03T22:00:00Z'), state: 'breached', stoppedAt: '2026-11-04T10:00:00-05:00' });
  t.equal(c.status, 'resolved');
});

t.test('a half-day override and a make-up Saturday', async (t) => {
  // Fri 27: 12:00-13:00 (1h), Sat 28: 09:00-12:00 (3h)
  const c = clocks({ receivedAt: '2026-11-27T12:00:00-05:00' });
  t.equal(c.response.dueAt, '2026-11-28T12:00:00-05:00');
  // received on the half day after it closed: starts at the make-up Saturday's opening
  t.equal(clocks({ receivedAt: '2026-11-27T14:00:00-05:00' }).response.dueAt, '2026-11-28T13:00:00-05:00');
  // resolution 16h from Fri 12:00: 1h + 8h Sat + 7h Mon -> Monday 16:00
  t.equal(c.resolution?.dueAt, '2026-11-30T16:00:00-05:00');
});

t.test('a clock paused without resuming has no due time and stays open', async (t) => {
  const c = clocks({ severity: 'C', receivedAt: '2026-11-02T09:00:00-05:00', events: [status('2026-11-02T10:00:00-05:00', 'waiting-microsoft')] }, '2026-12-31T00:00:00-05:00');
  t.same(c.response, { target: '8h', dueAt: null, dueMs: null, state: 'open', stoppedAt: null });
  t.same(c.pauses, [{ from: '2026-11-02T10:00:00-05:00', to: null, status: 'waiting-microsoft' }]);
  t.equal(c.status, 'waiting-microsoft');
  // waiting-microsoft does not pause B (the offering pauses on waiting-customer only)
  const b = clocks({ receivedAt: '2026-11-02T09:00:00-05:00', events: [status('2026-11-02T10:00:00-05:00', 'waiting-microsoft')] });
  t.equal(b.response.dueAt, '2026-11-02T13:00:00-05:00');
  t.same(b.pauses, []);
  // responding while paused stops the clock: met, and the due time ignores the pause after the stop
  const r = clocks({ severity: 'C', receivedAt: '2026-11-02T09:00:00-05:00', respondedAt: '2026-11-03T09:00:00-05:00', events: [status('2026-11-02T10:00:00-05:00', 'waiting-customer')] });
  t.same([r.response.dueAt, r.response.state], ['2026-11-03T16:00:00-05:00', 'met']);
});

t.test('events in order of at, ties in arrival order; before receipt read as receipt', async (t) => {
  const received = '2026-11-02T09:00:00-05:00';
  // same instant: waiting then open -> no pause; open then waiting -> paused from then on
  const a = clocks({ receivedAt: received, events: [status('2026-11-02T10:00:00-05:00', 'waiting-customer'), status('2026-11-02T10:00:00-05:00', 'open')] });
  t.equal(a.response.dueAt, '2026-11-02T13:00:00-05:00');
  const b = clocks({ receivedAt: received, events: [status('2026-11-02T10:00:00-05:00', 'open'), status('2026-11-02T10:00:00-05:00', 'waiting-customer')] });
  t.equal(b.response.dueAt, null);
  // listed out of order: sorted by at
  const c = clocks({ receivedAt: received, events: [status('2026-11-02T11:00:00-05:00', 'open'), status('2026-11-02T10:00:00-05:00', 'waiting-customer')] });
  t.equal(c.response.dueAt, '2026-11-02T14:00:00-05:00');
  // the first responded wins, whether respondedAt or an event
  const d = clocks({ receivedAt: received, respondedAt: '2026-11-02T12:00:00-05:00', events: [{ at: '2026-11-02T11:00:00-05:00', type: 'responded' }, { at: '2026-11-02T10:00:00-05:00', type: 'responded' }] });
  t.equal(d.response.stoppedAt, '2026-11-02T10:00:00-05:00');
  // the first resolved stops the resolution clock; reopening does not restart it
  const e = clocks({ receivedAt: received, events: [status('2026-11-02T10:00:00-05:00', 'resolved'), status('2026-11-02T11:00:00-05:00', 'open'), status('2026-11-02T12:00:00-05:00', 'resolved')] });
  t.same([e.resolution?.stoppedAt, e.resolution?.state, e.status], ['2026-11-02T10:00:00-05:00', 'met', 'resolved']);
  // resolving answers the customer: a response clock still running stops there
  t.same([e.response.stoppedAt, e.response.state], ['2026-11-02T10:00:00-05:00', 'met']);
  // an event stamped before receipt counts from receipt
  const f = clocks({ receivedAt: received, events: [{ at: '2026-11-02T08:00:00-05:00', type: 'responded' }] });
  t.equal(f.response.stoppedAt, received);
});

t.test('state at nowMs: open until the due time has passed, then breached', async (t) => {
  const r = { receivedAt: '2026-11-02T09:00:00-05:00' };
  t.equal(clocks(r, '2026-11-02T13:00:00-05:00').response.state, 'open'); // exactly due: not after it
  t.equal(clocks(r, '2026-11-02T13:00:01-05:00').response.state, 'breached');
  t.equal(clocks(r).response.state, 'open'); // no now: a running clock is not judged
  // stopped exactly at the due time: met
  t.equal(clocks({ ...r, respondedAt: '2026-11-02T13:00:00-05:00' }).response.state, 'met');
  t.equal(clocks({ ...r, respondedAt: '2026-11-02T13:00:01-05:00' }).response.state, 'breached');
  // status is the one at nowMs
  t.equal(clocks({ ...r, events: [status('2026-11-03T09:00:00-05:00', 'resolved')] }, '2026-11-02T12:00:00-05:00').status, 'open');
});

t.test('a rule-set response target holds while the intake severity does; no resolution target, no clock', async (t) => {
  const c = clocks({ severity: 'D', receivedAt: '2026-11-02T09:00:00-05:00', responseTarget: '2h' });
  t.same([c.response.target, c.response.dueAt, c.resolution], ['2h', '2026-11-02T11:00:00-05:00', null]);
  const changed = clocks({ severity: 'D', receivedAt: '2026-11-02T09:00:00-05:00', responseTarget: '2h', events: [{ at: '2026-11-02T09:10:00-05:00', type: 'severity', severity: 'B' }] });
  t.same([changed.response.target, changed.response.dueAt], ['4h', '2026-11-02T13:00:00-05:00']);
  // an unknown label in an event is skipped (the shell refuses it on the way in)
  t.equal(clocks({ receivedAt: '2026-11-02T09:00:00-05:00', events: [{ at: '2026-11-02T09:10:00-05:00', type: 'severity', severity: 'Z' }] }).severity, 'B');
});

t.test('unknown offering or severity: a RangeError naming it', async (t) => {
  t.throws(() => requestClocks(plan, { offering: 'nope', severity: 'B', receivedAt: '2026-11-02T09:00:00-05:00' }), new RangeError('unknown offering "nope"'));
  t.throws(() => requestClocks(plan, { offering: 'std', severity: 'Q', receivedAt: '2026-11-02T09:00:00-05:00' }), new RangeError('offering "std" has no severity "Q"'));
});

t.test('request evaluation honours overrides too: its responseDueAt is the response clock at intake', async (t) => {
  const { evaluate } = await import('../../src/rules/evaluate.js');
  const receivedAt = '2026-11-27T12:00:00-05:00'; // the half day, then the make-up Saturday
  const d = evaluate(plan, { partner: 'acme', offering: 'std', service: 'm365', category: 'billing', severity: 'B', channel: 'email', receivedAt });
  t.same([d.accepted, d.withinHours, d.responseDueAt], [true, true, '2026-11-28T12:00:00-05:00']);
  t.equal(clocks({ receivedAt }).response.dueAt, d.responseDueAt);
  const late = evaluate(plan, { partner: 'acme', offering: 'std', service: 'm365', category: 'billing', severity: 'B', channel: 'email', receivedAt: '2026-11-27T14:00:00-05:00' });
  t.equal(late.withinHours, false, 'the half day has closed at 13:00');
});

t.test('requestClockTimes is requestClocks in numbers', async (t) => {
  const { orderEvents, requestClockTimes } = await import('../../src/rules/sla.js');
  const receivedAt = '2026-11-25T15:00:00-05:00';
  const events: RequestEventInput[] = [status('2026-11-30T10:00:00-05:00', 'open'), status('2026-11-25T16:30:00-05:00', 'waiting-customer'), { at: '2026-11-25T16:00:00-05:00', type: 'responded' }];
  const now = at('2026-12-05T00:00:00-05:00');
  const words = clocks({ receivedAt, events }, '2026-12-05T00:00:00-05:00');
  const n = requestClockTimes(plan, { offering: 'std', severity: 'B', receivedMs: at(receivedAt), events: orderEvents(events, at(receivedAt)) }, now);
  t.same(
    [n.status, n.severity, n.response.dueMs, n.response.stopMs, n.response.state, n.response.minutes, n.resolution?.dueMs, n.resolution?.state],
    [words.status, words.severity, words.response.dueMs, at('2026-11-25T16:00:00-05:00'), 'met', 240, words.resolution?.dueMs, 'breached'],
  );
  t.same(n.pauses, [{ from: at('2026-11-25T16:30:00-05:00'), to: at('2026-11-30T10:00:00-05:00'), status: 'waiting-customer' }]);
  t.equal(n.zone.timezone, 'America/New_York');
});
