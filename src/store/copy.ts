// `tierbook copy`: a whole store from one backend to another (SQLite ⇄
// PostgreSQL, or the same kind), read in one snapshot and written in one
// transaction, then verified: row counts per table equal, and every issued
// statement's body equal byte for byte. The tables are those of the SQLite
// schema (schema.ts), parents before children by their foreign keys; the
// PostgreSQL schema mirrors them (pg-schema.ts). PostgreSQL's own tables
// (number_counters, store_changes) are not copied: counters start again from
// the numbers already issued (PgRepository.issue), and the copy bumps the
// change stamp like any outside write. Nor is input_changes: the target's
// triggers write their own as the rows arrive, and an input revision
// (statements.inputs_rev, ledger_states.inputs_rev: the source's changes,
// meaningless in the target) is copied as null, "not known": corrections then
// compare that period's inputs by digest and a kept ledger state is checked by
// its records stamp (it no longer matches: the ledger runs from the start),
// as before revisions were kept.
import { createHash } from 'node:crypto';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { is } from 'drizzle-orm';
import { SQLiteTable as SQLiteTableClass } from 'drizzle-orm/sqlite-core';
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { ERR } from '../errors.js';
import * as schema from './schema.js';
import { displayDb, isPostgresUrl } from './open.js';

export interface TableSpec {
  readonly name: string;
  readonly columns: readonly string[];
  /** Primary key columns: the order rows are read and compared in. */
  readonly key: readonly string[];
  /** Columns SQLite stores as 0/1 and PostgreSQL as boolean. */
  readonly booleans: readonly string[];
}

/** The store's tables, parents first (foreign keys), from the SQLite schema. */
export function storeTables(): TableSpec[] {
  const tables = Object.values(schema).filter((x) => is(x as object, SQLiteTableClass)) as SQLiteTable[];
  const config = new Map(tables.map((t) => [getTableConfig(t).name, getTableConfig(t)]));
  const order: string[] = [];
  const visit = (name: string): void => {
    if (order.includes(name)) return;
    for (const fk of config.get(name)!.foreignKeys) {
      const parent = getTableConfig(fk.reference().foreignTable).name;
      if (parent !== name) visit(parent);
    }
    order.push(name);
  };
  for (const name of [...config.keys()].sort()) visit(name);
  return order.filter((name) => !NOT_COPIED.includes(name)).map((name) => {
    const c = config.get(name)!;
    const pk = c.primaryKeys[0]?.columns.map((x) => x.name) ?? c.columns.filter((x) => x.primary).map((x) => x.name);
    return {
      name,
      columns: c.columns.map((x) => x.name),
      key: pk,
      booleans: c.columns.filter((x) => x.columnType === 'SQLiteBoolean').map((x) => x.name),
    };
  });
}

/** Tables of the schema the target writes for itself (see the head of this file). */
const NOT_COPIED = ['input_changes'];

/** A page as the target takes it: an input revision is the source's own, copied as null. */
function portable(t: TableSpec, page: unknown[][]): unknown[][] {
  const rev = t.columns.indexOf('inputs_rev');
  return rev < 0 ? page : page.map((row) => row.map((v, i) => (i === rev ? null : v)));
}

const q = (id: string): string => `"${id.replace(/"/g, '""')}"`;
const PAGE = 2_000;

/** One side of a copy: rows read in key order from one snapshot, rows written in one transaction. */
interface Side {
  readonly name: string;
  begin(write: boolean): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  count(t: TableSpec): Promise<number>;
  /** Rows (values in t.columns' order) in key order, a page at a time. */
  read(t: TableSpec): AsyncGenerator<unknown[][]>;
  write(t: TableSpec, rows: readonly unknown[][]): Promise<void>;
  clear(tables: readonly TableSpec[]): Promise<void>;
  /** After writing: what the backend must set right (identity sequences). */
  finish(tables: readonly TableSpec[]): Promise<void>;
  close(): Promise<void>;
}

async function sqliteSide(file: string, migrate: boolean): Promise<Side> {
  const { openDatabase, applyMigrations } = await import('./sqlite.js');
  const db: Database.Database = openDatabase(file);
  if (migrate) applyMigrations(db);
  return {
    name: file,
    async begin(write) {
      db.exec(write ? 'BEGIN IMMEDIATE' : 'BEGIN');
      if (!write) db.prepare('select count(*) from sqlite_master').get(); // takes the read snapshot now
    },
    async commit() {
      db.exec('COMMIT');
    },
    async rollback() {
      if (db.inTransaction) db.exec('ROLLBACK');
    },
    async count(t) {
      return db.prepare(`select count(*) from ${q(t.name)}`).pluck().get() as number;
    },
    async *read(t) {
      const stmt = db.prepare(`select ${t.columns.map(q).join(', ')} from ${q(t.name)} order by ${t.key.map(q).join(', ')}`).raw(true);
      let page: unknown[][] = [];
      for (const row of stmt.iterate() as Iterable<unknown[]>) {
        page.push(row);
        if (page.length === PAGE) {
          yield page;
          page = [];
        }
      }
      if (page.length > 0) yield page;
    },
    async write(t, rows) {
      const stmt = db.prepare(`insert into ${q(t.name)} (${t.columns.map(q).join(', ')}) values (${t.columns.map(() => '?').join(', ')})`);
      const flags = t.booleans.map((b) => t.columns.indexOf(b));
      for (const row of rows) {
        const r = flags.length === 0 ? row : row.slice();
        for (const i of flags) if (typeof r[i] === 'boolean') r[i] = r[i] ? 1 : 0;
        stmt.run(r);
      }
    },
    async clear(tables) {
      for (const t of [...tables].reverse()) db.prepare(`delete from ${q(t.name)}`).run();
    },
    async finish() {},
    async close() {
      if (db.open) db.close();
    },
  };
}

async function pgSide(url: string, migrate: boolean): Promise<Side> {
  const { applyPgMigrations, pgTypes } = await import('./pg.js');
  if (migrate) await applyPgMigrations(url);
  const { default: pgm } = await import('pg');
  // not 'tierbook': the copy's writes bump the change stamp through the triggers, so running servers notice
  const c: pg.Client = new pgm.Client({ connectionString: url, types: pgTypes, application_name: 'tierbook copy' });
  c.on('error', () => {}); // a dropped connection fails the next query instead of crashing the process
  await c.connect();
  let cursor = 0;
  return {
    name: displayDb(url),
    async begin(write) {
      await c.query(write ? 'begin' : 'begin isolation level repeatable read read only');
    },
    async commit() {
      await c.query('commit');
    },
    async rollback() {
      await c.query('rollback').catch(() => {});
    },
    async count(t) {
      return (await c.query<{ n: number }>(`select count(*)::int as n from ${q(t.name)}`)).rows[0]!.n;
    },
    async *read(t) {
      const name = `copy_${++cursor}`;
      await c.query(`declare ${name} no scroll cursor for select ${t.columns.map(q).join(', ')} from ${q(t.name)} order by ${t.key.map(q).join(', ')}`);
      for (;;) {
        const { rows } = await c.query({ text: `fetch ${PAGE} from ${name}`, rowMode: 'array' } as pg.QueryConfig);
        if (rows.length === 0) break;
        yield rows as unknown[][];
      }
      await c.query(`close ${name}`);
    },
    async write(t, rows) {
      const per = Math.max(1, Math.floor(60_000 / t.columns.length)); // PostgreSQL takes at most 65,535 parameters
      for (let i = 0; i < rows.length; i += per) {
        const chunk = rows.slice(i, i + per);
        const values: unknown[] = [];
        const tuples = chunk.map((row) => `(${row.map((v) => `$${values.push(v)}`).join(', ')})`);
        await c.query(`insert into ${q(t.name)} (${t.columns.map(q).join(', ')}) overriding system value values ${tuples.join(', ')}`, values);
      }
    },
    async clear(tables) {
      await c.query(`truncate ${[...tables.map((t) => t.name), 'number_counters'].map(q).join(', ')}`);
    },
    async finish(tables) {
      // identity columns continue after the copied values
      for (const t of tables) {
        const { rows } = await c.query<{ col: string }>(
          "select column_name as col from information_schema.columns where table_schema = current_schema() and table_name = $1 and is_identity = 'YES'",
          [t.name],
        );
        for (const { col } of rows) {
          await c.query(`select setval(pg_get_serial_sequence($1, $2), coalesce((select max(${q(col)}) from ${q(t.name)}), 0) + 1, false)`, [t.name, col]);
        }
      }
    },
    async close() {
      await c.end().catch(() => {});
    },
  };
}

const openSide = (db: string, migrate: boolean): Promise<Side> => (isPostgresUrl(db) ? pgSide(db, migrate) : sqliteSide(db, migrate));

export interface CopyOptions {
  /** Empty a target that holds rows first (default: refuse it). */
  readonly force?: boolean;
}

export interface CopyReport {
  readonly tables: readonly { readonly name: string; readonly rows: number }[];
  /** Issued statements whose bodies were compared byte for byte. */
  readonly statements: number;
}

/**
 * Copies every table of `from` into `to` (migrated first), then verifies it.
 * A target holding any row is refused (COPY_TARGET_NOT_EMPTY) unless `force`,
 * which empties it inside the same transaction as the copy.
 */
export async function copyStore(from: string, to: string, opts: CopyOptions = {}): Promise<CopyReport> {
  if (from === to) throw ERR.USAGE({ detail: '--from and --to name the same store' });
  const tables = storeTables();
  const src = await openSide(from, false);
  try {
    const dst = await openSide(to, true);
    try {
      await src.begin(false);
      const counts = new Map<string, number>();
      for (const t of tables) counts.set(t.name, await src.count(t));
      await dst.begin(true);
      try {
        const held = [];
        for (const t of tables) if ((await dst.count(t)) > 0) held.push(t.name);
        if (held.length > 0) {
          if (!opts.force) throw ERR.COPY_TARGET_NOT_EMPTY({ db: dst.name, tables: held.join(', ') });
          await dst.clear(tables);
        }
        for (const t of tables) for await (const page of src.read(t)) await dst.write(t, portable(t, page));
        await dst.finish(tables);
        await dst.commit();
      } catch (err) {
        await dst.rollback();
        throw err;
      }
      // verify: the target as committed against the source's snapshot
      await dst.begin(false);
      for (const t of tables) {
        const n = await dst.count(t);
        if (n !== counts.get(t.name)) throw ERR.COPY_MISMATCH({ detail: `${t.name}: ${counts.get(t.name)} rows in ${src.name}, ${n} in ${dst.name}` });
      }
      const statements = await sameBodies(tables.find((t) => t.name === 'statements')!, src, dst);
      await dst.commit();
      await src.commit();
      return { tables: tables.map((t) => ({ name: t.name, rows: counts.get(t.name)! })), statements };
    } finally {
      await dst.close();
    }
  } finally {
    await src.rollback();
    await src.close();
  }
}

/** Every issued statement's body on both sides, in key order, compared byte for byte. */
async function sameBodies(t: TableSpec, a: Side, b: Side): Promise<number> {
  const body = t.columns.indexOf('body');
  const keys = t.key.map((k) => t.columns.indexOf(k));
  const ra = a.read(t);
  const rb = b.read(t);
  let n = 0;
  for (;;) {
    const [pa, pb] = await Promise.all([ra.next(), rb.next()]);
    if (pa.done || pb.done) {
      if (pa.done !== pb.done) throw ERR.COPY_MISMATCH({ detail: 'statements: the two stores hold different numbers of statements' });
      return n;
    }
    if (pa.value.length !== pb.value.length) throw ERR.COPY_MISMATCH({ detail: 'statements: pages of different sizes' });
    pa.value.forEach((row, i) => {
      const other = pb.value[i]!;
      const key = keys.map((k) => String(row[k])).join('/');
      if (keys.some((k) => row[k] !== other[k])) throw ERR.COPY_MISMATCH({ detail: `statements: ${key} is not at the same place on both sides` });
      const x = Buffer.from(String(row[body]), 'utf8');
      const y = Buffer.from(String(other[body]), 'utf8');
      if (!x.equals(y)) throw ERR.COPY_MISMATCH({ detail: `statement ${key}: bodies differ (sha256 ${sha(x)} and ${sha(y)})` });
      n++;
    });
  }
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex').slice(0, 16);
