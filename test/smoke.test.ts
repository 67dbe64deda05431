// The CLI entry point: every command registers, help is not an error, an
// unknown command is a usage error (exit 2). Help in this process (runMain);
// the unknown command through the real binary (the built CLI, as users run it),
// so that exit 2 is the process's own status.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { runMain } from './helpers/run-main.js';
import { ensureBuilt } from './reliability/helpers.js';

t.test('help lists every command and exits 0', async (t) => {
  const r = await runMain('--help');
  t.equal(r.code, 0);
  for (const c of ['check', 'evaluate', 'quote', 'terms', 'serve', 'migrate', 'token', 'bill', 'import', 'diff']) {
    t.match(r.out, new RegExp(`\\n  ${c}\\b`), `lists ${c}`);
  }
});

t.test('an unknown command is a usage error', async (t) => {
  await ensureBuilt(t);
  // without tap's NODE_OPTIONS (its process-info hook slows every child down)
  const r = spawnSync(process.execPath, ['bin/tierbook.js', 'frobnicate'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  t.equal(r.status, 2);
  t.match(r.stderr, /unknown command/);
});
