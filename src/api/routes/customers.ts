// Customers, subscriptions and quantity changes.
import type { FastifyPluginAsync } from 'fastify';
import { customerBody, customerUpdateBody, idempotencyHeaders, partnerParams, quantityBody, subscriptionBody, withId } from '../schemas.js';
import { scope, type ApiContext } from '../context.js';
import { Ingest, bodyHash } from '../../app/ingest.js';
import { isLocalDate } from '../../billing/period.js';
import { HttpProblem, invalid, notFound } from '../problem.js';
import { writeOne } from '../write.js';

const write = { write: true } as const;

export const customerRoutes: FastifyPluginAsync<ApiContext> = async (app, ctx) => {
  app.get('/customers', { schema: { tags: ['customers'], summary: 'List customers', params: partnerParams } }, async (req) => {
    return ctx.repo.listCustomers(scope(req).partner);
  });

  app.get('/customers/:id', { schema: { tags: ['customers'], summary: 'One customer', params: withId } }, async (req) => {
    const { id } = req.params as { id: string };
    const c = await ctx.repo.getCustomer(scope(req).partner, id);
    if (!c) throw notFound(`customer "${id}" not found`);
    return c;
  });

  app.post(
    '/customers',
    { config: write, schema: { tags: ['customers'], summary: 'Create a customer', params: partnerParams, headers: idempotencyHeaders, body: customerBody } },
    async (req, reply) => writeOne(ctx, req, reply, 'customers', req.body),
  );

  app.put(
    '/customers/:id',
    { config: write, schema: { tags: ['customers'], summary: 'Update a customer', params: withId, headers: idempotencyHeaders, body: customerUpdateBody } },
    async (req) => {
      const { partner, plan } = scope(req);
      const { id } = req.params as { id: string };
      const body = req.body as Record<string, unknown>;
      if (body.id !== undefined && body.id !== id) throw new HttpProblem(400, 'the body names another customer than the path', [invalid('/id', 'must equal the id in the path')]);
      const full = { ...body, id };
      const updated = await ctx.repo.updateCustomer(partner, { record: new Ingest(ctx.repo, plan).customer(full), bodyHash: bodyHash(full) });
      if (!updated) throw notFound(`customer "${id}" not found`);
      return updated;
    },
  );

  app.post(
    '/subscriptions',
    { config: write, schema: { tags: ['subscriptions'], summary: 'Subscribe a customer to an offering', params: partnerParams, headers: idempotencyHeaders, body: subscriptionBody } },
    async (req, reply) => writeOne(ctx, req, reply, 'subscriptions', req.body),
  );

  app.get('/subscriptions/:id', { schema: { tags: ['subscriptions'], summary: 'One subscription', params: withId } }, async (req) => {
    const { id } = req.params as { id: string };
    const s = await ctx.repo.getSubscription(scope(req).partner, id);
    if (!s) throw notFound(`subscription "${id}" not found`);
    return s;
  });

  app.post(
    '/subscriptions/:id/quantities',
    { config: write, schema: { tags: ['subscriptions'], summary: 'Record a quantity change', params: withId, headers: idempotencyHeaders, body: quantityBody } },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      const q = req.body as { metric: string; value: number; from: string };
      if (!isLocalDate(q.from)) throw new HttpProblem(400, `"${q.from}" is not a date`, [invalid('/from', 'not a date')]);
      const s = await ctx.repo.addQuantity(scope(req).partner, id, q);
      if (!s) throw notFound(`subscription "${id}" not found`);
      return reply.code(201).send(s);
    },
  );
};
