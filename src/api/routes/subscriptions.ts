// Subscriptions (§6, §8.1): create, read, quantity changes, and over time:
// PATCH (end, discount, prices, priceAsOf), a change of offering on a date,
// a customer's subscriptions. The work is src/app/subscriptions.ts, which the
// CLI (`tierbook subscription …`) calls too.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { QuantityBody, SubscriptionBody, SubscriptionChangeBody, SubscriptionPatchBody } from '../../wire/records.js';
import { IdempotencyHeaders, PartnerParams, WithId } from '../../wire/params.js';
import { scope, type ApiContext } from '../context.js';
import { changeSubscription, customerSubscriptions, patchSubscription } from '../../app/subscriptions.js';
import { quantityAdded } from '../../app/audit.js';
import { metricProblem } from '../../app/ingest.js';
import { ERR } from '../../errors.js';
import type { QuantityRecord } from '../../store/repository.js';
import { writeOne } from '../write.js';
import { answerOnce, jsonAnswer } from '../idempotency.js';

const write = { write: true } as const;

// What a subscription reads as (documentation: handlers answer the store's record as it is).
const NullableString = Type.Unsafe<string | null>({ type: ['string', 'null'] });
const Subscription = Type.Object(
  {
    id: Type.String(),
    customer: Type.String(),
    offering: Type.String(),
    start: Type.String({ format: 'date' }),
    end: NullableString,
    discount: NullableString,
    prices: Type.Optional(Type.Unsafe<Record<string, unknown> | null>({ type: ['object', 'null'], additionalProperties: true })),
    priceAsOf: Type.Optional(NullableString),
    quantities: Type.Unsafe<readonly QuantityRecord[]>(Type.Array(Type.Object({ metric: Type.String(), value: Type.Integer(), from: Type.String({ format: 'date' }) }))),
  },
  { additionalProperties: true },
);

export const subscriptionRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, ctx) => {
  app.post(
    '/subscriptions',
    {
      config: write,
      schema: {
        tags: ['subscriptions'],
        summary: 'Subscribe a customer to an offering',
        description: 'A second subscription of the customer to the same offering on a day the first is active is 409 SUBSCRIPTION_OVERLAP.',
        params: PartnerParams,
        headers: IdempotencyHeaders,
        body: SubscriptionBody,
      },
    },
    async (req, reply) => writeOne(ctx, req, reply, 'subscriptions', req.body),
  );

  app.get('/subscriptions/:id', { schema: { tags: ['subscriptions'], summary: 'One subscription', params: WithId } }, async (req) => {
    const { id } = req.params;
    const s = await ctx.repo.getSubscription(scope(req).partner, id);
    if (!s) throw ERR.NOT_FOUND({ what: `subscription "${id}"` });
    return s;
  });

  app.patch(
    '/subscriptions/:id',
    {
      config: write,
      schema: {
        tags: ['subscriptions'],
        summary: "Change a subscription's end, discount, customer prices or price date",
        description: 'Fields left out stay as they are; null removes one. 400 END_BEFORE_START, UNKNOWN_COMPONENT, PRICE_OVERRIDE_INVALID; 409 SUBSCRIPTION_OVERLAP when a later end runs into another subscription to the offering.',
        params: WithId,
        headers: IdempotencyHeaders,
        body: SubscriptionPatchBody,
        response: { 200: Subscription },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const { plan } = scope(req);
      return answerOnce(
        req,
        reply,
        (claim) => patchSubscription(ctx.repo, plan, id, req.body, claim, req.auth?.id),
        (s) => (s ? jsonAnswer(200, s) : ERR.NOT_FOUND({ what: `subscription "${id}"` })),
      );
    },
  );

  app.post(
    '/subscriptions/:id/change',
    {
      config: write,
      schema: {
        tags: ['subscriptions'],
        summary: 'Move a subscription to another offering from a date',
        description:
          'Ends the subscription the day before `at` and starts one for `offering` on `at` (id `<old id>-<YYYYMMDD>` unless given) with the same discount and end, and each metric at its value on `at`. Customer prices and priceAsOf are not carried. 400 CHANGE_OUT_OF_RANGE.',
        params: WithId,
        headers: IdempotencyHeaders,
        body: SubscriptionChangeBody,
        response: { 201: Type.Object({ ended: Subscription, started: Subscription }) },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const { plan } = scope(req);
      return answerOnce(
        req,
        reply,
        (claim) => changeSubscription(ctx.repo, plan, id, req.body, claim, req.auth?.id),
        (r) => (r ? jsonAnswer(201, r) : ERR.NOT_FOUND({ what: `subscription "${id}"` })),
      );
    },
  );

  app.get(
    '/customers/:id/subscriptions',
    { schema: { tags: ['subscriptions'], summary: "A customer's subscriptions, oldest first", params: WithId, response: { 200: Type.Array(Subscription) } } },
    async (req) => {
      const { id } = req.params;
      const subs = await customerSubscriptions(ctx.repo, scope(req).partner, id);
      if (!subs) throw ERR.NOT_FOUND({ what: `customer "${id}"` });
      return subs;
    },
  );

  app.post(
    '/subscriptions/:id/quantities',
    { config: write, schema: { tags: ['subscriptions'], summary: 'Record a quantity change', params: WithId, headers: IdempotencyHeaders, body: QuantityBody } },
    async (req, reply) => {
      const { id } = req.params;
      // a real day: the schema's 'date' format checks the calendar; the metric one the plan prices
      const { partner, plan } = scope(req);
      const sub = await ctx.repo.getSubscription(partner, id);
      const wrong = sub ? metricProblem(plan, sub.offering, req.body.metric) : null;
      if (wrong) throw ERR.UNKNOWN_METRIC({ detail: wrong }, { errors: [{ in: 'body', pointer: '/metric', detail: wrong }] });
      return answerOnce(
        req,
        reply,
        (claim) => ctx.repo.addQuantity(scope(req).partner, id, req.body, claim, quantityAdded(req.auth?.id, req.body)),
        (s) => (s ? jsonAnswer(201, s) : ERR.NOT_FOUND({ what: `subscription "${id}"` })),
      );
    },
  );
};
