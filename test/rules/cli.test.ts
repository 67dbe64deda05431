// `tierbook evaluate` on the command line over the example plans: in this
// process (runMain, with its standard input and environment), and once as a
// real process reading a pipe.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMainWith } from '../helpers/run-main.js';
import { ensureBuilt } from '../reliability/helpers.js';
import { PLANS_DIR, req } from './helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tierbook-evaluate-'));

async function run(args: string[], input?: string, env: Record<string, string> = {}) {
  const r = await runMainWith({ cwd: root, env, ...(input === undefined ? {} : { input }) }, 'evaluate', ...args);
  return { status: r.code, lines: r.out.split('\n').slice(0, -1), stderr: r.err };
}

/** A real process (the built CLI, as users run it): stdin a pipe, the exit status the process's. */
function child(args: string[], input: string, env: Record<string, string>) {
  // without tap's NODE_OPTIONS (its process-info hook slows every child down)
  const r = spawnSync(process.execPath, ['bin/tierbook.js', 'evaluate', ...args], { cwd: root, input, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', ...env } });
  return { status: r.status, lines: r.stdout.split('\n').slice(0, -1), stderr: r.stderr };
}

t.test('one output line per input line, in order; invalid lines named; exit 1', async (t) => {
  const lines = [
    JSON.stringify(req()),
    '{"partner": "contoso",',
    JSON.stringify(req({ receivedAt: '2026-11-24 17:30' })),
    '',
    JSON.stringify(req({ partner: 'nobody' })),
    JSON.stringify(req({ offering: undefined })),
    JSON.stringify(req({ offering: 'essential', service: 'm365', channel: 'email' })),
    '[1,2]',
    JSON.stringify(req({ color: 'red' } as never)),
  ];
  const file = join(dir, 'requests.ndjson');
  writeFileSync(file, lines.join('\n') + '\n');
  const r = await run([file, '--plans', PLANS_DIR]);
  t.equal(r.status, 1, r.stderr);
  t.equal(r.lines.length, lines.length);
  const out = r.lines.map((l) => (l === '' ? null : JSON.parse(l)));
  t.match(out[0], { accepted: true, offering: 'standard', responseDueAt: '2026-11-25T11:30:00-05:00' });
  t.match(out[1], { error: { line: 2, field: null, message: /not JSON/ } });
  t.match(out[2], { error: { line: 3, field: 'receivedAt' } });
  t.equal(out[3], null, 'a blank line stays blank');
  t.match(out[4], { error: { line: 5, field: 'partner', message: /unknown partner "nobody"/ } });
  t.match(out[5], { error: { line: 6, field: 'offering' } });
  t.match(out[6], { accepted: true, offering: 'essential', billable: true });
  t.match(out[7], { error: { line: 8, field: null } });
  t.match(out[8], { error: { line: 9, field: 'color' } });
});

t.test('stdin, TIERBOOK_PLANS, exit 0 when every line is a request', async (t) => {
  const input = [req(), req({ offering: 'gold' }), req({ severity: 'A', channel: 'email' })].map((x) => JSON.stringify(x)).join('\n');
  await ensureBuilt(t);
  const r = child([], input, { TIERBOOK_PLANS: PLANS_DIR });
  t.equal(r.status, 0, r.stderr);
  t.equal(r.lines.length, 3);
  t.same(r.lines.map((l) => JSON.parse(l).accepted), [true, false, false], 'rejections are decisions, not errors');
  t.match(JSON.parse(r.lines[1]).reasons, [{ code: 'UNKNOWN_OFFERING' }]);
});

t.test('usage errors exit 2', async (t) => {
  t.equal((await run([join(dir, 'missing.ndjson'), '--plans', PLANS_DIR])).status, 2, 'no such input file');
  t.equal((await run(['--plans', join(dir, 'no-plans')], '')).status, 2, 'no plans directory');
  t.equal((await run(['--bogus'])).status, 2, 'unknown option');
});
