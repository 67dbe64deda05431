// The work of `tierbook import` (kept apart so registering the command stays light).
import { readFileSync } from 'node:fs';
import { Ingest, RecordError } from '../app/ingest.js';
import { openSqlite } from '../store/sqlite.js';
import { ConflictError, MissingReferenceError, type Hashed, type KindRecord, type RecordKind } from '../store/repository.js';
import { decodeUtf8 } from './quote-input.js';
import { readRecords, RecordsFileError, type FileRecord } from './records-file.js';
import { loadPlanDir, usage } from './store-options.js';

interface ImportOptions {
  readonly partner?: string;
  readonly db: string;
  readonly plans: string;
}

/** Returns the exit status: 0 imported, 1 bad input (nothing written). */
export async function runImport(kind: RecordKind, file: string, opts: ImportOptions): Promise<number> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file === '-' ? 0 : file);
  } catch (err) {
    return usage('import', `cannot read ${file}: ${(err as Error).message}`);
  }
  const name = file === '-' ? '<stdin>' : file;
  const fail = (lines: string[]): number => {
    for (const l of lines) process.stderr.write(l + '\n');
    process.stderr.write(`tierbook import: nothing imported (${lines.length} error${lines.length === 1 ? '' : 's'})\n`);
    return 1;
  };

  // bad bytes would otherwise be stored as U+FFFD in names: refuse the file
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) return fail([`${name}:${decoded.line}:${decoded.column}: ${decoded.message}`]);
  let rows: FileRecord[];
  try {
    rows = readRecords(file, decoded.text);
  } catch (err) {
    if (err instanceof RecordsFileError) return fail(err.problems.map((p) => `${name}:${p.line}${p.column ? `:${p.column}` : ''}: ${p.message}`));
    throw err;
  }
  if (rows.length === 0) {
    process.stderr.write(`tierbook import: ${name} holds no records\n`);
    return 0;
  }

  // One partner per import: the rows' own, else --partner.
  const errors: string[] = [];
  const partners = new Set<string>();
  const bodies = rows.map((r) => {
    if (typeof r.value !== 'object' || r.value === null || Array.isArray(r.value)) {
      errors.push(`${name}:${r.line}: not a JSON object`);
      return r.value;
    }
    const { partner, ...rest } = r.value as Record<string, unknown>;
    const p = partner ?? opts.partner;
    if (p === undefined) errors.push(`${name}:${r.line}: /partner: required (or give --partner)`);
    else if (typeof p !== 'string') errors.push(`${name}:${r.line}: /partner: must be a partner id (a string), got ${JSON.stringify(p)?.slice(0, 40)}`);
    else partners.add(p);
    // requests carry their partner (§3.1); the other kinds do not have the field
    return kind === 'requests' && partner !== undefined ? r.value : rest;
  });
  if (partners.size > 1) errors.push(`${name}: rows name several partners (${[...partners].join(', ')}); import one partner at a time`);
  if (errors.length > 0) return fail(errors);
  const partner = [...partners][0]!;

  const loaded = await loadPlanDir('import', opts.plans);
  const plan = loaded.plans.get(partner);
  if (!plan) return fail([`${name}: no valid plan for partner "${partner}" in ${opts.plans}`]);

  const repo = await openSqlite(opts.db);
  try {
    // Every row is checked, so the report lists all bad rows, not only the first.
    const ingest = new Ingest(repo, plan);
    const records: Hashed<KindRecord[RecordKind]>[] = [];
    for (let i = 0; i < bodies.length; i++) {
      try {
        records.push(...(await ingest.records(kind, [bodies[i]])));
      } catch (err) {
        if (!(err instanceof RecordError)) throw err;
        for (const e of err.errors) errors.push(`${name}:${rows[i]!.line}: ${e.pointer || '/'}: ${e.detail}`);
      }
    }
    if (errors.length > 0) return fail(errors);
    try {
      const res = await repo.insertMany(partner, kind, records);
      const created = res.filter((r) => r.created).length;
      process.stderr.write(`imported ${res.length} ${kind} for ${partner} (${created} new, ${res.length - created} already present)\n`);
      return 0;
    } catch (err) {
      if (err instanceof MissingReferenceError || err instanceof ConflictError) {
        const line = err.index !== undefined ? rows[err.index]!.line : 0;
        const where = err instanceof MissingReferenceError ? `${err.pointer}: ` : '';
        return fail([`${name}:${line}: ${where}${err.message}`]);
      }
      throw err;
    }
  } finally {
    await repo.close();
  }
}
