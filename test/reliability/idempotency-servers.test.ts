// Issue 21 item 1: an Idempotency-Key is honoured across two servers on one
// database. Two apps, each with its own connection to one store (what two
// `serve` processes are: no shared memory, no shared in-flight set), get the
// same key at once. The key used to be looked up before the write's
// transaction, so both wrote (6,000 spend rows for a 3,000-record batch sent
// twice; both PUTs of two bodies answered 200). It is now claimed inside the
// transaction: stored once, and the two answers agree. (The same with three
// `serve` processes, on SQLite and PostgreSQL: multi-server.test.ts.)
import t, { type Test } from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/api/app.js';
import { openStore } from '../../src/store/open.js';
import type { Repository } from '../../src/store/repository.js';
import { contoso } from '../render/fixtures.js';
import { createTestDatabase } from '../helpers/pg.js';
import { api, type Answer } from './helpers.js';

type Backend = 'sqlite' | 'postgres';

/** One server: an app on its own connection (pool) to the shared store, listening on a free port. */
interface Node {
  readonly repo: Repository;
  readonly origin: string;
}

async function node(t: Test, store: string): Promise<Node> {
  const repo = await openStore(store);
  const app = await buildApp({ authLimit: false, repo, plans: new Map([['contoso', contoso()]]) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(async () => {
    await app.close();
    await repo.close();
  });
  const addr = app.server.address();
  return { repo, origin: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` };
}

const WRITES = ['insertMany', 'updateCustomer', 'addQuantity', 'setResponse', 'issue'] as const;

/**
 * Holds every store write of both servers until both have reached one: both
 * requests are then past any look-up made before the write, as when two
 * servers get the key within milliseconds (deterministic here, where one
 * process would otherwise run one request to its end before reading the
 * other's).
 */
function pairWrites(...repos: Repository[]): void {
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

interface Two {
  readonly a: Node;
  readonly b: Node;
  call(on: Node, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
}

/** Two servers on one new store, seeded with northwind (Standard, 20 seats); then their writes are paired. */
async function twoServers(t: Test, backend: Backend): Promise<Two> {
  let store: string;
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'tierbook-idem-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    store = join(dir, 'test.db');
  } else {
    const db = await createTestDatabase('tierbook_idem');
    t.teardown(() => db.drop());
    store = db.url;
  }
  const a = await node(t, store);
  const b = await node(t, store);
  const token = await a.repo.createToken('contoso', 'admin');
  const call = (on: Node, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => api(on.origin, token, method, path, body, headers);
  for (const [path, body] of [
    ['/customers', { id: 'northwind', name: 'Northwind Traders', taxRate: '8%' }],
    ['/subscriptions', { id: 'nw-standard', customer: 'northwind', offering: 'standard', start: '2026-10-10', quantities: [{ metric: 'seats', value: 20, from: '2026-10-10' }] }],
  ] as const) {
    const r = await call(a, 'POST', path, body);
    if (r.status !== 201) throw new Error(`seed ${path}: ${r.status} ${r.text}`);
  }
  pairWrites(a.repo, b.repo);
  return { a, b, call };
}

/** Northwind's October as the store holds it (read past both servers). */
const october = async (x: Two) => (await x.a.repo.periodData('contoso', 'northwind', '2026-10', Date.parse('2026-09-01T00:00:00Z'), Date.parse('2026-12-01T00:00:00Z')))!;

/** Posts `body` to both servers at once with one key (`body2` to the second). */
function both(x: Two, method: string, path: string, body: unknown, key: string, body2 = body): Promise<[Answer, Answer]> {
  const h = { 'idempotency-key': key };
  return Promise.all([x.call(x.a, method, path, body, h), x.call(x.b, method, path, body2, h)]);
}

/** Exactly one of the two answers is the first (created) and the other replays it, byte for byte. */
function agree(t: Test, [a, b]: [Answer, Answer], status: number): void {
  t.same([a.status, b.status], [status, status], `both ${status}: ${a.text.slice(0, 200)} | ${b.text.slice(0, 200)}`);
  t.equal(a.text, b.text, 'both answers are the same bytes');
  t.equal([a.headers.get('idempotent-replayed'), b.headers.get('idempotent-replayed')].filter((h) => h === 'true').length, 1, 'one wrote, the other replayed');
}

for (const backend of ['sqlite', 'postgres'] as const) {
  t.test(`${backend}: one key sent to two servers at once is written once`, async (t) => {
    const x = await twoServers(t, backend);

    // worklogs without ids: each write would store them under fresh ids
    const worklog = (i: number): Record<string, unknown> => ({ customer: 'northwind', offering: 'standard', start: `2026-10-${String(11 + (i % 15)).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00Z`, minutes: 30 });
    const batch = await both(x, 'POST', '/batch/worklogs', Array.from({ length: 300 }, (_, i) => worklog(i)), 'batch-once');
    agree(t, batch, 200);
    t.equal((batch[0].json as { created: number }).created, 300);
    t.equal((await october(x)).worklogs.length, 300, '300 worklogs, not 600');

    // 20 single worklogs, each key sent once to each server at once
    for (let i = 0; i < 20; i++) agree(t, await both(x, 'POST', '/worklogs', worklog(i), `wl-${i}`), 201);
    t.equal((await october(x)).worklogs.length, 320, 'one worklog per key');

    const spend = await both(x, 'POST', '/spend', { customer: 'northwind', period: '2026-10', service: 'azure', amount: '12.50' }, 'spend-once');
    agree(t, spend, 201);
    t.equal((await october(x)).spend.length, 1, 'one spend record');

    const req = await both(x, 'POST', '/requests', { customer: 'northwind', service: 'azure', category: 'technical', severity: 'B', channel: 'portal', receivedAt: '2026-10-12T10:00:00Z' }, 'req-once');
    agree(t, req, 201);
    t.equal((await october(x)).requests.length, 1, 'one request');

    const q = await both(x, 'POST', '/subscriptions/nw-standard/quantities', { metric: 'seats', value: 25, from: '2026-10-20' }, 'qty-once');
    agree(t, q, 201);
    t.equal((await x.a.repo.getSubscription('contoso', 'nw-standard'))!.quantities.length, 2, 'the seed quantity and one change');
  });

  t.test(`${backend}: one key with two different bodies on two servers: one 200, one 409, and the stored answer is the stored customer`, async (t) => {
    const x = await twoServers(t, backend);
    const [p, q] = await both(x, 'PUT', '/customers/northwind', { name: 'Northwind A', taxRate: '8%' }, 'put-once', { name: 'Northwind B', taxRate: '8%' });
    t.same([p.status, q.status].sort(), [200, 409], `${p.text} | ${q.text}`);
    const won = p.status === 200 ? p : q;
    const lost = p.status === 200 ? q : p;
    t.equal((lost.json as { code: string }).code, 'IDEMPOTENCY_KEY_REUSED');
    const stored = await x.call(x.a, 'GET', '/customers/northwind');
    t.equal(stored.text, won.text, 'the customer stored is the one the 200 answered');
    const wonName = (won.json as { name: string }).name;
    const replay = await x.call(x.a, 'PUT', '/customers/northwind', { name: wonName, taxRate: '8%' }, { 'idempotency-key': 'put-once' });
    t.equal(replay.status, 200);
    t.equal(replay.headers.get('idempotent-replayed'), 'true');
    t.equal(replay.text, won.text, 'the replay is the stored customer');
  });

  t.test(`${backend}: finalize with one key on two servers: one statement, both answers the same document`, async (t) => {
    const x = await twoServers(t, backend);
    // force: these customers hold percent-of-spend without stored spend (SPEND_MISSING); the race is what is tested
    const pair = await both(x, 'POST', '/statements/northwind/2026-10/finalize?force=true', undefined, 'fin-once');
    agree(t, pair, 201);
    t.equal((await x.a.repo.listIssued('contoso')).length, 1);
  });
}
