// A full disk or a store that turned read-only (issue 21 item 8) answered 500
// or printed a raw SqliteError stack. Writes now answer 507 STORE_FULL or 503
// STORE_READ_ONLY with a clear message, reads keep answering, the CLI prints
// one line; `verify`, which only reads, opens the store read-only. (Tests run
// as root here, where file modes do not stop a write, so SQLite itself is
// made full or read-only: max_page_count and query_only give the very errors
// a full disk and a read-only file or mount give.)
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeFailure } from '../../src/store/failures.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { seed, startServer, type Server } from './helpers.js';

let s: Server;
t.before(async () => {
  s = await startServer();
  await seed(s);
});
t.teardown(() => s.close());

t.test('disk full: 507 STORE_FULL, nothing half-written, reads still answer', async (t) => {
  const pages = s.repo.client.pragma('page_count', { simple: true }) as number;
  s.repo.client.pragma(`max_page_count = ${pages}`);
  t.teardown(() => s.repo.client.pragma('max_page_count = 1073741823'));
  const big = Array.from({ length: 2000 }, (_, i) => ({ customer: 'northwind', period: '2026-10', service: 'azure', amount: `${i}.00`, id: `full-${i}` }));
  const r = await s.call('POST', '/batch/spend', { body: big });
  t.equal(r.status, 507, r.text);
  t.equal(r.json.code, 'STORE_FULL');
  t.equal(r.json.detail, 'the store is full (no space left on its disk); nothing was written. Free disk space and retry');
  t.equal((await s.call('GET', '/customers/northwind')).status, 200);
  t.equal((s.repo.client.prepare('select count(*) as n from spend').get() as { n: number }).n, 0, 'all or nothing');
});

t.test('read-only store: 503 STORE_READ_ONLY with Retry-After, reads still answer', async (t) => {
  s.repo.client.pragma('query_only = ON');
  t.teardown(() => s.repo.client.pragma('query_only = OFF'));
  const r = await s.call('POST', '/customers', { body: { id: 'ro', name: 'Read Only' } });
  t.equal(r.status, 503, r.text);
  t.equal(r.json.code, 'STORE_READ_ONLY');
  t.equal(r.json.detail, 'the store is read-only (its file, directory or mount does not allow writing); nothing was written');
  t.equal(r.headers.get('retry-after'), '1');
  t.equal((await s.call('GET', '/customers')).status, 200);
});

t.test('the mapping: SQLite and PostgreSQL codes', async (t) => {
  const code = (c: string) => storeFailure(Object.assign(new Error('x'), { code: c }))?.code ?? null;
  t.same(
    ['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED', 'SQLITE_CANTOPEN', 'SQLITE_IOERR_WRITE', '53100', '25006', 'SQLITE_CONSTRAINT', 'ENOENT'].map(code),
    ['STORE_FULL', 'STORE_READ_ONLY', 'STORE_READ_ONLY', 'STORE_UNAVAILABLE', 'STORE_UNAVAILABLE', 'STORE_FULL', 'STORE_READ_ONLY', null, null],
  );
});

t.test('a read-only open (verify) writes nothing, not even the WAL switch', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tierbook-ro-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'x.db');
  await (await openSqlite(file)).close();
  const ro = await openSqlite(file, { readonly: true, migrate: false });
  t.teardown(() => ro.close());
  t.equal(ro.client.readonly, true);
  t.same(await ro.listCustomers('contoso'), []);
  await t.rejects(ro.createToken('contoso', 'admin'), { code: /^SQLITE_READONLY/ });
  t.equal(storeFailure(await ro.createToken('contoso', 'admin').catch((e: unknown) => e))?.code, 'STORE_READ_ONLY');
});
