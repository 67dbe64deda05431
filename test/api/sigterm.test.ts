// The `serve` process (issue 21 items 6, 15): a refused reload prints its
// findings on stderr; under load, SIGTERM drains and exits. Requests in
// flight are answered, new ones are refused (503 or a closed connection), and
// the process exits with status 0 by itself; past DRAIN_MS it would exit 1
// saying so. Clients keep sending until the server is gone.
import t from 'tap';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqlite } from '../../src/store/sqlite.js';

const RUN = fileURLToPath(new URL('../helpers/run-cli.ts', import.meta.url));
const PLANS = fileURLToPath(new URL('../fixtures/plans/', import.meta.url));

t.test('a refused reload on stderr; SIGTERM under load: in-flight requests answered, exit 0', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tierbook-sigterm-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const plans = join(dir, 'plans');
  mkdirSync(plans);
  copyFileSync(join(PLANS, 'contoso.yaml'), join(plans, 'contoso.yaml'));
  const store = await openSqlite(join(dir, 'x.db'));
  const operator = await store.createToken('*', 'operator');
  await store.close();
  const child = spawn(process.execPath, ['--import', 'tsx', RUN, 'serve', '--port', '0', '--db', join(dir, 'x.db'), '--plans', plans], {
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const origin = await new Promise<string>((resolve, reject) => {
    const poll = setInterval(() => {
      const m = /tierbook API on (http:\/\/[^\s]+) /.exec(err);
      if (m) {
        clearInterval(poll);
        resolve(m[1]!);
      }
    }, 20);
    void exited.then(() => {
      clearInterval(poll);
      reject(new Error(`serve exited before listening: ${err}`));
    });
  });

  writeFileSync(join(plans, 'contoso.yaml'), 'version: 1\npartner:\n  id: contoso\n  currency: ZZZ\n');
  const reload = await fetch(`${origin}/v1/admin/reload`, { method: 'POST', headers: { authorization: `Bearer ${operator}` } });
  t.equal(reload.status, 422);
  const findings = ((await reload.json()) as { findings: { line: number; column: number; path: string; message: string }[] }).findings;
  t.ok(findings.length > 0);
  for (const f of findings) t.match(err, `${join(plans, 'contoso.yaml')}:${f.line}:${f.column}: error: ${f.path ? f.path + ': ' : ''}${f.message}`, 'each finding on stderr');
  t.match(err, 'plans not reloaded (errors above); the previous plans stay in force');

  let gone = false;
  const statuses = new Map<string, number>();
  const count = (k: string) => statuses.set(k, (statuses.get(k) ?? 0) + 1);
  // 16 clients on keep-alive connections, each sending until the server is gone
  const client = async (): Promise<void> => {
    while (!gone) {
      try {
        const r = await fetch(`${origin}/health`);
        await r.text();
        count(String(r.status));
      } catch {
        count('closed');
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  };
  const clients = Array.from({ length: 16 }, client);
  while ((statuses.get('200') ?? 0) < 200) await new Promise((r) => setTimeout(r, 10));
  child.kill('SIGTERM');
  const code = await exited;
  gone = true;
  await Promise.all(clients);
  t.equal(code, 0, err);
  t.match(err, /SIGTERM: draining \(at most 10 s\)/);
  t.match(err, /stopped/);
  t.same(
    [...statuses.keys()].filter((k) => k !== '200' && k !== '503' && k !== 'closed'),
    [],
    `only answers or refusals: ${JSON.stringify([...statuses])}`,
  );
});
