// `tierbook bill <partner> <period>`: the statement of every customer in the
// store; --out DIR writes them as files (--format json, html, md, csv; the
// locale the customer's, or --locale), --finalize issues them.
import type { Command } from 'commander';
import { LOCALES, SLUG } from '../wire/patterns.js';
import { STATEMENT_FORMATS as FORMATS } from '../wire/params.js';
import { usage, withDb, withPlans } from './store-options.js';

export function register(program: Command): void {
  const cmd = program
    .command('bill')
    .description("price every customer's statement for a period")
    .argument('<partner>', 'partner id')
    .argument('<period>', 'month YYYY-MM')
    .option('--out <dir>', 'write each statement as <customer>-<period>.<format> into DIR (the whole set at once: nothing on failure)')
    .option('--format <formats>', 'with --out: json (default), html, md, csv; comma-separated or repeated', collect, [])
    .option('--locale <locale>', "with --out: the documents' locale (en-US, zh-CN); default the customer's, else the partner's")
    .option('--finalize', 'issue the statements (numbered, stored, never changed afterwards)', false)
    .option('--force', 'with --finalize: issue even when percent-of-spend has no spend for the period (SPEND_MISSING)', false);
  withPlans(withDb(cmd)).action(async (partner: string, period: string, opts: { out?: string; format: string[]; locale?: string; finalize: boolean; force: boolean; db: string; plans: string }) => {
    if (!SLUG.test(partner)) usage('bill', `"${partner}" is not a partner id`);
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) usage('bill', `period must be YYYY-MM, got "${period}"`);
    const formats = formatsOf(opts.format);
    if (opts.out === undefined && opts.format.length > 0) usage('bill', '--format needs --out DIR');
    if (opts.locale !== undefined) {
      if (opts.out === undefined) usage('bill', '--locale needs --out DIR');
      if (!(LOCALES as readonly string[]).includes(opts.locale)) usage('bill', `--locale must be ${LOCALES.join(' or ')}, got "${opts.locale}"`);
    }
    const { runBill } = await import('./bill-run.js');
    process.exitCode = await runBill(partner, period, { ...opts, formats });
  });
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `--format html,md --format csv` → [html, md, csv] (each once, in the order given); none: [json]. */
export function formatsOf(given: readonly string[]): Array<(typeof FORMATS)[number]> {
  const out: Array<(typeof FORMATS)[number]> = [];
  for (const f of given.flatMap((g) => g.split(',')).map((f) => f.trim())) {
    if (!(FORMATS as readonly string[]).includes(f)) usage('bill', `--format must be ${FORMATS.join(', ')} (comma-separated or repeated), got "${f}"`);
    if (!out.includes(f as (typeof FORMATS)[number])) out.push(f as (typeof FORMATS)[number]);
  }
  return out.length > 0 ? out : ['json'];
}
