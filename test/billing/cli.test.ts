// `tierbook quote` reproduces the worked examples of docs/billing.md
// (docs/examples/<name>.json -> docs/examples/<name>.statement.json).
// Most cases run the CLI in this process (runMain, output captured); one
// spawns test/helpers/run-cli.ts to prove stdin and the exit status for real.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from '../helpers/run-main.js';

t.setTimeout(600_000);
process.env.TIERBOOK_PLANS = 'test/fixtures/plans';
const dir = mkdtempSync(join(tmpdir(), 'tierbook-quote-'));

async function quote(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const r = await runMain('quote', ...args);
  return { status: r.code, stdout: r.out, stderr: r.err };
}
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

for (const name of ['quote-standard', 'quote-minimum']) {
  t.test(`docs example ${name}`, async (t) => {
    // as docs/billing.md says: against the shipped plans/contoso.yaml
    const r = await quote([`docs/examples/${name}.json`, '--plans', 'plans']);
    t.equal(r.status, 0, r.stderr);
    t.same(JSON.parse(r.stdout), JSON.parse(readFileSync(`docs/examples/${name}.statement.json`, 'utf8')));
  });
}

t.test('bad input: exit 1 with positioned messages', async (t) => {
  const r = await quote([file('bad.json', '{"partner":"contoso","period":"2026-10","customer":{"id":"x"},\n"subscriptions":[{"offering":"standard","start":"2026-10-32"}]}')]);
  t.equal(r.status, 1);
  t.match(r.stderr, /bad\.json:2:\d+: error: INVALID_QUOTE: \/subscriptions\/0\/start: must be a local date/);
});

t.test('invalid JSON: exit 1 with line and column', async (t) => {
  const r = await quote([file('syntax.json', '{"partner":\n  "contoso",,}')]);
  t.equal(r.status, 1);
  t.match(r.stderr, /syntax\.json:2:\d+: error: INVALID_JSON: invalid JSON/);
});

t.test('unknown offering: exit 1 naming the field', async (t) => {
  const r = await quote([file('gold.json', JSON.stringify({ partner: 'contoso', period: '2026-10', customer: { id: 'x' }, subscriptions: [{ offering: 'gold', start: '2026-10-01' }] }))]);
  t.equal(r.status, 1);
  t.match(r.stderr, /\/subscriptions\/0\/offering: unknown offering "gold"/);
});

t.test('usage errors exit 2', async (t) => {
  t.equal((await quote(['--format', 'pdf', 'docs/examples/quote-standard.json'])).status, 2);
  t.equal((await quote(['no-such-file.json'])).status, 2);
});

t.test('a real process reading stdin', async (t) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/helpers/run-cli.ts', 'quote'], {
    encoding: 'utf8',
    input: readFileSync('docs/examples/quote-standard.json', 'utf8'),
    env: { ...process.env, TIERBOOK_PLANS: 'plans' },
  });
  t.equal(r.status, 0, r.stderr);
  t.same(JSON.parse(r.stdout), JSON.parse(readFileSync('docs/examples/quote-standard.statement.json', 'utf8')));
});

t.test('input in another encoding is a positioned error, not U+FFFD', async (t) => {
  const p = join(dir, 'latin1.json');
  // "Café" written in Latin-1: the é is byte 0xe9 at line 3, column 15
  writeFileSync(p, Buffer.concat([Buffer.from('{\n  "partner": "contoso",\n  "name": "Caf'), Buffer.from([0xe9]), Buffer.from('"\n}\n')]));
  const r = await quote(['--plans', 'test/fixtures/plans', p]);
  t.equal(r.status, 1);
  t.equal(r.stderr, `tierbook quote: ${p}:3:15: error: BODY_NOT_UTF8: invalid UTF-8: byte 0xe9\n`);
});

t.test('a quote document is dated (--date) and says how long it is valid (issue 23)', async (t) => {
  const md = await quote(['docs/examples/quote-standard.json', '--plans', 'plans', '--format', 'md', '--date', '2026-11-02']);
  t.equal(md.status, 0, md.stderr);
  t.ok(md.stdout.startsWith('# Quote\n'), 'titled Quote');
  t.ok(md.stdout.includes('Date: November 2, 2026 · **Valid until December 2, 2026**'), 'valid 30 days from its date');
  const zh = await quote(['docs/examples/quote-standard.json', '--plans', 'plans', '--format', 'html', '--date', '2026-11-02', '--locale', 'zh-CN']);
  t.equal(zh.status, 0, zh.stderr);
  t.match(zh.stdout, '<h1 id="title">报价单</h1>');
  t.match(zh.stdout, '有效期至2026年12月2日');
  const bad = await quote(['docs/examples/quote-standard.json', '--plans', 'plans', '--format', 'md', '--date', '2.11.2026']);
  t.equal(bad.status, 2);
  t.match(bad.stderr, 'USAGE: --date must be a date YYYY-MM-DD, got "2.11.2026"');
  const impossible = await quote(['docs/examples/quote-standard.json', '--plans', 'plans', '--format', 'md', '--date', '2026-02-30']);
  t.equal(impossible.status, 2, 'a real date only');
  t.match(impossible.stderr, 'USAGE: --date must be a date YYYY-MM-DD, got "2026-02-30"');
});
