// The API on PostgreSQL, two servers on one database (in one process: each
// its own pool and cache, as two `serve` processes would have): a write on
// one is seen by the next request on the other, a finalize sent to both
// issues one number, and a database that drops its connections or refuses
// new ones answers 503 STORE_UNAVAILABLE with Retry-After, never 500, until
// it is back. (Three real `serve` processes: test/reliability.)
import t from 'tap';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { openStore } from '../../src/store/open.js';
import type { Repository } from '../../src/store/repository.js';
import { contoso } from '../render/fixtures.js';
import { pgDatabase, testPgUrl } from '../helpers/pg.js';

const SEPTEMBER = { customer: 'northwind', service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-09-15T10:00:00-04:00' };
const SEPT_SUB = { id: 'nw-sept', customer: 'northwind', offering: 'standard', start: '2026-09-01', end: '2026-09-30' };

interface Api {
  readonly app: FastifyInstance;
  readonly repo: Repository;
  call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: any; headers: Record<string, unknown> }>;
}

async function server(t: { teardown(fn: () => unknown): void }, url: string): Promise<Api> {
  const repo = await openStore(url, { poolSize: 3 });
  const app = await buildApp({ repo, plans: new Map([[contoso().partner.id, contoso()]]), authLimit: false });
  t.teardown(async () => {
    await app.close();
    await repo.close();
  });
  return {
    app,
    repo,
    async call(method, path, token, body) {
      const r = await app.inject({ method: method as 'GET', url: `/v1/partners/contoso${path}`, headers: { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { payload: body as object }) });
      return { status: r.statusCode, json: r.body ? JSON.parse(r.body) : null, headers: r.headers };
    },
  };
}

async function sql(url: string, text: string, values: unknown[] = []): Promise<void> {
  const c = new pg.Client(url);
  await c.connect();
  try {
    await c.query(text, values);
  } finally {
    await c.end();
  }
}

t.test('two servers on one database: writes on one are seen by the next request on the other', async (t) => {
  const db = await pgDatabase(t);
  const a = await server(t, db.url);
  const b = await server(t, db.url);
  const admin = await a.repo.createToken('contoso', 'admin');
  const viewer = await a.repo.createToken('contoso', 'viewer');
  t.equal((await a.call('POST', '/customers', admin, { id: 'northwind', name: 'Northwind' })).status, 201);
  const codes = async (s: Api) => ((await s.call('POST', '/evaluate', viewer, SEPTEMBER)).json.reasons as { code: string }[]).map((r) => r.code);
  t.same(await codes(b), ['NO_ACTIVE_SUBSCRIPTION']);
  t.same(await codes(b), ['NO_ACTIVE_SUBSCRIPTION'], 'cached on b now');
  t.equal((await a.call('POST', '/subscriptions', admin, SEPT_SUB)).status, 201);
  t.equal((await b.call('POST', '/evaluate', viewer, SEPTEMBER)).json.offering, 'standard', 'b sees the subscription a stored');

  t.equal((await b.call('GET', '/customers', viewer)).status, 200);
  await sql(db.url, "delete from api_tokens where role = 'viewer'");
  t.equal((await b.call('GET', '/customers', viewer)).status, 401, 'a token deleted with psql stops working at once');

  // one customer-period finalized on both at once: one number
  const both = await Promise.all([a.call('POST', '/statements/northwind/2026-10/finalize', admin), b.call('POST', '/statements/northwind/2026-10/finalize', admin)]);
  t.same(both.map((r) => r.status).sort(), [200, 201]);
  t.equal(both[0]!.json.number, both[1]!.json.number);
  t.equal(both[0]!.json.number, 'CONTOSO-202610-0001');
});

t.test('a lost connection or a database refusing connections: 503 with Retry-After, then recovery', async (t) => {
  const db = await pgDatabase(t);
  const s = await server(t, db.url);
  const admin = await s.repo.createToken('contoso', 'admin');
  t.equal((await s.call('POST', '/customers', admin, { id: 'northwind', name: 'Northwind' })).status, 201);
  t.equal((await s.call('GET', '/customers', admin)).status, 200);

  // the server's connections are cut (a restart, a failover)
  await sql(testPgUrl(), 'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [db.name]);
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await s.call('GET', '/customers/northwind', admin)).status);
  t.notOk(statuses.includes(500), `never 500 (${statuses.join(', ')})`);
  t.equal(statuses.at(-1), 200, 'the pool reconnects on its own');

  // the database refuses connections altogether
  await sql(testPgUrl(), `alter database "${db.name}" allow_connections false`);
  t.teardown(() => sql(testPgUrl(), `alter database "${db.name}" allow_connections true`));
  await sql(testPgUrl(), 'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [db.name]);
  for (const [method, path, body] of [['GET', '/customers'], ['POST', '/customers', { id: 'acme', name: 'Acme' }], ['POST', '/evaluate', SEPTEMBER]] as const) {
    const r = await s.call(method, path, admin, body);
    t.equal(r.status, 503, `${method} ${path}`);
    t.equal(r.json.code, 'STORE_UNAVAILABLE');
    t.equal(r.headers['retry-after'], '1');
  }
  await sql(testPgUrl(), `alter database "${db.name}" allow_connections true`);
  t.equal((await s.call('POST', '/customers', admin, { id: 'acme', name: 'Acme' })).status, 201, 'back: the write goes through');
  t.equal((await s.call('GET', '/customers', admin)).json.items.length, 2);
});

t.test('two processes migrating a new database at once: one applies, the other waits and finds nothing to do', async (t) => {
  const db = await pgDatabase(t);
  const { applyPgMigrations } = await import('../../src/store/pg.js');
  await Promise.all([applyPgMigrations(db.url), applyPgMigrations(db.url), applyPgMigrations(db.url)]);
  const c = new pg.Client(db.url);
  await c.connect();
  t.teardown(() => c.end());
  const applied = (await c.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations')).rows[0]!.n;
  const { readdirSync } = await import('node:fs');
  t.equal(applied, readdirSync('drizzle/pg').filter((f) => f.endsWith('.sql')).length, 'each migration applied once');
  const triggers = (await c.query<{ n: number }>("select count(*)::int as n from pg_trigger where tgname = 'tierbook_change'")).rows[0]!.n;
  const tables = (await c.query<{ n: number }>("select count(*)::int as n from pg_tables where schemaname = 'public' and tablename <> 'store_changes'")).rows[0]!.n;
  t.equal(triggers, tables, 'one change trigger per table');
  t.same((await c.query('select id, n from store_changes')).rows, [{ id: 1, n: '0' }]);
});


t.test('a connection cut while checked out between two queries does not crash the process; the next call recovers', async (t) => {
  const db = await pgDatabase(t);
  const repo = await openStore(db.url, { poolSize: 1 });
  t.teardown(() => repo.close());
  // the moment of a transaction between two statements: a connection checked out, no query running
  const c = await (repo as unknown as { connect(): Promise<pg.PoolClient> }).connect();
  const pid = (await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
  await sql(testPgUrl(), 'select pg_terminate_backend($1)', [pid]);
  await new Promise((resolve) => setTimeout(resolve, 200)); // the server's goodbye arrives while nothing listens but us
  const err = await c.query('select 1').then(() => null, (e: unknown) => e);
  t.ok(err instanceof Error, 'the broken connection fails its next query');
  c.release(true);
  t.equal(await repo.isEmpty(), true, 'a new connection serves the next call');
});
