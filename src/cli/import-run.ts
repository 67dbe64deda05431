// The work of `tierbook import` (kept apart so registering the command stays light).
import { readFileSync } from 'node:fs';
import { importRecords } from '../app/import.js';
import { importEvents } from '../app/events.js';
import { importAdjustments } from '../app/adjustments.js';
import type { RecordKind } from '../store/repository.js';
import { decodeUtf8 } from './quote-input.js';
import { readRecords, RecordsFileError, type FileRecord } from './records-file.js';
import { loadPlanDir, openDb, usage } from './store-options.js';
import type { ErrorCode } from '../errors.js';

interface ImportOptions {
  readonly partner?: string;
  readonly db: string;
  readonly dbPool?: string;
  readonly plans: string;
}

/** Returns the exit status: 0 imported, 1 bad input (nothing written). */
export async function runImport(kind: RecordKind | 'events' | 'adjustments', file: string, opts: ImportOptions): Promise<number> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file === '-' ? 0 : file);
  } catch (err) {
    return usage('import', `cannot read ${file}: ${(err as Error).message}`);
  }
  const name = file === '-' ? '<stdin>' : file;
  /** Every problem on its line, `file:line: CODE: …`, then the summary; exit 1. */
  const fail = (lines: Array<[ErrorCode, string, string]>): number => {
    for (const [code, where, msg] of lines) process.stderr.write(`${where}: ${code}: ${msg}\n`);
    process.stderr.write(`tierbook import: nothing imported (${lines.length} error${lines.length === 1 ? '' : 's'})\n`);
    return 1;
  };

  // bad bytes would otherwise be stored as U+FFFD in names: refuse the file
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) return fail([['BODY_NOT_UTF8', `${name}:${decoded.line}:${decoded.column}`, decoded.message]]);
  let rows: FileRecord[];
  try {
    rows = readRecords(file, decoded.text);
  } catch (err) {
    if (err instanceof RecordsFileError) return fail(err.problems.map((p) => ['INVALID_RECORDS_FILE', `${name}:${p.line}${p.column ? `:${p.column}` : ''}`, p.message]));
    throw err;
  }
  if (rows.length === 0) {
    process.stderr.write(`tierbook import: ${name} holds no records\n`);
    return 0;
  }

  // One partner per import: the rows' own, else --partner. Rows that name none
  // without --partner are one usage error, not an error per row.
  if (opts.partner === undefined) {
    const unnamed = rows.filter((r) => typeof r.value === 'object' && r.value !== null && !Array.isArray(r.value) && (r.value as { partner?: unknown }).partner === undefined).length;
    if (unnamed > 0) usage('import', `--partner is required: ${unnamed === rows.length ? 'no row names' : `${unnamed} of ${rows.length} rows name no`} partner`);
  }
  const errors: Array<[ErrorCode, string, string]> = [];
  const partners = new Set<string>();
  const bodies = rows.map((r) => {
    if (typeof r.value !== 'object' || r.value === null || Array.isArray(r.value)) {
      errors.push(['INVALID_RECORD', `${name}:${r.line}`, 'not a JSON object']);
      return r.value;
    }
    const { partner, ...rest } = r.value as Record<string, unknown>;
    const p = partner ?? opts.partner;
    if (p === undefined) errors.push(['INVALID_RECORD', `${name}:${r.line}`, '/partner: required (or give --partner)']);
    else if (typeof p !== 'string') errors.push(['INVALID_RECORD', `${name}:${r.line}`, `/partner: must be a partner id (a string), got ${JSON.stringify(p)?.slice(0, 40)}`]);
    else partners.add(p);
    // requests carry their partner (§3.1); the other kinds do not have the field
    return kind === 'requests' && partner !== undefined ? r.value : rest;
  });
  if (partners.size > 1) errors.push(['INVALID_RECORD', name, `rows name several partners (${[...partners].join(', ')}); import one partner at a time`]);
  if (errors.length > 0) return fail(errors);
  const partner = [...partners][0]!;

  const loaded = await loadPlanDir('import', opts.plans);
  const plan = loaded.plans.get(partner);
  if (!plan) return fail([['PLAN_NOT_LOADED', name, `no valid plan for partner "${partner}" in ${opts.plans}`]]);

  const repo = await openDb('import', opts);
  try {
    // events are not records of their own: they go onto requests (§11.2)
    // events go onto requests (§11.2); adjustments onto a customer's period (§9.1)
    const res = kind === 'events' ? await importEvents(repo, plan, bodies) : kind === 'adjustments' ? await importAdjustments(repo, plan, bodies) : await importRecords(repo, plan, kind, bodies);
    if (!res.ok) {
      // a store refusal may name no row (index undefined): line 0, as before
      return fail(res.problems.map((p) => [p.code, `${name}:${p.index !== undefined ? rows[p.index]!.line : 0}`, `${p.pointer ? `${p.pointer}: ` : ''}${p.detail}`]));
    }
    process.stderr.write(`imported ${res.stored} ${kind} for ${partner} (${res.created} new, ${res.stored - res.created} already present)\n`);
    // all or nothing is one transaction: say how long servers' writes waited for it (they answer 503 STORE_BUSY past their busy timeout)
    process.stderr.write(`tierbook import: one transaction held the store's write lock for ${res.writeMs} ms\n`);
    return 0;
  } finally {
    await repo.close();
  }
}
