// The import use case: bodies of one kind checked one by one, so that every
// bad one is reported (not only the first), then stored in one call. Reading
// the file and naming lines belong to the CLI (src/cli/import-run.ts).
import type { Plan } from '../plans/types.js';
import { ConflictError, MissingReferenceError, type Hashed, type KindRecord, type RecordKind, type Repository } from '../store/repository.js';
import { Ingest, RecordError } from './ingest.js';
import { ERR, type ErrorCode } from '../errors.js';

/** A body that cannot be imported: its index in the input and what is wrong (`pointer` '' when the whole body). */
export interface ImportProblem {
  /** The registry code (src/errors.ts). */
  readonly code: ErrorCode;
  readonly index: number | undefined;
  readonly pointer: string;
  readonly detail: string;
}

export type ImportResult =
  | {
      readonly ok: true;
      readonly stored: number;
      readonly created: number;
      /** How long the one write transaction took: other writers (servers) waited this long for the lock. */
      readonly writeMs: number;
    }
  | { readonly ok: false; readonly problems: readonly ImportProblem[] };

/** Imports `bodies` of `kind` for the plan's partner: all of them or, with any problem, none. */
export async function importRecords(repo: Repository, plan: Plan, kind: RecordKind, bodies: readonly unknown[]): Promise<ImportResult> {
  const ingest = new Ingest(repo, plan);
  const records: Hashed<KindRecord[RecordKind]>[] = [];
  const problems: ImportProblem[] = [];
  for (let i = 0; i < bodies.length; i++) {
    try {
      records.push(...(await ingest.records(kind, [bodies[i]])));
    } catch (err) {
      if (!(err instanceof RecordError)) throw err;
      for (const e of err.errors) problems.push({ code: err.code, index: i, pointer: e.pointer || '/', detail: e.detail });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  try {
    const start = performance.now();
    const res = await repo.insertMany(plan.partner.id, kind, records);
    const writeMs = Math.round(performance.now() - start);
    return { ok: true, stored: res.length, created: res.filter((r) => r.created).length, writeMs };
  } catch (err) {
    if (err instanceof MissingReferenceError) return { ok: false, problems: [{ code: 'MISSING_REFERENCE', index: err.index, pointer: err.pointer, detail: err.message }] };
    if (err instanceof ConflictError) return { ok: false, problems: [{ code: 'RECORD_CONFLICT', index: err.index, pointer: '', detail: err.message }] };
    if (ERR.SUBSCRIPTION_OVERLAP.is(err)) return { ok: false, problems: [{ code: 'SUBSCRIPTION_OVERLAP', index: err.index, pointer: '/start', detail: err.message }] };
    throw err;
  }
}
