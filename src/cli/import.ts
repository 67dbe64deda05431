// `tierbook import <kind> <file>`: customers, subscriptions, requests,
// worklogs or spend from CSV or NDJSON, validated exactly as the API
// validates them, written in one transaction: any bad row and nothing is
// written; every bad row is reported with its line.
import type { Command } from 'commander';
import { SLUG } from '../wire/patterns.js';
import { usage, withDb, withPlans } from './store-options.js';

const KINDS = ['customers', 'subscriptions', 'requests', 'worklogs', 'spend', 'purchases', 'events', 'adjustments', 'partner-center'] as const;
type Kind = Exclude<(typeof KINDS)[number], 'partner-center'>;

export function register(program: Command): void {
  const cmd = program
    .command('import')
    .description('import customers, subscriptions, requests, worklogs, spend, purchases of prepaid blocks or request events from CSV or NDJSON (all or nothing), or a Partner Center file as spend')
    .argument('<kind>', KINDS.join(' | '))
    .argument('<file>', 'CSV (with a header row) or NDJSON file; - for stdin')
    .option('--partner <id>', 'partner of rows that do not name one (partner-center: required)')
    .option('--format <format>', 'partner-center: the summary as text or json', 'text')
    .option('--strict', 'partner-center: refuse the whole file when any line is reported')
    .option('--dry-run', 'partner-center: read and report, write nothing');
  type Opts = { partner?: string; db: string; dbPool?: string; plans: string; format: string; strict?: boolean; dryRun?: boolean };
  withPlans(withDb(cmd)).action(async (kind: string, file: string, opts: Opts) => {
    if (!(KINDS as readonly string[]).includes(kind)) usage('import', `unknown kind "${kind}" (${KINDS.join(', ')})`);
    if (opts.partner !== undefined && !SLUG.test(opts.partner)) usage('import', `--partner must be a partner id, got "${opts.partner}"`);
    if (kind === 'partner-center') {
      const { runImportPartnerCenter } = await import('./import-pc.js');
      process.exitCode = await runImportPartnerCenter(file, opts);
      return;
    }
    if (opts.strict || opts.dryRun || opts.format !== 'text') usage('import', '--format, --strict and --dry-run are for partner-center files');
    const { runImport } = await import('./import-run.js');
    process.exitCode = await runImport(kind as Kind, file, opts);
  });
}
