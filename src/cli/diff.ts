// `tierbook diff <git-rev> [paths…]`: plan changes by meaning (SPEC §7).
// Registration only; the work is imported when the command runs.
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('diff')
    .description('what changed in prices, hours, channels and severities per offering since a git revision')
    .argument('<git-rev>', 'the revision to compare from (commit, branch, tag, HEAD~1, …)')
    .argument('[paths...]', 'plan files or directories (default: --plans)')
    .option('--to <rev>', 'compare with this revision instead of the working tree')
    .option('--format <format>', 'text | md | json', 'text')
    .option('--plans <dir>', 'plans directory (default ./plans, env TIERBOOK_PLANS)')
    .option('--impact', 'price the customers of changed offerings under the old and the new plan')
    .option('--db <file>', 'store for --impact (default ./data/tierbook.db, env TIERBOOK_DB)')
    .option('--period <YYYY-MM>', 'statement period for --impact')
    .action(async (rev: string, paths: string[], opts: Record<string, string | boolean | undefined>) => {
      const { runDiff } = await import('./diff-run.js');
      process.exitCode = await runDiff(rev, paths, opts, {
        cwd: process.cwd(),
        env: process.env,
        out: (s) => process.stdout.write(s),
        err: (s) => process.stderr.write(s),
      });
    });
}
