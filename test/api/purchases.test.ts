// POST /purchases, /batch/purchases (SPEC §10): 201 with the stored record,
// replays and conflicts by id, Idempotency-Key, the refusals with their codes
// and pointers, roles, partner isolation, and fuzzed bodies (never a 500).
import t from 'tap';
import fc from 'fast-check';
import { startServer, type Server } from './helpers.js';
import { huayun } from '../render/fixtures.js';
import { blocksPlan } from './purchases-plan.js';

async function seeded(): Promise<Server> {
  const s = await startServer([blocksPlan(), huayun()]);
  const ok = async (path: string, body: unknown): Promise<void> => {
    const a = await s.call('POST', path, { body });
    if (a.status !== 201) throw new Error(`${path}: ${a.status} ${a.text}`);
  };
  await ok('/customers', { id: 'alpha', name: 'Alpha' });
  await ok('/customers', { id: 'beta', name: 'Beta' });
  await ok('/subscriptions', { id: 'a-top', customer: 'alpha', offering: 'topup', start: '2026-10-01', end: '2027-03-31' });
  await ok('/subscriptions', { id: 'a-mon', customer: 'alpha', offering: 'monthly', start: '2026-10-01' });
  await ok('/subscriptions', { id: 'b-top', customer: 'beta', offering: 'topup', start: '2026-10-01' });
  return s;
}

const purchase = (extra: object = {}) => ({ id: 'p1', customer: 'alpha', subscription: 'a-top', component: 'hours', date: '2026-10-15', ...extra });

t.test('a purchase is stored and answered as stored; the same id replays, another body conflicts', async (t) => {
  const s = await seeded();
  t.teardown(() => s.close());
  const a = await s.call('POST', '/purchases', { body: purchase({ quantity: 2 }) });
  t.equal(a.status, 201);
  t.same(a.json, { id: 'p1', customer: 'alpha', subscription: 'a-top', component: 'hours', date: '2026-10-15', quantity: 2, amount: null });
  t.equal(a.text, '{"id":"p1","customer":"alpha","subscription":"a-top","component":"hours","date":"2026-10-15","quantity":2,"amount":null}', 'key order');
  const again = await s.call('POST', '/purchases', { body: purchase({ quantity: 2 }) });
  t.same([again.status, again.json], [201, a.json], 'replayed');
  const other = await s.call('POST', '/purchases', { body: purchase({ quantity: 3 }) });
  t.same([other.status, other.json.code, other.json.detail], [409, 'RECORD_CONFLICT', 'purchase "p1" already exists with a different body']);

  const priced = await s.call('POST', '/purchases', { body: purchase({ id: 'p2', amount: '400.00' }) });
  t.same([priced.status, priced.json.quantity, priced.json.amount], [201, 1, '400.00'], 'quantity 1 by default; the amount as given');
  const stored = await s.repo.history('contoso', 'alpha', 0, 0, '2026-12-31');
  t.same(stored.purchases.map((p) => [p.id, p.quantity, p.amount]), [['p1', 2, null], ['p2', 1, '400.00']]);
});

t.test('without an id: an Idempotency-Key makes a retry write once', async (t) => {
  const s = await seeded();
  t.teardown(() => s.close());
  const body = { customer: 'alpha', subscription: 'a-top', component: 'hours', date: '2026-11-02' };
  const headers = { 'idempotency-key': 'buy-1' };
  const first = await s.call('POST', '/purchases', { body, headers });
  const second = await s.call('POST', '/purchases', { body, headers });
  t.equal(first.status, 201);
  t.equal(second.text, first.text, 'the stored answer replays');
  t.match(first.json.id, /^[0-9a-f-]{36}$/);
  t.equal((await s.repo.history('contoso', 'alpha', 0, 0, '2026-12-31')).purchases.length, 1, 'one record');
  const reused = await s.call('POST', '/purchases', { body: { ...body, quantity: 4 }, headers });
  t.same([reused.status, reused.json.code], [409, 'IDEMPOTENCY_KEY_REUSED']);
});

t.test('refusals: each with its code, field and words', async (t) => {
  const s = await seeded();
  t.teardown(() => s.close());
  const refused = async (body: object, status: number, code: string, pointer: string, detail?: string) => {
    const a = await s.call('POST', '/purchases', { body });
    t.equal(a.status, status, `${code} ${pointer}`);
    t.equal(a.json.code, code);
    t.equal(a.json.errors?.[0]?.pointer, pointer);
    if (detail !== undefined) t.equal(a.json.errors[0].detail, detail);
  };
  await refused(purchase({ subscription: 'b-top' }), 400, 'PURCHASE_SUBSCRIPTION_MISMATCH', '/subscription', 'customer "alpha" holds no subscription "b-top"');
  await refused(purchase({ subscription: 'ghost' }), 400, 'PURCHASE_SUBSCRIPTION_MISMATCH', '/subscription', 'customer "alpha" holds no subscription "ghost"');
  await refused(purchase({ component: 'labour' }), 400, 'PURCHASE_NOT_A_BLOCK', '/component', '"labour" is not a block component with renew: purchase of offering "topup" (purchasable: hours)');
  await refused(purchase({ subscription: 'a-mon', component: 'prepaid' }), 400, 'PURCHASE_NOT_A_BLOCK', '/component', '"prepaid" is not a block component with renew: purchase of offering "monthly" (it has none)');
  await refused(purchase({ date: '2026-09-30' }), 400, 'PURCHASE_OUTSIDE_SUBSCRIPTION', '/date', 'subscription "a-top" runs 2026-10-01 to 2027-03-31; a purchase on 2026-09-30 is outside it');
  await refused(purchase({ date: '2027-04-01' }), 400, 'PURCHASE_OUTSIDE_SUBSCRIPTION', '/date');
  await refused(purchase({ amount: '450.005' }), 400, 'INVALID_RECORD', '/amount', '"450.005" has more decimals than USD allows (2)');
  await refused(purchase({ amount: '-5.00' }), 400, 'INVALID_BODY', '/amount');
  await refused(purchase({ amount: 450 }), 400, 'INVALID_BODY', '/amount');
  await refused(purchase({ quantity: 0 }), 400, 'INVALID_BODY', '/quantity');
  await refused(purchase({ quantity: 1.5 }), 400, 'INVALID_BODY', '/quantity');
  await refused(purchase({ date: '2026-02-30' }), 400, 'INVALID_BODY', '/date');
  await refused(purchase({ extra: 1 }), 400, 'INVALID_BODY', '/extra', 'unknown field');
  const none = await s.repo.history('contoso', 'alpha', 0, 0, '2099-12-31');
  t.same(none.purchases, [], 'nothing stored');
});

t.test('roles and partners: a viewer may not buy; another partner sees nothing of this one', async (t) => {
  const s = await seeded();
  t.teardown(() => s.close());
  const viewer = await s.call('POST', '/purchases', { body: purchase(), token: s.viewer });
  t.same([viewer.status, viewer.json.code], [403, 'FORBIDDEN']);
  const cross = await s.call('POST', '/purchases', { body: purchase(), token: s.other });
  t.same([cross.status, cross.json.code], [404, 'NOT_FOUND'], "another partner's token on this partner's path: the partner is not found");
  // huayun's own path: contoso's customer and subscription do not exist there
  const own = await s.call('POST', `${s.origin}/v1/partners/huayun/purchases`, { body: purchase(), token: s.other });
  t.same([own.status, own.json.code], [400, 'PURCHASE_SUBSCRIPTION_MISMATCH']);
});

t.test('/batch/purchases: all or nothing, the bad record named by index', async (t) => {
  const s = await seeded();
  t.teardown(() => s.close());
  const bad = await s.call('POST', '/batch/purchases', { body: [purchase(), purchase({ id: 'p2', component: 'labour' })] });
  t.same([bad.status, bad.json.code, bad.json.index, bad.json.errors[0].pointer], [400, 'PURCHASE_NOT_A_BLOCK', 1, '/1/component']);
  t.same((await s.repo.history('contoso', 'alpha', 0, 0, '2099-12-31')).purchases, [], 'nothing written');
  const ndjson = [purchase(), purchase({ id: 'p2', date: '2026-12-01', quantity: 3 })].map((x) => JSON.stringify(x)).join('\n');
  const ok = await s.call('POST', '/batch/purchases', { raw: ndjson, headers: { 'content-type': 'application/x-ndjson' } });
  t.same([ok.status, ok.json.kind, ok.json.records, ok.json.created, ok.json.replayed, ok.json.ids], [200, 'purchases', 2, 2, 0, ['p1', 'p2']]);
});

t.test('fuzz: any body is a 201 or a problem with a code, never a 500', async (t) => {
  const s = await seeded();
  t.teardown(() => s.close());
  const value = fc.oneof(
    fc.jsonValue(),
    fc.constantFrom('alpha', 'beta', 'a-top', 'b-top', 'a-mon', 'hours', 'prepaid', 'labour', '2026-10-15', '2026-02-30', '1e3', '0.00', '99999999999999999', -1, 0, 1, 10_001, 2 ** 53, null),
  );
  const body = fc.record(
    {
      id: fc.oneof(fc.constantFrom('p1', 'p2', 'x'.repeat(64)), fc.string({ maxLength: 8 })),
      customer: value,
      subscription: value,
      component: value,
      date: value,
      quantity: value,
      amount: value,
      __proto__: value,
    },
    { requiredKeys: [] },
  );
  await fc.assert(
    fc.asyncProperty(body, async (b) => {
      const a = await s.call('POST', '/purchases', { body: b });
      if (a.status === 201) return true;
      return a.status >= 400 && a.status < 500 && typeof a.json?.code === 'string' && a.json.code !== 'INTERNAL';
    }),
    { numRuns: 150 },
  );
  t.pass('150 bodies: none answered 5xx or without a code');
});
