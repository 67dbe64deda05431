// runMain/runMainWith, the in-process command line the CLI tests use in place
// of a child process: what it sets for a call (environment, standard input,
// working directory) is the call's alone, and everything is put back after
// it, also when the call fails.
import t from 'tap';
import { fileURLToPath } from 'node:url';
import { runMain, runMainWith } from './run-main.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const PLANS = FIXTURES + 'plans';
const state = () => ({ cwd: process.cwd(), plans: process.env.TIERBOOK_PLANS, stdin: Object.getOwnPropertyDescriptor(process, 'stdin'), exitCode: process.exitCode, write: process.stdout.write, tty: [process.stdout.isTTY, process.stderr.isTTY] });

t.test('env, input and cwd for the call; all put back', async (t) => {
  const before = state();
  t.equal(before.plans, undefined, 'TIERBOOK_PLANS unset in tests');
  const e = await runMainWith({ env: { TIERBOOK_PLANS: PLANS }, input: '{"partner":"contoso"\n' }, 'evaluate');
  t.same(e, { code: 1, out: `{"error":{"code":"INVALID_JSON","line":1,"column":21,"field":null,"message":"not JSON: unexpected end of input (expected ',' or '}')"}}\n`, err: '' }, 'stdin read, plans from the environment');
  const c = await runMainWith({ cwd: FIXTURES }, 'check');
  t.equal(c.code, 0);
  t.equal(c.err, '3 plan files checked: 0 errors, 4 warnings\n', './plans of the call\'s directory');
  t.match(c.out, /^plans\/contoso\.yaml:28:3: warning: /, 'paths relative to it');
  t.same(state(), before, 'environment, directory, stdin, exit code and stdout as before');
});

t.test('no input: an empty one (as spawnSync gives), not the test process\'s stdin', async (t) => {
  const r = await runMainWith({ env: { TIERBOOK_PLANS: PLANS } }, 'evaluate');
  t.same(r, { code: 0, out: '', err: '' });
});

t.test('exit statuses do not leak into process.exitCode', async (t) => {
  process.exitCode = undefined;
  t.equal((await runMain('frobnicate')).code, 2);
  t.equal((await runMainWith({ env: { TIERBOOK_PLANS: PLANS }, input: '[1]\n' }, 'evaluate')).code, 1);
  t.equal(process.exitCode, undefined);
});

t.test('a call that fails before main() still puts everything back', async (t) => {
  const before = state();
  await t.rejects(runMainWith({ env: { TIERBOOK_PLANS: PLANS }, input: 'x', cwd: FIXTURES + 'no-such-dir' }, 'check'), { code: 'ENOENT' });
  t.same(state(), before);
});
