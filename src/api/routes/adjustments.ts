// Month-end routes (§9.1, §9.5): adjustments, and the plan versions that
// issued statements were priced with.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AdjustmentBody } from '../../wire/records.js';
import { IdempotencyHeaders } from '../../wire/params.js';
import { Slug } from '../../wire/primitives.js';
import { scope, type ApiContext } from '../context.js';
import { answerOnce, jsonAnswer } from '../idempotency.js';
import { addAdjustments } from '../../app/adjustments.js';
import { ERR } from '../../errors.js';

const PlanVersionParams = Type.Object({
  partner: Slug('a partner id (slug)'),
  hash: Type.String({ pattern: '^sha256:[0-9a-f]{64}$', errorMessage: 'a plan hash "sha256:" followed by 64 hex digits, as in planHash' }),
});

export const adjustmentRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, ctx) => {
  app.post(
    '/adjustments',
    {
      config: { write: true },
      schema: {
        tags: ['statements'],
        summary: "A one-off charge or credit on a customer's period (201); 409 PERIOD_ISSUED when the period has an issued invoice",
        params: Type.Object({ partner: Slug('a partner id (slug)') }),
        headers: IdempotencyHeaders,
        body: AdjustmentBody,
      },
    },
    async (req, reply) =>
      answerOnce(
        req,
        reply,
        (claim) => addAdjustments(ctx.repo, scope(req).plan, [req.body], { claim }),
        (results) => jsonAnswer(201, results[0]!.record),
      ),
  );

  app.get(
    '/plan/versions/:hash',
    { schema: { tags: ['plan'], summary: 'The plan text stored at finalize under its planHash (text/yaml)', params: PlanVersionParams } },
    async (req, reply) => {
      const text = await ctx.repo.getPlanVersion(scope(req).partner, req.params.hash);
      if (text === null) throw ERR.PLAN_VERSION_NOT_FOUND({ hash: req.params.hash });
      return reply.type('text/yaml; charset=utf-8').send(text);
    },
  );
};
