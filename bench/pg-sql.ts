// Raw node-postgres writes of store rows as multi-row INSERTs (the store's own
// column lists, src/store/queries.ts INSERT_SQL, nothing else): the anchor of
// ingest-pg, and the fast way to fill a large database for billing-pg. Also a
// throw-away database per run on the test server (TIERBOOK_TEST_PG or the
// local one), like the tests'.
import pg from 'pg';
import type { CustomerRecord, Hashed, RequestRecord, SpendRecord, SubscriptionRecord, WorklogRecord } from '../src/store/repository.js';
import { INSERT_SQL } from '../src/store/queries.js';
import type { CustomerData } from './data.js';

const CREATED = '2026-11-01T00:00:00.000Z';

type Table = keyof typeof INSERT_SQL;

/** "insert into t (a, b, …)" and the column count, from the store's single-row statement. */
function head(table: Table): { into: string; cols: number } {
  const sql = INSERT_SQL[table];
  const into = sql.slice(0, sql.indexOf(' values'));
  return { into, cols: into.slice(into.indexOf('(') + 1, into.lastIndexOf(')')).split(',').length };
}

/** Row values in INSERT_SQL's column order. */
export const pgRow = {
  customer: (partner: string, { record: c, bodyHash }: Hashed<CustomerRecord>): unknown[] => [partner, c.id, c.name, c.locale, c.taxRate, c.email, c.tenantId ?? null, c.taxId ?? null, bodyHash, CREATED, CREATED],
  subscription: (partner: string, { record: s, bodyHash }: Hashed<SubscriptionRecord>): unknown[] => [partner, s.id, s.customer, s.offering, s.start, s.end, s.discount, s.prices ? JSON.stringify(s.prices) : null, s.priceAsOf ?? null, bodyHash, CREATED],
  quantity: (partner: string, s: SubscriptionRecord, q: SubscriptionRecord['quantities'][number]): unknown[] => [partner, s.id, q.metric, q.value, q.from, CREATED],
  request: (partner: string, { record: r, bodyHash }: Hashed<RequestRecord>): unknown[] => [
    partner, r.id, r.customer, r.offering, r.service, r.category, r.severity, r.channel, r.receivedAt, Date.parse(r.receivedAt),
    r.serviceIncident, r.respondedAt, JSON.stringify(r.decision), bodyHash, CREATED,
  ],
  worklog: (partner: string, { record: x, bodyHash }: Hashed<WorklogRecord>): unknown[] => [partner, x.id, x.customer, x.request, x.offering, x.start, Date.parse(x.start), x.minutes, x.component ?? null, x.billable === false ? false : null, bodyHash, CREATED],
  spend: (partner: string, { record: s, bodyHash }: Hashed<SpendRecord>): unknown[] => [partner, s.id, s.customer, s.period, s.service, s.amount, s.retail ?? null, s.source ?? null, s.invoice ?? null, bodyHash, CREATED],
};

/** Inserts `rows` into `table` with multi-row INSERTs of up to 1,000 rows (and 65,535 parameters) each. */
export async function insertRowsPg(c: pg.ClientBase, table: Table, rows: readonly unknown[][]): Promise<void> {
  const { into, cols } = head(table);
  const per = Math.min(1000, Math.floor(65_535 / cols));
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const values = chunk.map((_, r) => `(${Array.from({ length: cols }, (_, k) => `$${r * cols + k + 1}`).join(', ')})`).join(', ');
    await c.query(`${into} values ${values}`, chunk.flat());
  }
}

/** Every row of `data` (customers first), in one call per table. */
export async function insertAllPg(c: pg.ClientBase, partner: string, data: readonly CustomerData[], kinds: ReadonlySet<'setup' | 'usage'> = new Set(['setup', 'usage'])): Promise<number> {
  let n = 0;
  if (kinds.has('setup')) {
    await insertRowsPg(c, 'customer', data.map((d) => pgRow.customer(partner, d.customer)));
    const subs = data.flatMap((d) => d.subscriptions);
    await insertRowsPg(c, 'subscription', subs.map((s) => pgRow.subscription(partner, s)));
    await insertRowsPg(c, 'quantity', subs.flatMap(({ record: s }) => s.quantities.map((q) => pgRow.quantity(partner, s, q))));
  }
  if (kinds.has('usage')) {
    const requests = data.flatMap((d) => d.requests.map((r) => pgRow.request(partner, r)));
    const worklogs = data.flatMap((d) => d.worklogs.map((w) => pgRow.worklog(partner, w)));
    const spend = data.flatMap((d) => d.spend.map((s) => pgRow.spend(partner, s)));
    await insertRowsPg(c, 'request', requests);
    await insertRowsPg(c, 'worklog', worklogs);
    await insertRowsPg(c, 'spend', spend);
    n = requests.length + worklogs.length + spend.length;
  }
  return n;
}

/**
 * A connected client on `url`; ended by the caller. Named like the store's
 * pool: the change-stamp triggers skip it as they skip the store (which bumps
 * its stamp once per transaction), so both sides do the same work.
 */
export async function pgClient(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, application_name: 'tierbook' });
  await c.connect();
  return c;
}
