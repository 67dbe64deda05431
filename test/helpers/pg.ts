// A fresh PostgreSQL database per test run, dropped at the end (also when the
// test fails). The server: TIERBOOK_TEST_PG (a URL) or, when unset, the
// project machines' postgres://postgres@127.0.0.1:5432/postgres (trust auth).
// When no server answers the test FAILS with how to start one: PostgreSQL
// tests are never skipped silently.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const DEFAULT_TEST_PG = 'postgres://postgres@127.0.0.1:5432/postgres';

export const testPgUrl = (): string => process.env.TIERBOOK_TEST_PG || DEFAULT_TEST_PG;

/** The URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = '/' + encodeURIComponent(database);
  return u.toString();
}

export interface TestDatabase {
  /** postgres://… of the new, empty database. */
  readonly url: string;
  readonly name: string;
  /** Drops it (connections still open are terminated first). Idempotent. */
  drop(): Promise<void>;
}

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await c.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL tests need a server at ${url.replace(/\/\/[^@/]*@/, '//…@')} (${(err as Error).message}). ` +
        'Start the local one with `pg_ctlcluster 15 main start` (trust auth for postgres on 127.0.0.1:5432), ' +
        'or point TIERBOOK_TEST_PG at another PostgreSQL 15+ server (a URL whose user may CREATE DATABASE).',
    );
  }
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => {});
  }
}

/**
 * Creates tierbook_test_<random> on the test server; from `template` (the
 * name of another test database, e.g. one migrated once per file) when given,
 * which saves each test the migrations.
 */
export async function createTestDatabase(prefix = 'tierbook_test', template?: string): Promise<TestDatabase> {
  const base = testPgUrl();
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin(base, (c) => c.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`));
  let dropped = false;
  return {
    url: withDatabase(base, name),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      await admin(base, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/**
 * A test database for one tap test (or file): created now, dropped in
 * t.teardown — which tap runs whether the test passed, failed or threw.
 */
export async function pgDatabase(t: { teardown(fn: () => unknown): void }, prefix?: string, template?: string): Promise<TestDatabase> {
  const db = await createTestDatabase(prefix, template);
  t.teardown(() => db.drop());
  return db;
}
