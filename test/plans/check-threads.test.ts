// `tierbook check` on many files uses worker threads; its findings must be
// exactly those of checking the files one by one, in the same order.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPlanPaths, loadPlanPaths, PARALLEL_MIN_FILES } from '../../src/cli/plan-files.js';
import { ensureBuilt, ROOT } from '../reliability/helpers.js';
import { planFileText } from '../../bench/data.js';
import { runMain } from '../helpers/run-main.js';

// few files, with the thread threshold lowered: starting workers under tsx is slow
const MIN = 4;
t.setTimeout(300_000);
const dir = mkdtempSync(join(tmpdir(), 'tierbook-threads-'));
const n = 16;
for (let i = 0; i < n; i++) {
  const id = `p-${String(i).padStart(3, '0')}`;
  let text = planFileText(id, 2, i);
  if (i % 7 === 1) text = text.replace('channels: [email, portal, phone]', 'channels: [email, fax]'); // reference error
  if (i % 11 === 2) text = text.replace('  m365: Microsoft 365', '  m365: [Microsoft 365'); // syntax error
  if (i % 13 === 3) text = text.replace('currency: USD', 'curency: USD'); // schema error
  const name = i === 5 ? 'misnamed' : i === 6 ? 'p-000b' : id;
  if (i === 6) text = text.replace(`id: ${id}`, 'id: p-000b'); // fine alone
  if (i === 8) text = text.replace(`id: ${id}`, 'id: p-000'); // p-000 declared twice (file name differs: misnamed)
  writeFileSync(join(dir, `${name}.yaml`), text);
}
writeFileSync(join(dir, 'p-999.yaml'), readFileSync(join(dir, 'p-000.yaml'), 'utf8')); // duplicate partner, misnamed

t.test('threads give the serial findings, in order', async (t) => {
  const serial = await checkPlanPaths([dir], { threads: 1 });
  const threaded = await checkPlanPaths([dir], { threads: 2, minFiles: MIN });
  const loaded = await loadPlanPaths([dir]);
  t.ok(serial.files.length >= MIN);
  t.ok(serial.findings.some((f) => f.severity === 'error' && /already declared|declares partner/.test(f.message)), 'directory checks ran');
  t.ok(serial.findings.some((f) => f.message.startsWith('YAML syntax')), 'syntax errors present');
  t.same(threaded.files, serial.files);
  t.equal(JSON.stringify(threaded.findings), JSON.stringify(serial.findings));
  t.equal(JSON.stringify(loaded.findings), JSON.stringify(serial.findings), 'same as loading the plans');
});

t.test('a directory named like a plan file is skipped with a warning, either way', async (t) => {
  const bad = mkdtempSync(join(tmpdir(), 'tierbook-threads-bad-'));
  for (let i = 0; i < 2 * MIN; i++) writeFileSync(join(bad, `q-${String(i).padStart(3, '0')}.yaml`), planFileText(`q-${String(i).padStart(3, '0')}`, 1, i));
  mkdirSync(join(bad, 'q-003x.yaml')); // reading it failed (EISDIR) before issue 21 item 7: now skipped, like a FIFO
  const serial = await checkPlanPaths([bad], { threads: 1, minFiles: MIN });
  t.same(
    serial.findings.filter((f) => f.path === '(file)').map((f) => [f.file, f.severity, f.message]),
    [[join(bad, 'q-003x.yaml'), 'warning', 'skipped: not a regular file (a directory)']],
  );
  t.equal(JSON.stringify((await checkPlanPaths([bad], { threads: 2, minFiles: MIN })).findings), JSON.stringify(serial.findings));
});

// Under tsx (as here) the workers cannot load .ts files and the main thread
// checks everything, so the test above does not prove the shipped threads.
// The built CLI on 64+ files does take the threaded path (on 2+ cores).
t.test('the built CLI on 64+ files answers as the serial in-process CLI', async (t) => {
  await ensureBuilt(t);
  const many = mkdtempSync(join(tmpdir(), 'tierbook-threads-cli-'));
  const names = readdirSync(dir).sort();
  for (let copy = 0; copy < 4; copy++) {
    for (const f of names) writeFileSync(join(many, `${copy}-${f}`), readFileSync(join(dir, f), 'utf8'));
  }
  t.ok(readdirSync(many).length >= PARALLEL_MIN_FILES, `${readdirSync(many).length} files`);
  if (availableParallelism() < 2) t.comment('one core: the built CLI checks serially here');
  // the built CLI a real process (its worker threads load dist/'s .js), without tap's NODE_OPTIONS
  // (its process-info hook slows every child down); the serial one in this process (runMain: under tsx)
  const built = spawnSync(process.execPath, [join(ROOT, 'bin', 'tierbook.js'), 'check', many], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  const serial = await runMain('check', many);
  t.equal(built.status, 1, 'errors found: exit 1');
  t.equal(built.status, serial.code, 'same exit code');
  t.equal(built.stdout, serial.out, 'same findings, same order');
  t.equal(built.stderr, serial.err);
  t.match(built.stdout, /YAML syntax/);
});
