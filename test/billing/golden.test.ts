// Golden statement for the example plan (plans/contoso.yaml = the SPEC's
// example), every amount derived by hand below. Requests carry no decision:
// the rules engine decides them, as for any quote.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { loadPlan } from '../../src/plans/load.js';
import { parseQuote, quoteStatement } from '../../src/billing/quote.js';
import { marginReport } from '../../src/billing/margin.js';

t.setTimeout(300_000);
const plan = loadPlan(readFileSync('test/fixtures/plans/contoso.yaml', 'utf8'), 'plans/contoso.yaml').plan!;
const parsed = parseQuote(JSON.parse(readFileSync('docs/examples/quote-standard.json', 'utf8')));

t.test('contoso, northwind, 2026-10', async (t) => {
  t.ok(parsed.ok);
  if (!parsed.ok) return;
  const s = quoteStatement(parsed.value, plan);
  t.same(
    s.lines.map((l) => [l.offering, l.component, l.kind ?? '', l.amount]),
    [
      // s2 (essential, from 2026-01-01) starts first, so its lines come first
      ['essential', 'base', '', '49.00'], // 49.00 × 31/31
      ['essential', 'incidents', '', '95.00'], // r3, r4 technical & billable: 2 − 1 included = 1 × 95.00
      ['standard', 'base', '', '177.42'], // 250.00 × 22/31 = 177.419… (Oct 10..31)
      ['standard', 'seats', '', '28.39'], // 10 × 22 days × 4.00 / 31 = 880/31 = 28.387…
      ['standard', 'labour', 'business-hours', '0.00'], // r1: 100 min -> 105 (15m), all inside the 120 included
      ['standard', 'labour', 'after-hours', '135.00'], // r2: 19:00, office closed: 50 -> 60 min, 15 included left, 45 min × 180.00/h
      ['standard', 'azure', '', '146.42'], // 8% × 1830.25 = 146.42 (between 100 and 5000)
      ['standard', 'discount', '', '-48.72'], // −10% × (177.42 + 28.39 + 0 + 135 + 146.42 = 487.23); above minimum 300 × 22/31 = 212.90
      ['standard', 'service-credit', '', '-9.26'], // r2 unanswered, due Oct 20 17:00: 1 breach × 5% × (177.42 + 28.39) × (1 − 10% discount) = 9.26145
    ],
  );
  t.equal(s.subtotal, '573.25'); // 49 + 95 + 487.23 − 48.72 − 9.26
  t.equal(s.tax, '47.29'); // 8.25% × 573.25 = 47.293…
  t.equal(s.total, '620.54');
  // §11.4: every clock here is due in October; no severity of the plan has a resolution target
  t.same(s.serviceLevels, { requests: 4, met: 3, breached: 1, response: { met: 3, breached: 1, open: 0 }, resolution: { met: 0, breached: 0, open: 0 } });
  t.equal(s.hoursWorked, '2.50'); // 100 + 50 minutes as worked
  t.match(s.planHash, /^sha256:[0-9a-f]{64}$/);
  t.equal(s.planHash, plan.hash);
});

t.test('margin of the example: revenue per offering, provider cost for fabrikam', async (t) => {
  if (!parsed.ok) return;
  const doc = parsed.value;
  const r = marginReport([
    {
      plan,
      period: '2026-10',
      customer: doc.customer,
      subscriptions: [...doc.subscriptions, { id: 's3', offering: 'dynamics-plus', start: '2026-10-01', quantities: [{ metric: 'users', value: 10, from: '2026-10-01' }] }],
      requests: [
        ...(doc.requests ?? []),
        { id: 'r9', offering: 'dynamics-plus', service: 'd365', category: 'technical', severity: 'B', channel: 'email', receivedAt: '2026-10-06T10:00:00-04:00' },
      ],
      worklogs: [...(doc.worklogs ?? []), { request: 'r9', start: '2026-10-06T10:30:00-04:00', minutes: 40 }],
      spend: doc.spend ?? [],
    },
  ]);
  const dyn = r.rows.find((x) => x.offering === 'dynamics-plus');
  // revenue: 10 users × 12.00 = 120.00 ; cost: fabrikam hourly 40 -> 45 min × 55.00 = 41.25, per-incident 30.00
  t.equal(dyn?.revenue, '120.00');
  t.equal(dyn?.cost, '71.25');
  t.equal(dyn?.margin, '48.75');
  t.equal(dyn?.marginPercent, '40.6%'); // 48.75 / 120 = 40.625%
  t.equal(r.byProvider.find((x) => x.key === 'partner')?.revenue, '573.25'); // essential and standard: the statement above, net before tax
  t.equal(r.total.revenue, '693.25'); // + 120.00 dynamics-plus
});

t.test('quote errors quote long values cut short', async (t) => {
  const doc = JSON.parse(readFileSync('docs/examples/quote-standard.json', 'utf8')) as Record<string, unknown>;
  const long = 'x'.repeat(3000);
  const r = parseQuote({ ...doc, period: long, [long]: 1 });
  t.equal(r.ok, false);
  if (r.ok) return;
  const period = r.errors.find((e) => e.field === '/period');
  t.match(period?.message, /got "x{40}…"$/, 'the value is cut at 40 characters');
  const unknown = r.errors.find((e) => e.message.startsWith('unknown field'));
  t.equal(unknown?.message, `unknown field "${'x'.repeat(40)}…"`);
  for (const e of r.errors) t.ok(e.message.length < 200, `short message: ${e.message.slice(0, 60)}`);
});
