// Failures of the store itself, not of the request (issue 21 item 8): a full
// disk, a database file, directory or mount that no longer allows writing,
// a file that cannot be opened or read. The API answers them 507/503 with a
// code and the CLI prints one line, never a raw SqliteError stack. Codes of
// better-sqlite3 (SQLITE_*) and of PostgreSQL (SQLSTATE) alike.
import { ERR, type TierbookError } from '../errors.js';

/** The registry error of a store failure, or null when `err` is something else. */
export function storeFailure(err: unknown): TierbookError | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  // SQLITE_FULL: the disk (or max_page_count) is full; 53100: PostgreSQL disk_full
  if (code === 'SQLITE_FULL' || code === '53100') return ERR.STORE_FULL({}, { cause: err });
  // SQLITE_READONLY and its extended codes (a read-only file, directory or mount); 25006: read_only_sql_transaction
  if (code.startsWith('SQLITE_READONLY') || code === '25006') return ERR.STORE_READ_ONLY({}, { cause: err });
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return ERR.STORE_UNAVAILABLE({ detail: `the store cannot be read or written (${code}: ${(err as Error).message}); nothing was written` }, { cause: err });
  }
  return null;
}
