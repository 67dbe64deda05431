// `tierbook copy --from <db> --to <db>`: a whole store between backends
// (SQLite file ⇄ postgres:// URL), verified after (src/store/copy.ts).
import type { Command } from 'commander';
import { cliLine, isTierbookError } from '../errors.js';
import { missingDbFile, usage } from './store-options.js';

export function register(program: Command): void {
  program
    .command('copy')
    .description('copy a whole store (SQLite file or postgres:// URL) into another, then verify row counts and issued statement bodies')
    .requiredOption('--from <file|url>', 'the store to read (not changed)')
    .requiredOption('--to <file|url>', 'the store to write (migrated first; must hold no rows)')
    .option('--force', 'empty a target that holds rows first (in the same transaction as the copy)', false)
    .action(async (opts: { from: string; to: string; force: boolean }) => {
      if (missingDbFile(opts.from)) usage('copy', `no database at ${opts.from}`);
      const { copyStore } = await import('../store/copy.js');
      try {
        const r = await copyStore(opts.from, opts.to, { force: opts.force });
        for (const t of r.tables) process.stdout.write(`${t.name.padEnd(14)} ${t.rows}\n`);
        process.stdout.write(`copied and verified: ${r.tables.reduce((n, t) => n + t.rows, 0)} rows, ${r.statements} issued statement bodies identical\n`);
      } catch (err) {
        if (!isTierbookError(err)) throw err;
        process.stderr.write(cliLine('copy', err) + '\n');
        process.exitCode = err.exit;
      }
    });
}
