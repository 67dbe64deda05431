// Month-end over HTTP (§9.1–§9.6): adjustments, PERIOD_ISSUED, the finalize
// guards with an injected clock, force, plan versions, and corrections of
// earlier periods exactly once.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { loadPlan } from '../../src/plans/load.js';
import { startServer, type Server } from './helpers.js';
import { huayun } from '../render/fixtures.js';

const yaml = readFileSync('test/fixtures/plans/contoso.yaml', 'utf8');
const plan = loadPlan(yaml, 'plans/contoso.yaml').plan!;
// the server's clock, moved by the test
let nowMs = Date.parse('2026-11-01T04:00:00Z'); // October has just ended in New York

async function start(t: Tap): Promise<Server> {
  const s = await startServer([plan, huayun()], { now: () => nowMs });
  t.teardown(() => s.close());
  return s;
}
type Tap = { teardown(fn: () => unknown): void };

/** Standard from Oct 1: base 250.00, 10 seats 40.00, 8 % of Azure spend (minimum 100.00); tax 10 %. */
async function customer(s: Server, id: string, spend: string | null = '2000.00'): Promise<void> {
  const ok = (r: { status: number; text: string }) => {
    if (r.status !== 201) throw new Error(r.text);
  };
  ok(await s.call('POST', '/customers', { body: { id, name: id, taxRate: '10%' } }));
  ok(await s.call('POST', '/subscriptions', { body: { id: `${id}-std`, customer: id, offering: 'standard', start: '2026-10-01', quantities: [{ metric: 'seats', value: 10, from: '2026-10-01' }] } }));
  if (spend) ok(await s.call('POST', '/spend', { body: { id: `${id}-oct`, customer: id, period: '2026-10', service: 'azure', amount: spend } }));
}
const lines = (doc: { lines: { component: string; amount: string; corrects?: string }[] }) => doc.lines.map((l) => [l.component, l.amount, ...(l.corrects ? [l.corrects] : [])]);

t.test('adjustments: 201, after every subscription line in order of creation, taxable or not, replays, refusals', async (t) => {
  const s = await start(t);
  nowMs = Date.parse('2026-11-01T04:00:00Z');
  await customer(s, 'northwind');
  const a1 = await s.call('POST', '/adjustments', { body: { id: 'onboarding', customer: 'northwind', period: '2026-10', description: 'Onboarding workshop', amount: '300.00', offering: 'standard' } });
  t.equal(a1.status, 201, a1.text);
  t.same(a1.json, { id: 'onboarding', customer: 'northwind', period: '2026-10', description: 'Onboarding workshop', amount: '300.00', offering: 'standard', taxable: true });
  const a2 = await s.call('POST', '/adjustments', { body: { id: 'goodwill', customer: 'northwind', period: '2026-10', description: 'Goodwill', amount: '-50.00', taxable: false } });
  t.equal(a2.status, 201);
  t.equal((await s.call('POST', '/adjustments', { body: { id: 'goodwill', customer: 'northwind', period: '2026-10', description: 'Goodwill', amount: '-50.00', taxable: false } })).status, 201, 'the same id and body replays');
  const conflict = await s.call('POST', '/adjustments', { body: { id: 'goodwill', customer: 'northwind', period: '2026-10', description: 'Goodwill', amount: '-60.00' } });
  t.equal(conflict.status, 409);
  t.equal(conflict.json.code, 'RECORD_CONFLICT');
  const decimals = await s.call('POST', '/adjustments', { body: { customer: 'northwind', period: '2026-10', description: 'x', amount: '1.005' } });
  t.equal(decimals.status, 400);
  t.equal(decimals.json.errors[0].pointer, '/amount');
  const offering = await s.call('POST', '/adjustments', { body: { customer: 'northwind', period: '2026-10', description: 'x', amount: '1.00', offering: 'nope' } });
  t.equal(offering.json.errors[0].pointer, '/offering');
  const float = await s.call('POST', '/adjustments', { body: { customer: 'northwind', period: '2026-10', description: 'x', amount: 1 } });
  t.equal(float.status, 400);
  const unknown = await s.call('POST', '/adjustments', { body: { customer: 'nobody', period: '2026-10', description: 'x', amount: '1.00' } });
  t.equal(unknown.status, 400);
  t.equal(unknown.json.code, 'MISSING_REFERENCE');
  t.equal((await s.call('POST', '/adjustments', { token: s.viewer, body: { customer: 'northwind', period: '2026-10', description: 'x', amount: '1.00' } })).status, 403);

  const draft = await s.call('GET', '/statements/northwind/2026-10');
  t.same(lines(draft.json), [['base', '250.00'], ['seats', '40.00'], ['azure', '160.00'], ['adjustment', '300.00'], ['adjustment', '-50.00']]);
  t.same(draft.json.lines.at(-1), { offering: '', component: 'adjustment', model: 'adjustment', adjustment: 'goodwill', description: 'Goodwill', amount: '-50.00', taxable: false });
  t.equal(draft.json.subtotal, '700.00');
  t.equal(draft.json.tax, '75.00'); // 10 % of 750.00: the goodwill credit is not taxable
  t.equal(draft.json.total, '775.00');

  // issued: the period takes no more adjustments
  const fin = await s.call('POST', '/statements/northwind/2026-10/finalize');
  t.equal(fin.status, 201, fin.text);
  const late = await s.call('POST', '/adjustments', { body: { customer: 'northwind', period: '2026-10', description: 'Forgotten', amount: '10.00' } });
  t.equal(late.status, 409);
  t.equal(late.json.code, 'PERIOD_ISSUED');
  t.equal(late.json.detail, 'customer "northwind" has invoice CONTOSO-202610-0001 issued for 2026-10; put the adjustment on a later period (or void the invoice first)');
  t.equal((await s.call('POST', '/adjustments', { body: { customer: 'northwind', period: '2026-11', description: 'Forgotten', amount: '10.00' } })).status, 201);
});

t.test('finalize guards: PERIOD_NOT_ENDED by the injected clock, SPEND_MISSING and force; draft warnings; nothing issued on refusal', async (t) => {
  const s = await start(t);
  await customer(s, 'northwind');
  await customer(s, 'tailspin', null);
  nowMs = Date.parse('2026-11-01T03:59:59Z'); // 23:59:59 on Oct 31 in New York
  const early = await s.call('POST', '/statements/northwind/2026-10/finalize');
  t.equal(early.status, 409);
  t.equal(early.json.code, 'PERIOD_NOT_ENDED');
  t.equal(early.json.detail, 'period 2026-10 has not ended in America/New_York (it ends 2026-10-31 24:00); nothing was issued');
  t.equal((await s.call('GET', '/statements/northwind/2026-10/issued')).status, 404);
  const draft = await s.call('GET', '/statements/northwind/2026-10');
  t.same(draft.json.warnings, [{ code: 'PERIOD_NOT_ENDED', message: 'the period 2026-10 has not ended yet: this draft can change and cannot be finalized' }]);
  const html = await s.call('GET', '/statements/northwind/2026-10?format=html');
  t.match(html.text, '<li data-code="PERIOD_NOT_ENDED">');

  nowMs = Date.parse('2026-11-01T04:00:00Z');
  t.equal((await s.call('GET', '/statements/northwind/2026-10')).json.warnings, undefined);
  const missing = await s.call('POST', '/statements/tailspin/2026-10/finalize');
  t.equal(missing.status, 409);
  t.equal(missing.json.code, 'SPEND_MISSING');
  t.equal(missing.json.detail, 'no cloud spend of azure is stored for customer "tailspin" and 2026-10 (standard, component azure); nothing was issued (force to issue anyway)');
  t.equal((await s.call('GET', '/statements/tailspin/2026-10/issued')).status, 404);
  const forced = await s.call('POST', '/statements/tailspin/2026-10/finalize?force=true');
  t.equal(forced.status, 201, forced.text);
  t.equal(forced.json.number, 'CONTOSO-202610-0001', 'the refusals took no number');
  t.same(lines(forced.json), [['base', '250.00'], ['seats', '40.00'], ['azure', '100.00']]);
  t.equal(forced.json.warnings, undefined, 'an issued document carries no guard warnings');
  t.equal((await s.call('POST', '/statements/tailspin/2026-10/finalize')).status, 200, 'already issued: the guards do not matter any more');
  t.equal((await s.call('POST', '/statements/northwind/2026-10/finalize?force=maybe')).status, 400);
});

t.test('plan versions: stored at finalize, served as text/yaml', async (t) => {
  const s = await start(t);
  nowMs = Date.parse('2026-11-01T04:00:00Z');
  await customer(s, 'northwind');
  const missing = await s.call('GET', `/plan/versions/${plan.hash}`);
  t.equal(missing.status, 404);
  t.equal(missing.json.code, 'PLAN_VERSION_NOT_FOUND');
  t.equal((await s.call('POST', '/statements/northwind/2026-10/finalize')).status, 201);
  const v = await s.call('GET', `/plan/versions/${plan.hash}`);
  t.equal(v.status, 200);
  t.equal(v.type, 'text/yaml; charset=utf-8');
  t.equal(v.text, yaml);
  t.equal((await s.call('GET', `/plan/versions/${plan.hash}`, { token: s.other })).status, 404, 'another partner sees nothing');
  t.equal((await s.call('GET', '/plan/versions/md5:abc')).status, 400);
});

t.test('corrections: late spend billed once on the next month and never again; a retroactive end gives a negative correction', async (t) => {
  const s = await start(t);
  nowMs = Date.parse('2026-11-01T04:00:00Z');
  await customer(s, 'northwind');
  await customer(s, 'tailspin');
  const oct = await s.call('POST', '/statements/northwind/2026-10/finalize');
  t.equal(oct.status, 201);
  t.equal((await s.call('POST', '/statements/tailspin/2026-10/finalize')).status, 201);
  // nothing changed: no correction
  t.same(lines((await s.call('GET', '/statements/northwind/2026-11')).json), [['base', '250.00'], ['seats', '40.00'], ['azure', '100.00']]);

  // late usage: 500.00 more Azure spend of October, posted after its invoice
  t.equal((await s.call('POST', '/spend', { body: { id: 'northwind-oct-late', customer: 'northwind', period: '2026-10', service: 'azure', amount: '500.00' } })).status, 201);
  t.equal((await s.call('POST', '/spend', { body: { id: 'northwind-nov', customer: 'northwind', period: '2026-11', service: 'azure', amount: '1000.00' } })).status, 201);
  const nov = await s.call('GET', '/statements/northwind/2026-11');
  // 8 % × 2500.00 = 200.00 against 160.00 issued
  t.same(lines(nov.json), [['base', '250.00'], ['seats', '40.00'], ['azure', '100.00'], ['correction', '40.00', 'CONTOSO-202610-0001']]);
  t.same(nov.json.lines.at(-1), { offering: 'standard', component: 'correction', model: 'correction', corrects: 'CONTOSO-202610-0001', description: 'Standard: correction of invoice CONTOSO-202610-0001 (2026-10)', amount: '40.00' });
  t.equal(nov.json.tax, '43.00'); // corrections are taxable: 10 % × 430.00
  nowMs = Date.parse('2026-12-01T05:00:00Z');
  const novIssued = await s.call('POST', '/statements/northwind/2026-11/finalize');
  t.equal(novIssued.status, 201);
  t.same(lines(novIssued.json).at(-1), ['correction', '40.00', 'CONTOSO-202610-0001']);
  // the next months: billed once, never again
  t.same(lines((await s.call('GET', '/statements/northwind/2026-12')).json), [['base', '250.00'], ['seats', '40.00'], ['azure', '100.00']]);
  nowMs = Date.parse('2027-01-01T05:00:00Z');
  t.equal((await s.call('POST', '/statements/northwind/2026-12/finalize?force=true')).status, 201);
  t.same(lines((await s.call('GET', '/statements/northwind/2027-01')).json).filter((l) => l[0] === 'correction'), []);
  // more late usage of October after that: only the new difference
  t.equal((await s.call('POST', '/spend', { body: { id: 'northwind-oct-later', customer: 'northwind', period: '2026-10', service: 'azure', amount: '100.00' } })).status, 201);
  t.same(lines((await s.call('GET', '/statements/northwind/2027-01')).json).filter((l) => l[0] === 'correction'), [['correction', '8.00', 'CONTOSO-202610-0001']]);

  // a subscription ended retroactively: October ends on the 15th
  const patch = await s.call('PATCH', '/subscriptions/tailspin-std', { body: { end: '2026-10-15' } });
  t.equal(patch.status, 200, patch.text);
  const tnov = await s.call('GET', '/statements/tailspin/2026-11');
  // base 250 × 15/31 = 120.97 (−129.03), seats 40 × 15/31 = 19.35 (−20.65); Azure spend unchanged (160.00)
  t.same(lines(tnov.json), [['correction', '-149.68', 'CONTOSO-202610-0002']], 'no active subscription: still a statement, of its correction');
  t.equal(tnov.json.tax, '-14.97');
  t.equal(tnov.json.total, '-164.65');
});
