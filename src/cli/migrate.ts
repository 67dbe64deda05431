// `tierbook migrate`: applies the drizzle migrations to the store.
import type { Command } from 'commander';
import { openDb, withDb, type DbOptions } from './store-options.js';
import { displayDb } from '../store/open.js';

export function register(program: Command): void {
  withDb(program.command('migrate').description('create or upgrade the database schema (SQLite file or PostgreSQL)')).action(async (opts: DbOptions) => {
    const repo = await openDb('migrate', opts);
    await repo.close();
    process.stderr.write(`migrated ${displayDb(opts.db)}\n`);
  });
}
