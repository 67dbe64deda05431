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
const text = (description: string, schema: object = anyObject) => ({
  description,
  content: { 'application/json': { schema }, 'text/html': { schema: { type: 'string' } }, 'text/markdown': { schema: { type: 'string' } }, 'text/csv': { schema: { type: 'string' } } },
});

// Record shapes as the store answers them (src/store/repository.ts): the
// fields a client can rely on are listed; later fields may be added.
const str = { type: 'string' } as const;
const nullable = (t: string) => ({ type: [t, 'null'] }) as const;
const money = { type: 'string', description: 'a decimal string in major units, e.g. "12.50"' } as const;
const record = (required: readonly string[], properties: Record<string, object>) => ({ type: 'object', required, properties, additionalProperties: true }) as const;
const Quantity = record(['metric', 'value', 'from'], { metric: str, value: { type: 'integer' }, from: { type: 'string', format: 'date' } });
const Customer = record(['id', 'name'], { id: str, name: str, locale: nullable('string'), taxRate: nullable('string'), email: nullable('string'), tenantId: nullable('string'), taxId: nullable('string') });
const Subscription = record(['id', 'customer', 'offering', 'start', 'end', 'discount', 'quantities'], {
  id: str, customer: str, offering: str, start: { type: 'string', format: 'date' }, end: nullable('string'), discount: nullable('string'),
  prices: { type: ['object', 'null'], additionalProperties: true }, priceAsOf: nullable('string'), quantities: { type: 'array', items: Quantity },
});
const Decision = record(['accepted'], { accepted: { type: 'boolean' }, offering: nullable('string'), reasons: { type: 'array', items: { type: 'object', additionalProperties: true } }, responseDueAt: nullable('string'), handledBy: nullable('string'), billable: { type: 'boolean' } });
const Request = record(['id', 'customer', 'service', 'category', 'severity', 'channel', 'receivedAt', 'respondedAt', 'decision'], {
  id: str, customer: str, offering: nullable('string'), service: str, category: str, severity: str, channel: str, receivedAt: str, serviceIncident: nullable('boolean'), respondedAt: nullable('string'), decision: Decision,
  sla: { type: 'object', additionalProperties: true, description: 'GET /requests/:id: the response and resolution clocks now' },
});
const Worklog = record(['id', 'customer', 'start', 'minutes'], { id: str, customer: str, request: nullable('string'), offering: nullable('string'), start: str, minutes: { type: 'integer' }, component: nullable('string'), billable: nullable('boolean') });
const Spend = record(['id', 'customer', 'period', 'service', 'amount'], { id: str, customer: str, period: str, service: str, amount: money, retail: { type: ['string', 'null'] }, source: nullable('string'), invoice: nullable('string') });
const Adjustment = record(['id', 'customer', 'period', 'description', 'amount', 'taxable'], { id: str, customer: str, period: str, description: str, amount: money, offering: str, taxable: { type: 'boolean' } });
const Line = record(['offering', 'component', 'description', 'amount'], { offering: str, component: str, model: str, kind: str, description: str, quantity: str, unit: str, unitPrice: str, amount: money, subscription: str, priceSource: { type: 'string', enum: ['plan', 'override', 'grandfathered'] } });
const Statement = record(['partner', 'customer', 'period', 'currency', 'lines', 'subtotal', 'tax', 'total', 'serviceLevels', 'planHash'], {
  partner: str, customer: str, period: str, currency: str, lines: { type: 'array', items: Line }, subtotal: money, tax: money, taxRate: str, total: money,
  serviceLevels: { type: 'object', additionalProperties: true }, requests: { type: 'array', items: { type: 'object', additionalProperties: true } },
  balances: { type: 'array', items: { type: 'object', additionalProperties: true } }, warnings: { type: 'array', items: record(['code', 'message'], { code: str, message: str }) }, planHash: str,
});
const Invoice = record([...Statement.required, 'kind', 'number', 'issuedAt'], { ...Statement.properties, kind: { type: 'string', enum: ['invoice', 'credit-note'] }, number: str, issuedAt: str, dueDate: str, replaces: str, credits: str });
const deleted = (of: object) => ({ type: 'object', required: ['deleted'], properties: { deleted: of } });
const Plan = { type: 'object', required: ['partner', 'offerings'], properties: { partner: { type: 'object', additionalProperties: true }, services: { type: 'object', additionalProperties: true }, offerings: { type: 'object', additionalProperties: true } }, additionalProperties: true } as const;

/**
 * The success of routes whose module gives no 2xx response schema, by
 * "METHOD path" (the path after /v1/partners/:partner). Handlers answer the
 * store's record as it is; the schema here documents it without filtering it.
 */
const SUCCESS: Record<string, Record<number, object>> = {
  'GET /health': { 200: json('The service is up', { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } }, required: ['status'] }) },
  'POST /v1/admin/reload': { 200: json('The plans were reloaded (or unchanged), with the findings') },
  'GET /plan': { 200: json('The plan in force: partner, services, offerings', Plan) },
  'GET /plan/versions/:hash': { 200: json('A plan version kept by hash (the one an issued invoice was priced with)') },
  'GET /offerings/:offering/terms': { 200: text('The terms of an offering (HTML or Markdown)') },
  'POST /customers': { 201: json('The customer as stored (the same body again replays it)', Customer) },
  'GET /customers/:id': { 200: json('The customer', Customer) },
  'PUT /customers/:id': { 200: json('The customer as replaced', Customer) },
  'PATCH /customers/:id': { 200: json('The customer as changed', Customer) },
  'POST /subscriptions': { 201: json('The subscription as stored (the same body again replays it)', Subscription) },
  'PATCH /subscriptions/:id': { 200: json('The subscription as changed', Subscription) },
  'POST /subscriptions/:id/quantities': { 201: json('The subscription with the quantity change', Subscription) },
  'POST /requests': { 201: json('The stored request id and its decision', { type: 'object', required: ['id', 'decision'], properties: { id: { type: 'string' }, decision: Decision } }) },
  'GET /requests/:id': { 200: json('The request with its decision and its SLA clocks now', Request) },
  'PATCH /requests/:id': { 200: json('The request as corrected', Request) },
  'DELETE /requests/:id': { 200: json('The deleted request', deleted(Request)) },
  'POST /requests/:id/response': { 200: json('The request with its first response', Request) },
  'POST /worklogs': { 201: json('The worklog as stored', Worklog) },
  'PATCH /worklogs/:id': { 200: json('The worklog as corrected', Worklog) },
  'DELETE /worklogs/:id': { 200: json('The deleted worklog', deleted(Worklog)) },
  'POST /spend': { 201: json('The spend record as stored', Spend) },
  'PATCH /spend/:id': { 200: json('The spend record as corrected', Spend) },
  'DELETE /spend/:id': { 200: json('The deleted spend record', deleted(Spend)) },
  'POST /imports/partner-center': { 200: json('What the Partner Center file matched, and what it did not') },
  'GET /statements/:customer/:period': { 200: text('The statement of a customer for a month (JSON, HTML, Markdown or CSV)', Statement) },
  'POST /statements/:customer/:period/finalize': { 201: json('The invoice issued now', Invoice), 200: json('The invoice already issued for that month', Invoice) },
  'GET /statements/:customer/:period/issued': { 200: json('The issued invoice as issued', Invoice) },
  'POST /quotes': { 200: json('The priced quote: a statement', Statement) },
  'GET /reports/margin': { 200: json('Margin per offering and provider') },
  'GET /documents/:number': { 200: text('An issued document (JSON, HTML, Markdown or CSV)') },
  'POST /documents/:number/void': { 200: json('The voided invoice', { type: 'object', properties: { number: { type: 'string' }, kind: { type: 'string' }, status: { type: 'string' }, reason: { type: 'string' }, voidedAt: { type: 'string' } } }) },
  'POST /documents/:number/credit-notes': { 201: json('The credit note issued', Invoice) },
  'POST /adjustments': { 201: json('The adjustment as stored', Adjustment) },
  'GET /v1/links/:id': { 200: text('The document the link opens, rendered now (HTML, Markdown, CSV or JSON); no token needed') },
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
  'POST /links': { path: 'statements/northwind/2026-10?format=html', ttlSeconds: 604800 },
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
  if (url === '/v1/me') errors[401] = problem('No token, or an unknown one');
  if (partnerRoute || url === '/v1/admin/reload') {
    errors[401] = problem('No token, or an unknown one');
    errors[403] = problem('The token is not for this partner, or is a viewer token on a write');
  }
  if (partnerRoute) errors[404] = problem('No such record, or no such partner');
  if (url === '/v1/links/:id') {
    errors[404] = problem('No such link (LINK_NOT_FOUND)');
    errors[410] = problem('The link has expired (LINK_EXPIRED)');
  }
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
