// One contract for every Repository backend (SPEC §13): the same calls give
// the same answers on SQLite and on PostgreSQL. PostgreSQL tests need a
// server (TIERBOOK_TEST_PG, else postgres://postgres@127.0.0.1:5432/postgres):
// without one they fail with how to start it; they are never skipped.
import t, { type Test as Tap } from 'tap';
import {
  ConflictError,
  IdempotentReplay,
  MissingReferenceError,
  type Hashed,
  type IdempotencyClaim,
  type Repository,
  type RequestRecord,
  type SubscriptionRecord,
  type WorklogRecord,
  type Audit,
  type AuditChange,
  type AuditEntity,
  type AuditFilter,
  type CorrectableKind,
  type CustomerRecord,
  type KindRecord,
  type ListFilter,
  type ListKind,
  type Page,
  type PageKey,
  type RecordRevision,
  type SpendRecord,
  type WriteResult,
} from '../../src/store/repository.js';
import type { Decision } from '../../src/rules/types.js';
import { postgresBackend, sqliteBackend, type Backend } from './backends.js';

const decision: Decision = {
  accepted: true, reasons: [], offering: 'standard', handledBy: 'partner', escalation: null, withinHours: true,
  responseTarget: '4h', responseDueAt: '2026-10-05T14:00:00-04:00', billable: true, rules: [], notes: [],
};
const customer = (id: string, extra: object = {}) => ({ record: { id, name: id.toUpperCase(), locale: null, taxRate: null, email: null, tenantId: null, ...extra }, bodyHash: `h-${id}` });
const request = (id: string, cust: string, receivedAt = '2026-10-05T10:00:00-04:00', extra: Partial<RequestRecord> = {}): Hashed<RequestRecord> => ({
  record: { id, customer: cust, offering: null, service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt, serviceIncident: null, respondedAt: null, decision, ...extra },
  bodyHash: `h-${id}`,
});
const worklog = (id: string, cust: string, req: string | null, start = '2026-10-05T11:00:00-04:00'): Hashed<WorklogRecord> => ({
  record: { id, customer: cust, request: req, offering: 'standard', start, minutes: 30 },
  bodyHash: `h-${id}`,
});
const subscription = (id: string, cust: string, quantities: SubscriptionRecord['quantities'] = []): Hashed<SubscriptionRecord> => ({
  record: { id, customer: cust, offering: 'standard', start: '2026-10-01', end: null, discount: null, quantities },
  bodyHash: `h-${id}`,
});
const spend = (id: string, cust: string, amount: string) => ({ record: { id, customer: cust, period: '2026-10', service: 'azure', amount }, bodyHash: `h-${id}` });
const OCT = [Date.parse('2026-10-01T00:00:00-04:00'), Date.parse('2026-11-01T00:00:00-04:00')] as const;
const errorOf = (p: Promise<unknown>): Promise<unknown> => p.then(() => null, (e: unknown) => e);
const body = (n: string) => ({ body: JSON.stringify({ number: n }), planHash: 'ph', inputsDigest: 'dg' });

async function seeded(repo: Repository): Promise<void> {
  await repo.insertMany('contoso', 'customers', [customer('a'), customer('b')]);
  // the same ids under another partner: every check is per partner
  await repo.insertMany('fabrikam', 'customers', [customer('z')]);
}

function contract(t: Tap, b: Backend): void {
  const backend = async (): Promise<Backend> => b;
  t.test('ingest: records returned as stored, replays, conflicts, one transaction per batch', async (t) => {
    const { repo } = await (await backend()).open(t);
    t.equal(await repo.isEmpty(), true);
    await seeded(repo);
    t.equal(await repo.isEmpty(), false);
    t.same(await repo.listCustomers('contoso'), [
      { id: 'a', name: 'A', locale: null, taxRate: null, email: null, tenantId: null, taxId: null },
      { id: 'b', name: 'B', locale: null, taxRate: null, email: null, tenantId: null, taxId: null },
    ]);
    const [sub] = await repo.insertMany('contoso', 'subscriptions', [subscription('s1', 'a', [{ metric: 'seats', value: 3, from: '2026-10-01' }, { metric: 'seats', value: 5, from: '2026-10-10' }])]);
    t.same(sub, { created: true, record: { id: 's1', customer: 'a', offering: 'standard', start: '2026-10-01', end: null, discount: null, prices: null, priceAsOf: null, quantities: [{ metric: 'seats', value: 3, from: '2026-10-01' }, { metric: 'seats', value: 5, from: '2026-10-10' }] } });
    t.same(await repo.getSubscription('contoso', 's1'), sub!.record);
    t.equal(await repo.getSubscription('fabrikam', 's1'), null, 'per partner');

    const [r1] = await repo.insertMany('contoso', 'requests', [request('r1', 'a', '2026-10-05T10:00:00-04:00', { serviceIncident: true })]);
    t.same(Object.keys(r1!.record), ['id', 'customer', 'offering', 'service', 'category', 'severity', 'channel', 'receivedAt', 'serviceIncident', 'respondedAt', 'decision'], 'key order');
    t.same(await repo.getRequest('contoso', 'r1'), r1!.record);
    // same id and body hash, a decision taken later: the stored one stands
    const [again] = await repo.insertMany('contoso', 'requests', [request('r1', 'a', '2026-10-05T10:00:00-04:00', { serviceIncident: true, decision: { ...decision, billable: false } })]);
    t.same(again, { created: false, record: r1!.record });
    const dup = await repo.insertMany('contoso', 'requests', [request('r9', 'b'), request('r9', 'b')]);
    t.same(dup.map((r) => r.created), [true, false], 'a duplicate id inside one batch replays the first');

    const conflict = await errorOf(repo.insertMany('contoso', 'requests', [request('r5', 'a'), { ...request('r1', 'a'), bodyHash: 'other' }]));
    t.ok(conflict instanceof ConflictError);
    t.equal((conflict as ConflictError).index, 1);
    t.equal((conflict as ConflictError).message, 'request "r1" already exists with a different body');
    t.equal(await repo.getRequest('contoso', 'r5'), null, 'the whole batch rolled back');

    const many = Array.from({ length: 30 }, (_, i) => request(`m${i}`, i % 2 ? 'a' : 'b'));
    const missing = await errorOf(repo.insertMany('contoso', 'requests', [...many, request('bad', 'ghost'), request('m99', 'a')]));
    t.ok(missing instanceof MissingReferenceError);
    t.same([(missing as MissingReferenceError).index, (missing as MissingReferenceError).pointer, (missing as Error).message], [30, '/customer', 'unknown customer "ghost"']);
    t.equal(await repo.getRequest('contoso', 'm0'), null, 'nothing half-written');
    const z = await errorOf(repo.insertMany('contoso', 'requests', [request('rz', 'a'), request('rz2', 'z')]));
    t.equal((z as MissingReferenceError).index, 1, "another partner's customer is unknown");

    const wls = [worklog('w1', 'a', 'r1'), worklog('w2', 'b', null), worklog('w3', 'a', 'nope')];
    const werr = await errorOf(repo.insertMany('contoso', 'worklogs', wls));
    t.same([(werr as MissingReferenceError).index, (werr as MissingReferenceError).pointer], [2, '/request']);
    t.same((await repo.insertMany('contoso', 'worklogs', wls.slice(0, 2))).map((r) => r.record), [
      { id: 'w1', customer: 'a', request: 'r1', offering: 'standard', start: '2026-10-05T11:00:00-04:00', minutes: 30, component: null, billable: true },
      { id: 'w2', customer: 'b', request: null, offering: 'standard', start: '2026-10-05T11:00:00-04:00', minutes: 30, component: null, billable: true },
    ]);
    const [sp] = await repo.insertMany('contoso', 'spend', [spend('sp1', 'a', '12.50')]);
    t.same(sp!.record, { id: 'sp1', customer: 'a', period: '2026-10', service: 'azure', amount: '12.50', retail: null, source: null, invoice: null });
  });

  t.test('customers: update, tenant ids unique per partner', async (t) => {
    const { repo } = await (await backend()).open(t);
    await seeded(repo);
    const upd = await repo.updateCustomer('contoso', { record: { id: 'a', name: 'Acme', locale: 'de-DE', taxRate: '0.19', email: 'x@acme.test', tenantId: null }, bodyHash: 'h2' });
    t.same(upd, { id: 'a', name: 'Acme', locale: 'de-DE', taxRate: '0.19', email: 'x@acme.test', tenantId: null, taxId: null });
    t.equal(await repo.updateCustomer('contoso', { record: { id: 'nope', name: 'N', locale: null, taxRate: null, email: null }, bodyHash: 'h' }), null);
    await repo.insertMany('contoso', 'customers', [customer('t1', { tenantId: '11111111-1111-1111-1111-111111111111' })]);
    const taken = await errorOf(repo.insertMany('contoso', 'customers', [customer('t2'), customer('t3', { tenantId: '11111111-1111-1111-1111-111111111111' })]));
    t.same([(taken as ConflictError).index, (taken as Error).message], [1, 'tenant "11111111-1111-1111-1111-111111111111" already belongs to customer "t1"']);
    t.equal(await repo.getCustomer('contoso', 't2'), null);
    t.ok(await repo.insertMany('fabrikam', 'customers', [customer('t1', { tenantId: '11111111-1111-1111-1111-111111111111' })]), 'another partner may hold the same tenant');
  });

  t.test('subscriptions over time: revise in the transaction, one subscription per customer and offering on a day, new columns', async (t) => {
    const { repo } = await (await backend()).open(t);
    await seeded(repo);
    // a customer revised from its stored copy: tax id stored, fields kept
    const c = await repo.reviseCustomer('contoso', 'a', (cur) => ({ record: { ...cur, taxRate: '8.25%', taxId: 'DE123456789' }, bodyHash: 'hx' }));
    t.same(c, { id: 'a', name: 'A', locale: null, taxRate: '8.25%', email: null, tenantId: null, taxId: 'DE123456789' });
    t.equal(await repo.reviseCustomer('contoso', 'nope', (cur) => ({ record: cur, bodyHash: 'h' })), null);
    t.equal(await repo.reviseCustomer('fabrikam', 'a', (cur) => ({ record: cur, bodyHash: 'h' })), null, 'per partner');

    const prices = { base: { amount: '200.00' } };
    const [s1] = await repo.insertMany('contoso', 'subscriptions', [{ record: { ...subscription('s1', 'a').record, end: '2026-10-31', prices, priceAsOf: '2026-09-01' }, bodyHash: 'p1' }]);
    t.same(s1!.record, { id: 's1', customer: 'a', offering: 'standard', start: '2026-10-01', end: '2026-10-31', discount: null, prices, priceAsOf: '2026-09-01', quantities: [] });
    t.same(await repo.getSubscription('contoso', 's1'), s1!.record, 'prices read back as given');

    // overlapping a stored one, and one earlier in the same batch: 409 naming both, nothing written
    const next = (id: string, start: string, end: string | null = null): Hashed<SubscriptionRecord> => ({ record: { ...subscription(id, 'a').record, start, end }, bodyHash: `h-${id}` });
    const overlap = (await errorOf(repo.insertMany('contoso', 'subscriptions', [next('s2', '2026-11-01', '2026-11-30'), next('s3', '2026-10-31')]))) as { code: string; index: number; message: string };
    t.same([overlap.code, overlap.index, overlap.message], ['SUBSCRIPTION_OVERLAP', 1, 'subscription "s3" (2026-10-31 to no end) would overlap subscription "s1" (2026-10-01 to 2026-10-31) of customer "a" to offering "standard"']);
    const inBatch = (await errorOf(repo.insertMany('contoso', 'subscriptions', [next('s2', '2026-11-01'), next('s3', '2026-12-01')]))) as { code: string; index: number };
    t.same([inBatch.code, inBatch.index], ['SUBSCRIPTION_OVERLAP', 1], 'against an earlier record of the batch');
    t.equal(await repo.getSubscription('contoso', 's2'), null, 'nothing written');
    t.ok(await repo.insertMany('contoso', 'subscriptions', [next('s2', '2026-11-01')]), 'the day after the end: no overlap');
    t.ok(await repo.insertMany('contoso', 'subscriptions', [{ record: { ...next('b1', '2026-10-15').record, customer: 'b' }, bodyHash: 'b1' }]), 'another customer may');

    // reviseSubscription: sees the customer's subscriptions, writes the change and a new one at once
    let seen: string[] = [];
    const r = await repo.reviseSubscription('contoso', 's2', (cur, all) => {
      seen = all.map((x) => x.id);
      return { set: { end: '2026-11-15', discount: '10%' }, create: { record: { ...next('s2-x', '2026-11-16').record, offering: 'essential', quantities: [{ metric: 'seats', value: 4, from: '2026-11-16' }] }, bodyHash: 'hx' } };
    });
    t.same(seen, ['s1', 's2']);
    t.same([r!.subscription.end, r!.subscription.discount, r!.subscription.prices], ['2026-11-15', '10%', null]);
    t.same(r!.customerSubscriptions.map((x) => [x.id, x.offering, x.start, x.end]), [['s1', 'standard', '2026-10-01', '2026-10-31'], ['s2', 'standard', '2026-11-01', '2026-11-15'], ['s2-x', 'essential', '2026-11-16', null]]);
    t.same((await repo.getSubscription('contoso', 's2-x'))!.quantities, [{ metric: 'seats', value: 4, from: '2026-11-16' }]);
    // an end moved back over the next one is refused inside the transaction; a refusal of revise writes nothing
    const back = (await errorOf(repo.reviseSubscription('contoso', 's1', () => ({ set: { end: null } })))) as { code: string };
    t.equal(back.code, 'SUBSCRIPTION_OVERLAP');
    t.equal((await errorOf(repo.reviseSubscription('contoso', 's1', () => ({ set: { end: '2026-10-20' }, create: next('s2', '2026-10-25') })))) instanceof ConflictError, true, 'a taken id');
    t.equal((await errorOf(repo.reviseSubscription('contoso', 's1', () => { throw new Error('refused'); })) as Error).message, 'refused');
    t.equal((await repo.getSubscription('contoso', 's1'))!.end, '2026-10-31', 'unchanged');
    t.same((await repo.reviseSubscription('contoso', 's1', () => ({ set: { prices: null, priceAsOf: null } })))!.subscription.prices, null);
    t.equal(await repo.reviseSubscription('fabrikam', 's1', () => ({})), null, 'per partner');

    // worklogs keep their component and billable flag
    await repo.insertMany('contoso', 'requests', [request('r1', 'a')]);
    const [w] = await repo.insertMany('contoso', 'worklogs', [{ record: { ...worklog('w1', 'a', 'r1').record, component: 'labour', billable: false }, bodyHash: 'w' }]);
    t.same([w!.record.component, w!.record.billable], ['labour', false]);
    const d = await repo.periodData('contoso', 'a', '2026-10', ...OCT);
    t.same(d!.worklogs.map((x) => [x.component, x.billable]), [['labour', false]]);
    t.same(d!.customer.taxId, 'DE123456789');
  });

  t.test('quantities, responses and spend replacement', async (t) => {
    const { repo } = await (await backend()).open(t);
    await seeded(repo);
    await repo.insertMany('contoso', 'subscriptions', [subscription('s1', 'a')]);
    t.equal(await repo.addQuantity('contoso', 'ghost', { metric: 'seats', value: 1, from: '2026-10-01' }), null);
    await repo.addQuantity('contoso', 's1', { metric: 'seats', value: 2, from: '2026-10-01' });
    const s = await repo.addQuantity('contoso', 's1', { metric: 'seats', value: 4, from: '2026-10-15' });
    t.same(s!.quantities, [{ metric: 'seats', value: 2, from: '2026-10-01' }, { metric: 'seats', value: 4, from: '2026-10-15' }], 'in the order added');
    t.same(await repo.listSubscriptions('contoso', 'a'), [s]);
    await repo.insertMany('contoso', 'requests', [request('r1', 'a')]);
    t.equal((await repo.setResponse('contoso', 'r1', '2026-10-05T11:00:00-04:00'))!.respondedAt, '2026-10-05T11:00:00-04:00');
    t.equal(await repo.setResponse('contoso', 'ghost', '2026-10-05T11:00:00-04:00'), null);
    t.same(await repo.replaceSpend('contoso', [{ id: 'pc1', customer: 'a', period: '2026-10', service: 'azure', amount: '10.00', retail: '12.00', source: 'invoice', invoice: 'INV1' }]), { created: 1, replaced: 0 });
    t.same(await repo.replaceSpend('contoso', [{ id: 'pc1', customer: 'a', period: '2026-10', service: 'azure', amount: '11.00', retail: null, source: 'daily', invoice: 'unbilled' }]), { created: 0, replaced: 1 });
    // the same new id twice in one call: created, then replaced by the second (as if written one after another)
    t.same(await repo.replaceSpend('contoso', [{ id: 'pc3', customer: 'a', period: '2026-09', service: 'azure', amount: '1.00' }, { id: 'pc3', customer: 'a', period: '2026-09', service: 'azure', amount: '2.00' }]), { created: 1, replaced: 1 });
    t.same((await repo.periodData('contoso', 'a', '2026-09', 0, 1))!.spend.map((x) => x.amount), ['2.00']);
    const gone = await errorOf(repo.replaceSpend('contoso', [{ id: 'pc2', customer: 'ghost', period: '2026-10', service: 'azure', amount: '1.00' }]));
    t.same([(gone as MissingReferenceError).index, (gone as Error).message], [0, 'unknown customer "ghost"']);
    t.same((await repo.periodData('contoso', 'a', '2026-10', ...OCT))!.spend, [{ id: 'pc1', customer: 'a', period: '2026-10', service: 'azure', amount: '11.00', retail: null, source: 'daily', invoice: 'unbilled' }]);
  });

  t.test('period data: (time, id) order, and earlier requests the period worked on', async (t) => {
    const { repo } = await (await backend()).open(t);
    await seeded(repo);
    await repo.insertMany('contoso', 'requests', [
      request('sep', 'a', '2026-09-20T10:00:00-04:00'),
      request('r2', 'a', '2026-10-07T10:00:00-04:00'),
      request('r1b', 'a', '2026-10-06T10:00:00-04:00'),
      request('r1a', 'a', '2026-10-06T10:00:00-04:00'),
      request('nov', 'a', '2026-11-01T00:00:00-04:00'),
      request('other', 'b', '2026-10-06T10:00:00-04:00'),
    ]);
    await repo.insertMany('contoso', 'worklogs', [worklog('w2', 'a', 'sep', '2026-10-02T09:00:00-04:00'), worklog('w1', 'a', 'sep', '2026-10-02T09:00:00-04:00'), worklog('w0', 'a', null, '2026-09-30T23:59:00-04:00')]);
    await repo.insertMany('contoso', 'spend', [spend('x2', 'a', '2.00'), spend('x1', 'a', '1.00'), spend('x3', 'b', '3.00')]);
    const d = (await repo.periodData('contoso', 'a', '2026-10', ...OCT))!;
    t.same(d.customer, { id: 'a', name: 'A', locale: null, taxRate: null, email: null, tenantId: null, taxId: null });
    t.same(d.requests.map((r) => r.id), ['r1a', 'r1b', 'r2', 'sep'], 'the period in (time, id) order, then the earlier one worked on');
    t.same(d.worklogs.map((w) => w.id), ['w1', 'w2']);
    t.same(d.spend.map((s) => s.id), ['x1', 'x2']);
    t.equal(await repo.periodData('contoso', 'ghost', '2026-10', ...OCT), null);
    t.equal(await repo.periodData('fabrikam', 'a', '2026-10', ...OCT), null);
    // byte order, not the server's locale: upper case sorts before lower case
    await repo.insertMany('contoso', 'customers', [customer('Zed'), customer('_x')]);
    t.same((await repo.listCustomers('contoso')).map((c) => c.id), ['Zed', '_x', 'a', 'b']);
  });

  t.test('ledger states: kept per customer and period (replaced), newest first before a period; history stamps see inserts, edits and deletes up to a bound', async (t) => {
    const { repo } = await (await backend()).open(t);
    await seeded(repo);
    await repo.insertMany('contoso', 'subscriptions', [subscription('s1', 'a')]);
    const keep = (period: string, stamp: string, inputsRev: string | null = null) => repo.putLedgerStates('contoso', 'a', { period, stamp, states: `[{"period":"${period}"}]`, inputsRev });
    await keep('2026-09', 'st-9');
    await keep('2026-10', 'st-10');
    await keep('2026-10', 'st-10b');
    await keep('2026-11', 'st-11');
    t.same(await repo.ledgerStates('contoso', 'a', '2026-11', 5), [
      { period: '2026-10', stamp: 'st-10b', states: '[{"period":"2026-10"}]', inputsRev: null, unseenMs: null, unseenPeriod: null },
      { period: '2026-09', stamp: 'st-9', states: '[{"period":"2026-09"}]', inputsRev: null, unseenMs: null, unseenPeriod: null },
    ], 'before November, newest first; a period kept again replaces its state');
    // kept with an input revision: read back with the changes it had not seen (the state of November itself notes December on)
    await keep('2026-11', 'st-11r', await repo.inputsRev('contoso', 'a'));
    t.same((await repo.ledgerStates('contoso', 'a', '2026-12', 1)).map((x) => [x.unseenMs, x.unseenPeriod]), [[null, '2026-12']]);
    await repo.insertMany('contoso', 'worklogs', [worklog('w-late', 'a', null, '2026-11-20T10:00:00Z')]);
    t.same((await repo.ledgerStates('contoso', 'a', '2026-12', 1)).map((x) => [x.unseenMs, x.unseenPeriod]), [[Date.parse('2026-11-20T10:00:00Z'), '2026-12']]);
    await keep('2026-11', 'st-11', null);
    t.same((await repo.ledgerStates('contoso', 'a', '2027-01', 1)).map((x) => x.period), ['2026-11'], 'at most limit');
    t.same(await repo.ledgerStates('contoso', 'b', '2027-01', 5), [], 'per customer');
    t.same(await repo.ledgerStates('fabrikam', 'a', '2027-01', 5), [], 'per partner');

    const stamp = () => repo.historyStamp('contoso', 'a', OCT[1], '2026-10-31');
    const empty = await stamp();
    t.match(empty, /^sha256:[0-9a-f]{64}$/);
    t.equal(await repo.historyStamp('contoso', 'ghost', OCT[1], '2026-10-31'), empty, 'no records: the empty stamp');
    await repo.insertMany('contoso', 'worklogs', [worklog('w1', 'a', null, '2026-10-02T09:00:00-04:00')]);
    const one = await stamp();
    t.not(one, empty, 'an insert before the bound');
    await repo.insertMany('contoso', 'worklogs', [worklog('w2', 'a', null, '2026-11-02T09:00:00-04:00'), worklog('w3', 'b', null, '2026-10-02T09:00:00-04:00')]);
    await repo.insertMany('fabrikam', 'worklogs', [worklog('w4', 'z', null, '2026-10-02T09:00:00-04:00')]);
    t.equal(await stamp(), one, 'after the bound, another customer, another partner: unchanged');
    await repo.insertMany('contoso', 'purchases', [{ record: { id: 'p1', customer: 'a', subscription: 's1', component: 'prepaid', date: '2026-11-01', quantity: 1, amount: null }, bodyHash: 'h-p1' }]);
    t.equal(await stamp(), one, 'a purchase after the date bound: unchanged');
    await repo.insertMany('contoso', 'purchases', [{ record: { id: 'p0', customer: 'a', subscription: 's1', component: 'prepaid', date: '2026-10-31', quantity: 1, amount: null }, bodyHash: 'h-p0' }]);
    const bought = await stamp();
    t.not(bought, one, 'a purchase on the bound date');
    await repo.insertMany('contoso', 'requests', [request('r1', 'a', '2026-10-06T10:00:00-04:00')]);
    const asked = await stamp();
    t.not(asked, bought, 'a request');
    const month = (r: { start?: string; receivedAt?: string }) => (r.start ?? r.receivedAt ?? '').slice(0, 7);
    await repo.reviseRecord('contoso', 'worklogs', 'w1', (cur) => ({ record: { ...cur, minutes: 45 }, bodyHash: 'h-w1b' }), month);
    const edited = await stamp();
    t.not(edited, asked, 'an edit (its body hash)');
    await repo.reviseRecord('contoso', 'worklogs', 'w1', () => null, month);
    const deleted = await stamp();
    t.not(deleted, edited, 'a delete');
    t.not(deleted, empty);
    t.equal(await stamp(), deleted, 'the same records: the same stamp');

    // several bounds from one read: each is historyStamp at that bound
    await repo.insertMany('contoso', 'worklogs', [worklog('w5', 'a', null, '2026-09-02T09:00:00-04:00'), worklog('w6', 'a', null, '2026-10-02T09:00:00-04:00')]);
    await repo.insertMany('contoso', 'purchases', [{ record: { id: 'p2', customer: 'a', subscription: 's1', component: 'prepaid', date: '2026-09-15', quantity: 1, amount: null }, bodyHash: 'h-p2' }]);
    const SEP_END = OCT[0];
    const NOV_END = Date.parse('2026-12-01T00:00:00-05:00');
    const bounds = [
      { toMs: OCT[1], through: '2026-10-31' },
      { toMs: SEP_END, through: '2026-09-30' },
      { toMs: NOV_END, through: '2026-11-30' },
      { toMs: SEP_END, through: '2026-09-14' },
      { toMs: 0, through: '2000-01-01' },
    ];
    const each = await Promise.all(bounds.map((b) => repo.historyStamp('contoso', 'a', b.toMs, b.through)));
    t.same(await repo.historyStamps('contoso', 'a', bounds), each, 'historyStamps: historyStamp at each bound, in the order given');
    t.equal(new Set(each).size, 5, 'every bound its own stamp');
    t.equal(each[4], empty, 'nothing before the bound: the empty stamp');
    t.same(await repo.historyStamps('contoso', 'a', []), [], 'no bound: nothing read');
  });

  t.test('purchases: stored as given, replays, conflicts, references, history by range', async (t) => {
    const { repo } = await (await backend()).open(t);
    await seeded(repo);
    await repo.insertMany('contoso', 'subscriptions', [subscription('s1', 'a'), subscription('s2', 'b')]);
    const purchase = (id: string, cust: string, sub: string, date: string, extra: object = {}) => ({
      record: { id, customer: cust, subscription: sub, component: 'prepaid', date, quantity: 1, amount: null, ...extra },
      bodyHash: `h-${id}`,
    });
    const res = await repo.insertMany('contoso', 'purchases', [purchase('p2', 'a', 's1', '2026-11-03', { quantity: 2, amount: '2000.00' }), purchase('p1', 'a', 's1', '2026-10-20')]);
    t.same(res, [
      { created: true, record: { id: 'p2', customer: 'a', subscription: 's1', component: 'prepaid', date: '2026-11-03', quantity: 2, amount: '2000.00' } },
      { created: true, record: { id: 'p1', customer: 'a', subscription: 's1', component: 'prepaid', date: '2026-10-20', quantity: 1, amount: null } },
    ]);
    t.same(await repo.insertMany('contoso', 'purchases', [purchase('p1', 'a', 's1', '2026-10-20')]), [{ created: false, record: res[1]!.record }], 'the same id and body replays');
    const conflict = await errorOf(repo.insertMany('contoso', 'purchases', [{ ...purchase('p1', 'a', 's1', '2026-10-20'), bodyHash: 'other' }]));
    t.equal((conflict as ConflictError).message, 'purchase "p1" already exists with a different body');
    const noSub = await errorOf(repo.insertMany('contoso', 'purchases', [purchase('p3', 'a', 's1', '2026-10-21'), purchase('p4', 'a', 'ghost', '2026-10-21')]));
    t.ok(noSub instanceof MissingReferenceError);
    t.same([(noSub as MissingReferenceError).index, (noSub as MissingReferenceError).pointer, (noSub as MissingReferenceError).message], [1, '/subscription', 'unknown subscription "ghost"']);
    const noCustomer = await errorOf(repo.insertMany('contoso', 'purchases', [purchase('p5', 'ghost', 's1', '2026-10-21')]));
    t.equal((noCustomer as MissingReferenceError).message, 'unknown customer "ghost"');
    // another partner's subscription of the same id is not this partner's
    await repo.insertMany('fabrikam', 'subscriptions', [subscription('s9', 'z')]);
    t.ok((await errorOf(repo.insertMany('contoso', 'purchases', [purchase('p6', 'a', 's9', '2026-10-21')]))) instanceof MissingReferenceError);
    await repo.insertMany('fabrikam', 'purchases', [purchase('p1', 'z', 's9', '2026-10-01')]);
    await repo.insertMany('contoso', 'purchases', [purchase('p7', 'b', 's2', '2026-10-02')]);

    await repo.insertMany('contoso', 'requests', [request('r-sep', 'a', '2026-09-30T23:00:00-04:00'), request('r-oct', 'a', '2026-10-05T10:00:00-04:00'), request('r-b', 'b', '2026-10-06T10:00:00-04:00')]);
    await repo.insertMany('contoso', 'worklogs', [worklog('w-oct2', 'a', null, '2026-10-09T11:00:00-04:00'), worklog('w-oct1', 'a', 'r-oct'), worklog('w-nov', 'a', null, '2026-11-02T11:00:00-04:00')]);
    const h = await repo.history('contoso', 'a', Date.parse('2026-09-01T00:00:00-04:00'), OCT[1], '2026-10-31');
    t.same(h.requests.map((r) => r.id), ['r-sep', 'r-oct'], 'requests in [from, to), by time');
    t.same(h.worklogs.map((w) => w.id), ['w-oct1', 'w-oct2'], 'worklogs in [from, to), by start');
    t.same(h.worklogs, (await repo.periodData('contoso', 'a', '2026-10', OCT[0], OCT[1]))!.worklogs, 'shaped as periodData shapes them');
    t.same(h.requests[1], await repo.getRequest('contoso', 'r-oct'), 'requests shaped as stored');
    t.same(h.purchases, [res[1]!.record], "the customer's purchases through the date, by (date, id)");
    t.same((await repo.history('contoso', 'a', OCT[0], OCT[0], '2026-11-30')).purchases.map((p) => p.id), ['p1', 'p2']);
    t.same(await repo.history('contoso', 'ghost', OCT[0], OCT[1], '2026-12-31'), { requests: [], worklogs: [], purchases: [] });
  });

  t.test('tokens: shown once, found by hash, per role', async (t) => {
    const { repo } = await (await backend()).open(t);
    const admin = await repo.createToken('contoso', 'admin');
    const viewer = await repo.createToken('contoso', 'viewer');
    t.match(admin, /^tb_[A-Za-z0-9_-]{32}$/);
    t.same({ ...(await repo.findToken(admin))!, id: 'x' }, { id: 'x', partner: 'contoso', role: 'admin' });
    t.equal((await repo.findToken(viewer))!.role, 'viewer');
    t.equal(await repo.findToken('tb_nope'), null);
    t.equal(await repo.findToken(''), null);
  });

  t.test('idempotency keys: the first answer stored wins; a claim writes once', async (t) => {
    const { repo } = await (await backend()).open(t);
    await seeded(repo);
    const rec = { key: 'k1', route: 'POST /spend', bodyHash: 'b', status: 201, contentType: 'application/json', response: '{"a":1}' };
    t.equal(await repo.getIdempotent('contoso', 'k1'), null);
    t.same(await repo.putIdempotent('contoso', rec), rec);
    t.same(await repo.putIdempotent('contoso', { ...rec, response: '{"a":2}' }), rec, 'the stored one wins');
    t.same(await repo.getIdempotent('contoso', 'k1'), rec);
    t.equal(await repo.getIdempotent('fabrikam', 'k1'), null, 'per partner');

    const claim = (key: string): IdempotencyClaim<unknown[]> => ({ key, route: 'POST /spend', bodyHash: 'c', answer: (r) => ({ status: 201, contentType: 'application/json', response: JSON.stringify(r.length) }) });
    t.equal((await repo.insertMany('contoso', 'spend', [spend('c1', 'a', '1.00')], claim('k2'))).length, 1);
    t.same(await repo.getIdempotent('contoso', 'k2'), { key: 'k2', route: 'POST /spend', bodyHash: 'c', status: 201, contentType: 'application/json', response: '1' });
    const replay = await errorOf(repo.insertMany('contoso', 'spend', [spend('c2', 'a', '2.00')], claim('k2')));
    t.ok(replay instanceof IdempotentReplay);
    t.equal((replay as IdempotentReplay).stored.response, '1');
    t.equal((await repo.periodData('contoso', 'a', '2026-10', ...OCT))!.spend.length, 1, 'a replayed key wrote nothing');
    // an error answer stores nothing: the key stays free
    await repo.insertMany('contoso', 'spend', [spend('c3', 'a', '3.00')], { ...claim('k3'), answer: () => null });
    t.equal(await repo.getIdempotent('contoso', 'k3'), null);
    // the same key sent twice at once: written once, both answers agree
    const both = await Promise.allSettled([repo.insertMany('contoso', 'spend', [spend('c4', 'a', '4.00')], claim('k4')), repo.insertMany('contoso', 'spend', [spend('c4', 'a', '4.00')], claim('k4'))]);
    t.same(both.map((s) => s.status).sort(), ['fulfilled', 'rejected']);
    t.ok(both.some((s) => s.status === 'rejected' && s.reason instanceof IdempotentReplay));
  });

  t.test('issuing: numbers gapless per partner and month, one statement per customer and period', async (t) => {
    const { repo } = await (await backend()).open(t);
    await repo.insertMany('contoso', 'customers', Array.from({ length: 20 }, (_, i) => customer(`c${String(i).padStart(2, '0')}`)));
    await repo.insertMany('fabrikam', 'customers', [customer('c00')]);
    const first = await repo.issue('contoso', 'c00', '2026-10', body);
    t.same(first.created, true);
    t.same({ ...first.record, issuedAt: 'x' }, { customer: 'c00', period: '2026-10', number: 'CONTOSO-202610-0001', planHash: 'ph', inputsDigest: 'dg', body: '{"number":"CONTOSO-202610-0001"}', issuedAt: 'x' });
    const again = await repo.issue('contoso', 'c00', '2026-10', () => {
      throw new Error('not called');
    });
    t.same(again, { created: false, record: first.record });
    t.same(await repo.getIssued('contoso', 'c00', '2026-10'), first.record);
    t.equal((await repo.issue('fabrikam', 'c00', '2026-10', body)).record.number, 'FABRIKAM-202610-0001', 'per partner');
    t.equal((await repo.issue('contoso', 'c00', '2026-11', body)).record.number, 'CONTOSO-202611-0001', 'per month');
    // concurrent: 19 customers and each one twice
    const all = await Promise.all(Array.from({ length: 38 }, (_, i) => repo.issue('contoso', `c${String(1 + (i % 19)).padStart(2, '0')}`, '2026-10', body)));
    t.equal(all.filter((r) => r.created).length, 19);
    const numbers = (await repo.listIssued('contoso')).map((s) => s.number);
    t.same(numbers, [...Array.from({ length: 20 }, (_, i) => `CONTOSO-202610-${String(i + 1).padStart(4, '0')}`), 'CONTOSO-202611-0001']);
    t.same(await repo.issuedByNumber('contoso', 'CONTOSO-202610-0001'), first.record);
    t.equal(await repo.issuedByNumber('fabrikam', 'CONTOSO-202610-0001'), null);
    const boom = await errorOf(repo.issue('contoso', 'c00', '2026-12', () => {
      throw new Error('pricing failed');
    }));
    t.equal((boom as Error).message, 'pricing failed');
    t.equal((await repo.issue('contoso', 'c01', '2026-12', body)).record.number, 'CONTOSO-202612-0001', 'a failed issue takes no number');
  });

  t.test('issuing from two connections at once (two servers)', async (t) => {
    const store = await (await backend()).open(t);
    const other = await store.other();
    await store.repo.insertMany('contoso', 'customers', Array.from({ length: 12 }, (_, i) => customer(`c${i}`)));
    const jobs = Array.from({ length: 24 }, (_, i) => (i % 2 ? other : store.repo).issue('contoso', `c${i % 12}`, '2026-10', body));
    const done = await Promise.all(jobs);
    t.equal(done.filter((r) => r.created).length, 12);
    t.same((await other.listIssued('contoso')).map((s) => s.number), Array.from({ length: 12 }, (_, i) => `CONTOSO-202610-${String(i + 1).padStart(4, '0')}`));
  });

  t.test('the same batch from two connections at once: written once, both answers agree', async (t) => {
    const store = await (await backend()).open(t);
    const other = await store.other();
    await seeded(store.repo);
    const batch = Array.from({ length: 40 }, (_, i) => request(`x${i}`, i % 2 ? 'a' : 'b'));
    const [one, two] = await Promise.all([store.repo.insertMany('contoso', 'requests', batch), other.insertMany('contoso', 'requests', batch)]);
    t.same(one!.map((r) => r.record), two!.map((r) => r.record));
    t.equal([...one!, ...two!].filter((r) => r.created).length, 40, 'each record created by exactly one of them');
    t.equal((await store.repo.periodData('contoso', 'a', '2026-10', ...OCT))!.requests.length, 20);
    // overlapping batches in opposite orders (PostgreSQL may deadlock them: the loser runs again)
    const fwd = Array.from({ length: 30 }, (_, i) => worklog(`d${i}`, 'a', null));
    const [f, r] = await Promise.all([store.repo.insertMany('contoso', 'worklogs', fwd), other.insertMany('contoso', 'worklogs', [...fwd].reverse())]);
    t.equal([...f!, ...r!].filter((x) => x.created).length, 30);
    t.same(r!.map((x) => x.record).reverse(), f!.map((x) => x.record));
  });

  t.test('overlapping subscriptions from two connections at once: exactly one is written', async (t) => {
    const store = await (await backend()).open(t);
    const other = await store.other();
    await seeded(store.repo);
    const sub = (id: string, cust: string, start: string): Hashed<SubscriptionRecord> => ({ record: { ...subscription(id, cust).record, start }, bodyHash: `h-${id}` });
    for (let round = 0; round < 5; round++) {
      const cust = `k${round}`;
      await store.repo.insertMany('contoso', 'customers', [customer(cust)]);
      const outcomes = await Promise.allSettled([
        store.repo.insertMany('contoso', 'subscriptions', [sub(`p${round}`, cust, '2026-10-01')]),
        other.insertMany('contoso', 'subscriptions', [sub(`q${round}`, cust, '2026-10-15')]),
      ]);
      t.same(outcomes.map((o) => o.status).sort(), ['fulfilled', 'rejected'], `round ${round}: one of two`);
      t.equal(((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason as { code: string }).code, 'SUBSCRIPTION_OVERLAP');
      t.equal((await store.repo.listSubscriptions('contoso', cust)).length, 1);
    }
  });

  t.test('documents: void keeps the body and frees the period; replaces; credit notes gapless from two connections', async (t) => {
    const store = await (await backend()).open(t);
    const other = await store.other();
    const repo = store.repo;
    await repo.insertMany('contoso', 'customers', [customer('a'), customer('b')]);
    await repo.insertMany('fabrikam', 'customers', [customer('a')]);
    const first = await repo.issue('contoso', 'a', '2026-10', (n, _at, replaces) => (replaces === null ? body(n) : { ...body(n), body: 'unexpected' }));
    t.equal(first.record.body, '{"number":"CONTOSO-202610-0001"}');
    const refused = await errorOf(repo.voidInvoice('contoso', 'CONTOSO-202610-0001', 'r', () => { throw new Error('guarded'); }));
    t.equal((refused as Error).message, 'guarded');
    t.same(await repo.getIssued('contoso', 'a', '2026-10'), first.record, 'a refused void changes nothing');
    t.equal(await repo.voidInvoice('fabrikam', 'CONTOSO-202610-0001', 'r', () => {}), null, 'per partner');
    t.equal(await repo.voidInvoice('contoso', 'CONTOSO-202610-0099', 'r', () => {}), null);
    const seen: unknown[] = [];
    const v = (await repo.voidInvoice('contoso', 'CONTOSO-202610-0001', 'wrong', (inv, notes, later) => void seen.push([inv.number, notes.length, later.length])))!;
    t.same(seen, [['CONTOSO-202610-0001', 0, 0]]);
    t.equal(v.created, true);
    t.same({ ...v.record, voidedAt: 'x' }, { ...first.record, reason: 'wrong', voidedAt: 'x' });
    t.equal(await repo.getIssued('contoso', 'a', '2026-10'), null, 'the period has no current invoice');
    t.same(await repo.voidInvoice('contoso', 'CONTOSO-202610-0001', 'again', () => { throw new Error('not called'); }), { created: false, record: v.record });
    let replaced: string | null = 'unset';
    const second = await repo.issue('contoso', 'a', '2026-10', (n, _at, replaces) => ((replaced = replaces), body(n)));
    t.same([second.created, second.record.number, replaced], [true, 'CONTOSO-202610-0002', 'CONTOSO-202610-0001']);
    t.equal((await repo.issue('contoso', 'b', '2026-10', body)).record.number, 'CONTOSO-202610-0003', 'a void number stays used');

    const make = (_inv: unknown, earlier: readonly unknown[], n: string) => ({ body: JSON.stringify({ n, earlier: earlier.length }), total: '-1.00' });
    const notes = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : repo).issueCreditNote('contoso', 'CONTOSO-202610-0002', () => 'CONTOSO-CN-202611-', make)));
    t.same(notes.map((n) => n!.record.number).sort(), Array.from({ length: 10 }, (_, i) => `CONTOSO-CN-202611-${String(i + 1).padStart(4, '0')}`));
    t.same(notes.map((n) => (JSON.parse(n!.record.body) as { earlier: number }).earlier).sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'each saw the notes before it');
    t.same({ ...notes[0]!.record, number: 'x', body: 'x', issuedAt: 'x' }, { number: 'x', invoice: 'CONTOSO-202610-0002', customer: 'a', period: '2026-10', total: '-1.00', body: 'x', issuedAt: 'x' });
    const over = await errorOf(repo.issueCreditNote('contoso', 'CONTOSO-202610-0002', () => 'CONTOSO-CN-202611-', () => { throw new Error('over'); }));
    t.equal((over as Error).message, 'over');
    t.equal((await repo.issueCreditNote('contoso', 'CONTOSO-202610-0002', () => 'CONTOSO-CN-202611-', make))!.record.number, 'CONTOSO-CN-202611-0011', 'a refusal takes no number');
    t.equal(await repo.issueCreditNote('contoso', 'CONTOSO-202610-0001', () => 'CONTOSO-CN-202611-', make), null, 'a void invoice takes no credit note');
    t.equal(await repo.issueCreditNote('fabrikam', 'CONTOSO-202610-0002', () => 'FABRIKAM-CN-202611-', make), null, 'per partner');

    const all = await other.documents('contoso', {});
    t.same(
      all.map((d) => [d.kind, d.number, d.kind === 'invoice' ? (d.voided?.reason ?? null) : d.invoice]),
      [
        ['invoice', 'CONTOSO-202610-0001', 'wrong'],
        ['invoice', 'CONTOSO-202610-0002', null],
        ['invoice', 'CONTOSO-202610-0003', null],
        ...Array.from({ length: 11 }, (_, i) => ['credit-note', `CONTOSO-CN-202611-${String(i + 1).padStart(4, '0')}`, 'CONTOSO-202610-0002']),
      ],
    );
    t.same((await repo.documents('contoso', { customer: 'b' })).map((d) => d.number), ['CONTOSO-202610-0003']);
    t.equal((await repo.documents('contoso', { kind: 'credit-note', period: '2026-10', customer: 'a' })).length, 11);
    t.same((await repo.documents('contoso', { kind: 'invoice', period: '2026-11' })), []);
    t.same(await repo.documents('fabrikam', {}), []);
    const voided = await repo.documentByNumber('contoso', 'CONTOSO-202610-0001');
    t.same(voided, { kind: 'invoice', ...first.record, voided: { reason: 'wrong', at: v.record.voidedAt } });
    t.same(await repo.documentByNumber('contoso', 'CONTOSO-202610-0002'), { kind: 'invoice', ...second.record, voided: null });
    t.same(await repo.documentByNumber('contoso', 'CONTOSO-CN-202611-0001'), { kind: 'credit-note', ...notes.find((n) => n!.record.number === 'CONTOSO-CN-202611-0001')!.record });
    t.equal(await repo.documentByNumber('fabrikam', 'CONTOSO-202610-0002'), null);
  });

  t.test('change stamps: another connection\'s writes change `external`', async (t) => {
    const store = await (await backend()).open(t);
    const other = await store.other();
    const s0 = await store.repo.changeStamp();
    t.same(await store.repo.changeStamp(), s0, 'stable while nothing is written');
    await other.insertMany('contoso', 'customers', [customer('a')]);
    const s1 = await store.repo.changeStamp();
    t.not(s1.external, s0.external, 'a commit by another connection');
    await other.findToken('tb_x');
    t.same(await store.repo.changeStamp(), s1, 'reads change nothing');
    await store.exec("delete from api_tokens where role = 'viewer'");
    await store.repo.insertMany('contoso', 'customers', [customer('b')]);
    const s2 = await store.repo.changeStamp();
    t.ok(s2.external !== s1.external || s2.own !== s1.own, 'an own write changes the stamp');
    await store.repo.insertMany('contoso', 'customers', [customer('b')]);
    t.same(await store.repo.changeStamp(), s2, 'a replay writes nothing');
  });

  t.test('request events: ordered by at then arrival, replays, conflicts, the first response, per partner', async (t) => {
    const { repo } = await (await backend()).open(t);
    await seeded(repo);
    await repo.insertMany('contoso', 'requests', [request('r1', 'a'), request('r2', 'a', '2026-09-20T10:00:00-04:00'), request('r3', 'b')]);
    await repo.insertMany('fabrikam', 'requests', [request('r1', 'z')]);
    const ev = (req: string, id: string, at: string, type: 'responded' | 'status' | 'severity', value: string | null = null) => ({
      record: { request: req, id, at, type, status: type === 'status' ? value : null, severity: type === 'severity' ? value : null },
      bodyHash: `h-${req}-${id}-${at}`,
    });
    const first = await repo.addEvents('contoso', [
      ev('r1', 'e2', '2026-10-05T12:00:00-04:00', 'status', 'open'),
      ev('r1', 'e1', '2026-10-05T11:00:00-04:00', 'status', 'waiting-customer'),
      ev('r1', 'e3', '2026-10-05T12:00:00-04:00', 'severity', 'A'),
      ev('r1', 'e4', '2026-10-05T13:00:00-04:00', 'responded'),
      ev('r2', 'e1', '2026-09-21T10:00:00-04:00', 'responded'),
    ]);
    t.same(first.map((r) => r.created), [true, true, true, true, true]);
    t.same(first[0], { created: true, record: { request: 'r1', id: 'e2', at: '2026-10-05T12:00:00-04:00', type: 'status', status: 'open', severity: null } });
    // by at; e2 and e3 tie: arrival order
    t.same((await repo.listEvents('contoso', 'r1')).map((e) => e.id), ['e1', 'e2', 'e3', 'e4']);
    t.equal((await repo.getRequest('contoso', 'r1'))!.respondedAt, '2026-10-05T13:00:00-04:00', 'a responded event sets the response');
    // a later response does not move the first; an earlier one does
    await repo.addEvents('contoso', [ev('r1', 'e5', '2026-10-05T14:00:00-04:00', 'responded')]);
    t.equal((await repo.getRequest('contoso', 'r1'))!.respondedAt, '2026-10-05T13:00:00-04:00');
    await repo.addEvents('contoso', [ev('r1', 'e6', '2026-10-05T12:30:00-04:00', 'responded')]);
    t.equal((await repo.getRequest('contoso', 'r1'))!.respondedAt, '2026-10-05T12:30:00-04:00');
    // replay and conflict
    const again = await repo.addEvents('contoso', [ev('r1', 'e1', '2026-10-05T11:00:00-04:00', 'status', 'waiting-customer')]);
    t.same(again, [{ created: false, record: first[1]!.record }]);
    const conflict = await errorOf(repo.addEvents('contoso', [ev('r3', 'x', '2026-10-05T11:00:00-04:00', 'responded'), ev('r1', 'e1', '2026-10-05T11:30:00-04:00', 'status', 'open')]));
    t.ok(conflict instanceof ConflictError);
    t.equal((conflict as ConflictError).index, 1);
    const missing = await errorOf(repo.addEvents('contoso', [ev('r3', 'y', '2026-10-05T11:00:00-04:00', 'responded'), ev('ghost', 'e1', '2026-10-05T11:00:00-04:00', 'responded')]));
    t.ok(missing instanceof MissingReferenceError);
    t.equal((missing as MissingReferenceError).index, 1);
    t.same(await repo.listEvents('contoso', 'r3'), [], 'all or nothing');
    t.equal((await repo.getRequest('contoso', 'r3'))!.respondedAt, null);
    // per partner: fabrikam's r1 has none of these
    t.same(await repo.listEvents('fabrikam', 'r1'), []);
    const fab = await repo.addEvents('fabrikam', [ev('r1', 'e1', '2026-10-05T10:30:00-04:00', 'responded')]);
    t.equal(fab[0]!.created, true);
    t.equal((await repo.getRequest('contoso', 'r1'))!.respondedAt, '2026-10-05T12:30:00-04:00');
    // a customer's requests received in a range, with their events
    const lives = await repo.requestLives('contoso', 'a', Date.parse('2026-09-01T00:00:00-04:00'), OCT[1]);
    t.same(lives.requests.map((r) => r.id), ['r2', 'r1']);
    t.same(lives.events.map((e) => `${e.request}/${e.id}`), ['r1/e1', 'r1/e2', 'r1/e3', 'r1/e6', 'r1/e4', 'r1/e5', 'r2/e1']);
    const oct = await repo.requestLives('contoso', 'a', OCT[0], OCT[1]);
    t.same([oct.requests.map((r) => r.id), oct.events.filter((e) => e.request === 'r2')], [['r1'], []]);
    // what a statement reads: the requests before the period, the events of those and of the period's
    const before = await repo.requestLives('contoso', 'a', Date.parse('2026-09-01T00:00:00-04:00'), OCT[0], OCT[1]);
    t.same(before.requests.map((r) => r.id), ['r2']);
    t.same(before.events, lives.events);
  });

  t.test('month-end: adjustments in order of creation, replays, conflicts, PERIOD_ISSUED; plan versions; issued since', async (t) => {
    const { repo } = await (await backend()).open(t);
    await seeded(repo);
    const adj = (id: string, cust: string, period: string, amount: string, extra: object = {}) => ({
      record: { id, customer: cust, period, description: `adj ${id}`, amount, taxable: true, ...extra },
      bodyHash: `h-${id}`,
    });
    const [z1, a1] = await repo.insertAdjustments('contoso', [adj('z-first', 'a', '2026-10', '10.00'), adj('a-second', 'a', '2026-10', '-2.50', { offering: 'standard', taxable: false })]);
    t.same(z1, { created: true, record: { id: 'z-first', customer: 'a', period: '2026-10', description: 'adj z-first', amount: '10.00', taxable: true } });
    t.same(a1?.record, { id: 'a-second', customer: 'a', period: '2026-10', description: 'adj a-second', amount: '-2.50', offering: 'standard', taxable: false });
    await repo.insertAdjustments('contoso', [adj('m-third', 'a', '2026-10', '1.00'), adj('other-period', 'a', '2026-11', '1.00')]);
    // order of creation, not of id
    t.same((await repo.listAdjustments('contoso', 'a', '2026-10')).map((x) => x.id), ['z-first', 'a-second', 'm-third']);
    t.same(await repo.listAdjustments('fabrikam', 'a', '2026-10'), []);
    t.same((await repo.insertAdjustments('contoso', [adj('z-first', 'a', '2026-10', '10.00')]))[0]?.created, false);
    t.ok((await errorOf(repo.insertAdjustments('contoso', [adj('z-first', 'a', '2026-10', '11.00', {})].map((x) => ({ ...x, bodyHash: 'other' }))))) instanceof ConflictError);
    t.ok((await errorOf(repo.insertAdjustments('contoso', [adj('nobody', 'zz', '2026-10', '1.00')]))) instanceof MissingReferenceError);
    await repo.issue('contoso', 'a', '2026-10', (n) => body(n));
    const refused = (await errorOf(repo.insertAdjustments('contoso', [adj('ok-later', 'a', '2026-12', '1.00'), adj('late', 'a', '2026-10', '1.00')]))) as { code?: string; message?: string };
    t.equal(refused.code, 'PERIOD_ISSUED');
    t.equal(refused.message, 'customer "a" has invoice CONTOSO-202610-0001 issued for 2026-10; put the adjustment on a later period (or void the invoice first)');
    // all or nothing
    t.same((await repo.listAdjustments('contoso', 'a', '2026-12')), []);
    // plan versions: per partner, stored once
    t.equal(await repo.putPlanVersion('contoso', 'sha256:abc', 'version: 1\n'), true);
    t.equal(await repo.putPlanVersion('contoso', 'sha256:abc', 'other text'), false);
    t.equal(await repo.getPlanVersion('contoso', 'sha256:abc'), 'version: 1\n');
    t.equal(await repo.getPlanVersion('fabrikam', 'sha256:abc'), null);
    // a customer's invoices since a period, oldest first
    await repo.issue('contoso', 'a', '2026-09', (n) => body(n));
    await repo.issue('contoso', 'b', '2026-10', (n) => body(n));
    t.same((await repo.issuedSince('contoso', 'a', '2026-01')).map((x) => [x.period, x.number]), [['2026-09', 'CONTOSO-202609-0001'], ['2026-10', 'CONTOSO-202610-0001']]);
    t.same((await repo.issuedSince('contoso', 'a', '2026-10')).map((x) => x.period), ['2026-10']);
    t.same(await repo.issuedSince('fabrikam', 'a', '2026-01'), []);
    // the same without bodies, but a body that names "correction" (corrections read a period's own body only to price it again)
    const corrects = (n: string) => ({ ...body(n), body: JSON.stringify({ number: n, lines: [{ component: 'correction', corrects: 'CONTOSO-202609-0001', amount: '1.00' }] }) });
    await repo.issue('contoso', 'a', '2026-11', corrects);
    const all = await repo.issuedSince('contoso', 'a', '2026-01');
    t.same(all.map((x) => x.period), ['2026-09', '2026-10', '2026-11']);
    t.strictSame(await repo.issuedHeadsSince('contoso', 'a', '2026-01'), all.map((x) => ({ ...x, body: x.period === '2026-11' ? x.body : null, inputsRev: null, unseenMs: null, unseenPeriod: null })));
    t.strictSame((await repo.issuedHeadsSince('contoso', 'a', '2026-10')).map((x) => [x.period, x.number, x.body === null]), [['2026-10', 'CONTOSO-202610-0001', true], ['2026-11', 'CONTOSO-202611-0001', false]]);
    t.strictSame(await repo.issuedHeadsSince('fabrikam', 'a', '2026-01'), []);
  });

  t.test('input changes: every input table notes where a write reaches; a statement sees those before its revision', async (t) => {
    const { repo } = await (await backend()).open(t);
    await seeded(repo);
    await repo.insertMany('contoso', 'subscriptions', [subscription('s1', 'a')]);
    await repo.insertMany('contoso', 'requests', [request('r1', 'a', '2026-10-05T10:00:00-04:00')]);
    const unseen = async (period: string) => {
      const h = (await repo.issuedHeadsSince('contoso', 'a', period)).find((x) => x.period === period)!;
      return [h.unseenMs === null ? null : new Date(h.unseenMs).toISOString(), h.unseenPeriod];
    };
    // issued with the revision taken before its read: everything written before it is seen
    const rev = await repo.inputsRev('contoso', 'a');
    t.type(rev, 'string');
    await repo.issue('contoso', 'a', '2026-10', (n) => ({ ...body(n), inputsRev: rev }));
    t.same(await unseen('2026-10'), [null, null], 'nothing unseen');
    // another customer's and another partner's writes are not a's
    await repo.insertMany('contoso', 'worklogs', [worklog('wb', 'b', null, '2026-09-01T00:00:00Z')]);
    await repo.insertMany('fabrikam', 'requests', [request('rz', 'z', '2026-01-01T00:00:00Z')]);
    t.same(await unseen('2026-10'), [null, null]);
    // a worklog: from its start; an event: from its request's arrival; the earliest unseen one counts
    await repo.insertMany('contoso', 'worklogs', [worklog('w1', 'a', 'r1', '2026-11-02T09:00:00Z')]);
    t.same(await unseen('2026-10'), ['2026-11-02T09:00:00.000Z', null]);
    await repo.addEvents('contoso', [{ record: { request: 'r1', id: 'e1', at: '2026-11-03T00:00:00Z', type: 'status', status: 'resolved', severity: null }, bodyHash: 'h-e1' }]);
    t.same(await unseen('2026-10'), ['2026-10-05T14:00:00.000Z', null]);
    // spend, adjustments: their period; a kept ledger state: the period after its own
    await repo.putLedgerStates('contoso', 'a', { period: '2026-08', stamp: 's', states: '[]', inputsRev: null });
    t.same(await unseen('2026-10'), ['2026-10-05T14:00:00.000Z', '2026-09']);
    await repo.insertMany('contoso', 'spend', [{ ...spend('sp1', 'a', '1.00'), record: { ...spend('sp1', 'a', '1.00').record, period: '2026-07' } }]);
    t.same(await unseen('2026-10'), ['2026-10-05T14:00:00.000Z', '2026-07']);
    // a statement issued later sees all of it; one issued without a revision is not known
    const rev2 = await repo.inputsRev('contoso', 'a');
    await repo.issue('contoso', 'a', '2026-11', (n) => ({ ...body(n), inputsRev: rev2 }));
    await repo.issue('contoso', 'a', '2026-12', (n) => body(n));
    t.same(await unseen('2026-11'), [null, null]);
    const heads = await repo.issuedHeadsSince('contoso', 'a', '2026-10');
    t.same(heads.map((h) => [h.period, h.inputsRev === null]), [['2026-10', false], ['2026-11', false], ['2026-12', true]]);
    // the customer as the engine reads it, and subscriptions: every period; an e-mail address is not an input
    const a = { id: 'a', name: 'A', locale: null, taxRate: null, email: 'a@example.com', tenantId: null };
    await repo.updateCustomer('contoso', { record: a, bodyHash: 'h-a2' });
    t.same(await unseen('2026-11'), [null, null], 'e-mail only');
    await repo.updateCustomer('contoso', { record: { ...a, name: 'A Corp' }, bodyHash: 'h-a3' });
    t.same(await unseen('2026-11'), [null, '0000-00']);
  });

  t.test('input stamps: when the inputs of a statement were stored', async (t) => {
    const { repo } = await (await backend()).open(t);
    await seeded(repo);
    await repo.insertMany('contoso', 'subscriptions', [subscription('s1', 'a')]);
    await repo.insertMany('contoso', 'requests', [request('r1', 'a')]);
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    await repo.addQuantity('contoso', 's1', { metric: 'seats', value: 7, from: '2026-10-20' });
    const st = await repo.inputStamps('contoso', { customer: 'a', subscriptions: ['s1'], requests: ['r1', 'ghost'], worklogs: [], spend: [] }, since);
    t.type(st.customerUpdatedAt, 'string');
    t.same([...st.created.subscriptions.keys()], ['s1']);
    t.same([...st.created.requests.keys()], ['r1']);
    t.same([...st.laterQuantities.get('s1')!].map((q) => [q.metric, q.value, q.from]), [['seats', 7, '2026-10-20']]);
  });
  t.test('admin lists: keyset pages in a stable order, filters, per partner', async (t) => {
    const { repo } = await (await backend()).open(t);
    await seeded(repo);
    await repo.insertMany('contoso', 'customers', [customer('c', { name: 'Contoso 100%_Fans' })]);
    await repo.insertMany('fabrikam', 'customers', [customer('a')]);
    await repo.insertMany('contoso', 'subscriptions', [subscription('s2', 'a'), { ...subscription('s1', 'b'), record: { ...subscription('s1', 'b').record, start: '2026-09-01', end: '2026-09-30' } }]);
    await repo.insertMany('contoso', 'requests', [
      request('r3', 'a', '2026-10-05T10:00:00-04:00'),
      request('r1', 'a', '2026-10-05T10:00:00-04:00', { respondedAt: '2026-10-05T10:30:00-04:00' }),
      request('r2', 'b', '2026-10-31T23:00:00-04:00', { decision: { ...decision, accepted: false } }),
      request('r0', 'b', '2026-11-01T00:00:00-04:00'),
    ]);
    await repo.insertMany('contoso', 'worklogs', [worklog('w2', 'a', 'r1', '2026-10-06T09:00:00-04:00'), worklog('w1', 'a', null, '2026-11-02T09:00:00-04:00')]);
    await repo.insertMany('contoso', 'spend', [spend('x2', 'a', '1.00'), spend('x1', 'b', '2.00'), { ...spend('x0', 'a', '3.00'), record: { ...spend('x0', 'a', '3.00').record, period: '2026-09' } }]);
    const all = async <K extends ListKind>(filter: ListFilter & { kind: K }, limit: number, partner = 'contoso') => {
      const pages: string[][] = [];
      let after: PageKey | null = null;
      do {
        const p: Page<KindRecord[K]> = await repo.listPage<K>(partner, filter, { limit, after });
        pages.push(p.items.map((x) => x.id));
        after = p.next;
      } while (after);
      return pages;
    };
    t.same(await all({ kind: 'customers' }, 2), [['a', 'b'], ['c']]);
    t.same(await all({ kind: 'customers', q: '%_f' }, 5), [['c']], 'wildcards literal, any case');
    t.same(await all({ kind: 'customers', q: 'b' }, 5), [['b']], 'an id');
    t.same(await all({ kind: 'customers' }, 5, 'fabrikam'), [['a', 'z']]);
    t.same(await all({ kind: 'subscriptions' }, 1), [['s1'], ['s2']], 'by start');
    t.same(await all({ kind: 'subscriptions', activeOn: '2026-09-30' }, 5), [['s1']]);
    t.same(await all({ kind: 'subscriptions', customer: 'a', offering: 'standard' }, 5), [['s2']]);
    t.same(await all({ kind: 'requests' }, 1), [['r1'], ['r3'], ['r2'], ['r0']], 'by time then id');
    t.same(await all({ kind: 'requests', fromMs: OCT[0], toMs: OCT[1] }, 10), [['r1', 'r3', 'r2']]);
    t.same(await all({ kind: 'requests', state: 'rejected' }, 10), [['r2']]);
    t.same(await all({ kind: 'requests', state: 'accepted', customer: 'a' }, 10), [['r1', 'r3']]);
    t.same(await all({ kind: 'requests', state: 'responded' }, 10), [['r1']]);
    t.same(await all({ kind: 'requests', state: 'unresponded' }, 10), [['r3', 'r2', 'r0']]);
    t.same(await all({ kind: 'worklogs', fromMs: OCT[0], toMs: OCT[1] }, 10), [['w2']]);
    t.same(await all({ kind: 'spend' }, 2), [['x0', 'x1'], ['x2']], 'by period then id');
    t.same(await all({ kind: 'spend', period: '2026-10', customer: 'a' }, 2), [['x2']]);
    t.same(await all({ kind: 'requests' }, 10, 'fabrikam'), [[]]);
    const first = await repo.listPage('contoso', { kind: 'requests' }, { limit: 1, after: null });
    t.same(first.items[0], (await repo.getRequest('contoso', 'r1'))!, 'items as stored');
    t.same(first.next, [Date.parse('2026-10-05T10:00:00-04:00'), 'r1'], 'a millisecond key is a number on both backends');
    t.same((await repo.listPage('contoso', { kind: 'worklogs' }, { limit: 5, after: null })).items[0], await repo.getRecord('contoso', 'worklogs', 'w2'));
  });

  t.test('record corrections: update and delete in the transaction, PERIOD_ISSUED, RECORD_IN_USE, audit written with the change', async (t) => {
    const { repo } = await (await backend()).open(t);
    await seeded(repo);
    await repo.insertMany('contoso', 'requests', [request('r1', 'a'), request('r2', 'a')]);
    await repo.insertMany('contoso', 'worklogs', [worklog('w1', 'a', 'r1')]);
    await repo.insertMany('contoso', 'spend', [spend('x1', 'a', '1.00'), { ...spend('x2', 'a', '2.00'), record: { ...spend('x2', 'a', '2.00').record, period: '2026-11' } }]);
    await repo.addEvents('contoso', [{ record: { request: 'r2', id: 'e1', at: '2026-10-05T10:10:00-04:00', type: 'responded', status: null, severity: null }, bodyHash: 'h-e1' }]);
    const month = (r: { period?: string; receivedAt?: string; start?: string }) => r.period ?? (r.receivedAt ?? r.start)!.slice(0, 7);
    const audit = <R>(changes: (r: R) => AuditChange[]): Audit<R> => ({ token: 'tok-1', changes });
    const entry = <K extends CorrectableKind>(kind: AuditEntity) => audit<RecordRevision<K> | null>((r) => (r ? [{ action: r.after ? 'update' : 'delete', entity: kind, id: r.before.id, before: r.before, after: r.after }] : []));

    t.equal(await repo.getRecord('contoso', 'spend', 'nope'), null);
    t.equal(await repo.reviseRecord('contoso', 'spend', 'nope', () => null, month), null);
    t.equal(await repo.getRecord('fabrikam', 'spend', 'x1'), null, 'per partner');
    const x1 = (await repo.getRecord('contoso', 'spend', 'x1'))!;
    const up = await repo.reviseRecord('contoso', 'spend', 'x1', (cur) => ({ record: { ...cur, amount: '5.00' }, bodyHash: 'h-x1b' }), month, undefined, entry('spend'));
    t.same(up, { before: x1, after: { ...x1, amount: '5.00' } });
    const r1 = (await repo.getRecord('contoso', 'requests', 'r1'))!;
    const moved = await repo.reviseRecord('contoso', 'requests', 'r1', (cur) => ({ record: { ...cur, severity: 'A', receivedAt: '2026-10-06T09:00:00-04:00', serviceIncident: true, decision: { ...decision, accepted: false } }, bodyHash: 'h-r1b' }), month);
    t.same(moved?.after, { ...r1, severity: 'A', receivedAt: '2026-10-06T09:00:00-04:00', serviceIncident: true, decision: { ...decision, accepted: false } });
    t.same((await repo.listPage('contoso', { kind: 'requests', state: 'rejected' }, { limit: 5, after: null })).items.map((x) => x.id), ['r1'], 'the stored decision changed');
    const w1 = (await repo.getRecord('contoso', 'worklogs', 'w1'))!;
    t.same((await repo.reviseRecord('contoso', 'worklogs', 'w1', (cur) => ({ record: { ...cur, minutes: 45, billable: false }, bodyHash: 'h-w1b' }), month))?.after, { ...w1, minutes: 45, billable: false });
    const inUse = (await errorOf(repo.reviseRecord('contoso', 'requests', 'r1', () => null, month))) as { code?: string; message?: string };
    t.equal(inUse.code, 'RECORD_IN_USE');
    t.equal(inUse.message, 'request "r1" is referred to by worklog "w1"; correct or delete that first');
    t.same((await repo.reviseRecord('contoso', 'requests', 'r2', () => null, month, undefined, entry('request')))?.after, null, 'a request with events is deleted with them');
    t.equal(await repo.getRequest('contoso', 'r2'), null);
    t.same(await repo.listEvents('contoso', 'r2'), []);

    // issued: refused, before or after the change; nothing written, no entry
    await repo.issue('contoso', 'a', '2026-10', (n) => body(n));
    for (const [kind, id, change] of [
      ['spend', 'x1', () => null],
      ['worklogs', 'w1', (cur: WorklogRecord) => ({ record: { ...cur, minutes: 1 }, bodyHash: 'h' })],
      ['spend', 'x2', (cur: SpendRecord) => ({ record: { ...cur, period: '2026-10' }, bodyHash: 'h' })],
    ] as const) {
      const err = (await errorOf(repo.reviseRecord('contoso', kind, id, change as never, month as never, undefined, entry(kind === 'spend' ? 'spend' : 'worklog') as never))) as { code?: string; message?: string };
      t.equal(err.code, 'PERIOD_ISSUED', `${kind} ${id}`);
      t.equal(err.message, 'customer "a" has invoice CONTOSO-202610-0001 issued for 2026-10; put the adjustment on a later period (or void the invoice first)');
    }
    t.same((await repo.getRecord('contoso', 'spend', 'x1'))?.amount, '5.00', 'unchanged');
    t.same((await repo.reviseRecord('contoso', 'spend', 'x2', () => null, month))?.after, null, 'another period is open');
    await repo.voidInvoice('contoso', 'CONTOSO-202610-0001', 'wrong', () => {});
    t.same((await repo.reviseRecord('contoso', 'spend', 'x1', () => null, month, undefined, entry('spend')))?.after, null, 'a void invoice holds nothing');

    const log = await repo.auditLog('contoso', {}, { limit: 10, after: null });
    t.same(log.items.map((e) => [e.token, e.action, e.entity, e.entityId]), [['tok-1', 'update', 'spend', 'x1'], ['tok-1', 'delete', 'request', 'r2'], ['tok-1', 'delete', 'spend', 'x1']], 'one entry per change written, none for a refusal');
    t.same([log.items[0]!.before, log.items[0]!.after], [x1, { ...x1, amount: '5.00' }]);
    t.equal(log.next, null);
  });

  t.test('audit log: written in the change transaction (rolled back with it), filters, pages, per partner', async (t) => {
    const { repo } = await (await backend()).open(t);
    const creations = audit<WriteResult<CustomerRecord>[]>((rs) => rs.filter((r) => r.created).map((r) => ({ action: 'create', entity: 'customer', id: r.record.id, before: null, after: r.record })));
    function audit<R>(changes: (r: R) => AuditChange[]): Audit<R> {
      return { token: 'tok-a', changes };
    }
    const t0 = Date.now();
    await repo.insertMany('contoso', 'customers', [customer('a'), customer('b')], undefined, creations);
    await repo.insertMany('contoso', 'customers', [customer('a')], undefined, creations); // replay: no entry
    await repo.insertMany('fabrikam', 'customers', [customer('z')], undefined, creations);
    t.ok((await errorOf(repo.insertMany('contoso', 'customers', [customer('c'), { ...customer('a'), bodyHash: 'other' }], undefined, creations))) instanceof ConflictError);
    const upd = audit<CustomerRecord | null>((r) => (r ? [{ action: 'update', entity: 'customer', id: r.id, before: null, after: r }] : []));
    await repo.reviseCustomer('contoso', 'a', (c) => ({ record: { ...c, name: 'A2' }, bodyHash: 'h2' }), undefined, upd);
    t.ok(await errorOf(repo.reviseCustomer('contoso', 'b', () => { throw new Error('refused'); }, undefined, upd)));
    await repo.insertMany('contoso', 'subscriptions', [subscription('s1', 'a')]);
    await repo.addQuantity('contoso', 's1', { metric: 'seats', value: 3, from: '2026-10-02' }, undefined, audit((s) => (s ? [{ action: 'update', entity: 'subscription', id: s.id, before: null, after: s }] : [])));
    await repo.reviseSubscription('contoso', 's1', () => ({ set: { discount: '5%' } }), undefined, audit((r) => (r ? [{ action: 'update', entity: 'subscription', id: r.subscription.id, before: null, after: r.subscription }] : [])));
    const t1 = Date.now();
    // a change with its Idempotency-Key claimed: the entry too
    await repo.reviseCustomer('contoso', 'b', (c) => ({ record: { ...c, name: 'B2' }, bodyHash: 'h3' }), { key: 'k1', route: 'PATCH /customers/b', bodyHash: 'hb', answer: () => ({ status: 200, contentType: 'application/json', response: '{}' }) }, upd);

    const page = (filter: AuditFilter, limit = 10, after: number | null = null) => repo.auditLog('contoso', filter, { limit, after });
    const all = (await page({})).items;
    t.same(all.map((e) => `${e.action} ${e.entity} ${e.entityId}`), ['create customer a', 'create customer b', 'update customer a', 'update subscription s1', 'update subscription s1', 'update customer b']);
    t.same(all[0], { seq: all[0]!.seq, at: all[0]!.at, token: 'tok-a', action: 'create', entity: 'customer', entityId: 'a', before: null, after: { ...customer('a').record, taxId: null } });
    t.type(all[0]!.seq, 'number');
    t.ok(Date.parse(all[0]!.at) >= t0 - 1000 && Date.parse(all[0]!.at) <= t1 + 1000, 'at: when written');
    t.same((await page({ entity: 'subscription', id: 's1' })).items.map((e) => (e.after as SubscriptionRecord).discount), [null, '5%']);
    t.same((await page({ entity: 'customer', id: 'b' })).items.map((e) => e.action), ['create', 'update']);
    const p1 = await page({}, 4);
    t.same(p1.next, [all[3]!.seq, '']);
    t.same((await page({}, 4, all[3]!.seq)).items.map((e) => e.seq), [all[4]!.seq, all[5]!.seq]);
    t.same((await page({ fromMs: t1 + 60_000 })).items, []);
    t.same((await page({ toMs: t0 - 60_000 })).items, []);
    t.same((await repo.auditLog('fabrikam', {}, { limit: 10, after: null })).items.map((e) => e.entityId), ['z']);
  });

}

t.test('sqlite', async (t) => contract(t, await sqliteBackend(t)));
t.test('postgres', async (t) => contract(t, await postgresBackend(t)));
