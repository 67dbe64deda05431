// Crash safety (issue 8, item 1): seeded usage (bench/data.ts) streamed in
// small batches with idempotency keys to `tierbook serve` on a file database;
// the server is SIGKILLed at seeded random moments (at least 20 times) and
// restarted, and every batch whose answer was not seen is sent again with the
// same key. At the end the store holds each record exactly once and each
// customer's draft and issued statements equal the quote of the same data.
//   TIERBOOK_CRASH_SEED=<n> npx tap test/reliability/crash.test.ts
import t from 'tap';
import { api, batches, errorLogs, PERIOD, priced, quoteOf, scenario, sentIds, serve, setUp, storedIds, type Answer, type Batch, type Served } from './helpers.js';

// Every kill costs a server start (plan validation, route compilation): a few
// seconds of CPU on a loaded machine, hence the generous limit.
t.setTimeout(1_800_000);

// The issue asks for at least 20; fewer only to debug the test itself. The
// last kill comes after the statements are issued.
const KILLS = Number(process.env.TIERBOOK_CRASH_KILLS ?? 20);
const CUSTOMERS = 3;
const RECORDS = 30; // usage records per customer
const MAX_BATCH = 6;
const MAX_KILL_DELAY_MS = 30; // after the batch is sent: before, during or after the server's transaction

t.test('SIGKILL at random points loses and duplicates nothing', async (t) => {
  const { seed, rnd, ws, data } = await scenario(t, 'crash', 'TIERBOOK_CRASH_SEED', 20261125, CUSTOMERS, RECORDS);
  const token = await setUp(ws.db, data);
  const plan = batches(data, MAX_BATCH, rnd, `crash-${seed}`);

  // The batches whose first sending is killed: KILLS - 1 of them, spread over
  // the run by the seed (the last kill comes after the statements are issued).
  const order = plan.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const killAt = new Set(order.slice(0, KILLS - 1));
  t.ok(killAt.size === KILLS - 1, `${plan.length} batches, enough for ${KILLS - 1} kills`);
  let server: Served = await serve(t, ws);
  const logs: string[] = [];
  let kills = 0;
  const restart = async (): Promise<void> => {
    await server.kill();
    kills++;
    logs.push(...errorLogs(server.output()));
    server = await serve(t, ws);
  };
  const send = (b: Batch): Promise<Answer> => api(server.origin, token, 'POST', `/batch/${b.kind}`, b.bodies, { 'idempotency-key': b.key });
  const stats = { attempts: 0, unanswered: 0, keyReplays: 0, idReplays: 0 };

  for (let i = 0; i < plan.length; i++) {
    const b = plan[i]!;
    for (let attempt = 0; ; attempt++) {
      stats.attempts++;
      const kill = attempt === 0 && killAt.has(i);
      const answer = send(b).then(
        (a) => a,
        (err: Error) => err,
      );
      if (kill) {
        await new Promise((r) => setTimeout(r, Math.floor(rnd() * MAX_KILL_DELAY_MS)));
        await restart();
      }
      const a = await answer;
      if (a instanceof Error) {
        t.ok(kill, `${b.key}: unanswered only when killed`, { error: a.message });
        if (!kill) return;
        stats.unanswered++;
        continue; // not seen: send again with the same key
      }
      t.equal(a.status, 200, b.key, { body: a.text });
      if (a.status !== 200) return;
      t.same(a.json.ids, b.bodies.map((x) => x.id), `${b.key}: the answer names the batch's records`);
      if (a.headers.get('idempotent-replayed') === 'true') stats.keyReplays++;
      else if (a.json.replayed > 0) stats.idReplays++; // written before a kill whose answer was lost
      break;
    }
  }

  // Issue every statement, then one more kill: issued statements survive it.
  const issued = new Map<string, string>();
  for (const d of data) {
    const c = d.customer.record.id;
    const a = await api(server.origin, token, 'POST', `/statements/${c}/${PERIOD}/finalize`, undefined, { 'idempotency-key': `crash-${seed}-finalize-${c}` });
    t.equal(a.status, 201, `${c}: issued`, { body: a.text });
    issued.set(c, a.text);
  }
  await restart();

  const stored = storedIds(ws.db);
  const sent = sentIds(plan);
  for (const kind of ['requests', 'worklogs', 'spend'] as const) {
    t.same(stored[kind], sent[kind], `${kind}: every record stored exactly once (${sent[kind].length})`);
  }
  for (const d of data) {
    const c = d.customer.record.id;
    const quote = await api(server.origin, token, 'POST', '/quotes', quoteOf(d));
    t.equal(quote.status, 200, `${c}: quoted`, { body: quote.text });
    const draft = await api(server.origin, token, 'GET', `/statements/${c}/${PERIOD}`);
    t.equal(draft.status, 200, `${c}: draft`, { body: draft.text });
    t.same(priced(draft.json), priced(quote.json), `${c}: draft statement = quote (total ${quote.json.total})`);
    const after = await api(server.origin, token, 'GET', `/statements/${c}/${PERIOD}/issued`);
    t.equal(after.text, issued.get(c), `${c}: issued statement unchanged by the kill`);
    t.same(priced(after.json), priced(quote.json), `${c}: issued statement = quote`);
  }
  logs.push(...errorLogs(server.output()));
  t.same(logs, [], 'no error logged by any server');
  t.equal(kills, KILLS, `${kills} kills`);
  const records = Object.values(sent).reduce((n, ids) => n + ids.length, 0);
  t.comment(`kills ${kills}, batches ${plan.length}, records ${records}, sends ${stats.attempts} (${stats.unanswered} unanswered), replayed by key ${stats.keyReplays}, by record id ${stats.idReplays}`);
  await server.kill();
});
