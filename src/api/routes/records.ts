// Corrections of requests, worklogs and spend before they are billed (issue
// 22): PATCH and DELETE, admin only, idempotent with an Idempotency-Key,
// refused with 409 PERIOD_ISSUED once the period is issued. The work is
// app/records.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IdempotencyHeaders, WithId } from '../../wire/params.js';
import { RequestPatchBody, SpendPatchBody, WorklogPatchBody } from '../../wire/corrections.js';
import { scope, type ApiContext } from '../context.js';
import { answerOnce, jsonAnswer } from '../idempotency.js';
import { ERR } from '../../errors.js';
import { RecordError } from '../../app/ingest.js';
import { deleteRecord, patchRecord } from '../../app/records.js';
import type { CorrectableKind, RecordRevision } from '../../store/repository.js';

const write = { write: true } as const;
const NOUN = { requests: 'request', worklogs: 'worklog', spend: 'spend record' } as const;
const BODY = { requests: RequestPatchBody, worklogs: WorklogPatchBody, spend: SpendPatchBody } as const;

/** A corrected record failing the checks of a new one: the same problem a POST gets. */
function recordProblem(err: unknown): unknown {
  return err instanceof RecordError ? ERR[err.code ?? 'INVALID_RECORD']({ detail: err.message }, { errors: err.errors }) : err;
}

export const recordRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, ctx) => {
  for (const kind of ['requests', 'worklogs', 'spend'] as const satisfies readonly CorrectableKind[]) {
    const notFound = (id: string) => ERR.NOT_FOUND({ what: `${NOUN[kind]} "${id}"` });
    const run = async (req: FastifyRequest, reply: FastifyReply, body: Record<string, unknown> | null) => {
      const { plan } = scope(req);
      const { id } = req.params as { id: string };
      try {
        return await answerOnce(
          req,
          reply,
          (claim) => (body ? patchRecord(ctx.repo, plan, kind, id, body, claim, req.auth?.id, ctx.now) : deleteRecord(ctx.repo, plan, kind, id, claim, req.auth?.id)),
          (r: RecordRevision<typeof kind> | null) => (r ? jsonAnswer(200, r.after ?? { deleted: r.before }) : notFound(id)),
        );
      } catch (err) {
        throw recordProblem(err);
      }
    };
    app.patch(
      `/${kind}/:id`,
      {
        config: write,
        schema: {
          tags: ['usage'],
          summary: `Correct a ${NOUN[kind]} before its period is invoiced`,
          description: `The fields given replace the stored ones (null removes an optional field); the id and customer stay. The corrected record is checked like a new one${kind === 'requests' ? ' and its decision taken again' : ''}. 409 PERIOD_ISSUED once the customer has an invoice for its period (before or after the change).`,
          params: WithId,
          headers: IdempotencyHeaders,
          body: BODY[kind],
        },
      },
      async (req, reply) => run(req, reply, req.body as Record<string, unknown>),
    );
    app.delete(
      `/${kind}/:id`,
      {
        config: write,
        schema: {
          tags: ['usage'],
          summary: `Delete a ${NOUN[kind]} before its period is invoiced`,
          description: `Answers { deleted: <the record> }. 409 PERIOD_ISSUED once the customer has an invoice for its period${kind === 'requests' ? '; 409 RECORD_IN_USE while worklogs refer to the request (its events are deleted with it)' : ''}.`,
          params: WithId,
          headers: IdempotencyHeaders,
        },
      },
      async (req, reply) => run(req, reply, null),
    );
  }
};
