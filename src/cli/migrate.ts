// `tierbook migrate`: applies the drizzle migrations to the store.
import type { Command } from 'commander';
import { withDb } from './store-options.js';

export function register(program: Command): void {
  withDb(program.command('migrate').description('create or upgrade the database schema')).action(async (opts: { db: string }) => {
    const { openSqlite } = await import('../store/sqlite.js');
    const repo = await openSqlite(opts.db);
    await repo.close();
    process.stderr.write(`migrated ${opts.db}\n`);
  });
}
