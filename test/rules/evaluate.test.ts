// Decisions over the example plans (SPEC §3): every reason code, every rule
// effect, each escalation vehicle, billable both ways, outside-hours requests
// and exact due times. contoso's office: Mon–Fri 08–18, Sat 09–13,
// America/New_York, holidays 2026-11-26, 2026-12-25, 2027-01-01.
import t from 'tap';
import { readdirSync } from 'node:fs';
import { evaluate, evaluateForCustomer } from '../../src/rules/evaluate.js';
import type { Decision } from '../../src/rules/types.js';
import { contosoEdited, contosoSource, contosoWithRules, planFrom, PLANS_DIR, req } from './helpers.js';

const contoso = planFrom(contosoSource());
const codes = (d: Decision) => d.reasons.map((r) => r.code);

t.test('accepted decisions on contoso', async (t) => {
  const table: Array<[string, Parameters<typeof req>[0], Partial<Decision>]> = [
    [
      'the SPEC example: 30m Tuesday, 3h30m Wednesday',
      {},
      {
        accepted: true, reasons: [], offering: 'standard', handledBy: 'partner', escalation: 'advanced-support',
        withinHours: true, responseTarget: '4h', responseDueAt: '2026-11-25T11:30:00-05:00', billable: false, rules: [], notes: [],
      },
    ],
    [
      'target ends exactly at the window end: due 18:00, not next morning',
      { offering: 'essential', service: 'm365', channel: 'email', receivedAt: '2026-11-24T10:00:00-05:00' },
      { accepted: true, responseTarget: '8h', responseDueAt: '2026-11-24T18:00:00-05:00', billable: true, escalation: 'advanced-support' },
    ],
    [
      'billing: commercial escalation, per-incident only for technical so not billable',
      { offering: 'essential', service: 'm365', category: 'billing', severity: 'C', channel: 'portal', receivedAt: '2026-11-24T10:00:00-05:00' },
      { accepted: true, escalation: 'commercial', billable: false, responseTarget: '16h', responseDueAt: '2026-11-25T16:00:00-05:00' },
    ],
    [
      'subscription: commercial',
      { offering: 'standard', service: 'm365', category: 'subscription', channel: 'email', receivedAt: '2026-11-24T14:00:00Z' },
      { accepted: true, escalation: 'commercial', withinHours: true, responseDueAt: '2026-11-24T13:00:00-05:00' },
    ],
    [
      'the holiday (Thanksgiving) is skipped: 1h Wed, 3h Fri',
      { service: 'm365', channel: 'email', receivedAt: '2026-11-25T17:00:00-05:00' },
      { accepted: true, withinHours: true, responseDueAt: '2026-11-27T11:00:00-05:00' },
    ],
    [
      'received on the holiday itself: outside hours, clock starts Friday',
      { service: 'm365', channel: 'email', receivedAt: '2026-11-26T10:00:00-05:00' },
      { accepted: true, withinHours: false, responseDueAt: '2026-11-27T12:00:00-05:00' },
    ],
    [
      'outside hours (Saturday afternoon) by email: clock starts Monday 08:00',
      { offering: 'essential', service: 'm365', channel: 'email', receivedAt: '2026-11-28T15:00:00-05:00' },
      { accepted: true, withinHours: false, responseDueAt: '2026-11-30T16:00:00-05:00', billable: true },
    ],
    [
      'severity A on its own 24x7 calendar, written in the partner zone',
      { severity: 'A', channel: 'phone', receivedAt: '2026-11-28T12:30:00-05:00' },
      { accepted: true, withinHours: true, responseTarget: '1h', responseDueAt: '2026-11-28T13:30:00-05:00' },
    ],
    [
      'an instant in another offset is written in the calendar zone',
      { severity: 'A', channel: 'phone', receivedAt: '2026-11-28T17:30:00Z' },
      { accepted: true, responseDueAt: '2026-11-28T13:30:00-05:00' },
    ],
    [
      'across the end of DST: 1h Fri (EDT), 4h Sat, 3h Mon (EST)',
      { service: 'm365', severity: 'C', channel: 'email', receivedAt: '2026-10-30T17:00:00-04:00' },
      { accepted: true, responseTarget: '8h', responseDueAt: '2026-11-02T11:00:00-05:00' },
    ],
    [
      'across the start of DST: Fri 17:00 EST, Sat 4h, Mon 3h EDT',
      { service: 'm365', severity: 'C', channel: 'email', receivedAt: '2026-03-06T17:00:00-05:00' },
      { accepted: true, responseDueAt: '2026-03-09T11:00:00-04:00' },
    ],
    [
      'outsourced offering: handled by its delivery provider',
      { offering: 'dynamics-plus', service: 'd365', channel: 'phone', receivedAt: '2026-11-24T10:00:00-05:00' },
      { accepted: true, handledBy: 'fabrikam', responseTarget: '6h', responseDueAt: '2026-11-24T16:00:00-05:00', billable: false },
    ],
    [
      'seconds are kept; fractions dropped',
      { severity: 'A', receivedAt: '2026-11-24T10:00:07.900-05:00' },
      { accepted: true, responseDueAt: '2026-11-24T11:00:07-05:00' },
    ],
  ];
  for (const [name, over, want] of table) {
    const d = evaluate(contoso, req(over));
    t.match(d, want, name);
    t.same(Object.keys(d), ['accepted', 'reasons', 'offering', 'handledBy', 'escalation', 'withinHours', 'responseTarget', 'responseDueAt', 'billable', 'rules', 'notes'], `${name}: every field`);
  }
});

t.test('contoso rules: reject, route, billable, note', async (t) => {
  const a = evaluate(contoso, req({ severity: 'A', channel: 'email', receivedAt: '2026-11-24T10:00:00-05:00' }));
  t.same(
    a,
    {
      accepted: false,
      reasons: [{ code: 'RULE_REJECTED', message: 'Critical (A) requests must be raised by phone.' }],
      offering: 'standard',
      handledBy: null,
      escalation: 'advanced-support',
      withinHours: true,
      responseTarget: null,
      responseDueAt: null,
      billable: null,
      rules: ['sev-a-by-phone'],
      notes: [],
    },
    'reject: the rule message is the reason; undeterminable fields are null',
  );

  const after = evaluate(contoso, req({ channel: 'email', receivedAt: '2026-11-28T15:00:00-05:00' }));
  t.match(after, { accepted: true, withinHours: false, handledBy: 'fabrikam', rules: ['azure-after-hours-to-fabrikam'], responseDueAt: '2026-11-30T12:00:00-05:00' }, 'route: azure after hours');
  t.match(evaluate(contoso, req({ channel: 'email', receivedAt: '2026-11-24T10:00:00-05:00' })), { handledBy: 'partner', rules: [] }, 'azure within hours stays with the partner');

  const tech = { offering: 'essential', service: 'm365', channel: 'email', receivedAt: '2026-11-24T10:00:00-05:00' };
  t.match(evaluate(contoso, req(tech)), { billable: true, rules: [] }, 'per-incident technical: billable');
  t.match(
    evaluate(contoso, req({ ...tech, serviceIncident: true })),
    { accepted: true, billable: false, rules: ['incidents-caused-by-microsoft'], notes: ['Caused by a Microsoft service incident: not charged.'] },
    'billable: false set by a rule, with its note',
  );
  t.match(evaluate(contoso, req({ ...tech, serviceIncident: undefined })), { billable: true, rules: [] }, 'absent serviceIncident counts as false');
});

t.test('every check fails together; messages say what is right', async (t) => {
  const d = evaluate(contoso, req({ offering: 'essential', severity: 'A' }));
  t.same(codes(d), ['SERVICE_NOT_COVERED', 'CHANNEL_NOT_OFFERED', 'SEVERITY_NOT_OFFERED']);
  t.match(d.reasons[0].message, /"azure".*"essential".*m365/);
  t.match(d.reasons[1].message, /"phone".*email, portal/);
  t.match(d.reasons[2].message, /"A".*B, C/);
  t.match(d, { accepted: false, offering: 'essential', withinHours: true, handledBy: null, responseDueAt: null, billable: null, rules: [] });

  const dp = evaluate(contoso, req({ offering: 'dynamics-plus', service: 'd365', category: 'billing', channel: 'portal' }));
  t.same(codes(dp), ['CATEGORY_NOT_COVERED', 'CHANNEL_NOT_OFFERED']);
  t.match(dp.reasons[0].message, /covers: technical/);
  t.equal(dp.escalation, 'commercial');

  const closed = evaluate(contoso, req({ severity: 'A', receivedAt: '2026-11-28T15:00:00-05:00' }));
  t.same(codes(closed), ['CHANNEL_CLOSED'], 'phone on Saturday afternoon; the A-by-phone rule does not run');
  t.equal(closed.reasons[0].message, 'channel "phone" is closed at 2026-11-28T15:00:00-05:00 (calendar "office"); it opens next at 2026-11-30T08:00:00-05:00; open now: email, portal');
  t.same(closed.rules, []);

  const unknown = evaluate(contoso, req({ offering: 'gold' }));
  t.same(codes(unknown), ['UNKNOWN_OFFERING']);
  t.match(unknown, { offering: null, withinHours: null });
  t.match(unknown.reasons[0].message, /"gold".*essential, standard, dynamics-plus/);

  t.same(codes(evaluate(contoso, req({ offering: undefined }))), ['UNKNOWN_OFFERING'], 'no offering, no subscriptions');
  t.throws(() => evaluate(contoso, req({ receivedAt: 'yesterday' })), TypeError, 'unparsed input is a caller bug');
});

t.test('evaluateForCustomer: NO_ACTIVE_SUBSCRIPTION and offering matching', async (t) => {
  const none = evaluateForCustomer(contoso, req({ offering: undefined, receivedAt: '2026-11-25T01:00:00Z' }), []);
  t.same(codes(none), ['NO_ACTIVE_SUBSCRIPTION']);
  t.equal(none.reasons[0].message, 'customer "northwind" holds no offering of partner "contoso" on 2026-11-24', 'local date in the partner zone');
  t.equal(none.offering, null);

  const notHeld = evaluateForCustomer(contoso, req(), ['essential']);
  t.same(codes(notHeld), ['NO_ACTIVE_SUBSCRIPTION']);
  t.match(notHeld.reasons[0].message, /does not hold offering "standard".*holds: essential/);
  t.match(evaluateForCustomer(contoso, req(), ['standard']), { accepted: true, offering: 'standard' });

  const m365 = req({ offering: undefined, service: 'm365', channel: 'email' });
  t.match(evaluateForCustomer(contoso, m365, ['standard', 'essential']), { accepted: true, offering: 'essential' }, 'plan order, not list order');
  t.match(evaluateForCustomer(contoso, req({ offering: undefined }), ['essential', 'standard']), { accepted: true, offering: 'standard' }, 'first accepting wins');
  const first = evaluateForCustomer(contoso, req({ offering: undefined }), ['dynamics-plus', 'essential', 'unknown-x']);
  t.match(first, { accepted: false, offering: 'essential' }, 'none accepts: the first held one');
  t.same(codes(first), ['SERVICE_NOT_COVERED', 'CHANNEL_NOT_OFFERED']);
  t.match(evaluate(contoso, m365, { activeOfferings: ['standard'] }), { accepted: true, offering: 'standard' }, 'evaluate with activeOfferings');
});

t.test('rule language: file order, later wins, reject stops, any, not', async (t) => {
  const plan = contosoWithRules(`
rules:
  - id: r1-route
    when: { service: m365 }
    then: { route: fabrikam, note: first }
  - id: r2-later-wins
    when: { service: m365, category: [billing, subscription] }
    then: { route: adatum, response: 90m, note: second }
  - id: r3-not
    when: { channel: { not: [email, phone] } }
    then: { billable: true, note: not email nor phone }
  - id: r4-any
    when:
      any:
        - { customer: northwind }
        - { severity: C, withinHours: false }
    then: { response: 30m }
  - id: r5-reject
    when: { customer: blocked }
    then: { reject: "Customer on hold: call accounts." }
  - id: r6-after-reject
    when: { customer: blocked }
    then: { note: never seen }
`);
  const base = { offering: 'essential', service: 'm365', channel: 'email', receivedAt: '2026-11-24T10:00:00-05:00' };
  t.match(
    evaluate(plan, req({ ...base, customer: 'tailspin', category: 'billing', channel: 'portal' })),
    {
      accepted: true, handledBy: 'adatum', responseTarget: '1h30m', responseDueAt: '2026-11-24T11:30:00-05:00',
      billable: true, rules: ['r1-route', 'r2-later-wins', 'r3-not'], notes: ['first', 'second', 'not email nor phone'],
    },
    'every matching rule applies in order; later route wins; billable set true; notes accumulate',
  );
  t.match(
    evaluate(plan, req({ ...base, severity: 'C' })),
    { handledBy: 'fabrikam', responseTarget: '30m', responseDueAt: '2026-11-24T10:30:00-05:00', billable: true, rules: ['r1-route', 'r4-any'] },
    'any: first branch (customer)',
  );
  t.match(
    evaluate(plan, req({ ...base, customer: undefined, severity: 'C', receivedAt: '2026-11-28T15:00:00-05:00' })),
    { withinHours: false, responseTarget: '30m', responseDueAt: '2026-11-30T08:30:00-05:00', rules: ['r1-route', 'r4-any'] },
    'any: second branch (severity and withinHours false); no customer',
  );
  t.match(evaluate(plan, req({ ...base, customer: 'tailspin', severity: 'C' })), { responseTarget: '16h', rules: ['r1-route'] }, 'any: no branch');
  t.same(
    evaluate(plan, req({ ...base, customer: 'blocked' })),
    {
      accepted: false,
      reasons: [{ code: 'RULE_REJECTED', message: 'Customer on hold: call accounts.' }],
      offering: 'essential', handledBy: null, escalation: 'advanced-support', withinHours: true,
      responseTarget: null, responseDueAt: null, billable: null, rules: ['r1-route', 'r5-reject'], notes: ['first'],
    },
    'reject stops evaluation at once',
  );
});

t.test('escalation vehicles', async (t) => {
  const tech = req({ service: 'm365', channel: 'email', receivedAt: '2026-11-24T10:00:00-05:00' });
  const billing = req({ service: 'm365', channel: 'email', category: 'billing', receivedAt: '2026-11-24T10:00:00-05:00' });
  t.equal(evaluate(contoso, tech).escalation, 'advanced-support');
  t.equal(evaluate(contoso, billing).escalation, 'commercial');
  const pcs = contosoEdited('technical: [advanced-support]', 'technical: [partner-cloud-support, premier-support]');
  t.equal(evaluate(pcs, tech).escalation, 'partner-cloud-support', 'the first of the list');
  // §12.4: the deprecated name is read as Partner Cloud Support
  const sig = contosoEdited('technical: [advanced-support]', 'technical: [signature-cloud, unified-support]');
  t.equal(evaluate(sig, tech).escalation, 'partner-cloud-support', 'signature-cloud is read as partner-cloud-support');
  const premier = contosoEdited('technical: [advanced-support]', 'technical: [premier-support]');
  t.equal(evaluate(premier, tech).escalation, 'premier-support');
  const none = contosoEdited(/commercial: true(.*)\n(\s*)technical: \[advanced-support\]/, 'commercial: false$1\n$2technical: []');
  t.equal(evaluate(none, tech).escalation, null, 'no technical vehicle');
  t.equal(evaluate(none, billing).escalation, null, 'no commercial support');
});

t.test('billable: per-incident component in force on the local date', async (t) => {
  const plan = contosoEdited(
    /- \{ id: incidents, model: per-incident,/,
    '- { id: incidents, model: per-incident, from: 2026-12-01,',
  );
  const r = (at: string) => req({ offering: 'essential', service: 'm365', channel: 'email', receivedAt: at });
  t.equal(evaluate(plan, r('2026-11-30T23:30:00-05:00')).billable, false, 'still November in New York (December in UTC)');
  t.equal(evaluate(plan, r('2026-12-01T00:30:00-05:00')).billable, true, 'December in New York');
});

t.test('every example plan evaluates every offering', async (t) => {
  const files = readdirSync(PLANS_DIR).filter((f) => f.endsWith('.yaml'));
  t.ok(files.length >= 1);
  const { readFileSync } = await import('node:fs');
  for (const f of files) {
    const plan = planFrom(readFileSync(PLANS_DIR + f, 'utf8'), PLANS_DIR + f);
    for (const o of plan.offerings.values()) {
      for (const severity of o.severities.keys()) {
        for (const channel of o.channels) {
          const d = evaluate(plan, {
            partner: plan.partner.id, offering: o.id, service: o.services[0], category: o.categories[0],
            severity, channel, receivedAt: '2026-11-24T12:00:00Z',
          });
          const ok = d.accepted
            ? /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/.test(d.responseDueAt ?? '') && d.handledBy !== null
            : d.reasons.length > 0 && d.reasons.every((x) => ['CHANNEL_CLOSED', 'RULE_REJECTED'].includes(x.code));
          t.ok(ok, `${f} ${o.id} ${severity} ${channel}: ${JSON.stringify(d.reasons)} ${d.responseDueAt}`);
        }
      }
    }
  }
});
