// The partner's compiled plan and the support terms of its offerings.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DateTime } from 'luxon';
import type { Plan } from '../../plans/types.js';
import { renderer } from '../renderer.js';
import { PartnerParams, TermsParams, TermsQuery } from '../../wire/params.js';
import { ERR } from '../../errors.js';
import { scope, type ApiContext } from '../context.js';

/**
 * The compiled plan as JSON: Maps become objects (keeping file order),
 * exact decimals and percentages their text, calendars their data (their
 * methods are dropped by JSON itself).
 */
export function planJson(plan: Plan): string {
  return JSON.stringify({ planHash: plan.hash, plan }, (_k, v: unknown) => {
    if (v instanceof Map) return Object.fromEntries(v);
    if (typeof v === 'bigint') return v.toString();
    if (v && typeof v === 'object' && 'text' in v && ('units' in v || 'num' in v)) return (v as { text: string }).text;
    return v;
  });
}

export const planRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, ctx) => {
  app.get('/plan', { schema: { tags: ['plan'], summary: 'The compiled plan and its planHash', params: PartnerParams } }, async (req, reply) => {
    return reply.type('application/json; charset=utf-8').send(planJson(scope(req).plan));
  });

  app.get(
    '/offerings/:offering/terms',
    { schema: { tags: ['plan'], summary: 'Support terms of an offering (HTML or Markdown); with ?customer=, prepared for that customer with its own prices (agreed, or as of its priceAsOf)', params: TermsParams, querystring: TermsQuery } },
    async (req, reply) => {
      const { plan, partner } = scope(req);
      const { offering } = req.params;
      const q = req.query;
      const format = q.format ?? (/text\/markdown/.test(req.headers.accept ?? '') ? 'md' : 'html');
      let customer;
      const at = q.at ?? DateTime.now().setZone(plan.partner.timezone).toISODate()!;
      const { renderTerms, subscriptionOn } = await renderer();
      let prices = null;
      if (q.customer) {
        const c = await ctx.repo.getCustomer(partner, q.customer);
        if (!c) throw ERR.NOT_FOUND({ what: `customer "${q.customer}"` });
        customer = { id: c.id, name: c.name, ...(c.locale ? { locale: c.locale } : {}) };
        // the customer's own prices (§8.2, §8.3): those of its subscription to the offering on `at`
        prices = subscriptionOn(await ctx.repo.listSubscriptions(partner, c.id), offering, at);
      }
      // render errors are registry errors: UNKNOWN_OFFERING answers 404, the others 400
      const doc = renderTerms(plan, offering, { format, at, ...(q.locale ? { locale: q.locale } : {}), ...(customer ? { customer } : {}), prices });
      return reply.type(doc.contentType).send(doc.body);
    },
  );
};
