// One customer the engine cannot price (a subscription to an offering the
// plan has since dropped, a stored discount over 100 %) made
// GET /reports/margin 422 for the whole partner (issue 21 item 14): it now
// goes to `skipped` with the reason, and the others are priced.
import t from 'tap';
import { marginReport } from '../../src/billing/margin.js';
import { seed, startServer, type Server } from './helpers.js';

let s: Server;
t.before(async () => {
  s = await startServer();
  await seed(s); // northwind: standard from 2026-10-10, 20 seats
  // a subscription stored when the plan still had "gold" (straight into the store: the API refuses it now)
  await s.repo.insertMany('contoso', 'customers', [{ record: { id: 'oldie', name: 'Oldie', locale: null, taxRate: null, email: null }, bodyHash: 'h1' }]);
  await s.repo.insertMany('contoso', 'subscriptions', [{ record: { id: 'oldie-gold', customer: 'oldie', offering: 'gold', start: '2026-01-01', end: null, discount: null, quantities: [] }, bodyHash: 'h2' }]);
});
t.teardown(() => s.close());

t.test('the report prices everyone it can and lists the rest', async (t) => {
  const r = await s.call('GET', '/reports/margin?period=2026-10');
  t.equal(r.status, 200, r.text);
  t.same(r.json.skipped, [{ customer: 'oldie', period: '2026-10', reason: 'unknown offering "gold" in plan contoso' }]);
  t.same(
    r.json.byCustomer.map((c: { key: string }) => c.key),
    ['northwind'],
  );
  const alone = await s.call('GET', '/reports/margin?period=2026-10'); // the same answer twice
  t.same(alone.json, r.json);
});

t.test('marginReport with nothing to skip has an empty list', async (t) => {
  t.same(marginReport([]).skipped, []);
});
