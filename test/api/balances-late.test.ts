// Late usage in a billed month (SPEC §10 with §9.6): the block ledger runs
// from stored data, so a worklog posted into an issued October changes
// October's balance and every later one; what October now comes to beyond its
// invoice reaches November's statement as a correction.
//
// October (issued): 240 min, 1 h included, 180 drawn: 1100.00.
// Then 480 min are posted into October (10:00-18:00, business hours): October
// now draws 180 + 480 = 660 from a 600 grant: 60 min of overage at 150.00 an
// hour = 150.00 more than issued: November corrects CONTOSO-202610-0001 by
// +150.00. October's closing falls from 300 to 0, so November's 720 drawn
// minutes (780 worked, 1 h included) exceed its 600 grant by 120: the last two
// hours of the worklog, 18:00-20:00 after hours: 2 × 150.00 × 1.5 = 450.00.
import t from 'tap';
import { startServer } from './helpers.js';
import { huayun } from '../render/fixtures.js';
import { blocksPlan } from './purchases-plan.js';

t.test('a late worklog in an issued month: later balances move, the difference is billed as a correction', async (t) => {
  const s = await startServer([blocksPlan(), huayun()]);
  t.teardown(() => s.close());
  const post = async (path: string, body?: unknown) => {
    const a = await s.call('POST', path, { body });
    if (a.status >= 300) throw new Error(`${path}: ${a.status} ${a.text}`);
    return a;
  };
  await post('/customers', { id: 'alpha', name: 'Alpha' });
  await post('/subscriptions', { id: 'a-mon', customer: 'alpha', offering: 'monthly', start: '2026-10-01' });
  await post('/worklogs', { id: 'w1', customer: 'alpha', offering: 'monthly', start: '2026-10-06T10:00:00-04:00', minutes: 240 });
  await post('/worklogs', { id: 'w2', customer: 'alpha', offering: 'monthly', start: '2026-11-03T09:00:00-05:00', minutes: 780 });
  const oct = await post('/statements/alpha/2026-10/finalize');
  t.equal(oct.json.number, 'CONTOSO-202610-0001');
  t.same(oct.json.balances, [{ subscription: 'a-mon', component: 'prepaid', unit: 'minutes', opening: 0, granted: 600, used: 180, expired: 120, closing: 300 }]);
  t.equal(oct.json.subtotal, '1100.00');

  await post('/worklogs', { id: 'w-late', customer: 'alpha', offering: 'monthly', start: '2026-10-20T10:00:00-04:00', minutes: 480 });
  const balances = async (period: string) => (await s.call('GET', `/subscriptions/a-mon/balances?period=${period}`)).json.balances;
  t.same(await balances('2026-10'), [{ component: 'prepaid', unit: 'minutes', opening: 0, granted: 600, used: 600, expired: 0, closing: 0 }], 'October from the store as it is now');
  t.same(await balances('2026-11'), [{ component: 'prepaid', unit: 'minutes', opening: 0, granted: 600, used: 600, expired: 0, closing: 0 }]);
  const issued = (await s.call('GET', '/statements/alpha/2026-10/issued')).json;
  t.same(issued.balances, oct.json.balances, 'the issued document is never changed');

  const nov = (await s.call('GET', '/statements/alpha/2026-11')).json;
  const lines = nov.lines.map((l: { component: string; kind?: string; quantity?: string; amount: string }) => [l.component, l.kind ?? null, l.quantity ?? null, l.amount]);
  t.same(lines.slice(0, 3), [
    ['prepaid', 'grant', '1', '1100.00'],
    ['labour', 'block', '10', '0.00'],
    ['labour', 'overage', '2', '450.00'],
  ]);
  // corrections (§9.6, app/corrections.ts): October repriced from the store with the late worklog
  await t.test('November corrects October by the overage the late worklog caused', async (t) => {
    const corrections = nov.lines.filter((l: { component: string }) => l.component === 'correction');
    t.same(
      corrections.map((l: { offering: string; corrects: string; amount: string }) => [l.offering, l.corrects, l.amount]),
      [['monthly', 'CONTOSO-202610-0001', '150.00']],
      'the October overage the late worklog caused, billed once on November',
    );
    t.equal(nov.subtotal, '1700.00');
  });
});
