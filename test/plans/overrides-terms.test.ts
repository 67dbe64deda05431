// Support terms describe overrides (half days, make-up days, closed days) and
// pausing (the clock stops while we wait for you / for Microsoft), in both locales.
import t from 'tap';
import { Formatter } from '../../src/render/format.js';
import { termsView } from '../../src/render/terms.js';
import { slaPlan, SLA_PLAN_YAML } from '../rules/sla-fixture.js';

const plan = slaPlan(SLA_PLAN_YAML.replace('      2026-11-28: ["09:00-17:00"]', '      2026-11-28: ["09:00-17:00"]\n      2026-12-24: []\n      2026-12-31: ["08:00-18:00"]'));
const std = plan.offerings.get('std')!;

t.test('en-US', async (t) => {
  const v = termsView(plan, std, new Formatter('en-US'), '2026-11-27');
  t.same(v.overrides, [
    'Friday, November 27, 2026: open 09:00–13:00 only.',
    'Saturday, November 28, 2026: open 09:00–17:00, a working day in place of a day off.',
    'Thursday, December 24, 2026: closed all day.',
    'Thursday, December 31, 2026: open 08:00–18:00.',
  ]);
  t.same(v.pausing, [
    'For severities B and D, the response and resolution clocks stop while we wait for you, and run again when the request is back with us.',
    'For severity C, the response and resolution clocks stop while we wait for you or Microsoft, and run again when the request is back with us.',
  ]);
  t.same(v.severities.map((s) => s.resolution), ['8 hours', '16 hours', '40 hours', '']);
  // from a later date only the coming ones
  t.equal(termsView(plan, std, new Formatter('en-US'), '2026-12-01').overrides.length, 2);
});

t.test('zh-CN', async (t) => {
  const v = termsView(plan, std, new Formatter('zh-CN'), '2026-11-27');
  t.equal(v.overrides.length, 4);
  t.match(v.overrides[1], /调休上班，09:00–17:00 提供服务。$/);
  t.match(v.overrides[2], /全天不提供服务。$/);
  t.same(v.pausing, [
    '对于B和D级，在等待您期间，响应和解决计时暂停；请求回到我们手中后继续计时。',
    '对于C级，在等待您或Microsoft期间，响应和解决计时暂停；请求回到我们手中后继续计时。',
  ]);
});

t.test('no pauseOn anywhere: the clocks never stop, and the terms say so', async (t) => {
  const none = slaPlan(SLA_PLAN_YAML.replace('    pauseOn: [waiting-customer]\n', '').replace(', pauseOn: [waiting-customer, waiting-microsoft]', ''));
  t.same(termsView(none, none.offerings.get('std')!, new Formatter('en-US'), '2026-11-01').pausing, [
    'Once a request is received, its response and resolution clocks run without stopping until it is answered and resolved.',
  ]);
});
