// Plan reload: an invalid plan keeps the previous one and reports findings.
import t from 'tap';
import { PlanSet } from '../../src/api/plans.js';
import type { Finding } from '../../src/plans/types.js';
import { contoso, huayun } from '../render/fixtures.js';

t.test('reload swaps plans only when there is no error', async (t) => {
  const first = contoso();
  let next: { plans: Map<string, ReturnType<typeof contoso>>; findings: Finding[] } = { plans: new Map([['huayun', huayun()]]), findings: [] };
  const set = new PlanSet(new Map([['contoso', first]]), async () => next);
  const bad: Finding = { file: 'plans/contoso.yaml', line: 3, column: 5, path: 'partner.currency', severity: 'error', message: 'invalid currency' };
  next = { plans: new Map(), findings: [bad] };
  const r1 = await set.reload();
  t.equal(r1.reloaded, false);
  t.same(r1.findings, [bad]);
  t.equal(set.get('contoso'), first, 'previous plan kept');
  next = { plans: new Map([['huayun', huayun()]]), findings: [{ ...bad, severity: 'warning' }] };
  const r2 = await set.reload();
  t.equal(r2.reloaded, true);
  t.same(set.partners(), ['huayun']);
});
