// Writing records from API bodies: ingest (validate, convert, decide), then
// one store transaction; store and ingest errors become 400/409 problems that
// point at the offending field (inside the batch: /<index>/<field>).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConflictError, MissingReferenceError, type IdempotencyRecord, type KindRecord, type RecordKind, type WriteResult } from '../store/repository.js';
import { Ingest, RecordError } from '../app/ingest.js';
import { HttpProblem } from './problem.js';
import { scope, type ApiContext } from './context.js';

export async function writeRecords<K extends RecordKind>(
  ctx: ApiContext,
  req: FastifyRequest,
  kind: K,
  bodies: readonly unknown[],
  batch = false,
  answer?: (results: WriteResult<KindRecord[K]>[]) => IdempotencyRecord,
): Promise<WriteResult<KindRecord[K]>[]> {
  const { partner, plan } = scope(req);
  const at = (index: number | undefined, pointer: string): string => (batch ? `/${index ?? 0}${pointer}` : pointer);
  const which = (index: number | undefined): string => (batch ? `record ${index ?? 0}: ` : '');
  try {
    const records = await new Ingest(ctx.repo, plan).records(kind, bodies);
    return await ctx.repo.insertMany(partner, kind, records, answer);
  } catch (err) {
    if (err instanceof RecordError) {
      throw new HttpProblem(400, which(err.index) + err.message, err.errors.map((e) => ({ ...e, pointer: at(err.index, e.pointer) })), batch ? { index: err.index } : {});
    }
    if (err instanceof MissingReferenceError) {
      throw new HttpProblem(400, which(err.index) + err.message, [{ in: 'body', pointer: at(err.index, err.pointer), detail: err.message }], batch ? { index: err.index } : {});
    }
    if (err instanceof ConflictError) {
      throw new HttpProblem(409, which(err.index) + err.message, undefined, batch ? { index: err.index } : {});
    }
    throw err;
  }
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Writes records and answers with `shape(results)`. With an Idempotency-Key
 * the answer is serialized inside the records' transaction and stored with
 * them, so a crash after the commit still replays it (no second write of
 * records without ids); the onSend hook then has nothing left to store.
 */
export async function writeAndAnswer<K extends RecordKind>(
  ctx: ApiContext,
  req: FastifyRequest,
  reply: FastifyReply,
  kind: K,
  bodies: readonly unknown[],
  opts: { status: number; batch?: boolean; shape: (results: WriteResult<KindRecord[K]>[]) => unknown },
): Promise<FastifyReply> {
  const idem = req.idem;
  let payload = '';
  const answer = (results: WriteResult<KindRecord[K]>[]): IdempotencyRecord => {
    payload = JSON.stringify(opts.shape(results));
    return { key: idem!.key, route: idem!.route, bodyHash: idem!.bodyHash, status: opts.status, contentType: JSON_TYPE, response: payload };
  };
  const results = await writeRecords(ctx, req, kind, bodies, opts.batch ?? false, idem ? answer : undefined);
  if (idem) idem.stored = true;
  else payload = JSON.stringify(opts.shape(results));
  return reply.code(opts.status).type(JSON_TYPE).send(payload);
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
