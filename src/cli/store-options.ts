// Options shared by the commands that open the store or read plans (SPEC §7),
// and the helpers they share. Light: nothing heavy is imported here.
import { existsSync, statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { Command, CommanderError } from 'commander';
import type { Plan, Finding } from '../plans/types.js';
import type { Repository } from '../store/repository.js';
import { isPostgresUrl } from '../store/open.js';
import { cliLine, ERR } from '../errors.js';

/** The store: TIERBOOK_DB, else DATABASE_URL, else ./data/tierbook.db (a SQLite file, or a postgres:// URL). */
export const defaultDb = (): string => process.env.TIERBOOK_DB || process.env.DATABASE_URL || './data/tierbook.db';
export const defaultPlans = (): string => process.env.TIERBOOK_PLANS || './plans';

export function withDb(cmd: Command): Command {
  return cmd
    .option('--db <file|url>', 'SQLite database file or postgres:// URL (env TIERBOOK_DB, DATABASE_URL)', defaultDb())
    .option('--db-pool <n>', 'PostgreSQL connections of this process (env TIERBOOK_DB_POOL, default 10)');
}

export interface DbOptions {
  readonly db: string;
  readonly dbPool?: string;
}

/** The pool size of --db-pool (a positive integer), undefined when not given. */
export function dbPoolOf(command: string, opts: DbOptions): number | undefined {
  if (opts.dbPool === undefined) return undefined;
  const n = /^\d{1,4}$/.test(opts.dbPool) ? Number(opts.dbPool) : NaN;
  if (!(n >= 1)) usage(command, `--db-pool must be a positive integer, got "${opts.dbPool}"`);
  return n;
}

/** Opens the store --db names (SQLite file or PostgreSQL URL), migrating it unless told not to. */
export async function openDb(command: string, opts: DbOptions, migrate = true, readonly = false): Promise<Repository> {
  const poolSize = dbPoolOf(command, opts);
  const { openStore } = await import('../store/open.js');
  return openStore(opts.db, { migrate, readonly, ...(poolSize === undefined ? {} : { poolSize }) });
}

/** Whether --db names a SQLite file that does not exist (a read-only command must not create one). */
export function missingDbFile(db: string, cwd = process.cwd()): boolean {
  return !isPostgresUrl(db) && !existsSync(resolvePath(cwd, db));
}

export function withPlans(cmd: Command): Command {
  return cmd.option('--plans <dir>', 'directory of plan files (env TIERBOOK_PLANS)', defaultPlans());
}

/** A usage error: `tierbook <command>: USAGE: message` on stderr, exit status 2 (main maps CommanderError to 2). */
export function usage(command: string, message: string): never {
  const e = ERR.USAGE({ detail: message });
  process.stderr.write(cliLine(command, e) + '\n');
  throw new CommanderError(e.exit, 'tierbook.usage', message);
}

export interface LoadedPlanDir {
  readonly plans: Map<string, Plan>;
  readonly findings: readonly Finding[];
}

/**
 * Loads every *.yaml / *.yml plan of a directory (the plans that compile, and
 * all findings); a missing directory is a usage error.
 */
export async function loadPlanDir(command: string, dir: string): Promise<LoadedPlanDir> {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) usage(command, `plans directory ${dir} not found (use --plans DIR or TIERBOOK_PLANS)`);
  const { loadPlansDir } = await import('./plan-files.js');
  const { plans, findings } = await loadPlansDir(dir);
  return { plans, findings };
}

