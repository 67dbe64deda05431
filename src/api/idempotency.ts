// Idempotency-Key on writes (SPEC §6): the first successful answer to a key is
// stored; the same key with the same method, path and body replays it; with
// anything else it is 409. Errors are not stored, so a failed call can be
// retried with its key.
//
// The key is claimed in the database, inside the write's own transaction
// (answerOnce and IdempotencyClaim): several servers share one database, so a
// per-process "in flight" set or a look-up before the transaction let two
// servers both write for one key (issue 21 item 1). A second request with the
// key waits for the first's transaction and then replays its answer. The
// look-up in preHandler only spares a replay the work of the write.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { bodyHash } from '../app/ingest.js';
import { IdempotentReplay, type IdempotencyClaim, type IdempotencyRecord, type IdempotentAnswer } from '../store/repository.js';
import { ERR } from '../errors.js';
import { invalid } from './problem.js';
import type { ApiContext } from './context.js';

export const JSON_TYPE = 'application/json; charset=utf-8';

/** A JSON answer as stored under a key. */
export const jsonAnswer = (status: number, value: unknown): IdempotentAnswer => ({ status, contentType: JSON_TYPE, response: JSON.stringify(value) });

/** The stored answer to a key, or 409 when the key came with another request. */
function replay(req: FastifyRequest, reply: FastifyReply, stored: IdempotencyRecord, hash: string): FastifyReply {
  if (stored.bodyHash !== hash) {
    throw ERR.IDEMPOTENCY_KEY_REUSED({ key: stored.key, route: stored.route });
  }
  return reply.code(stored.status).header('idempotent-replayed', 'true').type(stored.contentType).send(stored.response);
}

/**
 * Runs a store write with the request's Idempotency-Key (if any) claimed in
 * the write's transaction, and answers: `answer` turns the write's result into
 * the answer (computed once, inside the transaction, and stored there), or
 * into an error (a 404 problem, say) that is thrown and not stored. A key answered before
 * (by this server or another) replays that answer and writes nothing.
 */
export async function answerOnce<R>(
  req: FastifyRequest,
  reply: FastifyReply,
  // the claim's own type parameter left open (its answer is a method, so it
  // fits every write's claim): typing it IdempotencyClaim<R> leaves R unknown
  write: (claim: IdempotencyClaim<never> | undefined) => Promise<R>,
  answer: (result: R) => IdempotentAnswer | Error,
): Promise<FastifyReply> {
  const idem = req.idem;
  let made: IdempotentAnswer | Error | undefined;
  const claim: IdempotencyClaim<R> | undefined = idem && {
    key: idem.key,
    route: idem.route,
    bodyHash: idem.bodyHash,
    answer: (result) => {
      made = answer(result);
      return made instanceof Error ? null : made;
    },
  };
  let result: R;
  try {
    result = await write(claim);
  } catch (err) {
    if (err instanceof IdempotentReplay && idem) return replay(req, reply, err.stored, idem.bodyHash);
    throw err;
  }
  if (idem) idem.stored = true;
  const a = made ?? answer(result);
  if (a instanceof Error) throw a;
  return reply.code(a.status).type(a.contentType).send(a.response);
}

export function registerIdempotency(app: FastifyInstance, ctx: ApiContext): void {
  const preHandler = async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const raw = req.headers['idempotency-key'];
    if (raw === undefined) return;
    if (typeof raw !== 'string' || raw.length === 0 || raw.length > 255) {
      throw ERR.INVALID_HEADER({ detail: 'Idempotency-Key must be 1 to 255 characters' }, { errors: [invalid('/idempotency-key', 'invalid', 'headers')] });
    }
    const partner = req.plan!.partner.id;
    const route = `${req.method} ${req.url.split('?')[0]}`;
    const hash = bodyHash({ route, body: req.body ?? null });
    const stored = await ctx.repo.getIdempotent(partner, raw);
    if (stored) return replay(req, reply, stored, hash);
    req.idem = { key: raw, route, bodyHash: hash };
    return undefined;
  };

  // An answer that bypassed answerOnce (finalize of a statement already
  // issued writes nothing): stored after it is sent; the first stored wins.
  const onSend = async (req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    const idem = req.idem;
    if (!idem || idem.stored || reply.statusCode < 200 || reply.statusCode >= 300 || typeof payload !== 'string') return payload;
    const contentType = String(reply.getHeader('content-type') ?? 'application/json');
    await ctx.repo.putIdempotent(req.plan!.partner.id, { ...idem, status: reply.statusCode, contentType, response: payload });
    return payload;
  };

  // Only write routes get the hooks: reads (POST /evaluate among them) pay nothing for them.
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.config?.write) return;
    const add = <T>(existing: T | T[] | undefined, hook: T): T[] => [...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]), hook];
    route.preHandler = add(route.preHandler, preHandler as never);
    route.onSend = add(route.onSend, onSend as never);
  });
}
