// Customers, subscriptions and quantity changes.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CustomerBody, CustomerUpdateBody, QuantityBody, SubscriptionBody } from '../../wire/records.js';
import { IdempotencyHeaders, PartnerParams, WithId } from '../../wire/params.js';
import { scope, type ApiContext } from '../context.js';
import { Ingest, bodyHash } from '../../app/ingest.js';
import { ERR } from '../../errors.js';
import { invalid } from '../problem.js';
import { writeOne } from '../write.js';
import { answerOnce, jsonAnswer } from '../idempotency.js';

const write = { write: true } as const;

export const customerRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, ctx) => {
  app.get('/customers', { schema: { tags: ['customers'], summary: 'List customers', params: PartnerParams } }, async (req) => {
    return ctx.repo.listCustomers(scope(req).partner);
  });

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
    { config: write, schema: { tags: ['customers'], summary: 'Update a customer', params: WithId, headers: IdempotencyHeaders, body: CustomerUpdateBody } },
    async (req, reply) => {
      const { partner, plan } = scope(req);
      const { id } = req.params;
      const body = req.body;
      if (body.id !== undefined && body.id !== id) throw ERR.INVALID_BODY({ detail: 'the body names another customer than the path' }, { errors: [invalid('/id', 'must equal the id in the path')] });
      const full = { ...body, id };
      const record = { record: new Ingest(ctx.repo, plan).customer(full), bodyHash: bodyHash(full) };
      // the Idempotency-Key is claimed in the update's transaction (idempotency.ts)
      return answerOnce(
        req,
        reply,
        (claim) => ctx.repo.updateCustomer(partner, record, claim),
        (updated) => (updated ? jsonAnswer(200, updated) : ERR.NOT_FOUND({ what: `customer "${id}"` })),
      );
    },
  );

  app.post(
    '/subscriptions',
    { config: write, schema: { tags: ['subscriptions'], summary: 'Subscribe a customer to an offering', params: PartnerParams, headers: IdempotencyHeaders, body: SubscriptionBody } },
    async (req, reply) => writeOne(ctx, req, reply, 'subscriptions', req.body),
  );

  app.get('/subscriptions/:id', { schema: { tags: ['subscriptions'], summary: 'One subscription', params: WithId } }, async (req) => {
    const { id } = req.params;
    const s = await ctx.repo.getSubscription(scope(req).partner, id);
    if (!s) throw ERR.NOT_FOUND({ what: `subscription "${id}"` });
    return s;
  });

  app.post(
    '/subscriptions/:id/quantities',
    { config: write, schema: { tags: ['subscriptions'], summary: 'Record a quantity change', params: WithId, headers: IdempotencyHeaders, body: QuantityBody } },
    async (req, reply) => {
      const { id } = req.params;
      // a real day: the schema's 'date' format checks the calendar
      return answerOnce(
        req,
        reply,
        (claim) => ctx.repo.addQuantity(scope(req).partner, id, req.body, claim),
        (s) => (s ? jsonAnswer(201, s) : ERR.NOT_FOUND({ what: `subscription "${id}"` })),
      );
    },
  );
};
