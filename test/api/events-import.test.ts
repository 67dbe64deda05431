// `tierbook import events` (CSV and NDJSON, all or nothing, every bad line
// reported with its code), and a statement from the store counting an
// October request's clock in November: billingInput reads the events and the
// earlier requests whose clocks belong to the period (SPEC §11.2, §11.4).
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/main/index.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { loadPlan } from '../../src/plans/load.js';
import { billingInput } from '../../src/app/statements.js';
import { priceStatement } from '../../src/billing/statement.js';

const PLANS = fileURLToPath(new URL('../fixtures/plans/', import.meta.url));
const plan = loadPlan(readFileSync(join(PLANS, 'contoso.yaml'), 'utf8'), 'contoso.yaml').plan!;
const dir = mkdtempSync(join(tmpdir(), 'tierbook-events-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'x.db');

async function run(...args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const e = process.stderr.write;
  process.stderr.write = ((s: string | Uint8Array) => ((err += String(s)), true)) as typeof process.stderr.write;
  const before = process.exitCode;
  try {
    return { code: await main(args), err };
  } finally {
    process.stderr.write = e;
    process.exitCode = before;
  }
}
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const imp = (kind: string, path: string) => run('import', kind, path, '--partner', 'contoso', '--db', db, '--plans', PLANS);

t.before(async () => {
  for (const [kind, name, text] of [
    ['customers', 'c.csv', 'id,name\nnorthwind,Northwind Traders\n'],
    ['subscriptions', 's.csv', 'id,customer,offering,start\nnw-std,northwind,standard,2026-10-01\n'],
    // C, 8h of office time from Friday 30 October 16:00: due Monday 2 November 10:00
    ['requests', 'r.csv', 'id,customer,service,category,severity,channel,receivedAt\nr1,northwind,azure,technical,C,email,2026-10-30T16:00:00-04:00\nr2,northwind,azure,technical,C,email,2026-10-30T16:00:00-04:00\n'],
  ] as const) {
    const r = await imp(kind, file(name, text));
    if (r.code !== 0) throw new Error(`${kind}: ${r.err}`);
  }
});

t.test('CSV and NDJSON events, replayed on a second import; a bad line imports nothing', async (t) => {
  const csv = file('e.csv', 'request,id,at,type,status\nr1,e1,2026-10-30T17:00:00-04:00,status,waiting-customer\nr1,e2,2026-11-02T09:00:00-05:00,status,open\n');
  const first = await imp('events', csv);
  t.equal(first.code, 0, first.err);
  t.match(first.err, /^imported 2 events for contoso \(2 new, 0 already present\)\n/);
  t.match((await imp('events', csv)).err, /^imported 2 events for contoso \(0 new, 2 already present\)\n/);

  const nd = file('e.ndjson', '{"request":"r2","at":"2026-11-02T09:00:00-05:00","type":"responded"}\n');
  t.equal((await imp('events', nd)).code, 0);

  const bad = file('bad.ndjson', [
    '{"request":"r1","at":"2026-10-30T15:00:00-04:00","type":"responded"}',
    '{"request":"r1","at":"2026-10-30T17:00:00-04:00","type":"status","status":"closed"}',
    '{"request":"r1","at":"2026-10-30T17:00:00-04:00","type":"severity","severity":"Z"}',
    '{"request":"ghost","at":"2026-10-30T17:00:00-04:00","type":"responded"}',
    '{"request":"r1","at":"2026-10-30T17:30:00-04:00","type":"responded"}',
  ].join('\n') + '\n');
  const r = await imp('events', bad);
  t.equal(r.code, 1);
  t.equal(
    r.err,
    [
      `${bad}:1: EVENT_BEFORE_RECEIPT: /at: at 2026-10-30T15:00:00-04:00 is before the request's receivedAt 2026-10-30T16:00:00-04:00`,
      `${bad}:2: EVENT_STATUS_INVALID: /status: "closed" is not a status (open, waiting-customer, waiting-microsoft, waiting-provider, resolved)`,
      `${bad}:3: EVENT_SEVERITY_UNKNOWN: /severity: "Z" is not a severity of offering "standard" (A, B, C)`,
      `${bad}:4: MISSING_REFERENCE: /request: unknown request "ghost"`,
      'tierbook import: nothing imported (4 errors)',
      '',
    ].join('\n'),
  );
  const repo = await openSqlite(db);
  try {
    t.same((await repo.listEvents('contoso', 'r1')).map((e) => [e.id, e.type, e.status]), [['e1', 'status', 'waiting-customer'], ['e2', 'status', 'open']]);
    t.equal((await repo.getRequest('contoso', 'r2'))!.respondedAt, '2026-11-02T09:00:00-05:00', 'a responded event is the response');
    t.equal((await repo.getRequest('contoso', 'r1'))!.respondedAt, null, 'nothing of the bad file');
  } finally {
    await repo.close();
  }
});

t.test("from the store: October's requests are counted in November, where their clocks fall due", async (t) => {
  const repo = await openSqlite(db);
  t.teardown(() => repo.close());
  const oct = priceStatement((await billingInput(repo, plan, 'northwind', '2026-10'))!);
  const nov = priceStatement((await billingInput(repo, plan, 'northwind', '2026-11'))!);
  // r1: Standard has no pauseOn here, so waiting does not pause: due Monday 10:00, never answered: breached in November.
  // r2: answered Monday 09:00, before 10:00: met in November.
  t.same(oct.serviceLevels, { requests: 2, met: 0, breached: 0, response: { met: 0, breached: 0, open: 2 }, resolution: { met: 0, breached: 0, open: 0 } });
  t.same(nov.serviceLevels, { requests: 0, met: 1, breached: 1, response: { met: 1, breached: 1, open: 0 }, resolution: { met: 0, breached: 0, open: 0 } });
  t.same(nov.requests!.map((r) => [r.id, r.status, r.response!.dueAt, r.earlier]), [
    ['r1', 'breached', '2026-11-02T10:00:00-05:00', true],
    ['r2', 'met', '2026-11-02T10:00:00-05:00', true],
  ]);
  t.match(nov.lines.find((l) => l.component === 'service-credit'), { quantity: '1', unit: 'breaches' });
  // a month with no clock of October's requests reads none of them
  t.same((await billingInput(repo, plan, 'northwind', '2026-12'))!.requests, []);
});
