// `tierbook terms <partner> <offering>`: the support terms of an offering
// (SPEC §5, §7) on stdout. Registration is light; the renderer and the plan
// loader are imported only when the command runs.
import { Command, Option } from 'commander';
import { ERR } from '../errors.js';

interface TermsOptions {
  format: 'html' | 'md';
  locale?: string;
  at?: string;
  plans: string;
  customer?: string;
  db?: string;
}

export function register(program: Command): void {
  program
    .command('terms')
    .description('print the support terms of an offering (HTML or Markdown)')
    .argument('<partner>', 'partner id')
    .argument('<offering>', 'offering id')
    .addOption(new Option('--format <format>', 'output format').choices(['html', 'md']).default('html'))
    .option('--locale <locale>', 'en-US or zh-CN (default: the partner’s)')
    .option('--at <date>', 'show the prices in force on this local date YYYY-MM-DD (default: today in the partner’s timezone)')
    .option('--customer <id>', 'customer the terms are prepared for: with a store, its own prices (agreed, or as of a date)')
    .option('--db <file|url>', 'store of the customer\'s prices (env TIERBOOK_DB, DATABASE_URL; default ./data/tierbook.db when it exists)')
    .addOption(new Option('--plans <dir>', 'plan files directory').env('TIERBOOK_PLANS').default('./plans'))
    .action(async (partner: string, offering: string, opts: TermsOptions, cmd: Command) => {
      if (opts.at !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.at)) {
        cmd.error(`error: ${ERR.INVALID_DATE.code}: --at must be a local date YYYY-MM-DD, got "${opts.at}"`, { exitCode: ERR.INVALID_DATE.exit, code: 'tierbook.usage' });
      }
      const { runTerms } = await import('./terms-run.js');
      process.exitCode = await runTerms(partner, offering, opts, {
        out: (s) => process.stdout.write(s),
        err: (s) => process.stderr.write(s),
      });
    });
}
