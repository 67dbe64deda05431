// `tierbook bill <partner> <period>`: the statement of every customer in the
// store; --out DIR writes them as JSON files, --finalize issues them.
import type { Command } from 'commander';
import { SLUG } from '../wire/patterns.js';
import { usage, withDb, withPlans } from './store-options.js';

export function register(program: Command): void {
  const cmd = program
    .command('bill')
    .description("price every customer's statement for a period")
    .argument('<partner>', 'partner id')
    .argument('<period>', 'month YYYY-MM')
    .option('--out <dir>', 'write each statement as <customer>-<period>.json into DIR')
    .option('--finalize', 'issue the statements (numbered, stored, never changed afterwards)', false)
    .option('--force', 'with --finalize: issue even when percent-of-spend has no spend for the period (SPEND_MISSING)', false);
  withPlans(withDb(cmd)).action(async (partner: string, period: string, opts: { out?: string; finalize: boolean; force: boolean; db: string; plans: string }) => {
    if (!SLUG.test(partner)) usage('bill', `"${partner}" is not a partner id`);
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) usage('bill', `period must be YYYY-MM, got "${period}"`);
    const { runBill } = await import('./bill-run.js');
    process.exitCode = await runBill(partner, period, opts);
  });
}
