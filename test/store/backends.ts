// The two backends the contract suite runs on. Each `open` gives a fresh,
// migrated, empty store and a second connection to the same store (another
// process's view: its writes are "external" to the first). PostgreSQL runs
// in a database of its own per file (test/helpers/pg.ts), dropped at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore } from '../../src/store/open.js';
import { applyPgMigrations } from '../../src/store/pg.js';
import type { Repository } from '../../src/store/repository.js';
import { pgDatabase } from '../helpers/pg.js';

export interface Store {
  /** The URL or file of the store. */
  readonly db: string;
  readonly repo: Repository;
  /** A second connection to the same store. */
  other(): Promise<Repository>;
  /** Raw SQL on the store (a tool past the repository, e.g. psql or sqlite3). */
  exec(sql: string): Promise<void>;
}

export interface Backend {
  readonly name: 'sqlite' | 'postgres';
  /** A fresh store, closed in t.teardown. */
  open(t: Tap): Promise<Store>;
}

type Tap = { teardown(fn: () => unknown): void };

export async function sqliteBackend(t: Tap): Promise<Backend> {
  const dir = mkdtempSync(join(tmpdir(), 'tierbook-contract-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return {
    name: 'sqlite',
    async open(tt) {
      const db = join(dir, `${randomBytes(4).toString('hex')}.db`);
      const repo = await openStore(db);
      tt.teardown(() => repo.close());
      return {
        db,
        repo,
        async other() {
          const r = await openStore(db, { migrate: false });
          tt.teardown(() => r.close());
          return r;
        },
        async exec(sql) {
          const { openDatabase } = await import('../../src/store/sqlite.js');
          const c = openDatabase(db);
          try {
            c.exec(sql);
          } finally {
            c.close();
          }
        },
      };
    },
  };
}

/** Each store is a database of its own (creating one takes ~50 ms), dropped with FORCE at teardown. */
export async function postgresBackend(t: Tap): Promise<Backend> {
  // migrated once; each store is a copy of it (CREATE DATABASE … TEMPLATE), which saves every test the migrations
  const template = await pgDatabase(t, 'tierbook_test_template');
  await applyPgMigrations(template.url);
  return {
    name: 'postgres',
    async open(tt) {
      const database = await pgDatabase(tt, undefined, template.name);
      const repo = await openStore(database.url, { poolSize: 4 });
      tt.teardown(() => repo.close());
      return {
        db: database.url,
        repo,
        async other() {
          const r = await openStore(database.url, { migrate: false, poolSize: 2 });
          tt.teardown(() => r.close());
          return r;
        },
        async exec(sql) {
          const c = new pg.Client(database.url);
          await c.connect();
          try {
            await c.query(sql);
          } finally {
            await c.end();
          }
        },
      };
    },
  };
}
