import t from 'tap';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/main/index.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  process.exitCode = undefined;
  try {
    const code = await main(args);
    return { code, out, err };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
    process.exitCode = undefined;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'tierbook-check-'));
const contoso = readFileSync(new URL('../fixtures/plans/contoso.yaml', import.meta.url), 'utf8');
writeFileSync(join(dir, 'contoso.yaml'), contoso.replace('channels: [email, portal, phone]', 'channels: [email, portal, fax]'));
const bad = join(dir, 'contoso.yaml');

t.test('the fixture plans: exit 0 with warnings only', async (t) => {
  const r = await run(['check', 'test/fixtures/plans/']);
  t.equal(r.code, 0);
  t.match(r.out, /^test\/fixtures\/plans\/contoso\.yaml:\d+:\d+: warning: providers\.adatum: provider "adatum" is never used/m);
  t.match(r.err, /3 plan files checked: 0 errors, \d+ warnings/);
});

t.test('--strict fails on warnings', async (t) => {
  t.equal((await run(['check', '--strict', 'test/fixtures/plans/contoso.yaml'])).code, 1);
});

t.test('errors: exit 1, compiler-style line', async (t) => {
  const r = await run(['check', bad]);
  t.equal(r.code, 1);
  t.match(r.out, `${bad}:70:31: error: offerings.standard.channels[2]: unknown channel "fax" (declared: phone, email, portal)`);
});

t.test('--format json', async (t) => {
  const r = await run(['check', '--format', 'json', bad]);
  t.equal(r.code, 1);
  const findings = JSON.parse(r.out);
  t.match(findings.find((f: { severity: string }) => f.severity === 'error'), { file: bad, line: 70, column: 31, path: 'offerings.standard.channels[2]', severity: 'error' });
});

t.test('--format github', async (t) => {
  const r = await run(['check', '--format', 'github', bad]);
  t.match(r.out, `::error file=${bad},line=70,col=31::offerings.standard.channels[2]: unknown channel "fax"`);
});

t.test('--plans and TIERBOOK_PLANS', async (t) => {
  t.equal((await run(['check', '--plans', dir])).code, 1);
  process.env.TIERBOOK_PLANS = dir;
  try {
    t.equal((await run(['check'])).code, 1);
  } finally {
    delete process.env.TIERBOOK_PLANS;
  }
});

t.test('a file must be named after its partner id', async (t) => {
  const other = join(dir, 'other');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(other, { recursive: true });
  writeFileSync(join(other, 'northwind.yaml'), contoso);
  const r = await run(['check', other]);
  t.equal(r.code, 1);
  t.match(r.out, /northwind\.yaml:\d+:\d+: error: partner\.id: the file northwind\.yaml declares partner "contoso"/);
});

t.test('usage errors: exit 2', async (t) => {
  t.equal((await run(['check', '--bogus'])).code, 2);
  t.equal((await run(['check', 'no/such/file.yaml'])).code, 2);
  t.equal((await run(['check', '--format', 'xml', 'test/fixtures/plans/'])).code, 2);
});
