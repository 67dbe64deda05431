// Labour as partners bill it (issue 17, §8.5–§8.6), by hand: the after-hours
// split by the calendar's windows, minimum per worklog, the component a
// worklog names, work not charged, the included hours once per period across
// a price change. Calendar Mon–Fri 08:00–18:00 New York (fixtures.office).
import t from 'tap';
import { priceStatement } from '../../src/billing/statement.js';
import { describeStatement } from '../../src/render/lines.js';
import type { BillingInput, RequestInput, WorklogInput } from '../../src/billing/types.js';
import type { PricingComponent } from '../../src/plans/types.js';
import { dec, decision, makePlan } from './fixtures.js';

type Spec = Parameters<typeof makePlan>[0]['offerings'][number]['pricing'];
const labour = (over: Partial<Extract<PricingComponent, { model: 'hourly' }>> = {}) => ({
  id: 'labour',
  model: 'hourly' as const,
  amount: dec('120.00'),
  includedMinutes: 0,
  incrementMinutes: 15,
  afterHoursMultiplier: dec('1.5'),
  ...over,
});

function price(pricing: Spec, worklogs: WorklogInput[], extra: Partial<BillingInput> = {}) {
  const plan = makePlan({ offerings: [{ id: 'std', name: 'Std', pricing }] });
  const st = priceStatement({
    plan,
    period: '2026-10',
    customer: { id: 'c' },
    subscriptions: [{ id: 's1', offering: 'std', start: '2026-01-01' }],
    requests: [],
    worklogs,
    spend: [],
    ...extra,
  });
  const doc = describeStatement(st, plan);
  return { st, rows: doc.lines.map((l) => [l.component, l.kind ?? '', l.quantity ?? '', l.unitPrice ?? '', l.amount, l.description].join(' | ')) };
}
const w = (start: string, minutes: number, more: Partial<WorklogInput> = {}): WorklogInput => ({ offering: 'std', start, minutes, ...more });

t.test('a 17:45 worklog of 3 h: 15 minutes in business hours, the rest after hours', async (t) => {
  const { rows, st } = price([labour()], [w('2026-10-06T17:45:00-04:00', 180)]);
  t.same(rows, [
    'labour | business-hours | 0.25 | 120.00 | 30.00 | Std: labour, business hours, 0.25 h worked, 0.25 h billed',
    'labour | after-hours | 2.75 | 180.00 | 495.00 | Std: labour, after hours (× 1.5), 2.75 h worked, 2.75 h billed',
  ]);
  t.equal(st.total, '525.00');
});

t.test('a 07:55 worklog of 185 minutes: 5 after hours, the rounding goes to business hours', async (t) => {
  // 07:55–11:00: 5 minutes before 08:00, 180 after; rounded up to 195, the 10 added minutes are business
  const { rows } = price([labour()], [w('2026-10-06T07:55:00-04:00', 185)]);
  t.same(rows, [
    'labour | business-hours | 19/6 | 120.00 | 380.00 | Std: labour, business hours, 19/6 h worked, 19/6 h billed',
    'labour | after-hours | 1/12 | 180.00 | 15.00 | Std: labour, after hours (× 1.5), 1/12 h worked, 1/12 h billed',
  ]);
});

t.test('a worklog wholly after hours takes the rounded-up minutes after hours', async (t) => {
  const { rows } = price([labour()], [w('2026-10-10T10:00:00-04:00', 50)]); // a Saturday
  t.same(rows, ['labour | after-hours | 1 | 180.00 | 180.00 | Std: labour, after hours (× 1.5), 1 h worked, 1 h billed']);
});

t.test('minimum 30 minutes: raised first, then rounded up to the increment', async (t) => {
  const { rows } = price([labour({ minimumMinutes: 30 })], [w('2026-10-06T09:00:00-04:00', 10), w('2026-10-07T09:00:00-04:00', 40)]);
  // 10 -> 30; 40 -> 45: 75 minutes
  t.same(rows, ['labour | business-hours | 1.25 | 120.00 | 150.00 | Std: labour, business hours, 1.25 h worked, 1.25 h billed']);
});

t.test('two hourly components: a worklog is billed under the one it names, else the first', async (t) => {
  const onsite = { ...labour({ amount: dec('200.00') }), id: 'onsite' };
  const { rows } = price([labour(), onsite], [w('2026-10-06T09:00:00-04:00', 60), w('2026-10-07T09:00:00-04:00', 120, { component: 'onsite' })]);
  t.same(rows, [
    'labour | business-hours | 1 | 120.00 | 120.00 | Std: labour, business hours, 1 h worked, 1 h billed',
    'onsite | business-hours | 2 | 200.00 | 400.00 | Std: onsite, business hours, 2 h worked, 2 h billed',
  ]);
});

t.test('billable false: a no-charge line, and the included hour is left for billable work', async (t) => {
  const { rows, st } = price([labour({ includedMinutes: 60 })], [w('2026-10-06T09:00:00-04:00', 60, { billable: false }), w('2026-10-07T09:00:00-04:00', 90)]);
  t.same(rows, [
    'labour | business-hours | 0.5 | 120.00 | 60.00 | Std: labour, business hours, 1.5 h worked, 1 h included, 0.5 h billed',
    'labour | no-charge | 1 |  | 0.00 | Std: labour, 1 h worked, not charged',
  ]);
  t.equal(st.hoursWorked, '2.50');
});

t.test('a price change on the 16th with 2 h included: the 2 h once, used in time order across both versions', async (t) => {
  const { rows, st } = price(
    [labour({ includedMinutes: 120, to: '2026-10-15' }), labour({ includedMinutes: 120, amount: dec('150.00'), from: '2026-10-16' })],
    [w('2026-10-05T09:00:00-04:00', 90), w('2026-10-20T09:00:00-04:00', 120)],
  );
  t.same(rows, [
    'labour | business-hours | 0 | 120.00 | 0.00 | Std: labour, business hours, 1.5 h worked, 1.5 h included, 0 h billed',
    'labour | business-hours | 1.5 | 150.00 | 225.00 | Std: labour, business hours, 2 h worked, 0.5 h included, 1.5 h billed',
  ]);
  t.equal(st.total, '225.00');
});

t.test('per-incident: the included incident once per period across two versions', async (t) => {
  const inc = (from: string | undefined, to: string | undefined, amount: string) => ({
    id: 'incidents',
    model: 'per-incident' as const,
    amount: dec(amount),
    included: 1,
    categories: null,
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  });
  const req = (id: string, at: string): RequestInput => ({ id, offering: 'std', service: 'azure', category: 'technical', severity: 'B', channel: 'email', receivedAt: at, decision: decision('std') });
  const { rows } = price([inc(undefined, '2026-10-15', '95.00'), inc('2026-10-16', undefined, '110.00')], [], { requests: [req('r1', '2026-10-05T10:00:00-04:00'), req('r2', '2026-10-20T10:00:00-04:00')] });
  t.same(rows, [
    'incidents |  | 0 | 95.00 | 0.00 | Std: incidents, 1 incident, 1 included, 0 × 95.00',
    'incidents |  | 1 | 110.00 | 110.00 | Std: incidents, 1 incident, 1 × 110.00',
  ]);
});
