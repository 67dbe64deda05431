// A request's life (SPEC §11.2): POST and GET /requests/:id/events. The clocks the
// events drive are answered by GET /requests/:id (usage.ts, through
// app/events.ts requestSla).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { EventBody } from '../../wire/records.js';
import { IdempotencyHeaders, WithId } from '../../wire/params.js';
import { scope, type ApiContext } from '../context.js';
import { addEvents, EventError } from '../../app/events.js';
import { ConflictError } from '../../store/repository.js';
import { ERR } from '../../errors.js';
import { answerOnce, jsonAnswer } from '../idempotency.js';

const NullableString = Type.Unsafe<string | null>({ type: ['string', 'null'] });
/** The event as stored (201; a replay answers the stored one). */
const EventAnswer = Type.Object({
  request: Type.String(),
  id: Type.String(),
  at: Type.String(),
  type: Type.String(),
  status: NullableString,
  severity: NullableString,
});

export const eventRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, ctx) => {
  app.get(
    '/requests/:id/events',
    {
      schema: {
        tags: ['requests'],
        summary: "A request's events, in the order they apply",
        description: 'By `at`, ties in order of arrival: the life GET /requests/:id computes its `sla` clocks from.',
        params: WithId,
        response: { 200: Type.Object({ items: Type.Array(EventAnswer) }) },
      },
    },
    async (req) => {
      const { partner } = scope(req);
      const { id } = req.params;
      if (!(await ctx.repo.getRequest(partner, id))) throw ERR.NOT_FOUND({ what: `request "${id}"` });
      const events = await ctx.repo.listEvents(partner, id);
      return { items: events.map((e) => ({ request: e.request, id: e.id, at: e.at, type: e.type, status: e.status ?? null, severity: e.severity ?? null })) };
    },
  );

  app.post(
    '/requests/:id/events',
    {
      config: { write: true },
      schema: {
        tags: ['requests'],
        summary: "Record an event of a request's life: a response, a status change, a severity change",
        description:
          'Applied in order of `at` (ties in order of arrival). An event with the id of one already stored for the request replays with the same body and conflicts (409) with another; without an id, the id is derived from what the event says, so the same event sent twice is stored once.',
        params: WithId,
        headers: IdempotencyHeaders,
        body: EventBody,
        response: { 201: EventAnswer },
      },
    },
    async (req, reply) => {
      const { partner, plan } = scope(req);
      const { id } = req.params;
      if (!(await ctx.repo.getRequest(partner, id))) throw ERR.NOT_FOUND({ what: `request "${id}"` });
      return answerOnce(
        req,
        reply,
        async (claim) => {
          try {
            return await addEvents(ctx.repo, plan, [{ request: id, ...req.body }], claim);
          } catch (err) {
            // one event: its fields are pointed at directly, no batch index
            if (err instanceof EventError) throw ERR[err.code]({ detail: err.message }, { errors: err.errors });
            if (err instanceof ConflictError) throw ERR.RECORD_CONFLICT({ detail: err.message });
            throw err;
          }
        },
        (results) => jsonAnswer(201, results[0]!.record),
      );
    },
  );
};
