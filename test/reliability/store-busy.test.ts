// Issue 21 item 3: another process holding the SQLite write lock. SQLite's own
// busy wait sleeps inside the call, so a write waiting for the lock froze the
// whole server (GET /health took 6.7 s) and then answered 500 "database is
// locked". Now the wait is asynchronous: reads and /health keep answering
// while a write waits, a write that gets the lock in time succeeds, and one
// that does not answers 503 STORE_BUSY with Retry-After, having written nothing.
import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { seed, startServer, type Answer, type Server } from '../api/helpers.js';
import { ROOT, type Tap } from './helpers.js';

// A write waits this long for the lock (read by openSqlite when the server starts).
process.env.TIERBOOK_BUSY_TIMEOUT_MS = '3000';

interface Holder {
  /** Commits the holder's transaction (the lock is free once this resolves). */
  release(): Promise<void>;
}

/** Another process that takes the write lock (BEGIN IMMEDIATE) on `file` and keeps it until released. */
async function holdLock(t: Tap, file: string): Promise<Holder> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.exec('BEGIN IMMEDIATE');
    db.prepare("insert into api_tokens (id, partner, role, token_hash, created_at) values ('held', 'contoso', 'viewer', 'held', '2026-01-01T00:00:00Z')").run();
    process.stdout.write('locked\\n');
    process.stdin.once('data', () => { db.exec('COMMIT'); db.close(); process.stdout.write('released\\n'); process.exit(0); });`;
  const child: ChildProcess = spawn(process.execPath, ['-e', script, file], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  let out = '';
  const saw = (word: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (out.includes(word)) resolve();
      };
      child.stdout!.on('data', (b: Buffer) => {
        out += b.toString('utf8');
        check();
      });
      child.once('exit', (code) => (out.includes(word) ? resolve() : reject(new Error(`lock holder exited ${code}: ${out}`))));
      check();
    });
  await saw('locked');
  return {
    release: async () => {
      child.stdin!.write('go\n');
      await saw('released');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

/** A seeded server whose database another process holds locked. */
async function lockedServer(t: Tap): Promise<{ s: Server; holder: Holder }> {
  const s = await startServer();
  t.teardown(() => s.close());
  await seed(s);
  return { s, holder: await holdLock(t, s.repo.client.name) };
}

const spendRows = (s: Server): number => (s.repo.client.prepare(`select count(*) as n from spend where partner = 'contoso'`).get() as { n: number }).n;

/** Starts `p` and records the order in which the calls of one test are answered. */
function tracked(order: string[], name: string, p: Promise<Answer>): Promise<Answer> {
  return p.then((a) => {
    order.push(name);
    return a;
  });
}

t.test('a write that cannot get the lock answers 503 STORE_BUSY; reads and /health answer meanwhile', async (t) => {
  const { s, holder } = await lockedServer(t);
  const order: string[] = [];
  const write = tracked(order, 'write', s.call('POST', '/spend', { body: { id: 'sp-1', customer: 'northwind', period: '2026-10', service: 'azure', amount: '10.00' } }));
  const health = await tracked(order, 'health', s.call('GET', '/health'));
  const read = await tracked(order, 'read', s.call('GET', '/customers/northwind'));
  t.equal(health.status, 200);
  t.equal(read.status, 200);
  t.equal((read.json as { name: string }).name, 'Northwind Traders');
  const busy = await write;
  t.same(order, ['health', 'read', 'write'], 'health and the read answered while the write waited');
  t.equal(busy.status, 503, busy.text);
  t.equal(busy.headers.get('retry-after'), '1');
  t.match(busy.type, /^application\/problem\+json/);
  t.equal((busy.json as { code: string }).code, 'STORE_BUSY');
  t.match((busy.json as { detail: string }).detail, /^the store is busy \(another process holds its write lock; waited \d+ ms\); retry later$/);
  await holder.release();
  t.equal(spendRows(s), 0, 'nothing written');
  const retry = await s.call('POST', '/spend', { body: { id: 'sp-1', customer: 'northwind', period: '2026-10', service: 'azure', amount: '10.00' } });
  t.equal(retry.status, 201, 'the retry is written once the lock is free');
  t.equal(spendRows(s), 1);
});

t.test('a write that gets the lock before its deadline succeeds', async (t) => {
  const { s, holder } = await lockedServer(t);
  const order: string[] = [];
  const write = tracked(order, 'write', s.call('POST', '/batch/spend', { body: [{ id: 'sp-2', customer: 'northwind', period: '2026-10', service: 'azure', amount: '5.00' }], headers: { 'idempotency-key': 'k-busy' } }));
  t.equal((await tracked(order, 'health', s.call('GET', '/health'))).status, 200);
  await holder.release();
  const done = await write;
  t.same(order, ['health', 'write']);
  t.equal(done.status, 200, done.text);
  t.equal((done.json as { created: number }).created, 1);
  t.equal(spendRows(s), 1);
  const tokens = (s.repo.client.prepare(`select count(*) as n from api_tokens where id = 'held'`).get() as { n: number }).n;
  t.equal(tokens, 1, "the other process's transaction committed too");
});
