// Subscriptions over time on a real server (SPEC §8.1): PATCH, change of
// offering, a customer's subscriptions, overlap, PATCH /customers; the
// statements they make, computed by hand against the fixture plan
// (test/fixtures/plans/contoso.yaml, October 2026: 31 days, USD, half-up).
import t from 'tap';
import { readFileSync } from 'node:fs';
import { loadPlan } from '../../src/plans/load.js';
import type { Plan } from '../../src/plans/types.js';
import { huayun } from '../render/fixtures.js';
import { startServer, type Server } from './helpers.js';

function fixturePlan(): Plan {
  const r = loadPlan(readFileSync('test/fixtures/plans/contoso.yaml', 'utf8'), 'contoso.yaml');
  if (!r.plan) throw new Error(r.findings.map((f) => f.message).join('; '));
  return r.plan;
}

let s: Server;
t.before(async () => {
  s = await startServer([fixturePlan(), huayun()], { now: () => Date.parse('2026-11-20T12:00:00Z') });
});
t.teardown(() => s.close());

const created = async (path: string, body: unknown, status = 201): Promise<any> => {
  const r = await s.call('POST', path, { body });
  if (r.status !== status) throw new Error(`${path}: ${r.status} ${r.text}`);
  return r.json;
};
type Line = { offering: string; component: string; kind?: string; quantity?: string; amount: string };
const lines = (st: { lines: Line[] }): string[][] => st.lines.map((l) => [l.offering, l.component, ...(l.kind ? [l.kind] : []), l.quantity ?? '', l.amount]);

t.test('a subscription ended on the 10th bills 10/31 of every recurring line', async (t) => {
  await created('/customers', { id: 'ended', name: 'Ended Co' });
  await created('/subscriptions', { id: 'ended-std', customer: 'ended', offering: 'standard', start: '2026-09-01', quantities: [{ metric: 'seats', value: 10, from: '2026-09-01' }] });
  await created('/spend', { customer: 'ended', period: '2026-10', service: 'azure', amount: '5000.00' });
  const r = await s.call('PATCH', '/subscriptions/ended-std', { body: { end: '2026-10-10' } });
  t.equal(r.status, 200);
  t.same(r.json, { id: 'ended-std', customer: 'ended', offering: 'standard', start: '2026-09-01', end: '2026-10-10', discount: null, prices: null, priceAsOf: null, quantities: [{ metric: 'seats', value: 10, from: '2026-09-01' }] });
  const st = (await s.call('GET', '/statements/ended/2026-10')).json;
  // base 250.00 × 10/31 = 80.645… → 80.65; seats 10 × 4.00 × 10/31 = 12.903… → 12.90;
  // azure 8% of 5,000.00 = 400.00 (spend is the month's; not prorated, §4.1); minimum 300 × 10/31 = 96.77 < lines: none
  t.same(lines(st), [
    ['standard', 'base', '10/31', '80.65'],
    ['standard', 'seats', '100/31', '12.90'],
    ['standard', 'azure', '5000.00', '400.00'],
  ]);
  t.equal(st.total, '493.55');
  // November: no active day, no line
  t.same((await s.call('GET', '/statements/ended/2026-11')).json.lines, []);
});

t.test('a change from Essential to Standard on the 16th: both prorated, seats carried, each offering\'s allowances once', async (t) => {
  await created('/customers', { id: 'mover', name: 'Mover Ltd' });
  await created('/subscriptions', { id: 'mover-ess', customer: 'mover', offering: 'essential', start: '2026-10-01', discount: '10%', quantities: [{ metric: 'seats', value: 10, from: '2026-10-01' }] });
  await created('/subscriptions/mover-ess/quantities', { metric: 'seats', value: 12, from: '2026-10-12' });
  // two technical incidents while on Essential (1 included)
  for (const [id, day] of [['m1', '05'], ['m2', '06']]) {
    await created('/requests', { id, customer: 'mover', service: 'm365', category: 'technical', severity: 'B', channel: 'email', receivedAt: `2026-10-${day}T10:00:00-04:00` });
  }
  const r = await s.call('POST', '/subscriptions/mover-ess/change', { body: { offering: 'standard', at: '2026-10-16' } });
  t.equal(r.status, 201);
  t.same(r.json, {
    ended: { id: 'mover-ess', customer: 'mover', offering: 'essential', start: '2026-10-01', end: '2026-10-15', discount: '10%', prices: null, priceAsOf: null, quantities: [{ metric: 'seats', value: 10, from: '2026-10-01' }, { metric: 'seats', value: 12, from: '2026-10-12' }] },
    started: { id: 'mover-ess-20261016', customer: 'mover', offering: 'standard', start: '2026-10-16', end: null, discount: '10%', prices: null, priceAsOf: null, quantities: [{ metric: 'seats', value: 12, from: '2026-10-16' }] },
  });
  // three hours on Standard (2 h included) and its spend
  await created('/worklogs', { id: 'mw1', customer: 'mover', offering: 'standard', start: '2026-10-20T10:00:00-04:00', minutes: 180 });
  await created('/spend', { customer: 'mover', period: '2026-10', service: 'azure', amount: '2000.00' });
  const st = (await s.call('GET', '/statements/mover/2026-10')).json;
  // Essential 1–15 October: base 49.00 × 15/31 = 23.709… → 23.71; incidents 2 − 1 included = 1 × 95.00;
  //   discount −(23.71 + 95.00) × 10% = −11.871 → −11.87
  // Standard 16–31 October: base 250.00 × 16/31 = 129.032… → 129.03; seats 12 × 4.00 × 16/31 = 24.774… → 24.77;
  //   labour 180 − 120 included = 60 min × 120.00/h = 120.00; azure 8% × 2,000.00 = 160.00;
  //   minimum 300 × 16/31 = 154.84 below the lines; discount −(129.03 + 24.77 + 120.00 + 160.00) × 10% = −43.38
  t.same(lines(st), [
    ['essential', 'base', '15/31', '23.71'],
    ['essential', 'incidents', '1', '95.00'],
    ['essential', 'discount', '118.71', '-11.87'],
    ['standard', 'base', '16/31', '129.03'],
    ['standard', 'seats', '192/31', '24.77'],
    ['standard', 'labour', 'business-hours', '1', '120.00'],
    ['standard', 'azure', '2000.00', '160.00'],
    ['standard', 'discount', '433.80', '-43.38'],
  ]);
  // 118.71 − 11.87 + 433.80 − 43.38
  t.equal(st.total, '497.26');

  // the same change again replays (nothing written); another change out of range is refused
  const again = await s.call('POST', '/subscriptions/mover-ess/change', { body: { offering: 'standard', at: '2026-10-16' } });
  t.same([again.status, again.json.started.id, again.json.ended.end], [201, 'mover-ess-20261016', '2026-10-15']);
  const late = await s.call('POST', '/subscriptions/mover-ess/change', { body: { offering: 'standard', at: '2026-10-20' } });
  t.same([late.status, late.json.code, late.json.errors], [400, 'CHANGE_OUT_OF_RANGE', [{ in: 'body', pointer: '/at', detail: 'must be after 2026-10-01 and not after 2026-10-15' }]]);
  t.equal(late.json.detail, 'subscription "mover-ess" runs 2026-10-01 to 2026-10-15; a change must be after its start and not after its end, not on 2026-10-20');
  const first = await s.call('POST', '/subscriptions/mover-ess/change', { body: { offering: 'standard', at: '2026-10-01' } });
  t.equal(first.json.code, 'CHANGE_OUT_OF_RANGE', 'not on the start day');

  // oldest first
  const list = await s.call('GET', '/customers/mover/subscriptions');
  t.same(list.json.map((x: { id: string }) => x.id), ['mover-ess', 'mover-ess-20261016']);
  t.equal((await s.call('GET', '/customers/ghost/subscriptions')).status, 404);
});

t.test('PATCH /subscriptions/:id: absent unchanged, null removed, refusals positioned', async (t) => {
  await created('/customers', { id: 'patchy', name: 'Patchy Inc' });
  await created('/subscriptions', { id: 'p-std', customer: 'patchy', offering: 'standard', start: '2026-10-01', discount: '5%' });
  const patch = (body: unknown, id = 'p-std') => s.call('PATCH', `/subscriptions/${id}`, { body });
  let r = await patch({ prices: { base: { amount: '200.00' } }, priceAsOf: '2026-09-15' });
  t.same([r.status, r.json.discount, r.json.prices, r.json.priceAsOf, r.json.end], [200, '5%', { base: { amount: '200.00' } }, '2026-09-15', null]);
  r = await patch({ discount: null, end: '2026-12-31' });
  t.same([r.json.discount, r.json.prices, r.json.end], [null, { base: { amount: '200.00' } }, '2026-12-31'], 'prices kept');
  r = await patch({ prices: null, priceAsOf: null });
  t.same([r.json.prices, r.json.priceAsOf], [null, null]);

  r = await patch({ end: '2026-09-30' });
  t.same([r.status, r.json.code, r.json.errors], [400, 'END_BEFORE_START', [{ in: 'body', pointer: '/end', detail: '2026-09-30 is before the start 2026-10-01' }]]);
  r = await patch({ prices: { bogus: { amount: '1.00' } } });
  t.same([r.status, r.json.code, r.json.errors[0].pointer], [400, 'UNKNOWN_COMPONENT', '/prices/bogus']);
  t.match(r.json.errors[0].detail, /offering "standard" has no component "bogus"/);
  r = await patch({ prices: { base: { rate: '10%' } } });
  t.same([r.status, r.json.code], [400, 'PRICE_OVERRIDE_INVALID']);
  r = await patch({ end: '2026-13-01' });
  t.same([r.status, r.json.code, r.json.errors[0].pointer], [400, 'INVALID_BODY', '/end']);
  r = await patch({ colour: 'red' });
  t.equal(r.status, 400);
  t.equal((await patch({ end: null }, 'ghost')).status, 404);
  t.equal((await s.call('PATCH', '/subscriptions/p-std', { body: { end: null }, token: s.viewer })).status, 403);
  t.equal((await s.call('PATCH', '/subscriptions/p-std', { body: { end: null }, token: s.other })).status, 404, 'another partner');
  t.equal((await s.call('GET', '/subscriptions/p-std')).json.end, '2026-12-31', 'refusals changed nothing');
  // the original body posted again (a re-run import) replays the subscription as it now stands
  const again = await s.call('POST', '/subscriptions', { body: { id: 'p-std', customer: 'patchy', offering: 'standard', start: '2026-10-01', discount: '5%' } });
  t.same([again.status, again.json.end, again.json.discount], [201, '2026-12-31', null]);

  // Idempotency-Key: the same PATCH replays; another body under the key is 409
  const headers = { 'idempotency-key': 'patch-1' };
  const a = await s.call('PATCH', '/subscriptions/p-std', { body: { discount: '7%' }, headers });
  const b = await s.call('PATCH', '/subscriptions/p-std', { body: { discount: '7%' }, headers });
  t.same([a.status, b.status, b.headers.get('idempotent-replayed'), b.json], [200, 200, 'true', a.json]);
  t.equal((await s.call('PATCH', '/subscriptions/p-std', { body: { discount: '8%' }, headers })).status, 409);
});

t.test('SUBSCRIPTION_OVERLAP: POST, PATCH extending end, change, batch import', async (t) => {
  await created('/customers', { id: 'twice', name: 'Twice Co' });
  await created('/subscriptions', { id: 'tw-1', customer: 'twice', offering: 'standard', start: '2026-10-01', end: '2026-10-31' });
  let r = await s.call('POST', '/subscriptions', { body: { id: 'tw-2', customer: 'twice', offering: 'standard', start: '2026-10-15' } });
  t.same([r.status, r.json.code], [409, 'SUBSCRIPTION_OVERLAP']);
  t.equal(r.json.detail, 'subscription "tw-2" (2026-10-15 to no end) would overlap subscription "tw-1" (2026-10-01 to 2026-10-31) of customer "twice" to offering "standard"');
  await created('/subscriptions', { id: 'tw-2', customer: 'twice', offering: 'standard', start: '2026-11-01' });
  r = await s.call('PATCH', '/subscriptions/tw-1', { body: { end: '2026-11-05' } });
  t.same([r.status, r.json.code], [409, 'SUBSCRIPTION_OVERLAP'], 'an end moved into the next one');
  r = await s.call('PATCH', '/subscriptions/tw-1', { body: { end: null } });
  t.same([r.status, r.json.code], [409, 'SUBSCRIPTION_OVERLAP']);
  await created('/subscriptions', { id: 'tw-ess', customer: 'twice', offering: 'essential', start: '2026-12-01' });
  r = await s.call('POST', '/subscriptions/tw-2/change', { body: { offering: 'essential', at: '2026-12-15' } });
  t.same([r.status, r.json.code], [409, 'SUBSCRIPTION_OVERLAP'], 'the new subscription would overlap another to that offering');
  t.equal((await s.call('GET', '/subscriptions/tw-2')).json.end, null, 'nothing written');
  t.equal((await s.call('GET', '/subscriptions/tw-2-20261215')).status, 404);
});

t.test('PATCH /customers/:id changes only the fields given; PUT does not silently drop tax', async (t) => {
  await created('/customers', { id: 'taxed', name: 'Taxed GmbH', taxRate: '19%', taxId: 'DE123456789', locale: 'en-US' });
  let r = await s.call('PATCH', '/customers/taxed', { body: { name: 'Taxed AG' } });
  t.same([r.status, r.json], [200, { id: 'taxed', name: 'Taxed AG', locale: 'en-US', taxRate: '19%', email: null, tenantId: null, taxId: 'DE123456789' }], 'taxRate kept');
  r = await s.call('PATCH', '/customers/taxed', { body: { locale: null, taxId: 'DE 999 999 999' } });
  t.same([r.json.locale, r.json.taxId, r.json.taxRate], [null, 'DE 999 999 999', '19%']);
  r = await s.call('PUT', '/customers/taxed', { body: { name: 'Taxed SE' } });
  t.same([r.status, r.json.code, r.json.errors.map((e: { pointer: string }) => e.pointer)], [400, 'TAX_OMITTED', ['/taxRate']]);
  t.equal(r.json.detail, 'customer "taxed" has taxRate 19%; a PUT replaces every field, so send "taxRate": null to remove it, or change only some fields with PATCH');
  r = await s.call('PUT', '/customers/taxed', { body: { name: 'Taxed SE', taxRate: '19%', taxId: null } });
  t.same([r.status, r.json.name, r.json.taxRate, r.json.taxId], [200, 'Taxed SE', '19%', null], 'said explicitly: replaced');
  r = await s.call('PATCH', '/customers/taxed', { body: { taxRate: null } });
  t.equal(r.json.taxRate, null);
  t.equal((await s.call('PATCH', '/customers/taxed', { body: { name: null } })).status, 400, 'a name cannot be removed');
  t.equal((await s.call('PATCH', '/customers/taxed', { body: { taxId: '<b>' } })).json.errors[0].pointer, '/taxId');
  t.equal((await s.call('PATCH', '/customers/ghost', { body: { name: 'G' } })).status, 404);
  const st = (await s.call('GET', '/statements/taxed/2026-10')).json;
  t.equal(st.tax, '0.00');
});

t.test('worklogs take component and billable', async (t) => {
  await created('/customers', { id: 'wl', name: 'Worklogs Co' });
  await created('/subscriptions', { id: 'wl-std', customer: 'wl', offering: 'standard', start: '2026-10-01' });
  const w = await created('/worklogs', { id: 'wl-1', customer: 'wl', offering: 'standard', start: '2026-10-20T10:00:00-04:00', minutes: 30, component: 'labour', billable: false });
  t.same([w.component, w.billable], ['labour', false]);
  const r = await s.call('POST', '/worklogs', { body: { customer: 'wl', offering: 'standard', start: '2026-10-20T10:00:00-04:00', minutes: 30, component: 'base' } });
  t.same([r.status, r.json.code, r.json.errors[0].pointer], [400, 'UNKNOWN_COMPONENT', '/component']);
  t.equal(r.json.errors[0].detail, 'offering "standard" has no hourly component "base" (hourly components: labour)');
});

t.test('changing a subscription never alters an issued statement', async (t) => {
  await created('/customers', { id: 'issued', name: 'Issued Co' });
  await created('/subscriptions', { id: 'is-std', customer: 'issued', offering: 'essential', start: '2026-09-01' });
  const fin = await s.call('POST', '/statements/issued/2026-10/finalize');
  t.equal(fin.status, 201, fin.text);
  const before = await s.call('GET', '/statements/issued/2026-10/issued');
  t.equal((await s.call('PATCH', '/subscriptions/is-std', { body: { end: '2026-10-10', discount: '50%' } })).status, 200);
  t.equal((await s.call('POST', '/subscriptions/is-std/change', { body: { offering: 'standard', at: '2026-10-05' } })).status, 201);
  const after = await s.call('GET', '/statements/issued/2026-10/issued');
  t.equal(after.status, 200);
  t.equal(after.text, before.text, 'byte for byte');
});

t.test('the OpenAPI document lists the routes with their tags', async (t) => {
  const doc = (await s.call('GET', '/openapi.json', { token: null })).json;
  const at = (path: string, method: string) => doc.paths[`/v1/partners/{partner}${path}`]?.[method];
  t.same(at('/subscriptions/{id}', 'patch')?.tags, ['subscriptions']);
  t.same(at('/subscriptions/{id}/change', 'post')?.tags, ['subscriptions']);
  t.same(at('/customers/{id}/subscriptions', 'get')?.tags, ['subscriptions']);
  t.same(at('/customers/{id}', 'patch')?.tags, ['customers']);
});
