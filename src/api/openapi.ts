// The OpenAPI document as a client generator needs it: the product's name and
// version, an operationId and tags on every route, the real success status
// with a schema (201 where a route creates), problem documents for the
// errors, request examples. Route modules keep their own schemas (which
// fastify also uses to validate and serialize); what is only documentation is
// added here, in swagger's transform, so no answer changes shape.
import { readFileSync } from 'node:fs';
import type { FastifyInstance, RouteOptions } from 'fastify';

/** The package's version: the document says which tierbook it describes. */
function packageVersion(): string {
  for (const rel of ['../../package.json', '../package.json']) {
    try {
      return (JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { version: string }).version;
    } catch {
      // built (dist/) or run from src/: one of the two is the package root
    }
  }
  return '0.0.0';
}

export const OPENAPI_INFO = {
  title: 'tierbook API',
  version: packageVersion(),
  description:
    'Support offerings, usage and statements for Microsoft CSP partners: customers and subscriptions, support requests with their decisions, worklogs, cloud spend, prepaid blocks, statements, invoices and credit notes. Every error is a problem document (application/problem+json) with a registry `code`.',
} as const;

/** The problem document every error answers with (RFC 9457 and the registry code). */
export const ProblemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string', example: 'about:blank' },
    title: { type: 'string', example: 'Bad Request' },
    status: { type: 'integer', example: 400 },
    code: { type: 'string', description: 'The registry code clients match on (docs/errors.md)', example: 'INVALID_BODY' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    index: { type: 'integer', description: 'The record of a batch or import that failed' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['in', 'pointer', 'detail'],
        properties: { in: { type: 'string', enum: ['body', 'query', 'params', 'headers'] }, pointer: { type: 'string', description: 'JSON pointer to the field' }, detail: { type: 'string' } },
      },
    },
  },
  additionalProperties: true,
} as const;

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ProblemSchema } } });
const anyObject = { type: 'object', additionalProperties: true } as const;
const json = (description: string, schema: object = anyObject) => ({ description, content: { 'application/json': { schema } } });
const text = (description: string) => ({
  description,
  content: { 'application/json': { schema: anyObject }, 'text/html': { schema: { type: 'string' } }, 'text/markdown': { schema: { type: 'string' } }, 'text/csv': { schema: { type: 'string' } } },
});

/**
 * The success of routes whose module gives no 2xx response schema, by
 * "METHOD path" (the path after /v1/partners/:partner). Handlers answer the
 * store's record as it is; the schema here documents it without filtering it.
 */
const SUCCESS: Record<string, Record<number, object>> = {
  'GET /health': { 200: json('The service is up', { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } }, required: ['status'] }) },
  'POST /v1/admin/reload': { 200: json('The plans were reloaded (or unchanged), with the findings') },
  'GET /plan': { 200: json('The plan in force: partner, services, offerings') },
  'GET /plan/versions/:hash': { 200: json('A plan version kept by hash (the one an issued invoice was priced with)') },
  'GET /offerings/:offering/terms': { 200: text('The terms of an offering (HTML or Markdown)') },
  'POST /customers': { 201: json('The customer as stored (the same body again replays it)') },
  'GET /customers/:id': { 200: json('The customer') },
  'PUT /customers/:id': { 200: json('The customer as replaced') },
  'PATCH /customers/:id': { 200: json('The customer as changed') },
  'POST /subscriptions': { 201: json('The subscription as stored (the same body again replays it)') },
  'PATCH /subscriptions/:id': { 200: json('The subscription as changed') },
  'POST /subscriptions/:id/quantities': { 201: json('The subscription with the quantity change') },
  'POST /requests': { 201: json('The stored request id and its decision', { type: 'object', required: ['id', 'decision'], properties: { id: { type: 'string' }, decision: anyObject } }) },
  'GET /requests/:id': { 200: json('The request with its decision and its SLA clocks now') },
  'PATCH /requests/:id': { 200: json('The request as corrected') },
  'DELETE /requests/:id': { 200: json('The deleted request', { type: 'object', properties: { deleted: anyObject } }) },
  'POST /requests/:id/response': { 200: json('The request with its first response') },
  'POST /worklogs': { 201: json('The worklog as stored') },
  'PATCH /worklogs/:id': { 200: json('The worklog as corrected') },
  'DELETE /worklogs/:id': { 200: json('The deleted worklog', { type: 'object', properties: { deleted: anyObject } }) },
  'POST /spend': { 201: json('The spend record as stored') },
  'PATCH /spend/:id': { 200: json('The spend record as corrected') },
  'DELETE /spend/:id': { 200: json('The deleted spend record', { type: 'object', properties: { deleted: anyObject } }) },
  'POST /imports/partner-center': { 200: json('What the Partner Center file matched, and what it did not') },
  'GET /statements/:customer/:period': { 200: text('The statement of a customer for a month (JSON, HTML, Markdown or CSV)') },
  'POST /statements/:customer/:period/finalize': { 201: json('The invoice issued now'), 200: json('The invoice already issued for that month') },
  'GET /statements/:customer/:period/issued': { 200: json('The issued invoice as issued') },
  'POST /quotes': { 200: json('The priced quote') },
  'GET /reports/margin': { 200: json('Margin per offering and provider') },
  'GET /documents/:number': { 200: text('An issued document (JSON, HTML, Markdown or CSV)') },
  'POST /documents/:number/void': { 200: json('The voided invoice', { type: 'object', properties: { number: { type: 'string' }, kind: { type: 'string' }, status: { type: 'string' }, reason: { type: 'string' }, voidedAt: { type: 'string' } } }) },
  'POST /documents/:number/credit-notes': { 201: json('The credit note issued') },
  'POST /adjustments': { 201: json('The adjustment as stored') },
};

/** Request examples, by "METHOD path". */
const EXAMPLES: Record<string, unknown> = {
  'POST /customers': { id: 'northwind', name: 'Northwind Traders', taxRate: '8%', locale: 'en-US' },
  'PATCH /customers/:id': { taxRate: '8.25%' },
  'POST /subscriptions': { id: 'nw-standard', customer: 'northwind', offering: 'standard', start: '2026-10-10', quantities: [{ metric: 'seats', value: 20, from: '2026-10-10' }] },
  'PATCH /subscriptions/:id': { end: '2027-03-31' },
  'POST /subscriptions/:id/change': { offering: 'premium', at: '2026-11-16' },
  'POST /subscriptions/:id/quantities': { metric: 'seats', value: 25, from: '2026-10-15' },
  'POST /evaluate': { customer: 'northwind', service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-14T10:00:00-04:00' },
  'POST /requests': { id: 'r-1001', customer: 'northwind', service: 'azure', category: 'technical', severity: 'B', channel: 'phone', receivedAt: '2026-10-14T10:00:00-04:00' },
  'POST /requests/:id/response': { respondedAt: '2026-10-14T10:40:00-04:00' },
  'POST /requests/:id/events': { type: 'status', status: 'waiting-customer', at: '2026-10-14T11:00:00-04:00' },
  'POST /worklogs': { request: 'r-1001', start: '2026-10-14T10:45:00-04:00', minutes: 50 },
  'POST /spend': { customer: 'northwind', period: '2026-10', service: 'azure', amount: '1840.00' },
  'POST /batch/:kind': [{ id: 'r-1002', customer: 'northwind', service: 'azure', category: 'billing', severity: 'C', channel: 'email', receivedAt: '2026-10-15T09:00:00-04:00' }],
  'POST /purchases': { customer: 'northwind', subscription: 'nw-standard', component: 'hours', date: '2026-10-20' },
  'POST /adjustments': { customer: 'northwind', period: '2026-10', amount: '-50.00', description: 'Goodwill credit for the October outage' },
};

const PARTNER_PREFIX = '/v1/partners/:partner';
const short = (url: string): string => (url.startsWith(PARTNER_PREFIX) ? url.slice(PARTNER_PREFIX.length) || '/' : url);

/** "getCustomersById", "postSubscriptionsByIdQuantities": the method and the path's words, unique per route. */
export function operationId(method: string, url: string): string {
  const words = short(url)
    .split('/')
    .filter(Boolean)
    .map((seg) => (seg.startsWith(':') ? 'By' + cap(seg.slice(1)) : seg.split('-').map(cap).join('')));
  return method.toLowerCase() + words.join('');
}
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

type RouteSchema = Record<string, unknown> & { response?: Record<string, unknown>; body?: unknown; tags?: string[]; operationId?: string; hide?: boolean };

/** The route's schema as documented: see the file's comment. */
export function documentRoute(method: string, url: string, schema: RouteSchema | undefined, write: boolean): RouteSchema {
  const key = `${method} ${short(url)}`;
  const partnerRoute = url.startsWith(PARTNER_PREFIX);
  const given = schema?.response ?? {};
  const hasSuccess = Object.keys(given).some((s) => s.startsWith('2'));
  const example = EXAMPLES[key];
  const errors: Record<number, object> = { 400: problem('A field, the query or the path is invalid; `errors` points at each field') };
  if (partnerRoute || url === '/v1/admin/reload') {
    errors[401] = problem('No token, or an unknown one');
    errors[403] = problem('The token is not for this partner, or is a viewer token on a write');
  }
  if (partnerRoute) errors[404] = problem('No such record, or no such partner');
  if (write) errors[409] = problem('A conflict: another body under the same id or Idempotency-Key, an issued period, an overlap');
  if (url === '/v1/admin/reload') {
    errors[409] = problem('The server was started without a plans directory (RELOAD_UNAVAILABLE)');
    errors[422] = problem('The plans have errors and were not reloaded (PLANS_INVALID, with the findings)');
  }
  errors[503] = problem('The store is busy or unavailable; retry after the Retry-After seconds');
  return {
    ...schema,
    operationId: schema?.operationId ?? operationId(method, url),
    tags: schema?.tags ?? ['service'],
    ...(example !== undefined && schema?.body && typeof schema.body === 'object' ? { body: { ...(schema.body as object), examples: [example] } } : {}),
    response: { ...(hasSuccess ? {} : SUCCESS[key] ?? { 200: json('OK') }), ...errors, ...given },
  };
}

/** The @fastify/swagger options of the app. */
export function swaggerOptions() {
  return {
    openapi: {
      openapi: '3.1.0',
      info: OPENAPI_INFO,
      components: { securitySchemes: { bearer: { type: 'http' as const, scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: ({ schema, url, route }: { schema: unknown; url: string; route: RouteOptions }) => {
      const s = schema as RouteSchema | undefined;
      if (s?.hide) return { schema: s as never, url };
      const method = Array.isArray(route.method) ? route.method[0]! : route.method;
      return { schema: documentRoute(method, url, s, Boolean((route.config as { write?: boolean } | undefined)?.write)) as never, url };
    },
  };
}

const ROUTES = new WeakMap<FastifyInstance, Array<{ method: string; url: string; hidden: boolean }>>();

/** Remembers every route the app registers (the OpenAPI test checks each appears in the document). */
export function trackRoutes(app: FastifyInstance): void {
  const list: Array<{ method: string; url: string; hidden: boolean }> = [];
  ROUTES.set(app, list);
  app.addHook('onRoute', (r) => {
    for (const m of Array.isArray(r.method) ? r.method : [r.method]) list.push({ method: m, url: r.url, hidden: Boolean((r.schema as RouteSchema | undefined)?.hide) });
  });
}

/** The routes trackRoutes saw. */
export const routesOf = (app: FastifyInstance): ReadonlyArray<{ method: string; url: string; hidden: boolean }> => ROUTES.get(app) ?? [];
