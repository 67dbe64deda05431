// Writing records from API bodies: ingest (validate, convert, decide), then
// one store transaction; store and ingest errors become 400/409 problems that
// point at the offending field (inside the batch: /<index>/<field>).
import type { FastifyRequest } from 'fastify';
import { ConflictError, MissingReferenceError, type KindRecord, type RecordKind, type WriteResult } from '../store/repository.js';
import { Ingest, RecordError } from './ingest.js';
import { HttpProblem } from './problem.js';
import { scope, type ApiContext } from './context.js';

export async function writeRecords<K extends RecordKind>(
  ctx: ApiContext,
  req: FastifyRequest,
  kind: K,
  bodies: readonly unknown[],
  batch = false,
): Promise<WriteResult<KindRecord[K]>[]> {
  const { partner, plan } = scope(req);
  const at = (index: number | undefined, pointer: string): string => (batch ? `/${index ?? 0}${pointer}` : pointer);
  const which = (index: number | undefined): string => (batch ? `record ${index ?? 0}: ` : '');
  try {
    const records = await new Ingest(ctx.repo, plan).records(kind, bodies);
    return await ctx.repo.insertMany(partner, kind, records);
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

/** One record: 201 whether new or replayed (the same id and body replays the stored result). */
export async function writeOne<K extends RecordKind>(ctx: ApiContext, req: FastifyRequest, kind: K, body: unknown): Promise<KindRecord[K]> {
  const [res] = await writeRecords(ctx, req, kind, [body]);
  return res!.record;
}
