// Admin lists (issue 22): customers, subscriptions, requests, worklogs and
// spend a page at a time (`?limit=&cursor=`, `{ items, nextCursor }`), and
// the audit log (admin only). The work is app/lists.ts and app/audit.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from '@sinclair/typebox';
import { AuditQuery, CustomerListQuery, LIST_LIMIT, PartnerParams, PeriodListQuery, RequestListQuery, SubscriptionListQuery } from '../../wire/params.js';
import { scope, type ApiContext } from '../context.js';
import { listRequests, listSpend, listSubscriptions, listWorklogs } from '../../app/lists.js';
import { listAudit } from '../../app/audit.js';
import { ERR } from '../../errors.js';

/** A page's answer: the records as stored (GET /<kind>/:id shapes) and the cursor of the next page. */
export const PageOf = (items: TSchema, what: string) =>
  Type.Object({
    items: Type.Array(items, { description: `${what}, in the list's order` }),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as cursor for the next page; null on the last page' }),
  });
const Any = Type.Unknown();
const paging = `Pages of \`limit\` items (default ${LIST_LIMIT.default}, at most ${LIST_LIMIT.max}); \`cursor\` is the previous page's nextCursor.`;

export const listRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, ctx) => {
  const lists = [
    ['/subscriptions', 'subscriptions', 'List subscriptions, by start then id', 'Filters: customer, offering, activeOn (a date the subscription holds its offering: start ≤ date ≤ end).', SubscriptionListQuery, listSubscriptions],
    ['/requests', 'usage', 'List requests, by receivedAt then id', "Filters: customer; from, to (a local date in the partner's timezone, to included, or an instant, to excluded); state (accepted, rejected, unresponded, responded).", RequestListQuery, listRequests],
    ['/worklogs', 'usage', 'List worklogs, by start then id', "Filters: customer; period (YYYY-MM: started within the month in the partner's timezone).", PeriodListQuery, listWorklogs],
    ['/spend', 'usage', 'List cloud spend records, by period then id', 'Filters: customer, period.', PeriodListQuery, listSpend],
  ] as const;
  for (const [path, tag, summary, filters, querystring, list] of lists) {
    app.get(
      path,
      { schema: { tags: [tag], summary, description: `${filters} ${paging}`, params: PartnerParams, querystring, response: { 200: PageOf(Any, path.slice(1)) } } },
      // the querystring schema above is the list's own: its query has that list's shape
      async (req) => list(ctx.repo, scope(req).plan, req.query as never),
    );
  }

  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit log, oldest first (admin)',
        description: `Every change to customers and subscriptions through the API and every correction of requests, worklogs and spend: who (token id), when, what, before and after. Filters: entity, id, from, to. ${paging}`,
        params: PartnerParams,
        querystring: AuditQuery,
        response: { 200: PageOf(Any, 'audit entries') },
      },
    },
    async (req) => {
      const role = req.auth?.role;
      if (role !== 'admin') throw ERR.FORBIDDEN({ detail: `this token has role "${role ?? 'none'}"; the audit log needs role "admin"` });
      return listAudit(ctx.repo, scope(req).plan, req.query);
    },
  );
};
