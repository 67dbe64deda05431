// `tierbook credit-note <number> --reason R [--line N[=amount]]…`: issues a
// credit note against an invoice (§9.7): the whole invoice, or the lines
// named (N the 0-based index into the invoice's lines, as in the API;
// without `=amount`, all that is left of the line). Prints the credit note as
// issued. The plan gives the partner's timezone (the number's month) and rounding.
import type { Command } from 'commander';
import { ERR } from '../errors.js';
import { partnerOf, reasonOf, planOf, processIo, runCommand, withRepo, type DocumentIo } from './documents.js';
import { withDb, withPlans, type DbOptions } from './store-options.js';

interface CreditNoteCliOptions extends DbOptions {
  readonly reason?: string;
  readonly partner?: string;
  readonly line: string[];
  readonly plans: string;
}

const collect = (v: string, acc: string[]): string[] => [...acc, v];

export function register(program: Command): void {
  const cmd = program
    .command('credit-note')
    .description('issue a credit note against an invoice: whole, or by lines')
    .argument('<number>', 'invoice number, e.g. CONTOSO-202610-0001')
    .option('--reason <text>', 'why it is credited (required)')
    .option('--line <N[=amount]>', 'credit line N (0-based) of the invoice, by amount or all that is left; repeatable', collect, [])
    .option('--partner <id>', 'partner of the invoice (default: from the number)');
  withPlans(withDb(cmd)).action(async (number: string, opts: CreditNoteCliOptions) => {
    process.exitCode = await runCreditNote(number, opts, processIo);
  });
}

/** `--line 2` → { line: 2 }; `--line 2=40.00` → { line: 2, amount: "40.00" }. */
export function lineOption(text: string): { line: number; amount?: string } {
  const m = /^(\d{1,6})(?:=(\d{1,15}(?:\.\d{1,6})?))?$/.exec(text);
  if (!m) throw ERR.USAGE({ detail: `--line takes N or N=amount (N a 0-based line index, amount a positive decimal such as 40.00), got "${text}"` });
  return { line: Number(m[1]), ...(m[2] !== undefined ? { amount: m[2] } : {}) };
}

export async function runCreditNote(number: string, opts: CreditNoteCliOptions, io: DocumentIo): Promise<number> {
  return runCommand('credit-note', io, async () => {
    const partner = partnerOf(number, opts.partner);
    const reason = reasonOf(opts.reason);
    const lines = opts.line.map(lineOption);
    const plan = await planOf('credit-note', opts.plans, partner);
    const { issueCreditNote } = await import('../app/documents.js');
    const res = await withRepo('credit-note', opts, (repo) => issueCreditNote(repo, plan, number, { reason, ...(lines.length > 0 ? { lines } : {}) }));
    io.out(res.record.body);
    return 0;
  });
}
