// Command-line usage (issue 21 item 18): no command is a usage error (2),
// --version, a busy port is one line with a code (1), a token for a partner
// no plan declares is refused, and an import whose rows name no partner
// without --partner is one usage error, not one error per row.
import t from 'tap';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMain } from '../helpers/run-main.js';
import { openSqlite } from '../../src/store/sqlite.js';

const PLANS = fileURLToPath(new URL('../fixtures/plans/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tierbook-usage-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'x.db');

const run = runMain;

t.test('no command: help on stderr, exit 2; help asked for: exit 0', async (t) => {
  const none = await run();
  t.equal(none.code, 2);
  t.match(none.err, /^Usage: tierbook \[options\] \[command\]/);
  t.equal((await run('--help')).code, 0);
  t.equal((await run('token')).code, 2, 'a command group without its subcommand');
});

t.test('--version prints the package version', async (t) => {
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  const r = await run('--version');
  t.same([r.code, r.out], [0, `${version}\n`]);
});

t.test('a busy port is one line with a code, exit 1', async (t) => {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  t.teardown(() => holder.close());
  const port = (holder.address() as { port: number }).port;
  const r = await run('serve', '--port', String(port), '--db', db, '--plans', PLANS);
  t.equal(r.code, 1);
  const lines = r.err.trimEnd().split('\n');
  t.equal(lines[lines.length - 1], `tierbook serve: PORT_IN_USE: cannot listen on 127.0.0.1:${port}: the port is already in use (another server?); choose another with --port`);
  t.notMatch(r.err, /\n\s+at |EADDRINUSE/, 'no stack, no errno');
});

t.test('token create: only for a partner a plan declares; --operator for reloads', async (t) => {
  const nobody = await run('token', 'create', '--partner', 'nobody', '--role', 'admin', '--db', db, '--plans', PLANS);
  t.equal(nobody.code, 2);
  t.equal(nobody.out, '');
  t.match(nobody.err, `no valid plan in ${PLANS} declares partner "nobody" (valid: contoso, gulfcloud, lianyun; run tierbook check for the others); use --plans DIR`);
  const op = await run('token', 'create', '--operator', '--db', db, '--plans', PLANS);
  t.equal(op.code, 0, op.err);
  const repo = await openSqlite(db);
  t.teardown(() => repo.close());
  const info = await repo.findToken(op.out.trim());
  t.same(info && [info.partner, info.role], ['*', 'operator']);
  t.equal((await run('token', 'create', '--operator', '--partner', 'contoso', '--db', db, '--plans', PLANS)).code, 2);
  t.equal((await run('token', 'create', '--partner', 'contoso', '--db', db, '--plans', PLANS)).code, 2, '--role missing');
});

t.test('import without --partner: one usage error when rows name none', async (t) => {
  const file = join(dir, 'customers.csv');
  writeFileSync(file, 'id,name\na,A\nb,B\nc,C\n');
  const r = await run('import', 'customers', file, '--db', db, '--plans', PLANS);
  t.equal(r.code, 2);
  t.equal(r.err, 'tierbook import: USAGE: --partner is required: no row names partner\n');
  const some = join(dir, 'some.ndjson');
  writeFileSync(some, '{"partner":"contoso","id":"a","name":"A"}\n{"id":"b","name":"B"}\n');
  t.equal((await run('import', 'customers', some, '--db', db, '--plans', PLANS)).err, 'tierbook import: USAGE: --partner is required: 1 of 2 rows name no partner\n');
});

t.test('a store that cannot be opened is one line with a code, exit 1 (issue 21 item 8)', async (t) => {
  const notADb = join(dir, 'not-a.db');
  writeFileSync(notADb, 'this is not a SQLite database, only some text long enough for a header');
  const r = await run('migrate', '--db', notADb);
  t.same([r.code, r.err], [1, 'tierbook migrate: STORE_UNAVAILABLE: the store cannot be read or written (SQLITE_NOTADB: file is not a database); nothing was written\n']);
  const folder = await run('migrate', '--db', dir);
  t.equal(folder.code, 1);
  t.match(folder.err, /^tierbook migrate: STORE_UNAVAILABLE: the store cannot be read or written \(SQLITE_CANTOPEN: unable to open database file\); nothing was written\n$/);
});
