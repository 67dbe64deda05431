// `tierbook documents --customer C [--period P] [--kind K]`: the issued
// invoices and credit notes with their status (§9.7), and the helpers the
// credit-note and void commands share. The work is app/documents.ts, which
// the API's documents routes call too. Registration is light; the store loads
// when a command runs.
import type { Command } from 'commander';
import { cliLine, ERR, isTierbookError } from '../errors.js';
import { SLUG, TEXT_PATTERN } from '../wire/patterns.js';
import { DOCUMENT_NUMBER_PATTERN } from '../wire/documents.js';
import { loadPlanDir, openDb, withDb, withPlans, type DbOptions } from './store-options.js';
import type { Plan } from '../plans/types.js';
import type { Repository } from '../store/repository.js';

export interface DocumentIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}
export const processIo: DocumentIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

export interface DocumentsCliOptions extends DbOptions {
  readonly partner?: string;
  readonly customer?: string;
  readonly period?: string;
  readonly kind?: string;
  readonly format: string;
  readonly plans: string;
}

/** The partner of a document number: the number's prefix in lower case (CONTOSO-202610-0001, CONTOSO-CN-202612-0001: contoso), unless --partner says. */
export function partnerOf(number: string, given: string | undefined): string {
  if (!new RegExp(DOCUMENT_NUMBER_PATTERN).test(number)) throw ERR.USAGE({ detail: `"${number}" is not a document number (expected e.g. CONTOSO-202610-0001 or CONTOSO-CN-202612-0001)` });
  const fromNumber = number.replace(/(-CN)?-\d{6}-\d+$/, '').toLowerCase();
  if (given !== undefined && given !== fromNumber) throw ERR.USAGE({ detail: `document ${number} does not belong to partner "${given}"` });
  return fromNumber;
}

/** --reason: required, at most 500 characters, no control characters (the API's rule, wire/documents.ts). */
export function reasonOf(given: string | undefined): string {
  const reason = given?.trim();
  if (!reason) throw ERR.USAGE({ detail: '--reason is required' });
  if (reason.length > 500 || !new RegExp(TEXT_PATTERN).test(reason)) throw ERR.USAGE({ detail: '--reason must be at most 500 characters, without control characters' });
  return reason;
}

/** Runs a command's work: a registered error is its one line on stderr and its exit status. */
export async function runCommand(command: string, io: DocumentIo, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (e) {
    if (!isTierbookError(e)) throw e;
    io.err(cliLine(command, e) + '\n');
    return e.exit;
  }
}

/** The store, closed after `work`. */
export async function withRepo<T>(command: string, opts: DbOptions, work: (repo: Repository) => Promise<T>): Promise<T> {
  const repo = await openDb(command, opts);
  try {
    return await work(repo);
  } finally {
    await repo.close();
  }
}

/** The partner's plan from --plans (PLAN_NOT_LOADED when it does not compile or is absent). */
export async function planOf(command: string, dir: string, partner: string): Promise<Plan> {
  const plan = (await loadPlanDir(command, dir)).plans.get(partner);
  if (!plan) throw ERR.PLAN_NOT_LOADED({ partner });
  return plan;
}

export function register(program: Command): void {
  const cmd = program
    .command('documents')
    .description('issued invoices and credit notes with their status (issued, partially-credited, credited, void)')
    .option('--partner <id>', 'partner (default: the only plan in --plans)')
    .option('--customer <id>', 'only this customer\'s documents')
    .option('--period <YYYY-MM>', 'only this period\'s (a credit note has its invoice\'s period)')
    .option('--kind <kind>', 'invoice | credit-note')
    .option('--format <format>', 'text | json', 'text');
  withPlans(withDb(cmd)).action(async (opts: DocumentsCliOptions) => {
    process.exitCode = await runDocuments(opts, processIo);
  });
}

export async function runDocuments(opts: DocumentsCliOptions, io: DocumentIo): Promise<number> {
  return runCommand('documents', io, async () => {
    if (opts.format !== 'text' && opts.format !== 'json') throw ERR.USAGE({ detail: `unknown format "${opts.format}" (text or json)` });
    if (opts.customer !== undefined && !SLUG.test(opts.customer)) throw ERR.USAGE({ detail: `--customer must be a customer id, got "${opts.customer}"` });
    if (opts.period !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(opts.period)) throw ERR.USAGE({ detail: `--period must be YYYY-MM, got "${opts.period}"` });
    if (opts.kind !== undefined && opts.kind !== 'invoice' && opts.kind !== 'credit-note') throw ERR.USAGE({ detail: `--kind must be invoice or credit-note, got "${opts.kind}"` });
    let partner = opts.partner;
    if (partner === undefined) {
      const ids = [...(await loadPlanDir('documents', opts.plans)).plans.keys()];
      if (ids.length !== 1) throw ERR.USAGE({ detail: `give --partner (the plans directory holds ${ids.length === 0 ? 'no plan' : ids.join(', ')})` });
      partner = ids[0]!;
    } else if (!SLUG.test(partner)) throw ERR.USAGE({ detail: `--partner must be a partner id, got "${partner}"` });
    const { listDocuments } = await import('../app/documents.js');
    const filter = { ...(opts.customer ? { customer: opts.customer } : {}), ...(opts.period ? { period: opts.period } : {}), ...(opts.kind ? { kind: opts.kind as 'invoice' | 'credit-note' } : {}) };
    const docs = await withRepo('documents', opts, (repo) => listDocuments(repo, partner!, filter));
    if (opts.format === 'json') {
      io.out(JSON.stringify(docs, null, 2) + '\n');
      return 0;
    }
    const rows = [['NUMBER', 'KIND', 'CUSTOMER', 'PERIOD', 'ISSUED', 'TOTAL', 'STATUS', 'CREDITED', 'NOTE']];
    for (const d of docs) {
      const note = d.credits ? `credits ${d.credits}` : d.replacedBy ? `replaced by ${d.replacedBy}` : d.replaces ? `replaces ${d.replaces}` : '';
      rows.push([d.number, d.kind, d.customer, d.period, d.issuedAt, d.total, d.status, d.credited, note]);
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) io.out(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd() + '\n');
    return 0;
  });
}
