// `tierbook token create --partner P --role admin|viewer`: prints the new token
// alone on stdout (only its hash is stored; it cannot be shown again).
import type { Command } from 'commander';
import { usage, withDb } from './store-options.js';

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function register(program: Command): void {
  const token = program.command('token').description('API tokens');
  withDb(
    token
      .command('create')
      .description('create an API token for a partner; prints it alone on stdout')
      .requiredOption('--partner <id>', 'partner id')
      .requiredOption('--role <role>', 'admin (read and write) or viewer (read)'),
  ).action(async (opts: { partner: string; role: string; db: string }) => {
    if (!SLUG.test(opts.partner)) usage('token create', `--partner must be a partner id, got "${opts.partner}"`);
    if (opts.role !== 'admin' && opts.role !== 'viewer') usage('token create', `--role must be admin or viewer, got "${opts.role}"`);
    const { openSqlite } = await import('../store/sqlite.js');
    const repo = await openSqlite(opts.db);
    try {
      process.stdout.write((await repo.createToken(opts.partner, opts.role)) + '\n');
    } finally {
      await repo.close();
    }
  });
}
