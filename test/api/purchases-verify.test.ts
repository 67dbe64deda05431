// verify explains a purchase stored after issue (SPEC §10): it is named as an
// added record and undoing it gives the issued inputs digest back.
import t from 'tap';
import { startServer } from './helpers.js';
import { huayun } from '../render/fixtures.js';
import { blocksPlan } from './purchases-plan.js';
import { verifyOne } from '../../src/app/verify.js';

t.test('a purchase stored after issue is an explained change', async (t) => {
  const plan = blocksPlan();
  const s = await startServer([plan, huayun()]);
  t.teardown(() => s.close());
  const post = async (path: string, body?: unknown) => {
    const a = await s.call('POST', path, { body });
    if (a.status >= 300) throw new Error(`${path}: ${a.status} ${a.text}`);
    return a;
  };
  await post('/customers', { id: 'alpha', name: 'Alpha' });
  await post('/subscriptions', { id: 'a-top', customer: 'alpha', offering: 'topup', start: '2026-10-01' });
  await post('/purchases', { id: 'p1', customer: 'alpha', subscription: 'a-top', component: 'hours', date: '2026-10-05' });
  const number = (await post('/statements/alpha/2026-10/finalize')).json.number as string;
  const rec = (await s.repo.issuedByNumber('contoso', number))!;
  const plans = { at: async () => ({ plan, source: 'loaded', file: 'blocks.yaml' }), current: async () => plan } as unknown as Parameters<typeof verifyOne>[3];
  t.equal((await verifyOne(s.repo, 'contoso', rec, plans)).inputs.ok, true, 'unchanged');
  await post('/purchases', { id: 'p2', customer: 'alpha', subscription: 'a-top', component: 'hours', date: '2026-10-20', quantity: 2 });
  const report = await verifyOne(s.repo, 'contoso', rec, plans);
  t.equal(report.inputs.ok, false);
  t.same(report.inputs.changes.map((c) => [c.change, c.record, c.id]), [['added', 'purchase', 'p2']]);
  t.equal(report.inputs.explained, true);
});
