// Adjustments (§9.1): one-off charges and credits on a customer's period.
// Bodies (API, `tierbook import adjustments`) become store records here: the
// schema (src/wire), the checks it cannot make (an offering of the plan, an
// amount in the partner's currency), and the body hash that makes an id
// idempotent. The store refuses a period with an issued invoice
// (PERIOD_ISSUED) inside its write transaction.
import { randomUUID } from 'node:crypto';
import type { Plan } from '../plans/types.js';
import { ConflictError, MissingReferenceError, type AdjustmentRecord, type Hashed, type IdempotencyClaim, type Repository, type WriteResult } from '../store/repository.js';
import { AdjustmentBody } from '../wire/records.js';
import { ajvToParams, validatorOf } from '../wire/validate.js';
import { currencyDigits } from '../currency.js';
import { ERR, TierbookError, type ErrorCode, type FieldError } from '../errors.js';
import { bodyHash } from './ingest.js';
import type { ImportProblem, ImportResult } from './import.js';

const refuse = (errors: FieldError[], index: number | undefined, prefix: (i: number | undefined) => string): TierbookError =>
  ERR.INVALID_RECORD({ detail: prefix(index) + errors.map((e) => `${e.pointer || '/'}: ${e.detail}`).join('; ') }, { errors, ...(index === undefined ? {} : { index }) });

/**
 * The records of adjustment bodies, or INVALID_RECORD naming the field (in a
 * batch `/<index>/<field>`). An adjustment without an id gets one (its
 * Idempotency-Key, if any, keeps a retry from writing it twice).
 */
export function adjustmentRecords(plan: Plan, bodies: readonly unknown[], batch = false): Hashed<AdjustmentRecord>[] {
  const validate = validatorOf(AdjustmentBody);
  const at = (i: number | undefined, p: string): string => (batch ? `/${i ?? 0}${p}` : p);
  const which = (i: number | undefined): string => (batch ? `record ${i ?? 0}: ` : '');
  const digits = currencyDigits(plan.partner.currency);
  return bodies.map((body, index) => {
    if (!validate(body)) throw refuse(ajvToParams(validate.errors ?? [], 'body').map((e) => ({ ...e, pointer: at(index, e.pointer) })), batch ? index : undefined, which);
    const b = body as AdjustmentBody;
    const errors: FieldError[] = [];
    if (b.offering !== undefined && !plan.offerings.has(b.offering)) errors.push({ in: 'body', pointer: at(index, '/offering'), detail: `unknown offering "${b.offering}" (declared: ${[...plan.offerings.keys()].join(', ')})` });
    const decimals = (/\.(\d+)$/.exec(b.amount)?.[1] ?? '').replace(/0+$/, '').length;
    if (decimals > digits) errors.push({ in: 'body', pointer: at(index, '/amount'), detail: `${plan.partner.currency} amounts have at most ${digits} decimals, got "${b.amount}"` });
    if (errors.length > 0) throw refuse(errors, batch ? index : undefined, which);
    const record: AdjustmentRecord = {
      id: b.id ?? `adj-${randomUUID()}`,
      customer: b.customer,
      period: b.period,
      description: b.description,
      amount: b.amount,
      ...(b.offering !== undefined ? { offering: b.offering } : {}),
      taxable: b.taxable !== false,
    };
    // the id is not part of its own hash (a body without id is hashed as sent)
    return { record, bodyHash: bodyHash({ ...b, id: record.id }) };
  });
}

/** Writes adjustments in one transaction; store refusals become problems pointing at the record. */
export async function addAdjustments(
  repo: Repository,
  plan: Plan,
  bodies: readonly unknown[],
  opts: { batch?: boolean; claim?: IdempotencyClaim<WriteResult<AdjustmentRecord>[]> } = {},
): Promise<WriteResult<AdjustmentRecord>[]> {
  const batch = opts.batch ?? false;
  const records = adjustmentRecords(plan, bodies, batch);
  const which = (i: number | undefined): string => (batch ? `record ${i ?? 0}: ` : '');
  try {
    return await repo.insertAdjustments(plan.partner.id, records, opts.claim);
  } catch (err) {
    if (err instanceof MissingReferenceError) {
      throw ERR.MISSING_REFERENCE({ detail: which(err.index) + err.message }, { errors: [{ in: 'body', pointer: batch ? `/${err.index ?? 0}${err.pointer}` : err.pointer, detail: err.message }], ...(batch ? { index: err.index } : {}) });
    }
    if (err instanceof ConflictError) throw ERR.RECORD_CONFLICT({ detail: which(err.index) + err.message }, batch ? { index: err.index ?? 0 } : {});
    throw err;
  }
}

/**
 * `tierbook import adjustments` (CSV or NDJSON): every row checked, every bad
 * one reported, then all written in one transaction or none. CSV cells are
 * text: `taxable` "true"/"false" is read as the boolean, empty optional
 * cells as absent.
 */
export async function importAdjustments(repo: Repository, plan: Plan, bodies: readonly unknown[]): Promise<ImportResult> {
  const problems: ImportProblem[] = [];
  const records: Hashed<AdjustmentRecord>[] = [];
  bodies.forEach((body, i) => {
    try {
      records.push(...adjustmentRecords(plan, [fromCsvCells(body)]));
    } catch (err) {
      if (!(err instanceof TierbookError)) throw err;
      for (const e of err.errors ?? [{ in: 'body' as const, pointer: '', detail: err.message }]) problems.push({ code: err.code as ErrorCode, index: i, pointer: e.pointer || '/', detail: e.detail });
    }
  });
  if (problems.length > 0) return { ok: false, problems };
  try {
    const start = performance.now();
    const res = await repo.insertAdjustments(plan.partner.id, records);
    return { ok: true, stored: res.length, created: res.filter((r) => r.created).length, writeMs: Math.round(performance.now() - start) };
  } catch (err) {
    if (err instanceof MissingReferenceError) return { ok: false, problems: [{ code: 'MISSING_REFERENCE', index: err.index, pointer: err.pointer, detail: err.message }] };
    if (err instanceof ConflictError) return { ok: false, problems: [{ code: 'RECORD_CONFLICT', index: err.index, pointer: '', detail: err.message }] };
    if (ERR.PERIOD_ISSUED.is(err)) return { ok: false, problems: [{ code: 'PERIOD_ISSUED', index: err.index, pointer: '/period', detail: err.message }] };
    throw err;
  }
}

function fromCsvCells(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (v === '' && (k === 'id' || k === 'offering' || k === 'taxable')) continue;
    out[k] = k === 'taxable' && (v === 'true' || v === 'false') ? v === 'true' : v;
  }
  return out;
}
