// Found by the crash test: a batch's records used to commit in one transaction
// and the Idempotency-Key's answer was stored afterwards, in another. A crash
// between the two lost the key but kept the records, and a retry of records
// without ids wrote them again under fresh ids. The key's answer is now
// stored in the records' transaction. The crash is simulated here,
// deterministically, by a store whose insertMany commits and then fails once
// (the server "dies" before it can answer).
import t from 'tap';
import { seed, startServer } from '../api/helpers.js';

t.test('a key whose answer was lost after the commit does not write id-less records twice', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  await seed(s);
  const insert = s.repo.insertMany.bind(s.repo);
  let crash = true;
  s.repo.insertMany = (async (...args: Parameters<typeof insert>) => {
    const results = await insert(...args);
    if (crash) {
      crash = false;
      throw new Error('simulated crash after the records commit, before the answer');
    }
    return results;
  }) as typeof s.repo.insertMany;
  const body = [{ customer: 'northwind', period: '2026-10', service: 'azure', amount: '10.00' }];
  const first = await s.call('POST', '/batch/spend', { body, headers: { 'idempotency-key': 'once' } });
  t.not(first.status, 200, 'the first answer is lost');
  const retry = await s.call('POST', '/batch/spend', { body, headers: { 'idempotency-key': 'once' } });
  t.equal(retry.status, 200, 'the retry is answered', { body: retry.text });
  t.equal(retry.headers.get('idempotent-replayed'), 'true', 'from the answer stored with the records');
  const answer = JSON.parse(retry.text) as { created: number; ids: string[] };
  t.equal(answer.created, 1, 'the stored answer says the first call created the record');
  const { n } = s.repo.client.prepare(`select count(*) as n from spend where partner = 'contoso'`).get() as { n: number };
  t.equal(n, 1, 'one spend record');
  const ids = s.repo.client.prepare(`select id from spend where partner = 'contoso'`).all() as { id: string }[];
  t.same(ids.map((r) => r.id), answer.ids, 'the replayed answer names the stored record');
});

t.test('a failed write stores no key: the retry writes', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  await seed(s);
  const bad = [{ customer: 'nobody', period: '2026-10', service: 'azure', amount: '10.00' }];
  const first = await s.call('POST', '/batch/spend', { body: bad, headers: { 'idempotency-key': 'k' } });
  t.equal(first.status, 400, first.text);
  const { n } = s.repo.client.prepare(`select count(*) as n from idempotency where partner = 'contoso'`).get() as { n: number };
  t.equal(n, 0, 'no key stored with a rolled-back batch');
});
