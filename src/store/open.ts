// The backend factory: `--db` / TIERBOOK_DB / DATABASE_URL name either a
// SQLite file (the embedded default, ./data/tierbook.db) or a PostgreSQL
// database (postgres://… or postgresql://…). Backends are imported on first
// use, so a SQLite command never loads pg and the reverse.
import type { Repository } from './repository.js';

export const DEFAULT_DB = './data/tierbook.db';

/** The store named by the environment: TIERBOOK_DB, else DATABASE_URL, else the default file. */
export const dbFromEnv = (env: NodeJS.ProcessEnv = process.env): string => env.TIERBOOK_DB || env.DATABASE_URL || DEFAULT_DB;

export const isPostgresUrl = (db: string): boolean => /^postgres(ql)?:\/\//i.test(db);

/** A store's name fit for messages and logs: a URL's password is never shown. */
export function displayDb(db: string): string {
  if (!isPostgresUrl(db)) return db;
  try {
    const u = new URL(db);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

export interface OpenStoreOptions {
  /** Apply pending migrations first (default true); both backends serialize concurrent migrators. */
  readonly migrate?: boolean;
  /** PostgreSQL: connections in the pool (default TIERBOOK_DB_POOL, else 10). */
  readonly poolSize?: number;
  /** SQLite: open read-only (nothing written; a read-only file or mount opens). */
  readonly readonly?: boolean;
}

/** A Repository on the store `db` names (a file path or a postgres:// URL). */
export async function openStore(db: string, opts: OpenStoreOptions = {}): Promise<Repository> {
  if (isPostgresUrl(db)) {
    const { openPg } = await import('./pg.js');
    return openPg(db, opts);
  }
  const { openSqlite } = await import('./sqlite.js');
  return openSqlite(db, { ...(opts.migrate === undefined ? {} : { migrate: opts.migrate }), ...(opts.readonly ? { readonly: true } : {}) });
}
