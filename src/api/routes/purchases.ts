// Prepaid blocks (SPEC §10): purchases of `renew: purchase` blocks and a
// subscription's block balances. Batches of purchases go through
// /batch/purchases (usage.ts), imports through `tierbook import purchases`.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { PurchaseBody } from '../../wire/records.js';
import { IdempotencyHeaders, PartnerParams, WithId } from '../../wire/params.js';
import { Period } from '../../wire/primitives.js';
import { scope, type ApiContext } from '../context.js';
import { writeOne } from '../write.js';
import { ERR } from '../../errors.js';
import { BillingError } from '../../billing/statement.js';
import { subscriptionBalances } from '../../app/balances.js';

const PurchaseAnswer = Type.Object({
  id: Type.String(),
  customer: Type.String(),
  subscription: Type.String(),
  component: Type.String(),
  date: Type.String(),
  quantity: Type.Integer(),
  amount: Type.Union([Type.String(), Type.Null()]),
});

const Whole = Type.Integer();
const BalancesAnswer = Type.Object({
  subscription: Type.String(),
  customer: Type.String(),
  period: Type.String(),
  balances: Type.Array(
    Type.Object({
      component: Type.String(),
      unit: Type.Union([Type.Literal('minutes'), Type.Literal('incidents')]),
      opening: Whole,
      granted: Whole,
      used: Whole,
      expired: Whole,
      closing: Whole,
    }),
  ),
});

export const purchaseRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, ctx) => {
  app.post(
    '/purchases',
    {
      config: { write: true },
      schema: {
        tags: ['prepaid blocks'],
        summary: 'Record a purchase of prepaid blocks (renew: purchase)',
        description:
          'Grants `quantity` (default 1) blocks of a `block` component with `renew: purchase` of the subscription\'s offering on `date`; charged on that period\'s statement at `amount` (default quantity × the block\'s price).',
        params: PartnerParams,
        headers: IdempotencyHeaders,
        body: PurchaseBody,
        response: { 201: PurchaseAnswer },
      },
    },
    async (req, reply) => writeOne(ctx, req, reply, 'purchases', req.body),
  );

  app.get(
    '/subscriptions/:id/balances',
    {
      schema: {
        tags: ['prepaid blocks'],
        summary: "A subscription's prepaid block balances through a period",
        description: 'Per block component: opening, granted, used, expired and closing of the period, in minutes (hours blocks) or incidents; the ledger runs from the subscription\'s start.',
        params: WithId,
        querystring: Type.Object({ period: Period }, { additionalProperties: false }),
        response: { 200: BalancesAnswer },
      },
    },
    async (req) => {
      const { id } = req.params;
      try {
        const answer = await subscriptionBalances(ctx.repo, scope(req).plan, id, req.query.period);
        if (!answer) throw ERR.NOT_FOUND({ what: `subscription "${id}"` });
        return answer;
      } catch (err) {
        // stored data the plan cannot price: the caller's data, never a 500
        if (err instanceof BillingError) throw ERR.BILLING_REFUSED({ detail: err.message });
        throw err;
      }
    },
  );
};
