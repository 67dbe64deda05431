// Issue 21 item 1: an Idempotency-Key is honoured across two servers on one
// database. Two apps, each with its own connection to one SQLite file (what two
// `serve` processes are: no shared memory, no shared in-flight set), get the
// same key at once. The key used to be looked up before the write's
// transaction, so both wrote (6,000 spend rows for a 3,000-record batch sent
// twice; both PUTs of two bodies answered 200). It is now claimed inside the
// transaction: stored once, and the two answers agree. (The same with three
// `serve` processes, on SQLite and PostgreSQL: multi-server.test.ts.)
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { openSqlite, type SqliteRepository } from '../../src/store/sqlite.js';
import { contoso } from '../render/fixtures.js';
import { seed, startServer, type Answer, type Server } from '../api/helpers.js';

interface Second {
  readonly repo: SqliteRepository;
  call(method: string, path: string, body: unknown, headers?: Record<string, string>): Promise<Answer>;
}

/** A second server on the first one's database file (its own connection and cache), called over HTTP like the first. */
async function secondServer(t: Test, s: Server): Promise<Second> {
  const repo = await openSqlite(s.repo.client.name);
  const app: FastifyInstance = await buildApp({ authLimit: false, repo, plans: new Map([['contoso', contoso()]]) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(async () => {
    await app.close();
    await repo.close();
  });
  const addr = app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/v1/partners/contoso`;
  return { repo, call: (method, path, body, headers = {}) => s.call(method, base + path, { body, headers }) };
}

const WRITES = ['insertMany', 'updateCustomer', 'addQuantity', 'setResponse', 'issue'] as const;

/**
 * Holds every store write of both servers until both have reached one: both
 * requests are then past any look-up made before the write, as when two
 * servers get the key within milliseconds (deterministic here, where one
 * process would otherwise run one request to its end before reading the
 * other's).
 */
function pairWrites(...repos: SqliteRepository[]): void {
  let waiting: (() => void)[] = [];
  const barrier = (): Promise<void> =>
    new Promise((resolve) => {
      waiting.push(resolve);
      if (waiting.length === 2) {
        for (const r of waiting) r();
        waiting = [];
      }
    });
  for (const repo of repos) {
    for (const name of WRITES) {
      const f = (repo[name] as (...a: unknown[]) => Promise<unknown>).bind(repo);
      (repo as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
        await barrier();
        return f(...args);
      };
    }
  }
}

/** Two seeded servers on one file whose writes are paired (pairWrites). */
async function twoServers(t: Test): Promise<{ s: Server; b: Second }> {
  const s = await startServer();
  t.teardown(() => s.close());
  await seed(s);
  const b = await secondServer(t, s);
  pairWrites(s.repo, b.repo);
  return { s, b };
}

const count = (s: Server, table: string): number => (s.repo.client.prepare(`select count(*) as n from ${table} where partner = 'contoso'`).get() as { n: number }).n;

/** Posts `body` to both servers at once with one key. */
async function both(s: Server, b: Second, method: string, path: string, body: unknown, key: string, body2 = body): Promise<[Answer, Answer]> {
  const h = { 'idempotency-key': key };
  return Promise.all([s.call(method, path, { body, headers: h }), b.call(method, path, body2, h)]);
}

/** Exactly one of the two answers is the first (created) and the other replays it, byte for byte. */
function agree(t: Test, [a, b]: [Answer, Answer], status: number): void {
  t.same([a.status, b.status], [status, status], `both ${status}: ${a.text.slice(0, 200)} | ${b.text.slice(0, 200)}`);
  t.equal(a.text, b.text, 'both answers are the same bytes');
  t.equal([a.headers.get('idempotent-replayed'), b.headers.get('idempotent-replayed')].filter((h) => h === 'true').length, 1, 'one wrote, the other replayed');
}

t.test('one key sent to two servers at once is written once', async (t) => {
  const { s, b } = await twoServers(t);

  // worklogs without ids: each write would store them under fresh ids
  const worklog = (i: number): Record<string, unknown> => ({ customer: 'northwind', offering: 'standard', start: `2026-10-${String(11 + (i % 15)).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00Z`, minutes: 30 });
  const batch = await both(s, b, 'POST', '/batch/worklogs', Array.from({ length: 300 }, (_, i) => worklog(i)), 'batch-once');
  agree(t, batch, 200);
  t.equal((batch[0].json as { created: number }).created, 300);
  t.equal(count(s, 'worklogs'), 300, '300 worklogs, not 600');

  // 20 single worklogs, each key sent once to each server at once
  for (let i = 0; i < 20; i++) agree(t, await both(s, b, 'POST', '/worklogs', worklog(i), `wl-${i}`), 201);
  t.equal(count(s, 'worklogs'), 320, 'one worklog per key');

  const spend = await both(s, b, 'POST', '/spend', { customer: 'northwind', period: '2026-10', service: 'azure', amount: '12.50' }, 'spend-once');
  agree(t, spend, 201);
  t.equal(count(s, 'spend'), 1, 'one spend record');

  const req = await both(s, b, 'POST', '/requests', { customer: 'northwind', service: 'azure', category: 'technical', severity: 'B', channel: 'portal', receivedAt: '2026-10-12T10:00:00Z' }, 'req-once');
  agree(t, req, 201);
  t.equal(count(s, 'requests'), 1, 'one request');

  const q = await both(s, b, 'POST', '/subscriptions/nw-standard/quantities', { metric: 'seats', value: 25, from: '2026-10-20' }, 'qty-once');
  agree(t, q, 201);
  t.equal(count(s, 'quantities'), 2, 'the seed quantity and one change');
});

t.test('one key with two different bodies on two servers: one 200, one 409, and the stored answer is the stored customer', async (t) => {
  const { s, b } = await twoServers(t);
  const [x, y] = await both(s, b, 'PUT', '/customers/northwind', { name: 'Northwind A', taxRate: '8%' }, 'put-once', { name: 'Northwind B', taxRate: '8%' });
  t.same([x.status, y.status].sort(), [200, 409], `${x.text} | ${y.text}`);
  const won = x.status === 200 ? x : y;
  const lost = x.status === 200 ? y : x;
  t.equal((lost.json as { code: string }).code, 'IDEMPOTENCY_KEY_REUSED');
  const stored = await s.call('GET', '/customers/northwind');
  t.equal(stored.text, won.text, 'the customer stored is the one the 200 answered');
  const wonName = (won.json as { name: string }).name;
  const replay = await s.call('PUT', '/customers/northwind', { body: { name: wonName, taxRate: '8%' }, headers: { 'idempotency-key': 'put-once' } });
  t.equal(replay.status, 200);
  t.equal(replay.headers.get('idempotent-replayed'), 'true');
  t.equal(replay.text, won.text, 'the replay is the stored customer');
});

t.test('finalize with one key on two servers: one statement, both answers the same document', async (t) => {
  const { s, b } = await twoServers(t);
  const pair = await both(s, b, 'POST', '/statements/northwind/2026-10/finalize', undefined, 'fin-once');
  agree(t, pair, 201);
  t.equal(count(s, 'statements'), 1);
});
