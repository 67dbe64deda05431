// Quotes take `purchases` (SPEC §10): priced by the same engine as stored
// purchases; a purchase must name a subscription of the quote and a block
// with renew: purchase of its offering.
import t from 'tap';
import { startServer } from './helpers.js';
import { huayun } from '../render/fixtures.js';
import { blocksPlan } from './purchases-plan.js';

const quote = (purchases: unknown[]) => ({
  partner: 'contoso',
  period: '2026-11',
  customer: { id: 'prospect' },
  subscriptions: [{ id: 'q-top', offering: 'topup', start: '2026-11-01' }],
  worklogs: [{ offering: 'topup', start: '2026-11-12T10:00:00-05:00', minutes: 200 }],
  purchases,
});

t.test('POST /quotes with purchases', async (t) => {
  const s = await startServer([blocksPlan(), huayun()]);
  t.teardown(() => s.close());
  const a = await s.call('POST', '/quotes', { body: quote([{ id: 'b1', subscription: 'q-top', component: 'hours', date: '2026-11-10', quantity: 2 }]) });
  t.equal(a.status, 200, a.text);
  t.same(
    a.json.lines.map((l: { component: string; kind: string; quantity: string; amount: string }) => [l.component, l.kind, l.quantity, l.amount]),
    [
      ['hours', 'grant', '2', '900.00'],
      ['labour', 'block', '3.5', '0.00'],
    ],
  );
  t.same(a.json.balances, [{ subscription: 'q-top', component: 'hours', unit: 'minutes', opening: 0, granted: 600, used: 210, expired: 390, closing: 0 }]);

  const priced = await s.call('POST', '/quotes', { body: quote([{ id: 'b1', subscription: 'q-top', component: 'hours', date: '2026-11-10', amount: '400.00' }]) });
  t.same(priced.json.lines[0].amount, '400.00', 'the amount as given');

  const none = await s.call('POST', '/quotes', { body: quote([]) });
  t.same(
    none.json.lines.map((l: { component: string; kind: string; amount: string }) => [l.component, l.kind, l.amount]),
    [
      ['labour', 'block', '0.00'],
      ['labour', 'overage', '350.00'],
    ],
    'without a purchase nothing is drawn and the work is billed at the labour price',
  );

  const ghost = await s.call('POST', '/quotes', { body: quote([{ id: 'b1', subscription: 'ghost', component: 'hours', date: '2026-11-10' }]) });
  t.same([ghost.status, ghost.json.code, ghost.json.errors[0].pointer, ghost.json.errors[0].detail], [400, 'INVALID_QUOTE', '/purchases/0/subscription', 'no subscription "ghost" in this quote']);
  const notBlock = await s.call('POST', '/quotes', { body: quote([{ id: 'b1', subscription: 'q-top', component: 'labour', date: '2026-11-10' }]) });
  t.same([notBlock.status, notBlock.json.errors?.[0]?.pointer], [422, '/purchases/0/component']);
  const noId = await s.call('POST', '/quotes', { body: quote([{ subscription: 'q-top', component: 'hours', date: '2026-11-10' }]) });
  t.same([noId.status, noId.json.code], [400, 'INVALID_BODY'], 'a quote purchase needs its id');
});
