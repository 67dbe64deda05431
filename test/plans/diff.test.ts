// diffPlans over real commits: every step commits one kind of plan change to
// a temporary git repository, reads both revisions back through git, compiles
// them with the loader and asserts the exact entries.
import t from 'tap';
import { diffPlans, changedOfferings, type DiffEntry } from '../../src/plans/diff.js';
import { loadPlan } from '../../src/plans/load.js';
import type { Plan } from '../../src/plans/types.js';
import { plansAtRevision } from '../../src/cli/git-plans.js';
import { BASE_PLAN, TempRepo, edit } from './diff-repo.js';

// every step spawns git several times: allow for a loaded machine
t.setTimeout(600_000);

const repo = new TempRepo();
t.teardown(() => repo.cleanup());

async function plansAt(commit: string): Promise<Map<string, Plan>> {
  const out = new Map<string, Plan>();
  for (const s of await plansAtRevision(repo.dir, commit, ['plans'])) {
    const r = loadPlan(s.source, s.path);
    if (!r.plan) throw new Error(`${s.path} does not load: ${JSON.stringify(r.findings)}`);
    out.set(s.path, r.plan);
  }
  return out;
}

async function diffCommits(a: string, b: string): Promise<DiffEntry[]> {
  const before = await plansAt(a);
  const after = await plansAt(b);
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  return paths.flatMap((p) => diffPlans(before.get(p) ?? null, after.get(p) ?? null));
}

let text = BASE_PLAN;
repo.write('plans/contoso.yaml', text);
let prev = repo.commit('base plan');

/** Commit the plan after `change` and assert the diff against the previous commit. */
function step(name: string, change: (s: string) => string, expected: DiffEntry[]): void {
  t.test(name, async (t) => {
    text = change(text);
    repo.write('plans/contoso.yaml', text);
    const sha = repo.commit(name);
    const from = prev;
    prev = sha; // the next step starts here even when this one fails
    t.same(await diffCommits(from, sha), expected);
  });
}

const P = { partner: 'contoso' };
const S = { partner: 'contoso', offering: 'standard' };

t.test('no change, no entries', async (t) => {
  t.same(await diffCommits(prev, prev), []);
  t.same(diffPlans(null, null), []);
});

step(
  'price change with effective dates',
  (s) =>
    edit(
      s,
      '      - { id: base, model: flat, amount: 250.00 }\n',
      '      - { id: base, model: flat, amount: 250.00, to: 2026-12-31 }\n      - { id: base, model: flat, amount: 275.00, from: 2027-01-01 }\n',
    ),
  [
    { ...S, kind: 'price-changed', path: 'offerings.standard.pricing.base.to', before: '(no end date)', after: '2026-12-31', summary: 'price base ends: (no end date) → 2026-12-31' },
    {
      ...S,
      kind: 'price-added',
      path: 'offerings.standard.pricing.base@2027-01-01',
      after: 'USD 275.00 per month (flat), from 2027-01-01',
      summary: 'price base added: USD 275.00 per month (flat), from 2027-01-01',
    },
  ],
);

step(
  'price amount changed, component added and removed',
  (s) =>
    edit(
      edit(s, 'amount: 4.00 }', 'amount: 4.50 }'),
      '      - { id: base, model: flat, amount: 49.00 }\n',
      '      - { id: labour, model: hourly, amount: 120.00, included: 2h, increment: 15m, afterHoursMultiplier: 1.5 }\n',
    ),
  [
    {
      ...S,
      kind: 'price-changed',
      path: 'offerings.standard.pricing.seats.amount',
      before: 'USD 4.00 per unit per month',
      after: 'USD 4.50 per unit per month',
      summary: 'price seats amount: USD 4.00 per unit per month → USD 4.50 per unit per month',
    },
    {
      partner: 'contoso',
      offering: 'essential',
      kind: 'price-removed',
      path: 'offerings.essential.pricing.base',
      before: 'USD 49.00 per month (flat), no end date',
      summary: 'price base removed: USD 49.00 per month (flat), no end date',
    },
    {
      partner: 'contoso',
      offering: 'essential',
      kind: 'price-added',
      path: 'offerings.essential.pricing.labour',
      after: 'USD 120.00 per hour, 2h included, 15m increment, x1.5 after hours (hourly), no end date',
      summary: 'price labour added: USD 120.00 per hour, 2h included, 15m increment, x1.5 after hours (hourly), no end date',
    },
  ],
);

step('coverage hours', (s) => edit(s, 'mon-fri: ["08:00-18:00"]', 'mon-fri: ["08:00-20:00"]\n      sat: ["09:00-13:00"]'), [
  {
    ...P,
    kind: 'channel-changed',
    path: 'channels.phone.calendar',
    before: 'mon-fri 08:00-18:00 (America/New_York)',
    after: 'mon-fri 08:00-20:00; sat 09:00-13:00 (America/New_York)',
    summary: 'channel phone hours: mon-fri 08:00-18:00 (America/New_York) → mon-fri 08:00-20:00; sat 09:00-13:00 (America/New_York)',
  },
  {
    ...S,
    kind: 'hours-changed',
    path: 'offerings.standard.calendar',
    before: 'mon-fri 08:00-18:00 (America/New_York)',
    after: 'mon-fri 08:00-20:00; sat 09:00-13:00 (America/New_York)',
    summary: 'coverage hours: mon-fri 08:00-18:00 (America/New_York) → mon-fri 08:00-20:00; sat 09:00-13:00 (America/New_York)',
  },
]);

step('holidays added and removed', (s) => edit(s, 'holidays: [2026-11-26, 2026-12-25]', 'holidays: [2026-12-24, 2026-12-25]'), [
  {
    ...P,
    kind: 'channel-changed',
    path: 'channels.phone.calendar.holidays',
    before: '2026-11-26, 2026-12-25',
    after: '2026-12-24, 2026-12-25',
    summary: 'channel phone holidays: 2026-11-26, 2026-12-25 → 2026-12-24, 2026-12-25',
  },
  { ...S, kind: 'holiday-removed', path: 'offerings.standard.calendar.holidays', before: '2026-11-26', summary: 'holiday 2026-11-26 removed (now a working day)' },
  { ...S, kind: 'holiday-added', path: 'offerings.standard.calendar.holidays', after: '2026-12-24', summary: 'holiday 2026-12-24 added (closed all day)' },
]);

step(
  'channels: added, address changed, offered by an offering',
  (s) =>
    edit(
      edit(s, 'address: support@contoso.example }', 'address: help@contoso.example }\n  portal: { type: portal, address: https://support.contoso.example }'),
      'channels: [email, phone]',
      'channels: [email, phone, portal]',
    ),
  [
    {
      ...P,
      kind: 'channel-changed',
      path: 'channels.email.address',
      before: 'support@contoso.example',
      after: 'help@contoso.example',
      summary: 'channel email address: support@contoso.example → help@contoso.example',
    },
    {
      ...P,
      kind: 'channel-added',
      path: 'channels.portal',
      after: 'portal https://support.contoso.example, 24x7',
      summary: 'channel portal added (portal https://support.contoso.example, 24x7)',
    },
    { ...S, kind: 'offering-channel-added', path: 'offerings.standard.channels', after: 'portal', summary: 'channel portal now offered' },
  ],
);

step(
  'severities and response targets',
  (s) => edit(edit(s, 'A: { name: Critical, response: 1h', 'A: { name: Urgent, response: 1h'), 'B: { name: High, response: 4h }', 'B: { name: High, response: 2h }\n      C: { name: Normal, response: 8h }'),
  [
    { ...S, kind: 'severity-changed', path: 'offerings.standard.severities.A.name', before: 'Critical', after: 'Urgent', summary: 'severity A name: Critical → Urgent' },
    { ...S, kind: 'severity-changed', path: 'offerings.standard.severities.B.response', before: '4h', after: '2h', summary: 'severity B response target: 4h → 2h' },
    {
      ...S,
      kind: 'severity-added',
      path: 'offerings.standard.severities.C',
      after: 'Normal, response 8h, mon-fri 08:00-20:00; sat 09:00-13:00 (America/New_York)',
      summary: 'severity C added (Normal, response 8h, mon-fri 08:00-20:00; sat 09:00-13:00 (America/New_York))',
    },
  ],
);

step('delivery: partner to provider', (s) => edit(s, 'name: Standard\n    delivery: partner', 'name: Standard\n    delivery: fabrikam'), [
  { ...S, kind: 'delivery-changed', path: 'offerings.standard.delivery', before: 'partner', after: 'fabrikam (outsourced)', summary: 'delivery: partner → fabrikam (outsourced)' },
]);

step('minimum and service credits', (s) => edit(edit(s, 'minimum: 300.00', 'minimum: 350.00'), 'perBreach: "5%"', 'perBreach: "10%"'), [
  { ...S, kind: 'minimum-changed', path: 'offerings.standard.minimum', before: 'USD 300.00 per month', after: 'USD 350.00 per month', summary: 'minimum commitment: USD 300.00 per month → USD 350.00 per month' },
  {
    ...S,
    kind: 'service-credits-changed',
    path: 'offerings.standard.serviceCredits',
    before: '5% per breach, cap 25%',
    after: '10% per breach, cap 25%',
    summary: 'service credits: 5% per breach, cap 25% → 10% per breach, cap 25%',
  },
]);

step(
  'rules: changed and added',
  (s) =>
    edit(s, '"Critical (A) requests must be raised by phone." }\n', '"Call us for severity A." }\n  - id: incidents-caused-by-microsoft\n    when: { serviceIncident: true }\n    then: { billable: false }\n'),
  [
    {
      ...P,
      kind: 'rule-changed',
      path: 'rules.sev-a-by-phone.then',
      before: 'reject "Critical (A) requests must be raised by phone."',
      after: 'reject "Call us for severity A."',
      summary: 'rule sev-a-by-phone effect: reject "Critical (A) requests must be raised by phone." → reject "Call us for severity A."',
    },
    {
      ...P,
      kind: 'rule-added',
      path: 'rules.incidents-caused-by-microsoft',
      after: 'when serviceIncident: true then billable false',
      summary: 'rule incidents-caused-by-microsoft added: when serviceIncident: true then billable false',
    },
  ],
);

step(
  'partner: timezone and Microsoft vehicles',
  (s) => edit(edit(s, 'timezone: America/New_York', 'timezone: America/Chicago'), 'technical: [advanced-support]', 'technical: [premier-support, advanced-support]'),
  [
    { ...P, kind: 'partner-changed', path: 'partner.timezone', before: 'America/New_York', after: 'America/Chicago', summary: 'partner timezone: America/New_York → America/Chicago' },
    {
      ...P,
      kind: 'partner-changed',
      path: 'partner.microsoft.technical',
      before: 'advanced-support',
      after: 'premier-support, advanced-support',
      summary: 'partner microsoft.technical: advanced-support → premier-support, advanced-support',
    },
    {
      ...P,
      kind: 'channel-changed',
      path: 'channels.phone.calendar',
      before: 'mon-fri 08:00-20:00; sat 09:00-13:00 (America/New_York)',
      after: 'mon-fri 08:00-20:00; sat 09:00-13:00 (America/Chicago)',
      summary: 'channel phone hours: mon-fri 08:00-20:00; sat 09:00-13:00 (America/New_York) → mon-fri 08:00-20:00; sat 09:00-13:00 (America/Chicago)',
    },
    {
      ...S,
      kind: 'hours-changed',
      path: 'offerings.standard.calendar',
      before: 'mon-fri 08:00-20:00; sat 09:00-13:00 (America/New_York)',
      after: 'mon-fri 08:00-20:00; sat 09:00-13:00 (America/Chicago)',
      summary: 'coverage hours: mon-fri 08:00-20:00; sat 09:00-13:00 (America/New_York) → mon-fri 08:00-20:00; sat 09:00-13:00 (America/Chicago)',
    },
  ],
);

step('renamed offering id is a removal and an addition', (s) => edit(s, '  essential:\n    name: Essential', '  basic:\n    name: Essential'), [
  {
    partner: 'contoso',
    offering: 'essential',
    kind: 'offering-removed',
    path: 'offerings.essential',
    before: 'Essential; delivery partner; hours 24x7; prices: labour USD 120.00 per hour, 2h included, 15m increment, x1.5 after hours (hourly), no end date',
    summary: 'offering removed: Essential; delivery partner; hours 24x7; prices: labour USD 120.00 per hour, 2h included, 15m increment, x1.5 after hours (hourly), no end date',
  },
  {
    partner: 'contoso',
    offering: 'basic',
    kind: 'offering-added',
    path: 'offerings.basic',
    after: 'Essential; delivery partner; hours 24x7; prices: labour USD 120.00 per hour, 2h included, 15m increment, x1.5 after hours (hourly), no end date',
    summary: 'offering added: Essential; delivery partner; hours 24x7; prices: labour USD 120.00 per hour, 2h included, 15m increment, x1.5 after hours (hourly), no end date',
  },
]);

step('renamed rule id is a removal and an addition', (s) => edit(s, '- id: incidents-caused-by-microsoft', '- id: microsoft-incidents-free'), [
  {
    ...P,
    kind: 'rule-removed',
    path: 'rules.incidents-caused-by-microsoft',
    before: 'when serviceIncident: true then billable false',
    summary: 'rule incidents-caused-by-microsoft removed: when serviceIncident: true then billable false',
  },
  {
    ...P,
    kind: 'rule-added',
    path: 'rules.microsoft-incidents-free',
    after: 'when serviceIncident: true then billable false',
    summary: 'rule microsoft-incidents-free added: when serviceIncident: true then billable false',
  },
]);

const SECOND = edit(edit(BASE_PLAN, 'id: contoso', 'id: tailspin'), 'name: Contoso Cloud Services', 'name: Tailspin Support');

t.test('a plan file added, then deleted', async (t) => {
  repo.write('plans/tailspin.yaml', SECOND);
  const added = repo.commit('add tailspin');
  const summary = 'Tailspin Support (USD, America/New_York); offerings: standard, essential';
  t.same(await diffCommits(prev, added), [{ partner: 'tailspin', kind: 'plan-added', path: '', after: summary, summary: `plan added: ${summary}` }]);
  repo.remove('plans/tailspin.yaml');
  const removed = repo.commit('remove tailspin');
  t.same(await diffCommits(added, removed), [{ partner: 'tailspin', kind: 'plan-removed', path: '', before: summary, summary: `plan removed: ${summary}` }]);
  prev = removed;
});

t.test('a partner id changed in place is a removed and an added plan', async (t) => {
  const b = loadPlan(BASE_PLAN, 'a.yaml').plan as Plan;
  const a = loadPlan(SECOND, 'a.yaml').plan as Plan;
  t.same(
    diffPlans(b, a).map((e) => [e.partner, e.kind]),
    [
      ['contoso', 'plan-removed'],
      ['tailspin', 'plan-added'],
    ],
  );
});

t.test('equal values written differently are no change', async (t) => {
  const b = loadPlan(BASE_PLAN, 'a.yaml').plan as Plan;
  const a = loadPlan(edit(BASE_PLAN, 'amount: 250.00 }', 'amount: "250" }'), 'a.yaml').plan as Plan;
  t.same(diffPlans(b, a), []);
});

t.test('changed offerings drive the impact report', async (t) => {
  const b = loadPlan(BASE_PLAN, 'a.yaml').plan as Plan;
  const priced = loadPlan(edit(BASE_PLAN, 'amount: 49.00 }', 'amount: 59.00 }'), 'a.yaml').plan as Plan;
  t.same(changedOfferings(diffPlans(b, priced), b, priced), ['essential']);
  // a rule can change any offering's requests: every offering counts as changed
  const ruled = loadPlan(edit(BASE_PLAN, 'must be raised by phone.', 'must come by phone.'), 'a.yaml').plan as Plan;
  t.same(changedOfferings(diffPlans(b, ruled), b, ruled), ['standard', 'essential']);
  // provider costs change margins, not statements
  const costed = loadPlan(edit(BASE_PLAN, 'amount: 55.00 }', 'amount: 60.00 }'), 'a.yaml').plan as Plan;
  t.same(changedOfferings(diffPlans(b, costed), b, costed), []);
  t.equal(diffPlans(b, costed)[0].kind, 'provider-changed');
});
