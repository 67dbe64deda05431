// `tierbook void <number> --reason R`: voids an issued invoice (§9.7); the
// customer and period can then be finalized again (the new invoice names the
// void one in `replaces`). Prints the void as JSON.
import type { Command } from 'commander';
import { partnerOf, reasonOf, processIo, runCommand, withRepo, type DocumentIo } from './documents.js';
import { withDb, type DbOptions } from './store-options.js';

interface VoidCliOptions extends DbOptions {
  readonly reason?: string;
  readonly partner?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('void')
    .description('void an issued invoice; its customer and period can then be issued again')
    .argument('<number>', 'invoice number, e.g. CONTOSO-202610-0001')
    .option('--reason <text>', 'why it is voided (required)')
    .option('--partner <id>', 'partner of the invoice (default: from the number)');
  withDb(cmd).action(async (number: string, opts: VoidCliOptions) => {
    process.exitCode = await runVoid(number, opts, processIo);
  });
}

export async function runVoid(number: string, opts: VoidCliOptions, io: DocumentIo): Promise<number> {
  return runCommand('void', io, async () => {
    const partner = partnerOf(number, opts.partner);
    const reason = reasonOf(opts.reason);
    const { voidInvoice } = await import('../app/documents.js');
    const res = await withRepo('void', opts, (repo) => voidInvoice(repo, partner, number, reason));
    const r = res.record;
    io.out(JSON.stringify({ number: r.number, kind: 'invoice', status: 'void', reason: r.reason, voidedAt: r.voidedAt }, null, 2) + '\n');
    return 0;
  });
}
