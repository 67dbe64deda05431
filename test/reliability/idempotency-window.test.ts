// Found by the crash test: a batch's records commit in one transaction and
// the Idempotency-Key's answer is stored afterwards, in another
// (src/api/idempotency.ts, onSend hook). A crash between the two loses the
// key but keeps the records. With record ids the retry is still harmless (the
// ids replay); without ids the retry writes the records again under fresh
// ids. The crash is simulated here, deterministically, by a store whose
// putIdempotent fails once. Marked todo until both writes share one transaction.
import t from 'tap';
import { seed, startServer } from '../api/helpers.js';

t.test('a key whose answer was lost after the commit does not write id-less records twice', { todo: 'bug: idempotency record stored after the records commit' }, async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  await seed(s);
  const put = s.repo.putIdempotent.bind(s.repo);
  let crash = true;
  s.repo.putIdempotent = async (partner, rec) => {
    if (crash) {
      crash = false;
      throw new Error('simulated crash between the records commit and the key store');
    }
    return put(partner, rec);
  };
  const body = [{ customer: 'northwind', period: '2026-10', service: 'azure', amount: '10.00' }];
  const first = await s.call('POST', '/batch/spend', { body, headers: { 'idempotency-key': 'once' } });
  t.not(first.status, 200, 'the first answer is lost');
  const retry = await s.call('POST', '/batch/spend', { body, headers: { 'idempotency-key': 'once' } });
  t.equal(retry.status, 200, 'the retry is answered', { body: retry.text });
  const { n } = s.repo.client.prepare(`select count(*) as n from spend where partner = 'contoso'`).get() as { n: number };
  t.equal(n, 1, 'one spend record');
});
