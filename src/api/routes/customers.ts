// Customers (subscriptions: subscriptions.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CustomerBody, CustomerPatchBody, CustomerUpdateBody } from '../../wire/records.js';
import { CustomerListQuery, IdempotencyHeaders, LIST_LIMIT, PartnerParams, WithId } from '../../wire/params.js';
import { Type } from '@sinclair/typebox';
import { listCustomers } from '../../app/lists.js';
import { PageOf } from './lists.js';
import { scope, type ApiContext } from '../context.js';
import { patchCustomer, putCustomer } from '../../app/customers.js';
import { ERR } from '../../errors.js';
import { invalid } from '../problem.js';
import { writeOne } from '../write.js';
import { answerOnce, jsonAnswer } from '../idempotency.js';

const write = { write: true } as const;

export const customerRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, ctx) => {
  app.get(
    '/customers',
    {
      schema: {
        tags: ['customers'],
        summary: 'List customers, by id',
        description: `Search with q: a customer id, or a part of the name (any case). Pages of \`limit\` customers (default ${LIST_LIMIT.default}, at most ${LIST_LIMIT.max}); \`cursor\` is the previous page's nextCursor.`,
        params: PartnerParams,
        querystring: CustomerListQuery,
        response: { 200: PageOf(Type.Unknown(), 'customers') },
      },
    },
    async (req) => listCustomers(ctx.repo, scope(req).plan, req.query),
  );

  app.get('/customers/:id', { schema: { tags: ['customers'], summary: 'One customer', params: WithId } }, async (req) => {
    const { id } = req.params;
    const c = await ctx.repo.getCustomer(scope(req).partner, id);
    if (!c) throw ERR.NOT_FOUND({ what: `customer "${id}"` });
    return c;
  });

  app.post(
    '/customers',
    { config: write, schema: { tags: ['customers'], summary: 'Create a customer', params: PartnerParams, headers: IdempotencyHeaders, body: CustomerBody } },
    async (req, reply) => writeOne(ctx, req, reply, 'customers', req.body),
  );

  app.put(
    '/customers/:id',
    { config: write, schema: { tags: ['customers'], summary: 'Replace a customer (PATCH changes some fields)', description: 'Every field is replaced; leaving out a taxRate or taxId the customer has is 400 TAX_OMITTED (send null to remove it).', params: WithId, headers: IdempotencyHeaders, body: CustomerUpdateBody } },
    async (req, reply) => {
      const { plan } = scope(req);
      const { id } = req.params;
      const body = req.body;
      if (body.id !== undefined && body.id !== id) throw ERR.INVALID_BODY({ detail: 'the body names another customer than the path' }, { errors: [invalid('/id', 'must equal the id in the path')] });
      // the Idempotency-Key is claimed in the update's transaction (idempotency.ts)
      return answerOnce(
        req,
        reply,
        (claim) => putCustomer(ctx.repo, plan, id, body, claim, req.auth?.id),
        (updated) => (updated ? jsonAnswer(200, updated) : ERR.NOT_FOUND({ what: `customer "${id}"` })),
      );
    },
  );

  app.patch(
    '/customers/:id',
    {
      config: write,
      schema: {
        tags: ['customers'],
        summary: 'Change some fields of a customer',
        description: 'Only the fields given change; null removes locale, taxRate, taxId or email.',
        params: WithId,
        headers: IdempotencyHeaders,
        body: CustomerPatchBody,
      },
    },
    async (req, reply) => {
      const { plan } = scope(req);
      const { id } = req.params;
      return answerOnce(
        req,
        reply,
        (claim) => patchCustomer(ctx.repo, plan, id, req.body, claim, req.auth?.id),
        (updated) => (updated ? jsonAnswer(200, updated) : ERR.NOT_FOUND({ what: `customer "${id}"` })),
      );
    },
  );
};
