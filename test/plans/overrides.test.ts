// Calendar overrides, pauseOn and resolution in plan files: what compiles, and
// every `check` finding with its exact message, line and column.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { loadPlan } from '../../src/plans/load.js';

const BASE = readFileSync(new URL('../fixtures/plans/contoso.yaml', import.meta.url), 'utf8');
const HOLIDAYS = '    holidays: [2026-11-26, 2026-12-25, 2027-01-01]\n';

/** contoso with overrides under the office calendar. */
function withOverrides(lines: string[]): string {
  if (!BASE.includes(HOLIDAYS)) throw new Error('contoso fixture changed');
  return BASE.replace(HOLIDAYS, HOLIDAYS + '    overrides:\n' + lines.map((l) => `      ${l}\n`).join(''));
}
const errorsOf = (src: string) =>
  loadPlan(src, 'plans/contoso.yaml').findings.filter((f) => f.severity === 'error').map((f) => ({ line: f.line, column: f.column, path: f.path, message: f.message }));
const lineOf = (src: string, marker: string): number => src.slice(0, src.indexOf(marker)).split('\n').length;

t.test('overrides compile into the calendar in date order, windows sorted', async (t) => {
  const src = withOverrides(['2026-12-24: ["13:00-15:00", "08:00-12:00"]', '2026-11-28: []', '2026-12-05: ["09:00-13:00"]']);
  const r = loadPlan(src, 'plans/contoso.yaml');
  t.same(r.findings.filter((f) => f.severity === 'error'), []);
  const office = r.plan!.calendars.get('office')!;
  t.same(office.overrides, { '2026-11-28': [], '2026-12-05': [{ start: 540, end: 780 }], '2026-12-24': [{ start: 480, end: 720 }, { start: 780, end: 900 }] });
  t.equal(office.isOpen(Date.parse('2026-12-24T12:30:00-05:00')), false, 'between the override windows');
  t.equal(office.isOpen(Date.parse('2026-11-28T10:00:00-05:00')), false, 'the Saturday closed by an empty override');
});

t.test('a date both a holiday and an override', async (t) => {
  const src = withOverrides(['2026-12-25: ["09:00-12:00"]']);
  t.same(errorsOf(src), [{
    line: lineOf(src, '      2026-12-25:'), column: 7, path: 'calendars.office.overrides.2026-12-25',
    message: '2026-12-25 is both a holiday and an override; a holiday closes the whole day, an override gives its hours: keep one',
  }]);
});

t.test('overlapping windows within an override, reported on the later-starting one', async (t) => {
  const src = withOverrides(['2026-12-24: ["09:00-17:00", "10:00-11:00", "12:00-13:00"]']);
  const line = lineOf(src, '      2026-12-24:');
  const col = (w: string): number => src.split('\n')[line - 1].indexOf(`"${w}"`) + 1;
  t.same(errorsOf(src), [
    { line, column: col('10:00-11:00'), path: 'calendars.office.overrides.2026-12-24[1]', message: 'windows 09:00-17:00 and 10:00-11:00 overlap on 2026-12-24' },
    { line, column: col('12:00-13:00'), path: 'calendars.office.overrides.2026-12-24[2]', message: 'windows 09:00-17:00 and 12:00-13:00 overlap on 2026-12-24' },
  ]);
});

t.test('an override window that ends before it starts', async (t) => {
  const src = withOverrides(['2026-12-24: ["15:00-13:00"]']);
  const line = lineOf(src, '      2026-12-24:');
  t.same(errorsOf(src), [{
    line, column: src.split('\n')[line - 1].indexOf('"15:00') + 1, path: 'calendars.office.overrides.2026-12-24[0]',
    message: 'window 15:00-13:00 ends before it starts; write the end after the start (use 24:00 for midnight)',
  }]);
});

t.test('override dates outside 2000-2100, not dates, or not written as dates', async (t) => {
  const src = withOverrides(['2206-12-24: []', '1999-12-31: ["09:00-12:00"]', '2026-02-30: []']);
  t.same(errorsOf(src), [
    // in file order
    { line: lineOf(src, '      2206-12-24:'), column: 7, path: 'calendars.office.overrides.2206-12-24', message: 'override date 2206-12-24 is outside the years 2000-2100; is the year mistyped?' },
    { line: lineOf(src, '      1999-12-31:'), column: 7, path: 'calendars.office.overrides.1999-12-31', message: 'override date 1999-12-31 is outside the years 2000-2100; is the year mistyped?' },
    { line: lineOf(src, '      2026-02-30:'), column: 7, path: 'calendars.office.overrides.2026-02-30', message: '2026-02-30 is not a date; write a local date YYYY-MM-DD' },
  ]);
  const bad = withOverrides(['24-12-2026: []']);
  const errors = errorsOf(bad);
  t.equal(errors.length, 1);
  t.same([errors[0].path, errors[0].line], ['calendars.office.overrides.24-12-2026', lineOf(bad, '      24-12-2026:')]);
});

t.test('pauseOn: the severity list replaces the offering list; resolution compiles', async (t) => {
  const src = BASE
    .replace('    serviceCredits: { perBreach: "5%", cap: "25%" }', '    serviceCredits: { perBreach: "5%", cap: "25%" }\n    pauseOn: [waiting-customer, waiting-microsoft]')
    .replace('A: { name: Critical, response: 1h, calendar: 24x7 }', 'A: { name: Critical, response: 1h, resolution: 8h, calendar: 24x7, pauseOn: [] }')
    .replace('C: { name: Normal,   response: 8h }', 'C: { name: Normal,   response: 8h, resolution: 3d }');
  t.not(src, BASE);
  // "3d" is not a duration: an error at the resolution
  const errors = errorsOf(src);
  t.same(errors.map((e) => [e.path, e.line]), [['offerings.standard.severities.C.resolution', lineOf(src, 'C: { name: Normal,   response: 8h, resolution: 3d }')]]);
  const ok = loadPlan(src.replace('resolution: 3d', 'resolution: 40h'), 'plans/contoso.yaml').plan!;
  const standard = ok.offerings.get('standard')!;
  t.same(standard.pauseOn, ['waiting-customer', 'waiting-microsoft']);
  t.same(standard.severities.get('A')!.pauseOn, undefined, 'an empty list: never paused');
  t.same(standard.severities.get('B')!.pauseOn, ['waiting-customer', 'waiting-microsoft']);
  t.same([standard.severities.get('C')!.resolutionMinutes, standard.severities.get('C')!.resolution], [2400, '40h']);
  t.same([standard.severities.get('A')!.resolutionMinutes, standard.severities.get('A')!.resolution], [480, '8h']);
  // an unknown status is refused with the allowed ones
  const typo = errorsOf(src.replace('resolution: 3d', 'resolution: 40h').replace('pauseOn: [waiting-customer, waiting-microsoft]', 'pauseOn: [waiting-client]'));
  t.equal(typo.length, 1);
  t.equal(typo[0].path, 'offerings.standard.pauseOn[0]');
  t.equal(typo[0].message, 'expected a waiting status: waiting-customer, waiting-microsoft, waiting-provider, got the string "waiting-client"');
});

t.test('a channel closed on a make-up working day is narrower than the severity calendar (warning)', async (t) => {
  const { SLA_PLAN_YAML } = await import('../rules/sla-fixture.js');
  const desk = SLA_PLAN_YAML
    .replace('channels:\n  email: { type: email, address: support@acme.example }', 'channels:\n  email: { type: email, address: support@acme.example, calendar: desk }')
    .replace('calendars:\n', 'calendars:\n  desk:\n    hours: { mon-fri: ["09:00-17:00"] }\n    holidays: [2026-11-26]\n');
  const warningsFor = (src: string) => loadPlan(src, 'plans/acme.yaml').findings.filter((f) => f.severity === 'warning' && f.path === 'offerings.std.severities.B').map((f) => f.message);
  t.same(warningsFor(desk), ['severity B runs on calendar "office" but can only be raised through email (calendar "desk"), which is closed at some of those times']);
  // the same desk without the office's make-up Saturday: B is covered (a half day is narrower, not wider)
  t.same(warningsFor(desk.replace('      2026-11-28: ["09:00-17:00"]\n', '')), []);
});

t.test('plan diff: one entry per changed override date, and changed pauseOn', async (t) => {
  const { diffPlans } = await import('../../src/plans/diff.js');
  const { slaPlan, SLA_PLAN_YAML } = await import('../rules/sla-fixture.js');
  const before = slaPlan();
  const after = slaPlan(
    SLA_PLAN_YAML.replace('      2026-11-27: ["09:00-13:00"]\n', '      2026-11-27: []\n      2026-12-24: ["09:00-12:00"]\n')
      .replace('      2026-11-28: ["09:00-17:00"]\n', '')
      .replace('resolution: 16h }', 'resolution: 16h, pauseOn: [waiting-customer, waiting-provider] }'),
  );
  const entries = diffPlans(before, after).filter((e) => e.kind === 'hours-changed' || e.kind === 'severity-changed').map((e) => [e.kind, e.path, e.summary]);
  t.same(entries, [
    ['hours-changed', 'offerings.std.calendar.overrides.2026-11-27', 'hours on 2026-11-27: 09:00-13:00 → closed'],
    ['hours-changed', 'offerings.std.calendar.overrides.2026-11-28', 'hours on 2026-11-28: 09:00-17:00 → (weekly hours)'],
    ['hours-changed', 'offerings.std.calendar.overrides.2026-12-24', 'hours on 2026-12-24: (weekly hours) → 09:00-12:00'],
    ['severity-changed', 'offerings.std.severities.B.pauseOn', 'severity B clock pauses on: waiting-customer → waiting-customer, waiting-provider'],
  ]);
});

t.test('resolution targets: 0m is an error, shorter than the response a warning', async (t) => {
  const find = 'B: { name: High,     response: 4h }';
  t.ok(BASE.includes(find));
  const zero = BASE.replace(find, 'B: { name: High,     response: 4h, resolution: 0m }');
  const findings = (src: string) => loadPlan(src, 'plans/contoso.yaml').findings.filter((f) => f.path === 'offerings.standard.severities.B.resolution').map((f) => [f.severity, f.line, f.message]);
  t.same(findings(zero), [['error', lineOf(zero, 'resolution: 0m'), 'a resolution target must be longer than 0m']]);
  const short = BASE.replace(find, 'B: { name: High,     response: 4h, resolution: 90m }');
  t.same(findings(short), [['warning', lineOf(short, 'resolution: 90m'), 'resolution target 1h30m is shorter than the response target 4h: requests would have to be resolved before they must first be answered; is one of them mistyped?']]);
  t.same(findings(BASE.replace(find, 'B: { name: High,     response: 4h, resolution: 4h }')), []);
});
