import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../src/store/sqlite.js';
import { ConflictError, MissingReferenceError } from '../../src/store/repository.js';
import type { Decision } from '../../src/rules/types.js';

const dir = mkdtempSync(join(tmpdir(), 'tierbook-store-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const decision: Decision = {
  accepted: true, reasons: [], offering: 'standard', handledBy: 'partner', escalation: null, withinHours: true,
  responseTarget: '4h', responseDueAt: '2026-10-05T14:00:00-04:00', billable: true, rules: [], notes: [],
};

t.test('migrates, stores and reads back partner-scoped records', async (t) => {
  const repo = await openSqlite(join(dir, 'a', 'x.db'));
  t.teardown(() => repo.close());
  t.ok(await repo.isEmpty());
  const mode = repo.client.pragma('journal_mode', { simple: true });
  t.equal(mode, 'wal');
  t.equal(repo.client.pragma('foreign_keys', { simple: true }), 1);

  const [c] = await repo.insertMany('contoso', 'customers', [{ record: { id: 'northwind', name: 'Northwind', locale: null, taxRate: '8%', email: null }, bodyHash: 'h1' }]);
  t.equal(c!.created, true);
  t.same(await repo.getCustomer('contoso', 'northwind'), { id: 'northwind', name: 'Northwind', locale: null, taxRate: '8%', email: null, tenantId: null, taxId: null });
  t.equal(await repo.getCustomer('fabrikam', 'northwind'), null, 'other partner sees nothing');

  const again = await repo.insertMany('contoso', 'customers', [{ record: { id: 'northwind', name: 'Northwind', locale: null, taxRate: '8%', email: null }, bodyHash: 'h1' }]);
  t.equal(again[0]!.created, false, 'same id and body replays');
  await t.rejects(repo.insertMany('contoso', 'customers', [{ record: { id: 'northwind', name: 'Other', locale: null, taxRate: null, email: null }, bodyHash: 'h2' }]), ConflictError);

  await repo.insertMany('contoso', 'subscriptions', [{ record: { id: 's1', customer: 'northwind', offering: 'standard', start: '2026-10-01', end: null, discount: null, quantities: [{ metric: 'seats', value: 10, from: '2026-10-01' }] }, bodyHash: 's' }]);
  const s = await repo.addQuantity('contoso', 's1', { metric: 'seats', value: 12, from: '2026-10-15' });
  t.same(s!.quantities.map((q) => q.value), [10, 12]);
  t.equal(await repo.addQuantity('contoso', 'nope', { metric: 'seats', value: 1, from: '2026-10-01' }), null);

  // batch atomicity: second record references an unknown customer
  const err = await repo.insertMany('contoso', 'requests', [
      { record: { id: 'r1', customer: 'northwind', offering: null, service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-05T10:00:00-04:00', serviceIncident: null, respondedAt: null, decision }, bodyHash: 'r1' },
      { record: { id: 'r2', customer: 'ghost', offering: null, service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-05T10:00:00-04:00', serviceIncident: null, respondedAt: null, decision }, bodyHash: 'r2' },
    ]).catch((e: unknown) => e);
  t.ok(err instanceof MissingReferenceError && err.index === 1, 'bad record named by index');
  t.equal(await repo.getRequest('contoso', 'r1'), null, 'nothing half-written');

  await repo.insertMany('contoso', 'requests', [
    { record: { id: 'r1', customer: 'northwind', offering: null, service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-05T10:00:00-04:00', serviceIncident: null, respondedAt: null, decision }, bodyHash: 'r1' },
  ]);
  t.same((await repo.getRequest('contoso', 'r1'))!.decision, decision);
  await repo.setResponse('contoso', 'r1', '2026-10-05T11:00:00-04:00');
  await repo.insertMany('contoso', 'worklogs', [{ record: { id: 'w1', customer: 'northwind', request: 'r1', offering: 'standard', start: '2026-10-05T11:00:00-04:00', minutes: 50 }, bodyHash: 'w' }]);
  await repo.insertMany('contoso', 'spend', [{ record: { id: 'sp1', customer: 'northwind', period: '2026-10', service: 'azure', amount: '1234.56' }, bodyHash: 'sp' }]);

  const data = await repo.periodData('contoso', 'northwind', '2026-10', Date.parse('2026-10-01T04:00:00Z'), Date.parse('2026-11-01T04:00:00Z'));
  t.equal(data!.requests.length, 1);
  t.equal(data!.requests[0]!.respondedAt, '2026-10-05T11:00:00-04:00');
  t.equal(data!.worklogs.length, 1);
  t.equal(data!.spend[0]!.amount, '1234.56');

  const first = await repo.issue('contoso', 'northwind', '2026-10', (n) => ({ body: `{"number":"${n}"}`, planHash: 'sha256:x', inputsDigest: 'd' }));
  t.equal(first.created, true);
  t.equal(first.record.number, 'CONTOSO-202610-0001');
  const second = await repo.issue('contoso', 'northwind', '2026-10', () => { throw new Error('not called'); });
  t.equal(second.created, false);
  t.equal(second.record.body, first.record.body);
});

t.test('tokens are stored hashed and found by value', async (t) => {
  const repo = await openSqlite(join(dir, 'tokens.db'));
  t.teardown(() => repo.close());
  const tok = await repo.createToken('contoso', 'viewer');
  t.match(tok, /^tb_/);
  const rows = repo.client.prepare('select token_hash from api_tokens').all() as { token_hash: string }[];
  t.notOk(rows.some((r) => r.token_hash.includes(tok)), 'clear token not stored');
  t.same(await repo.findToken(tok), { id: (await repo.findToken(tok))!.id, partner: 'contoso', role: 'viewer' });
  t.equal(await repo.findToken(tok + 'x'), null);
});

t.test('idempotency records: first writer wins', async (t) => {
  const repo = await openSqlite(join(dir, 'idem.db'));
  t.teardown(() => repo.close());
  const rec = { key: 'k', route: 'POST /x', bodyHash: 'b', status: 201, contentType: 'application/json', response: '{}' };
  t.same(await repo.putIdempotent('contoso', rec), rec);
  t.same(await repo.putIdempotent('contoso', { ...rec, response: '{"other":1}' }), rec);
  t.same(await repo.getIdempotent('contoso', 'k'), rec);
  t.equal(await repo.getIdempotent('fabrikam', 'k'), null);
});

t.test('migrations moved into drizzle/sqlite/ keep their timestamps and hashes: stores migrated before are not migrated again', async (t) => {
  const { readMigrationFiles } = await import('drizzle-orm/migrator');
  const { MIGRATIONS_DIR } = await import('../../src/store/sqlite.js');
  const [init, indexes] = readMigrationFiles({ migrationsFolder: MIGRATIONS_DIR });
  // what __drizzle_migrations of a store migrated from drizzle/ holds (drizzle applies a migration only if its timestamp is newer)
  t.same([init!.folderMillis, init!.hash], [1795619137982, 'ac4eace0b19387a088f9e1fef83a8a37ffee17db75545aa6d5c039d0d09e17d1']);
  t.same([indexes!.folderMillis, indexes!.hash], [1795633024447, 'aa18ad90bc486e6c27443de2b9cb85f703b3f4661b4d859f03cd7728c1d0fe9f']);
});

