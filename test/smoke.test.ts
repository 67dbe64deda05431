// The CLI entry point: every command registers, help is not an error, an
// unknown command is a usage error (exit 2).
import t from 'tap';
import { spawnSync } from 'node:child_process';

const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'test/helpers/run-cli.ts', ...args], { encoding: 'utf8' });

t.test('help lists every command and exits 0', async (t) => {
  const r = run('--help');
  t.equal(r.status, 0);
  for (const c of ['check', 'evaluate', 'quote', 'terms', 'serve', 'migrate', 'token', 'bill', 'import', 'diff']) {
    t.match(r.stdout, new RegExp(`\\n  ${c}\\b`), `lists ${c}`);
  }
});

t.test('an unknown command is a usage error', async (t) => {
  const r = run('frobnicate');
  t.equal(r.status, 2);
  t.match(r.stderr, /unknown command/);
});
