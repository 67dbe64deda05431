// Idempotency-Key on writes (SPEC §6): the first successful answer to a key is
// stored; the same key with the same method, path and body replays it; with
// anything else it is 409. Errors are not stored, so a failed call can be
// retried with its key. A key still being processed answers 409 too.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { bodyHash } from '../app/ingest.js';
import { HttpProblem, invalid } from './problem.js';
import type { ApiContext } from './context.js';

export function registerIdempotency(app: FastifyInstance, ctx: ApiContext): void {
  const inFlight = new Set<string>();

  const preHandler = async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const raw = req.headers['idempotency-key'];
    if (raw === undefined) return;
    if (typeof raw !== 'string' || raw.length === 0 || raw.length > 255) {
      throw new HttpProblem(400, 'Idempotency-Key must be 1 to 255 characters', [invalid('/idempotency-key', 'invalid', 'headers')]);
    }
    const partner = req.plan!.partner.id;
    const route = `${req.method} ${req.url.split('?')[0]}`;
    const hash = bodyHash({ route, body: req.body ?? null });
    const stored = await ctx.repo.getIdempotent(partner, raw);
    if (stored) {
      if (stored.bodyHash !== hash) {
        throw new HttpProblem(409, `Idempotency-Key "${raw}" was used with another request (${stored.route})`);
      }
      reply.code(stored.status).header('idempotent-replayed', 'true').type(stored.contentType);
      return reply.send(stored.response);
    }
    const slot = `${partner}\u0000${raw}`;
    if (inFlight.has(slot)) throw new HttpProblem(409, `a request with Idempotency-Key "${raw}" is still being processed`);
    inFlight.add(slot);
    req.idem = { key: raw, route, bodyHash: hash };
    return undefined;
  };

  const onSend = async (req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    const idem = req.idem;
    if (!idem || idem.stored || reply.statusCode < 200 || reply.statusCode >= 300 || typeof payload !== 'string') return payload;
    const contentType = String(reply.getHeader('content-type') ?? 'application/json');
    await ctx.repo.putIdempotent(req.plan!.partner.id, { ...idem, status: reply.statusCode, contentType, response: payload });
    return payload;
  };

  const release = async (req: FastifyRequest): Promise<void> => {
    if (req.idem) inFlight.delete(`${req.plan!.partner.id}\u0000${req.idem.key}`);
  };

  // Only write routes get the hooks: reads (POST /evaluate among them) pay nothing for them.
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.config?.write) return;
    const add = <T>(existing: T | T[] | undefined, hook: T): T[] => [...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]), hook];
    route.preHandler = add(route.preHandler, preHandler as never);
    route.onSend = add(route.onSend, onSend as never);
    route.onResponse = add(route.onResponse, release as never);
    route.onRequestAbort = add(route.onRequestAbort, release as never);
  });
}
