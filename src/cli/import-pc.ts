// `tierbook import partner-center <file> --partner P` (SPEC §12.2): the file
// is streamed from disk (never read whole), with a progress bar on stderr when
// it is a terminal; the summary goes to stdout as text or JSON.
import { createReadStream, statSync } from 'node:fs';
import { cliLine, isTierbookError } from '../errors.js';
import { importPartnerCenter, type ImportSummary } from '../partner-center/import.js';
import { loadPlanDir, openDb, usage } from './store-options.js';

export interface PartnerCenterOptions {
  readonly partner?: string;
  readonly db: string;
  readonly dbPool?: string;
  readonly plans: string;
  readonly format?: string;
  readonly strict?: boolean;
  readonly dryRun?: boolean;
}

const KIND_NAME = { invoice: 'invoice reconciliation', daily: 'daily rated usage' } as const;

/** The summary as people read it. */
export function summaryText(s: ImportSummary): string {
  const out: string[] = [];
  const n = (x: number, one: string, many = `${one}s`) => `${x} ${x === 1 ? one : many}`;
  out.push(`${s.file}: ${KIND_NAME[s.kind]} file, ${n(s.lines, 'line')}${s.dryRun ? ' (dry run: nothing written)' : ''}`);
  const i = s.imported;
  out.push(`imported: ${n(i.records, 'spend record')} (${i.created} new, ${i.replaced} replaced), cost ${i.cost}`);
  const group = (title: string, rows: readonly { lines: number; cost: string }[], label: (r: never) => string) => {
    if (rows.length === 0) return;
    out.push(`${title}:`);
    for (const r of rows) out.push(`  ${label(r as never)}: ${n(r.lines, 'line')}, cost ${r.cost}`);
  };
  group('unknown customers (no customer has this tenantId)', s.unknownCustomers, (r: ImportSummary['unknownCustomers'][number]) => `${r.customerId}${r.customerName ? ` ${r.customerName}` : ''}`);
  group('unmatched (no service matches)', s.unmatched, (r: ImportSummary['unmatched'][number]) => r.productName || '(no ProductName)');
  group("other currencies (not the customer's statement currency)", s.currencyMismatch, (r: ImportSummary['currencyMismatch'][number]) => r.currency || '(none)');
  return out.join('\n') + '\n';
}

/** Returns the exit status: 0 imported, 1 refused (nothing written). */
export async function runImportPartnerCenter(file: string, opts: PartnerCenterOptions): Promise<number> {
  if (opts.partner === undefined) usage('import', 'partner-center needs --partner <id>: the partner whose customers the file bills');
  const format = opts.format ?? 'text';
  if (format !== 'text' && format !== 'json') usage('import', `--format must be text or json, got "${format}"`);
  let size = 0;
  if (file !== '-') {
    try {
      size = statSync(file).size;
    } catch (err) {
      return usage('import', `cannot read ${file}: ${(err as Error).message}`);
    }
  }
  const loaded = await loadPlanDir('import', opts.plans);
  const plan = loaded.plans.get(opts.partner);
  if (!plan) {
    process.stderr.write(`tierbook import: no valid plan for partner "${opts.partner}" in ${opts.plans}\n`);
    return 1;
  }
  const print = (s: ImportSummary) => process.stdout.write(format === 'json' ? JSON.stringify(s, null, 2) + '\n' : summaryText(s));

  // a bar only for a person watching a file of known size
  let bar: { update(n: number): void; stop(): void } | null = null;
  if (process.stderr.isTTY && size > 0) {
    const { SingleBar, Presets } = await import('cli-progress');
    const b = new SingleBar({ stream: process.stderr, format: 'reading {bar} {percentage}% | {value}/{total} bytes', hideCursor: true }, Presets.shades_classic);
    b.start(size, 0);
    bar = b;
  }
  const repo = await openDb('import', opts);
  try {
    const source = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1 << 20 });
    const summary = await importPartnerCenter(repo, plan, source, {
      file: file === '-' ? '<stdin>' : file,
      strict: opts.strict === true,
      dryRun: opts.dryRun === true,
      ...(bar ? { onBytes: (n: number) => bar!.update(n) } : {}),
    });
    bar?.stop();
    print(summary);
    return 0;
  } catch (err) {
    bar?.stop();
    if (isTierbookError(err, 'INVALID_RECONCILIATION_FILE', 'RECONCILIATION_LINES_REPORTED', 'MISSING_REFERENCE')) {
      const summary = err.extra.summary as ImportSummary | undefined;
      if (summary) print(summary);
      const x = err.extra as { line?: number; column?: number; columnName?: string; reason?: string };
      // an error inside the file is located compiler-style, as `tierbook import` does (docs/errors.md)
      const located =
        x.line !== undefined && x.reason !== undefined
          ? `${file === '-' ? '<stdin>' : file}:${x.line}${x.column !== undefined ? `:${x.column}` : ''}: ${err.code}: ${x.columnName ? `${x.columnName}: ` : ''}${x.reason}`
          : cliLine('import', err);
      process.stderr.write(located + '\n');
      return err.exit;
    }
    throw err;
  } finally {
    await repo.close();
  }
}
