// One rule for instants and dates at every entry (issue 14 item 5): a worklog
// start, a response time and a request's receivedAt are refused alike when
// they name no real instant; subscription dates alike when no real date.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ingest, RecordError } from '../../src/app/ingest.js';
import { loadPlan } from '../../src/plans/load.js';
import { openSqlite } from '../../src/store/sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'tierbook-instants-'));
const repo = await openSqlite(join(dir, 'x.db'));
t.teardown(async () => {
  await repo.close();
  rmSync(dir, { recursive: true, force: true });
});
const plan = loadPlan(readFileSync('test/fixtures/plans/contoso.yaml', 'utf8'), 'contoso.yaml').plan!;
const ingest = new Ingest(repo, plan);
await repo.insertMany('contoso', 'customers', await ingest.records('customers', [{ id: 'northwind', name: 'Northwind' }]));
const offering = [...plan.offerings.keys()][0]!;
await repo.insertMany('contoso', 'subscriptions', await ingest.records('subscriptions', [{ id: 's1', customer: 'northwind', offering, start: '2026-01-01' }]));

/** The pointer of the refusal, or 'ok'. */
async function refusal(kind: 'worklogs' | 'requests' | 'subscriptions', body: Record<string, unknown>): Promise<string> {
  try {
    await ingest.records(kind, [body]);
    return 'ok';
  } catch (e) {
    if (!(e instanceof RecordError)) throw e;
    return [...new Set(e.errors.map((x) => x.pointer))].join(',');
  }
}

const request = { customer: 'northwind', offering, service: 'azure', category: 'technical', severity: 'B', channel: 'email' };

t.test('24:00 and 02-29 are not instants, wherever they are given', async (t) => {
  for (const bad of ['2026-11-24T24:00Z', '2026-02-29T10:00:00Z', '2026-11-24T09:15:00+0500']) {
    t.equal(await refusal('worklogs', { customer: 'northwind', offering, start: bad, minutes: 30 }), '/start', `worklog start ${bad}`);
    t.equal(await refusal('requests', { ...request, receivedAt: bad }), '/receivedAt', `receivedAt ${bad}`);
    t.equal(await refusal('requests', { ...request, receivedAt: '2026-11-24T09:15:00Z', respondedAt: bad }), '/respondedAt', `respondedAt ${bad}`);
  }
  t.equal(await refusal('worklogs', { customer: 'northwind', offering, start: '2026-11-24T09:15:00-05:00', minutes: 30 }), 'ok');
});

t.test('a subscription date must be a real date', async (t) => {
  t.equal(await refusal('subscriptions', { customer: 'northwind', offering, start: '2026-02-29' }), '/start');
  t.equal(await refusal('subscriptions', { customer: 'northwind', offering, start: '2024-02-29' }), 'ok');
});
