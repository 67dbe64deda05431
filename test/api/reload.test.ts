// POST /v1/admin/reload (issue 21 items 4, 6, 7): it needs an operator token
// (or a partner admin's, when the operator allowed it), a refused reload keeps
// its findings in the 422 body and reports them, and a plans directory with a
// dangling symlink, a directory or a FIFO named *.yaml is read without
// blocking: only regular files, the rest named as skipped.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PlanSet, type ReloadResult } from '../../src/api/plans.js';
import { checkPlanPaths, loadPlansDir, MAX_PLAN_FILE_BYTES } from '../../src/cli/plan-files.js';
import { startServer, type Server } from './helpers.js';

const FIXTURE = fileURLToPath(new URL('../render/plans/contoso.yaml', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'tierbook-reload-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
copyFileSync(FIXTURE, join(dir, 'contoso.yaml'));

async function serverOn(plansDir: string, opts: { partnerAdminsReload?: boolean } = {}): Promise<{ s: Server; reports: ReloadResult[]; operator: string }> {
  const first = await loadPlansDir(plansDir);
  const reports: ReloadResult[] = [];
  const plans = new PlanSet(first.plans, () => loadPlansDir(plansDir));
  const s = await startServer([...first.plans.values()], { plans, reload: { partnerAdmins: opts.partnerAdminsReload ?? false, report: (r) => reports.push(r) } });
  const operator = await s.repo.createToken('*', 'operator');
  return { s, reports, operator };
}

t.test('reload needs an operator token; partner admins only when allowed', async (t) => {
  const { s, operator } = await serverOn(dir);
  t.teardown(() => s.close());
  const none = await s.call('POST', '/v1/admin/reload', { token: null });
  t.equal(none.status, 401);
  t.equal(none.json.code, 'UNAUTHORIZED');
  t.equal((await s.call('POST', '/v1/admin/reload', { token: 'tb_nonsense' })).status, 401);
  const admin = await s.call('POST', '/v1/admin/reload', { token: s.admin });
  t.equal(admin.status, 403);
  t.equal(admin.json.code, 'FORBIDDEN');
  t.equal(admin.json.detail, 'reloading plans needs an operator token (tierbook token create --operator); this server does not let partner admins reload');
  t.equal((await s.call('POST', '/v1/admin/reload', { token: s.viewer })).status, 403);
  const ok = await s.call('POST', '/v1/admin/reload', { token: operator });
  t.equal(ok.status, 200);
  t.same([ok.json.reloaded, ok.json.partners], [true, ['contoso']]);
  // an operator token is no partner's token
  const asPartner = await s.call('GET', '/customers', { token: operator });
  t.equal(asPartner.status, 404);
});

t.test('partner admins may reload when the operator allowed it; viewers never', async (t) => {
  const { s } = await serverOn(dir, { partnerAdminsReload: true });
  t.teardown(() => s.close());
  t.equal((await s.call('POST', '/v1/admin/reload', { token: s.admin })).status, 200);
  t.equal((await s.call('POST', '/v1/admin/reload', { token: s.other })).status, 200);
  t.equal((await s.call('POST', '/v1/admin/reload', { token: s.viewer })).status, 403);
});

t.test('a refused reload answers 422 with its findings and reports them', async (t) => {
  const bad = mkdtempSync(join(dir, 'bad-'));
  copyFileSync(FIXTURE, join(bad, 'contoso.yaml'));
  const { s, reports, operator } = await serverOn(bad);
  t.teardown(() => s.close());
  writeFileSync(join(bad, 'contoso.yaml'), 'version: 1\npartner:\n  id: contoso\n  currency: ZZZ\n');
  const r = await s.call('POST', '/v1/admin/reload', { token: operator });
  t.equal(r.status, 422);
  t.equal(r.json.code, 'PLANS_INVALID');
  t.equal(r.json.reloaded, false);
  t.same(r.json.partners, ['contoso'], 'the previous plans stay in force');
  t.ok(r.json.findings.length > 0);
  t.ok(r.json.findings.every((f: { file: string; line: number }) => f.file === join(bad, 'contoso.yaml') && f.line > 0));
  t.equal(r.json.detail, `plans not reloaded: ${r.json.findings.filter((f: { severity: string }) => f.severity === 'error').length} error(s); the previous plans stay in force`);
  t.equal(reports.length, 1, 'the report callback (stderr in serve) got the findings');
  t.same(reports[0]!.findings, r.json.findings);
});

t.test('only regular files are read; what is skipped is said', async (t) => {
  const odd = mkdtempSync(join(dir, 'odd-'));
  copyFileSync(FIXTURE, join(odd, 'contoso.yaml'));
  symlinkSync(join(odd, 'gone.yaml'), join(odd, 'dangling.yaml'));
  mkdirSync(join(odd, 'folder.yaml'));
  execFileSync('mkfifo', [join(odd, 'pipe.yaml')]);
  writeFileSync(join(odd, 'huge.yaml'), Buffer.alloc(MAX_PLAN_FILE_BYTES + 1, 0x23)); // '#' comments
  const loaded = await loadPlansDir(odd);
  t.same([...loaded.plans.keys()], ['contoso']);
  t.same(
    loaded.findings.filter((f) => f.path === '(file)').map((f) => [f.file.slice(odd.length + 1), f.severity, f.message]),
    [
      ['dangling.yaml', 'warning', 'skipped: not a regular file (a dangling symbolic link)'],
      ['folder.yaml', 'warning', 'skipped: not a regular file (a directory)'],
      ['huge.yaml', 'warning', `skipped: larger than ${MAX_PLAN_FILE_BYTES} bytes`],
      ['pipe.yaml', 'warning', 'skipped: not a regular file (a FIFO)'],
    ],
  );
  // tierbook check on the directory skips the same (a FIFO blocked its synchronous reads)
  const checked = await checkPlanPaths([odd], { threads: 1 });
  t.same(checked.files.map((f) => f.slice(odd.length + 1)), ['contoso.yaml']);
  t.same(
    checked.findings.filter((f) => f.path === '(file)').map((f) => f.message),
    loaded.findings.filter((f) => f.path === '(file)').map((f) => f.message),
  );
  const { s, operator } = await serverOn(odd);
  t.teardown(() => s.close());
  const r = await s.call('POST', '/v1/admin/reload', { token: operator });
  t.equal(r.status, 200, 'warnings do not stop a reload; nothing froze');
  t.equal(r.json.findings.filter((f: { path: string }) => f.path === '(file)').length, 4);
});
