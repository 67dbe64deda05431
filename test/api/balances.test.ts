// GET /subscriptions/:id/balances (SPEC §10) with numbers worked by hand, the
// block lines of the margin report, and BLOCK_LOW on the admin's draft.
//
// Plan (purchases-plan.ts): `monthly` grants a 10 h block on the first active
// day of each period (rollover 2 periods, at most 5 h; alert at 80 %) drawn by
// `labour` (1 h included, 15-minute increments); `topup` (delivered by the
// provider fabrikam: 55.00 per hour worked, 100.00 flat per customer month)
// sells 5 h blocks at 450.00 by purchase, no rollover.
//
// October: 240 min of labour; 60 included, 180 drawn from the October grant
//   (600): 420 unused, at most 300 carried: closing 300, expired 120.
// November: 780 min; 60 included, 720 drawn: the October 300 first, then 420
//   of the November grant: closing 180, nothing expired; used 720 >= 80 % of
//   900 (opening 300 + granted 600): BLOCK_LOW.
//   topup: 2 blocks bought on 11-10 (600 min, 900.00), 200 min worked on 11-12
//   rounded to 210, drawn; 390 expire at the period's end (no rollover).
// December: nothing worked: the November 180 and the December 600 may both be
//   carried by age, but at most 300: the oldest dropped first: closing 300,
//   expired 480.
import t from 'tap';
import { startServer, type Server } from './helpers.js';
import { huayun } from '../render/fixtures.js';
import { blocksPlan } from './purchases-plan.js';

async function seeded(): Promise<Server> {
  const s = await startServer([blocksPlan(), huayun()]);
  const post = async (path: string, body: unknown): Promise<void> => {
    const a = await s.call('POST', path, { body });
    if (a.status >= 300) throw new Error(`${path}: ${a.status} ${a.text}`);
  };
  await post('/customers', { id: 'alpha', name: 'Alpha' });
  await post('/subscriptions', { id: 'a-mon', customer: 'alpha', offering: 'monthly', start: '2026-10-01' });
  await post('/subscriptions', { id: 'a-top', customer: 'alpha', offering: 'topup', start: '2026-10-01' });
  await post('/subscriptions', { id: 'a-plain', customer: 'alpha', offering: 'plain', start: '2026-10-01' });
  await post('/worklogs', { id: 'w1', customer: 'alpha', offering: 'monthly', start: '2026-10-06T10:00:00-04:00', minutes: 240 });
  await post('/worklogs', { id: 'w2', customer: 'alpha', offering: 'monthly', start: '2026-11-03T09:00:00-05:00', minutes: 780 });
  await post('/purchases', { id: 'p1', customer: 'alpha', subscription: 'a-top', component: 'hours', date: '2026-11-10', quantity: 2 });
  await post('/worklogs', { id: 'w3', customer: 'alpha', offering: 'topup', start: '2026-11-12T10:00:00-05:00', minutes: 200 });
  return s;
}

// one store for every subtest: they read it, and the last one finalizes November
const s = await seeded();
t.teardown(() => s.close());

const ledger = (opening: number, granted: number, used: number, expired: number, closing: number) => ({ opening, granted, used, expired, closing });

t.test('balances through each period, by hand', async (t) => {
  const get = async (id: string, period: string) => (await s.call('GET', `/subscriptions/${id}/balances?period=${period}`, { token: s.viewer })).json;
  t.same(await get('a-mon', '2026-10'), { subscription: 'a-mon', customer: 'alpha', period: '2026-10', balances: [{ component: 'prepaid', unit: 'minutes', ...ledger(0, 600, 180, 120, 300) }] });
  t.same((await get('a-mon', '2026-11')).balances, [{ component: 'prepaid', unit: 'minutes', ...ledger(300, 600, 720, 0, 180) }]);
  t.same((await get('a-mon', '2026-12')).balances, [{ component: 'prepaid', unit: 'minutes', ...ledger(180, 600, 0, 480, 300) }]);
  t.same((await get('a-top', '2026-10')).balances, [{ component: 'hours', unit: 'minutes', ...ledger(0, 0, 0, 0, 0) }], 'nothing bought yet');
  t.same((await get('a-top', '2026-11')).balances, [{ component: 'hours', unit: 'minutes', ...ledger(0, 600, 210, 390, 0) }]);
  t.same((await get('a-plain', '2026-11')).balances, [], 'no block: no ledger');
  t.same((await get('a-mon', '2026-09')).balances, [], 'before the start: nothing');
});

t.test('balances: refusals and isolation', async (t) => {
  const missing = await s.call('GET', '/subscriptions/ghost/balances?period=2026-11');
  t.same([missing.status, missing.json.code, missing.json.detail], [404, 'NOT_FOUND', 'subscription "ghost" not found']);
  for (const q of ['', '?period=2026-13', '?period=2026-11&x=1', '?period=202611']) {
    const a = await s.call('GET', `/subscriptions/a-mon/balances${q}`);
    t.same([a.status, a.json.code], [400, 'INVALID_QUERY'], q);
  }
  const other = await s.call('GET', `${s.origin}/v1/partners/huayun/subscriptions/a-mon/balances?period=2026-11`, { token: s.other });
  t.same([other.status, other.json.code], [404, 'NOT_FOUND'], "another partner's subscription is not found");
  const noToken = await s.call('GET', '/subscriptions/a-mon/balances?period=2026-11', { token: null });
  t.equal(noToken.status, 401);
});

t.test('the statement carries the same balances, and BLOCK_LOW on the draft for the admin', async (t) => {
  const st = (await s.call('GET', '/statements/alpha/2026-11')).json;
  t.same(st.balances, [
    { subscription: 'a-mon', component: 'prepaid', unit: 'minutes', ...ledger(300, 600, 720, 0, 180) },
    { subscription: 'a-top', component: 'hours', unit: 'minutes', ...ledger(0, 600, 210, 390, 0) },
  ]);
  t.same(
    st.lines.filter((l: { offering: string }) => l.offering !== 'plain').map((l: { component: string; kind: string; quantity: string; amount: string }) => [l.component, l.kind, l.quantity, l.amount]),
    [
      ['prepaid', 'grant', '1', '1100.00'],
      ['labour', 'block', '12', '0.00'],
      ['hours', 'grant', '2', '900.00'],
      ['labour', 'block', '3.5', '0.00'],
    ],
  );
  t.same(st.warnings, [{ code: 'BLOCK_LOW', message: 'a-mon: prepaid block "prepaid" has used 12 hours of 15 hours, at or over its alert level of 80%' }]);
  const html = (await s.call('GET', '/statements/alpha/2026-11?format=html')).text;
  t.match(html, /<li data-code="BLOCK_LOW"><strong>BLOCK_LOW<\/strong> a-mon: prepaid block &quot;prepaid&quot; has used 12 hours of 15 hours/);
  t.match(html, /<section id="balances">/);
  const zh = (await s.call('GET', '/statements/alpha/2026-11?format=html&locale=zh-CN')).text;
  t.match(zh, /<h2>预付余额<\/h2>/);
});

t.test('margin: a block delivered by a provider costs what the provider says', async (t) => {
  const m = (await s.call('GET', '/reports/margin?period=2026-11')).json;
  // topup's revenue is the purchase (2 × 450.00); fabrikam is paid its hourly rate for the 3.5 h worked
  // (as billed: 200 min rounded to 210) and its flat fee for the customer month
  t.same(
    m.rows.filter((r: { offering: string }) => r.offering === 'topup'),
    [
      {
        customer: 'alpha', period: '2026-11', offering: 'topup', provider: 'fabrikam', revenue: '900.00', cost: '292.50', margin: '607.50', marginPercent: '67.5%',
        costs: [{ model: 'hourly', quantity: '3.50', amount: '192.50' }, { model: 'flat', quantity: '30/30', amount: '100.00' }],
      },
    ],
  );
  t.same(m.rows.find((r: { offering: string }) => r.offering === 'monthly'), { customer: 'alpha', period: '2026-11', offering: 'monthly', provider: 'partner', revenue: '1100.00', cost: '0.00', margin: '1100.00', marginPercent: '100.0%', costs: [] });
  // October: nothing bought and nothing worked on topup: no row, as for any subscription without lines or usage
  const oct = (await s.call('GET', '/reports/margin?period=2026-10')).json;
  t.same(oct.rows.find((r: { offering: string }) => r.offering === 'topup'), undefined, 'no revenue, no work: no row');
});

t.test('finalized: the balances stay, BLOCK_LOW does not reach the issued document', async (t) => {
  const fin = await s.call('POST', '/statements/alpha/2026-11/finalize');
  t.equal(fin.status, 201, fin.text);
  t.equal(fin.json.warnings, undefined);
  t.same(fin.json.balances.map((b: { subscription: string; closing: number }) => [b.subscription, b.closing]), [['a-mon', 180], ['a-top', 0]]);
  const html = await s.call('GET', `/documents/${fin.json.number}?format=html`);
  t.equal(html.status, 200, html.text.slice(0, 300));
  t.match(html.text, /<section id="balances">/);
  t.notMatch(html.text, /BLOCK_LOW/);
  const draft = (await s.call('GET', '/statements/alpha/2026-12')).json;
  t.same(draft.balances?.[0], { subscription: 'a-mon', component: 'prepaid', unit: 'minutes', ...ledger(180, 600, 0, 480, 300) }, 'the next draft opens with the closing issued');
});
