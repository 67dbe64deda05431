// Writing records from API bodies: ingest (validate, convert, decide), then
// one store transaction; store and ingest errors become 400/409 problems that
// point at the offending field (inside the batch: /<index>/<field>).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConflictError, MissingReferenceError, type IdempotencyClaim, type KindRecord, type RecordKind, type WriteResult } from '../store/repository.js';
import { Ingest, RecordError } from '../app/ingest.js';
import { creations } from '../app/audit.js';
import { ERR } from '../errors.js';
import { scope, type ApiContext } from './context.js';
import { answerOnce, jsonAnswer } from './idempotency.js';

export async function writeRecords<K extends RecordKind>(
  ctx: ApiContext,
  req: FastifyRequest,
  kind: K,
  bodies: readonly unknown[],
  batch = false,
  claim?: IdempotencyClaim<WriteResult<KindRecord[K]>[]>,
): Promise<WriteResult<KindRecord[K]>[]> {
  const { partner, plan } = scope(req);
  const at = (index: number | undefined, pointer: string): string => (batch ? `/${index ?? 0}${pointer}` : pointer);
  const which = (index: number | undefined): string => (batch ? `record ${index ?? 0}: ` : '');
  try {
    const records = await new Ingest(ctx.repo, plan, ctx.now).records(kind, bodies);
    // customers and subscriptions created are audited (app/audit.ts), in the write's transaction
    return await ctx.repo.insertMany(partner, kind, records, claim, creations(req.auth?.id, kind));
  } catch (err) {
    if (err instanceof RecordError) {
      throw ERR[err.code ?? 'INVALID_RECORD']({ detail: which(err.index) + err.message }, { errors: err.errors.map((e) => ({ ...e, pointer: at(err.index, e.pointer) })), ...(batch ? { index: err.index } : {}) });
    }
    if (err instanceof MissingReferenceError) {
      throw ERR.MISSING_REFERENCE({ detail: which(err.index) + err.message }, { errors: [{ in: 'body', pointer: at(err.index, err.pointer), detail: err.message }], ...(batch ? { index: err.index } : {}) });
    }
    if (err instanceof ConflictError) {
      throw ERR.RECORD_CONFLICT({ detail: which(err.index) + err.message }, batch ? { index: err.index ?? 0 } : {});
    }
    throw err;
  }
}

/**
 * Writes records and answers with `shape(results)`. With an Idempotency-Key
 * the key is claimed and the answer stored inside the records' transaction
 * (answerOnce): a crash after the commit still replays it (no second write of
 * records without ids), and the same key on another server writes nothing.
 */
export function writeAndAnswer<K extends RecordKind>(
  ctx: ApiContext,
  req: FastifyRequest,
  reply: FastifyReply,
  kind: K,
  bodies: readonly unknown[],
  opts: { status: number; batch?: boolean; shape: (results: WriteResult<KindRecord[K]>[]) => unknown },
): Promise<FastifyReply> {
  return answerOnce(
    req,
    reply,
    (claim) => writeRecords(ctx, req, kind, bodies, opts.batch ?? false, claim),
    (results) => jsonAnswer(opts.status, opts.shape(results)),
  );
}

/** One record: 201 whether new or replayed (the same id and body replays the stored result). */
export function writeOne<K extends RecordKind>(
  ctx: ApiContext,
  req: FastifyRequest,
  reply: FastifyReply,
  kind: K,
  body: unknown,
  shape: (record: KindRecord[K]) => unknown = (r) => r,
): Promise<FastifyReply> {
  return writeAndAnswer(ctx, req, reply, kind, [body], { status: 201, shape: (results) => shape(results[0]!.record) });
}
