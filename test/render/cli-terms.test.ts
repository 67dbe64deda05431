// `tierbook terms`: the SPEC's example plan through the real loader, both
// formats and locales, --at, and the exit statuses (0, 1 unknown ids, 2 usage).
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { main } from '../../src/main/index.js';
import { runTerms } from '../../src/cli/terms-run.js';
import { norm, parse, ROOT } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'tierbook-terms-'));
copyFileSync(ROOT + 'test/render/plans/contoso.yaml', join(dir, 'contoso.yaml'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

async function run(partner: string, offering: string, args: Partial<Parameters<typeof runTerms>[2]> = {}) {
  let out = '';
  let err = '';
  const code = await runTerms(partner, offering, { format: 'html', plans: dir, ...args }, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

/** Runs the whole CLI with stdout/stderr captured. */
async function cli(argv: string[]) {
  let out = '';
  let err = '';
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
    process.exitCode = 0; // the command sets it; the test process must still exit 0
  }
}

t.test('terms of the SPEC example through the loader', async (t) => {
  const en = await run('contoso', 'standard', { at: '2026-11-20' });
  t.equal(en.code, 0, en.err);
  const doc = parse(en.out);
  t.equal(doc.documentElement.getAttribute('lang'), 'en-US', 'partner locale');
  t.equal(norm(doc.querySelector('#coverage-hours')!.textContent!), 'Support is available Monday to Friday 08:00–18:00, Saturday 09:00–13:00 (America/New_York).');
  t.match(norm(doc.querySelector('[data-component="base"]')!.textContent!), /USD\s250\.00 per month/);
  t.match(norm(doc.querySelector('#future-prices')!.textContent!), /January 1, 2027.*USD\s275\.00/);
  t.match(norm(doc.querySelector('#escalation')!.textContent!), /Advanced Support for Partners/);

  const zh = await run('contoso', 'essential', { at: '2026-11-20', locale: 'zh-CN', format: 'md' });
  t.equal(zh.code, 0);
  t.match(zh.out, /^# 支持条款：基础支持/);
  t.match(zh.out, /每个事件USD\s95\.00；每月首个事件免费/);

  const dyn = await run('contoso', 'dynamics-plus', { at: '2026-11-20' });
  t.match(norm(parse(dyn.out).querySelector('#delivery')!.textContent!), /Fabrikam Managed Services on behalf of Contoso Cloud Services/);
});

t.test('unknown ids exit 1 and name the declared ones', async (t) => {
  const p = await run('fabrikam', 'standard');
  t.equal(p.code, 1);
  t.match(p.err, /unknown partner "fabrikam".*\(declared: contoso\)/);
  const o = await run('contoso', 'gold');
  t.equal(o.code, 1);
  t.match(o.err, /unknown offering "gold" \(declared: essential, standard, dynamics-plus\)/);
  t.equal(o.out, '');
});

t.test('through the command line: output and exit statuses', async (t) => {
  const ok = await cli(['terms', 'contoso', 'standard', '--plans', dir, '--format', 'md', '--at', '2027-02-01']);
  t.equal(ok.code, 0, ok.err);
  t.match(ok.out, /USD\s275\.00 per month/, '--at picks the version in force');
  const today = await cli(['terms', 'contoso', 'standard', '--plans', dir]);
  t.equal(today.code, 0, 'default --at is today in the partner’s zone');
  t.match(today.out, /<!DOCTYPE html>/);
  t.equal((await cli(['terms', 'contoso', 'gold', '--plans', dir])).code, 1);
  t.equal((await cli(['terms', 'contoso', 'standard', '--plans', dir, '--format', 'pdf'])).code, 2, 'bad --format');
  t.equal((await cli(['terms', 'contoso', 'standard', '--plans', dir, '--at', '20/11/2026'])).code, 2, 'bad --at');
  t.equal((await cli(['terms', 'contoso', 'standard', '--plans', dir, '--at', '2026-02-30'])).code, 2, 'impossible --at');
  t.equal((await cli(['terms', 'contoso'])).code, 2, 'missing offering');
  t.equal((await cli(['terms', 'contoso', 'standard', '--plans', join(dir, 'nope')])).code, 2, 'missing plans dir');
});
