// SLA clocks on statements (SPEC §11.4), hand-computed. Office calendar
// America/New_York, Mon–Fri 08:00–18:00, Sat 09:00–13:00; Standard's base fee
// 250.00 a month; credits 5% per breach, capped at 25%, of the recurring fees.
// DST ends on Sunday 1 November 2026: November's times are -05:00.
import t from 'tap';
import { loadPlan } from '../../src/plans/load.js';
import type { Plan } from '../../src/plans/types.js';
import { priceStatement } from '../../src/billing/statement.js';
import type { BilledStatement, BillingInput, RequestInput } from '../../src/billing/types.js';

function plan(credits = '{ perBreach: "5%", cap: "25%" }'): Plan {
  const src = `version: 1
partner: { id: contoso, name: Contoso, currency: USD, timezone: America/New_York }
services: { azure: Microsoft Azure }
calendars:
  office:
    hours: { mon-fri: ["08:00-18:00"], sat: ["09:00-13:00"] }
channels:
  phone: { type: phone, address: "+1 800 555 0199", calendar: 24x7 }
offerings:
  standard:
    name: Standard
    services: [azure]
    categories: [technical]
    channels: [phone]
    calendar: office
    pauseOn: [waiting-customer]
    severities:
      B: { name: High, response: 4h, resolution: 16h }
      C: { name: Normal, response: 8h }
    pricing:
      - { id: base, model: flat, amount: 250.00 }
    serviceCredits: ${credits}
`;
  const r = loadPlan(src, 'contoso.yaml');
  if (!r.plan) throw new Error(r.findings.map((f) => `${f.path}: ${f.message}`).join('; '));
  return r.plan;
}

const req = (id: string, severity: string, receivedAt: string, more: Partial<RequestInput> = {}): RequestInput => ({
  id, offering: 'standard', service: 'azure', category: 'technical', severity, channel: 'phone', receivedAt, ...more,
});
const bill = (p: Plan, period: string, requests: RequestInput[]): BilledStatement =>
  priceStatement({ plan: p, period, customer: { id: 'northwind' }, subscriptions: [{ id: 's1', offering: 'standard', start: '2026-10-01' }], requests, worklogs: [], spend: [] } satisfies BillingInput);
const credit = (s: BilledStatement) => s.lines.find((l) => l.component === 'service-credit')?.amount ?? null;

t.test('received Friday 30 October 16:00, due Monday 2 November: counted in November, not October', async (t) => {
  const p = plan();
  // C, 8h: Friday 16:00–18:00 (2h), Saturday 09:00–13:00 (4h), Monday 08:00–10:00 (2h); never answered
  const r = req('late-oct', 'C', '2026-10-30T16:00:00-04:00');
  const oct = bill(p, '2026-10', [r]);
  t.same(oct.serviceLevels, { requests: 1, met: 0, breached: 0, response: { met: 0, breached: 0, open: 1 }, resolution: { met: 0, breached: 0, open: 0 } });
  t.equal(credit(oct), null, 'no breach belongs to October');
  t.match(oct.requests![0], {
    id: 'late-oct',
    status: 'open',
    responseDueAt: '2026-11-02T10:00:00-05:00',
    response: { target: '8h', dueAt: '2026-11-02T10:00:00-05:00', state: 'open', stoppedAt: null, period: '2026-11' },
    resolution: null,
    pauses: [],
  });

  // November's statement reads it as an earlier request: its clock belongs there
  const nov = bill(p, '2026-11', [r]);
  t.same(nov.serviceLevels, { requests: 0, met: 0, breached: 1, response: { met: 0, breached: 1, open: 0 }, resolution: { met: 0, breached: 0, open: 0 } });
  t.equal(credit(nov), '-12.50', '1 breach × 5% × 250.00');
  t.same(nov.requests!.map((x) => [x.id, x.status, x.response!.period, x.earlier ?? false]), [['late-oct', 'breached', '2026-11', true]]);

  // answered Monday 09:30, before its due time: met, in November
  const answered = bill(p, '2026-11', [{ ...r, respondedAt: '2026-11-02T09:30:00-05:00' }]);
  t.same(answered.serviceLevels.response, { met: 1, breached: 0, open: 0 });
  t.equal(credit(answered), null);
  // in October it was still running at the month's end and due later: open there, met in November
  t.same(bill(p, '2026-10', [{ ...r, respondedAt: '2026-11-02T09:30:00-05:00' }]).serviceLevels.response, { met: 0, breached: 0, open: 1 });
  // answered on 31 October (before October ended) yet due in November: met in November only
  t.same(bill(p, '2026-10', [{ ...r, respondedAt: '2026-10-31T10:00:00-04:00' }]).serviceLevels.response, { met: 0, breached: 0, open: 0 });
});

t.test('credits on [response, resolution]: each breached clock of the period counts', async (t) => {
  // B on Tuesday 3 November 10:00: response due 14:00; resolution 16h: 8h to 18:00, then Wednesday 08:00–16:00
  const late = req('b1', 'B', '2026-11-03T10:00:00-05:00', { respondedAt: '2026-11-03T15:00:00-05:00' }); // response breached; never resolved: resolution breached
  const good = req('b2', 'B', '2026-11-03T10:00:00-05:00', {
    respondedAt: '2026-11-03T11:00:00-05:00',
    events: [{ at: '2026-11-05T09:00:00-05:00', type: 'status', status: 'resolved' }], // response met, resolution breached (due Wednesday 16:00)
  });
  const both = plan('{ perBreach: "5%", cap: "25%", on: [response, resolution] }');
  const s = bill(both, '2026-11', [late, good]);
  t.same(s.serviceLevels, { requests: 2, met: 1, breached: 1, response: { met: 1, breached: 1, open: 0 }, resolution: { met: 0, breached: 2, open: 0 } });
  t.equal(credit(s), '-37.50', '3 breaches × 5% × 250.00');
  t.match(s.lines.find((l) => l.component === 'service-credit'), { quantity: '3', unit: 'breaches' });
  t.match(s.requests![1], {
    id: 'b2',
    response: { dueAt: '2026-11-03T14:00:00-05:00', state: 'met', stoppedAt: '2026-11-03T11:00:00-05:00', period: '2026-11' },
    resolution: { target: '16h', dueAt: '2026-11-04T16:00:00-05:00', state: 'breached', stoppedAt: '2026-11-05T09:00:00-05:00', period: '2026-11' },
  });
  // the default, [response]: only b1's response
  t.equal(credit(bill(plan(), '2026-11', [late, good])), '-12.50');
  // capped: 6 breaches × 5% = 30% > 25%
  const many = [late, good, { ...late, id: 'b3' }, { ...late, id: 'b4' }];
  t.equal(credit(bill(both, '2026-11', many)), '-62.50', 'min(30%, 25%) × 250.00');
});

t.test('pauses move the due time and its period', async (t) => {
  // B on Friday 30 October 17:00: 1h counted, then waiting on the customer until Monday 2 November 09:00
  const r = req('p1', 'B', '2026-10-30T17:00:00-04:00', {
    events: [
      { at: '2026-10-30T18:00:00-04:00', type: 'status', status: 'waiting-customer' },
      { at: '2026-11-02T09:00:00-05:00', type: 'status', status: 'open' },
    ],
  });
  // resumed Monday 09:00 with 3h left (Saturday's hours did not count): due 12:00, in November
  const oct = bill(plan(), '2026-10', [r]);
  t.match(oct.requests![0], {
    response: { dueAt: '2026-11-02T12:00:00-05:00', state: 'open', period: '2026-11' },
    pauses: [{ from: '2026-10-30T18:00:00-04:00', to: '2026-11-02T09:00:00-05:00', status: 'waiting-customer' }],
  });
  t.same(oct.serviceLevels.response, { met: 0, breached: 0, open: 1 });
  const nov = bill(plan(), '2026-11', [r]);
  t.match(nov.requests![0], { earlier: true, response: { dueAt: '2026-11-02T12:00:00-05:00', state: 'breached', period: '2026-11' } });
  t.equal(credit(nov), '-12.50');

  // never resumed: no due time, so the clock belongs to no period yet (open in October, absent from November)
  const waiting = { ...r, events: r.events!.slice(0, 1) };
  const oct2 = bill(plan(), '2026-10', [waiting]);
  t.match(oct2.requests![0], { response: { dueAt: null, state: 'open', period: null }, pauses: [{ from: '2026-10-30T18:00:00-04:00', to: null }] });
  t.same(oct2.serviceLevels.response, { met: 0, breached: 0, open: 1 });
  const nov2 = bill(plan(), '2026-11', [waiting]);
  t.same([nov2.requests, nov2.serviceLevels.response], [[], { met: 0, breached: 0, open: 0 }]);
});

t.test('a severity raised after intake: the new targets over the whole life', async (t) => {
  // C at Monday 2 November 08:00 (due 16:00), raised to B at 11:00: due 12:00, answered 13:00: breached
  const r = req('s1', 'C', '2026-11-02T08:00:00-05:00', { respondedAt: '2026-11-02T13:00:00-05:00', events: [{ at: '2026-11-02T11:00:00-05:00', type: 'severity', severity: 'B' }] });
  const s = bill(plan(), '2026-11', [r]);
  t.match(s.requests![0], { severity: 'C', severityNow: 'B', status: 'breached', response: { target: '4h', dueAt: '2026-11-02T12:00:00-05:00', state: 'breached' } });
  t.equal(credit(s), '-12.50');
});

t.test('the request table shows both clocks, pauses and states (Markdown and CSV, both locales)', async (t) => {
  const { renderStatement } = await import('../../src/render/index.js');
  const p = plan();
  // b2: paused Tuesday 12:00 – Wednesday 09:00; resolution: 2h + 9h, then Thursday 08:00 + 5h = 13:00; resolved Thursday 09:00
  const s = bill(p, '2026-11', [
    req('late-oct', 'C', '2026-10-30T16:00:00-04:00'),
    req('b2', 'B', '2026-11-03T10:00:00-05:00', {
      respondedAt: '2026-11-03T11:00:00-05:00',
      events: [
        { at: '2026-11-03T12:00:00-05:00', type: 'status', status: 'waiting-customer' },
        { at: '2026-11-04T09:00:00-05:00', type: 'status', status: 'open' },
        { at: '2026-11-05T09:00:00-05:00', type: 'status', status: 'resolved' },
      ],
    }),
  ]);
  const doc = (locale: string, format: 'md' | 'csv') => renderStatement(s, { plan: p, locale, format }).body;
  const en = doc('en-US', 'md');
  t.ok(en.includes('| Request | Offering | Received | Severity | Response due | Responded | Status | Resolution | Paused |'));
  t.ok(en.includes('| late-oct | Standard | Oct 30, 2026, 16:00 | C · Normal | Nov 2, 2026, 10:00 | Not yet | Breached | — | — |'));
  t.ok(en.includes('| b2 | Standard | Nov 3, 2026, 10:00 | B · High | Nov 3, 2026, 14:00 | Nov 3, 2026, 11:00 | Met | due Nov 5, 2026, 13:00 · Met | Nov 3, 2026, 12:00 – Nov 4, 2026, 09:00 |'));
  t.ok(en.includes('- Resolved within target: 1'));
  const zh = doc('zh-CN', 'md');
  t.ok(zh.includes('| b2 | Standard | 2026年11月3日 10:00 | B · High | 2026年11月3日 14:00 | 2026年11月3日 11:00 | 达标 | 截止 2026年11月5日 13:00 · 达标 | 2026年11月3日 12:00 – 2026年11月4日 09:00 |'));
  t.ok(zh.includes('- 按时解决：1'));
  t.ok(doc('en-US', 'csv').includes('standard,sla,,breached,"late-oct (C, Oct 30, 2026, 16:00): response due Nov 2, 2026, 10:00 · Breached",,,,,\r\n'));
  t.ok(doc('zh-CN', 'csv').includes('standard,sla,,met,b2（B，2026年11月3日 10:00）：响应截止 2026年11月3日 14:00 · 达标；解决 截止 2026年11月5日 13:00 · 达标；暂停 2026年11月3日 12:00 – 2026年11月4日 09:00,,,,,\r\n'));
  // October's statement says where the late request's clock is counted
  const oct = renderStatement(bill(p, '2026-10', [req('late-oct', 'C', '2026-10-30T16:00:00-04:00')]), { plan: p, locale: 'en-US', format: 'md' }).body;
  t.ok(oct.includes('| Open (counted in November 2026) |'), 'counted in its due period');
});

t.test('quote requests take events: priced as stored ones, refused field by field', async (t) => {
  const { parseQuote, quoteStatement } = await import('../../src/billing/quote.js');
  const p = plan();
  const doc = (events: unknown[]) => ({
    partner: 'contoso',
    period: '2026-11',
    customer: { id: 'northwind' },
    subscriptions: [{ id: 's1', offering: 'standard', start: '2026-10-01' }],
    requests: [{ id: 'q1', offering: 'standard', service: 'azure', category: 'technical', severity: 'C', channel: 'phone', receivedAt: '2026-11-02T08:00:00-05:00', events }],
  });
  const ok = parseQuote(doc([{ at: '2026-11-02T11:00:00-05:00', type: 'severity', severity: 'B' }, { at: '2026-11-02T13:00:00-05:00', type: 'responded' }]));
  t.ok(ok.ok);
  if (ok.ok) {
    const s = quoteStatement(ok.value, p);
    t.match(s.requests![0], { severityNow: 'B', status: 'breached', response: { dueAt: '2026-11-02T12:00:00-05:00', stoppedAt: '2026-11-02T13:00:00-05:00' } });
    t.equal(credit(s), '-12.50');
  }
  const bad = parseQuote(doc([
    { at: '2026-11-02T07:00:00-05:00', type: 'responded' },
    { at: '2026-11-02T09:00:00-05:00', type: 'status', status: 'closed' },
    { at: '2026-11-02T09:00:00-05:00', type: 'status' },
    { at: '2026-11-02T09:00:00-05:00', type: 'responded', severity: 'B' },
  ]));
  t.notOk(bad.ok);
  if (!bad.ok) {
    const fields = bad.errors.map((e) => e.field).sort();
    t.same(fields, ['/requests/0/events/0/at', '/requests/0/events/1/status', '/requests/0/events/2/status', '/requests/0/events/3/severity']);
  }
});
