// The partner's compiled plan and the support terms of its offerings.
import type { FastifyPluginAsync } from 'fastify';
import { DateTime } from 'luxon';
import type { Plan } from '../../plans/types.js';
import { RenderError } from '../../render/errors.js';
import { renderer } from '../renderer.js';
import { partnerParams, termsParams, termsQuery } from '../schemas.js';
import { scope, type ApiContext } from '../context.js';
import { HttpProblem, notFound } from '../problem.js';

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

export const planRoutes: FastifyPluginAsync<ApiContext> = async (app, ctx) => {
  app.get('/plan', { schema: { tags: ['plan'], summary: 'The compiled plan and its planHash', params: partnerParams } }, async (req, reply) => {
    return reply.type('application/json; charset=utf-8').send(planJson(scope(req).plan));
  });

  app.get(
    '/offerings/:offering/terms',
    { schema: { tags: ['plan'], summary: 'Support terms of an offering (HTML or Markdown)', params: termsParams, querystring: termsQuery } },
    async (req, reply) => {
      const { plan, partner } = scope(req);
      const { offering } = req.params as { offering: string };
      const q = req.query as { format?: 'html' | 'md'; locale?: string; customer?: string; at?: string };
      const format = q.format ?? (/text\/markdown/.test(req.headers.accept ?? '') ? 'md' : 'html');
      let customer;
      if (q.customer) {
        const c = await ctx.repo.getCustomer(partner, q.customer);
        if (!c) throw notFound(`customer "${q.customer}" not found`);
        customer = { id: c.id, name: c.name, ...(c.locale ? { locale: c.locale } : {}) };
      }
      const at = q.at ?? DateTime.now().setZone(plan.partner.timezone).toISODate()!;
      try {
        const { renderTerms } = await renderer();
        const doc = renderTerms(plan, offering, { format, at, ...(q.locale ? { locale: q.locale } : {}), ...(customer ? { customer } : {}) });
        return reply.type(doc.contentType).send(doc.body);
      } catch (err) {
        if (err instanceof RenderError) {
          if (err.code === 'UNKNOWN_OFFERING') throw notFound(err.message);
          throw new HttpProblem(400, err.message);
        }
        throw err;
      }
    },
  );
};
