// `tierbook check` on prepaid blocks (§10) and labour (§8.6): exact messages
// and positions. Each case adds or changes one line of the contoso fixture.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { loadPlan } from '../../src/plans/load.js';

const BASE = readFileSync(new URL('../fixtures/plans/contoso.yaml', import.meta.url), 'utf8');
const LABOUR = '      - { id: labour, model: hourly, amount: 120.00, included: 2h, increment: 15m, afterHoursMultiplier: 1.5 }\n';
const BLOCK = '      - { id: prepaid, model: block, unit: hours, size: 10h, amount: 1100.00, renew: monthly, rollover: { periods: 2, max: 5h }, overage: 150.00, draws: [labour], alertAt: "80%" }\n';

/** contoso with `extra` after the standard offering's labour line. */
const withLines = (extra: string): string => {
  if (!BASE.includes(LABOUR)) throw new Error('labour line not in contoso');
  return BASE.replace(LABOUR, LABOUR + extra);
};
const lineOf = (src: string, marker: string): number => src.slice(0, src.indexOf(marker)).split('\n').length;

t.test('a valid block compiles with its fields in the ledger units', async (t) => {
  const r = loadPlan(withLines(BLOCK), 'plans/contoso.yaml');
  t.same(r.findings.filter((f) => f.severity === 'error'), []);
  const c = r.plan?.offerings.get('standard')?.pricing.find((x) => x.id === 'prepaid');
  t.match(c, { model: 'block', unit: 'hours', size: 600, renew: 'monthly', rollover: { periods: 2, max: 300 }, draws: ['labour'] });
});

const cases: { name: string; line: string; path: string; message: string }[] = [
  {
    name: 'draws a component the offering does not have',
    line: BLOCK.replace('draws: [labour]', 'draws: [labor]'),
    path: 'offerings.standard.pricing[4].draws[0]',
    message: 'block "prepaid" draws "labor", which is not a component of this offering (components: base, seats, labour, prepaid, azure)',
  },
  {
    name: 'unit hours drawing a component that is not hourly',
    line: BLOCK.replace('draws: [labour]', 'draws: [seats]'),
    path: 'offerings.standard.pricing[4].draws[0]',
    message: 'a block of hours draws hourly components; "seats" is per-unit',
  },
  {
    name: 'unit incidents drawing an hourly component',
    line: BLOCK.replace('unit: hours, size: 10h', 'unit: incidents, size: 5').replace('max: 5h', 'max: 2'),
    path: 'offerings.standard.pricing[4].draws[0]',
    message: 'a block of incidents draws per-incident components; "labour" is hourly',
  },
  {
    name: 'size of hours not a duration',
    line: BLOCK.replace('size: 10h', 'size: 10'),
    path: 'offerings.standard.pricing[4].size',
    message: 'the size of a block of hours is a duration longer than 0m, e.g. 10h',
  },
  {
    name: 'size of incidents not a whole number',
    line: BLOCK.replace('unit: hours, size: 10h', 'unit: incidents, size: 5h').replace('max: 5h', 'max: 2').replace('draws: [labour]', 'draws: [base]'),
    path: 'offerings.standard.pricing[4].size',
    message: 'the size of a block of incidents is a whole number of at least 1, e.g. 5',
  },
  {
    name: 'rollover.max below 0',
    line: BLOCK.replace('unit: hours, size: 10h', 'unit: incidents, size: 5').replace('max: 5h', 'max: -1').replace('draws: [labour]', 'draws: [base]'),
    path: 'offerings.standard.pricing[4].rollover.max',
    message: 'rollover.max must not be below 0',
  },
];

for (const k of cases) {
  t.test(k.name, async (t) => {
    const src = withLines(k.line);
    const r = loadPlan(src, 'plans/contoso.yaml');
    t.equal(r.plan, null);
    const hit = r.findings.find((f) => f.severity === 'error' && f.path === k.path);
    if (!t.ok(hit, `an error at ${k.path}; got ${JSON.stringify(r.findings.filter((f) => f.severity === 'error'))}`)) return;
    t.equal(hit!.message, k.message);
    t.equal(hit!.line, lineOf(src, 'id: prepaid'));
  });
}

t.test('a component drawn by two blocks', async (t) => {
  const second = BLOCK.replace('id: prepaid', 'id: extra');
  const src = withLines(BLOCK + second);
  const r = loadPlan(src, 'plans/contoso.yaml');
  t.equal(r.plan, null);
  const hit = r.findings.find((f) => f.severity === 'error' && f.path === 'offerings.standard.pricing[5].draws[0]');
  t.equal(hit?.message, 'component "labour" is drawn by block "prepaid" and by block "extra"; a component is drawn by one block at most');
  t.equal(hit?.line, lineOf(src, 'id: extra'));
});

t.test('two hourly components: a warning at the second, the plan still loads', async (t) => {
  const src = withLines('      - { id: onsite, model: hourly, amount: 200.00, minimum: 1h }\n');
  const r = loadPlan(src, 'plans/contoso.yaml');
  t.ok(r.plan);
  const w = r.findings.find((f) => f.severity === 'warning' && f.path === 'offerings.standard.pricing[4]');
  t.equal(
    w?.message,
    'offering "standard" has 2 hourly components (labour, onsite): worklogs that name no component are billed under "labour"; give worklogs a component',
  );
  t.equal(w?.line, lineOf(src, 'id: onsite'));
  t.match(r.plan?.offerings.get('standard')?.pricing.find((x) => x.id === 'onsite'), { minimumMinutes: 60 });
});
