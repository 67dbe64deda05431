// buildApp: the Fastify application of SPEC §6, without listening. Callers
// (serve, start, tests) decide where it listens.
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions, type RouteOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Plan } from '../plans/types.js';
import type { Repository } from '../store/repository.js';
import { authHook, operatorHook } from './auth.js';
import { checkJsonText, utf8Body } from './body-text.js';
import { AuthFailureLimiter, DEFAULT_AUTH_LIMIT, type AuthLimitOptions } from './auth-limit.js';
import { CachedRepository, type CacheOptions } from './cache.js';
import type { ApiContext } from './context.js';
import { registerIdempotency } from './idempotency.js';
import { AJV_OPTIONS, wireFormats } from '../wire/validate.js';
import { PlanSet, type ReloadResult } from './plans.js';
import { swaggerOptions, trackRoutes } from './openapi.js';
import { ERR } from '../errors.js';
import { errorHandler, frameworkProblem, problemOf, PROBLEM_TYPE, schemaErrorFormatter, sendProblem } from './problem.js';
import { billingRoutes } from './routes/billing.js';
import { customerRoutes } from './routes/customers.js';
import { subscriptionRoutes } from './routes/subscriptions.js';
import { planRoutes } from './routes/plan.js';
import { usageRoutes } from './routes/usage.js';
import { importRoutes } from './routes/imports.js';
import { eventRoutes } from './routes/events.js';
import { purchaseRoutes } from './routes/purchases.js';
import { documentRoutes } from './routes/documents.js';
import { adjustmentRoutes } from './routes/adjustments.js';
import { listRoutes } from './routes/lists.js';
import { recordRoutes } from './routes/records.js';
import { consoleRoutes } from './routes/console.js';
import { meRoutes } from './routes/me.js';
import { linkRoutes, openLinkRoutes } from './routes/links.js';

export const BODY_LIMIT = 1024 * 1024;
/** The Content-Security-Policy of statements and terms in HTML (not of the Swagger UI under /docs). */
export const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface BuildOptions {
  readonly repo: Repository;
  /** The plans by partner id; a PlanSet with a loader enables reload. */
  readonly plans: PlanSet | ReadonlyMap<string, Plan>;
  readonly logger?: FastifyServerOptions['logger'];
  readonly bodyLimit?: number;
  /** Failed-authentication limiting per client address (default DEFAULT_AUTH_LIMIT); false: off. */
  readonly authLimit?: AuthLimitOptions | false;
  /** The lookup cache of tokens, customers and subscriptions (cache.ts); false: every lookup asks the store. */
  readonly cache?: CacheOptions | false;
  /** POST /v1/admin/reload: whether partner admins may reload (default: operator tokens only), and who hears each result (serve: stderr). */
  readonly reload?: { readonly partnerAdmins?: boolean; readonly report?: (r: ReloadResult) => void };
  /** The clock SLA states are judged at (GET /requests/:id); default the machine's. Tests pass a fixed one. */
  readonly now?: () => number;
  /** The built console served at /console (default dist/console/; tests build one into a temp dir). */
  readonly consoleDir?: string;
}

/** Never logged, whatever a serializer or a handler's log call includes: the bearer token, cookies. */
export const REDACTED_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie'];

/** Query parameters whose values are never logged: a client may put a token in the URL. */
export const REDACTED_QUERY = ['token', 'access_token', 'key'];
const SECRET_PARAM = new RegExp(`([?&](?:${REDACTED_QUERY.join('|')})=)[^&#]*`, 'gi');

/** The URL as logged: the values of REDACTED_QUERY parameters replaced. */
export const redactUrl = (url: string): string => (url.includes('?') ? url.replace(SECRET_PARAM, '$1[redacted]') : url);

function redacting(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false;
  const base = logger === true ? {} : logger;
  const given = base.redact;
  const paths = [...REDACTED_PATHS, ...(Array.isArray(given) ? given : given?.paths ?? [])];
  // fastify's own request serializer, with the URL's secrets redacted (pino's paths cannot reach into a string)
  const req = (r: FastifyRequest) => ({ method: r.method, url: redactUrl(r.url), host: r.host, remoteAddress: r.ip, remotePort: r.socket?.remotePort });
  return { ...base, serializers: { req, ...base.serializers }, redact: { ...(Array.isArray(given) || !given ? {} : given), paths, censor: '[redacted]' } };
}

export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const plans = opts.plans instanceof PlanSet ? opts.plans : new PlanSet(opts.plans);
  const cached = opts.cache === false ? null : opts.repo instanceof CachedRepository ? opts.repo : new CachedRepository(opts.repo, opts.cache);
  if (cached) plans.onReload(() => cached.clear());
  const ctx: ApiContext = { repo: cached ?? opts.repo, plans, now: opts.now ?? Date.now };
  const limiter = opts.authLimit === false ? null : new AuthFailureLimiter(opts.authLimit ?? DEFAULT_AUTH_LIMIT);
  const app = Fastify({
    logger: redacting(opts.logger ?? false),
    bodyLimit: opts.bodyLimit ?? BODY_LIMIT,
    ajv: { customOptions: AJV_OPTIONS, plugins: [wireFormats as never] },
    schemaErrorFormatter: schemaErrorFormatter as never,
    routerOptions: { maxParamLength: 200 },
    // errors fastify raises before routing (malformed URL, over-long path) take the same shape
    frameworkErrors: (err, req, reply) => errorHandler(err, req, reply),
  });

  trackRoutes(app);
  app.setErrorHandler(errorHandler);
  // Some answers are made by fastify itself, past the error handler (414 for an
  // over-long path, for one): they become problem documents here.
  // (Callback style: this runs on every answer, and an async hook costs a promise each.)
  app.addHook('onSend', (req, reply, payload, done) => {
    // no content sniffing of any answer; HTML documents may load nothing and run nothing (their only style is inline)
    reply.header('x-content-type-options', 'nosniff');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html') && !req.url.startsWith('/docs') && !(req.url.startsWith('/console') && reply.statusCode < 400)) reply.header('content-security-policy', HTML_CSP);
    if (reply.statusCode < 400 || String(reply.getHeader('content-type') ?? '').includes('problem+json')) return done(null, payload);
    let detail: string | undefined;
    try {
      detail = typeof payload === 'string' ? (JSON.parse(payload) as { message?: string }).message : undefined;
    } catch {
      detail = undefined;
    }
    reply.type(PROBLEM_TYPE);
    done(null, JSON.stringify(frameworkProblem(reply.statusCode, detail, req.url.split('?')[0])));
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    return sendProblem(reply, problemOf(ERR.ROUTE_NOT_FOUND({ method: req.method, path }), path));
  });

  // Bodies arrive as bytes: UTF-8 is checked, not assumed (body-text.ts), and
  // the text is scanned for nesting depth and control characters before parsing.
  // JSON with an empty body is "no body" (POST …/finalize sent by clients that always set the header).
  const json = app.getDefaultJsonParser('error', 'error');
  const readText = (req: FastifyRequest, body: string | Buffer, ndjson: boolean): string => {
    const read = utf8Body(req.headers['content-type'], typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
    const error = 'error' in read ? read.error : checkJsonText(read.text, ndjson);
    if (error) throw ERR[error.code]({ detail: error.detail });
    return (read as { text: string }).text;
  };
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    let text: string;
    try {
      text = readText(req, body, false);
    } catch (err) {
      return done(err as Error, undefined);
    }
    if (text.trim() === '') return done(null, undefined);
    return json(req, text, done);
  });
  app.addContentTypeParser(['application/x-ndjson', 'application/ndjson', 'application/jsonl'], { parseAs: 'buffer' }, (req, body, done) => {
    try {
      done(null, readText(req, body, true));
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  // operationIds, real statuses, problem documents, examples (openapi.ts)
  await app.register(swagger, swaggerOptions());
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // the web console (routes/console.ts: its own files under its own CSP) and who a token is (routes/me.ts)
  await app.register(consoleRoutes, { ...(opts.consoleDir ? { dir: opts.consoleDir } : {}) });
  await app.register(meRoutes, { ctx, limiter: limiter?.enabled ? limiter : null });
  // document links (issue 23): opened without a token
  await app.register(openLinkRoutes(limiter?.enabled ? limiter : null), ctx);

  app.get('/health', { schema: { tags: ['service'], summary: 'Liveness; no token needed', security: [] } }, async () => ({ status: 'ok' }));

  // An operator's route: a token, never the TCP peer, decides (a reverse proxy on the same host would make every client local).
  app.post(
    '/v1/admin/reload',
    {
      schema: { tags: ['service'], summary: 'Reload plans (operator token, or a partner admin if the operator allowed it)' },
      onRequest: operatorHook(ctx, limiter?.enabled ? limiter : null, opts.reload?.partnerAdmins ?? false),
    },
    async (req, reply) => {
      if (!plans.canReload) throw ERR.RELOAD_UNAVAILABLE();
      const res = await plans.reload();
      opts.reload?.report?.(res);
      if (res.reloaded) return reply.code(200).send(res);
      // a problem document that keeps the findings (the onSend hook would otherwise rewrite the 422)
      const errors = res.findings.filter((f) => f.severity === 'error').length;
      throw ERR.PLANS_INVALID({ errors }, { extra: { ...res } });
    },
  );

  await app.register(
    async (scoped) => {
      // Authentication first on every partner route, as a route hook fixed to
      // the route's role requirement (no instance-level onRequest hooks exist
      // in this scope, so it still runs before anything else of the request).
      const limit = limiter?.enabled ? limiter : null;
      const auth = { read: authHook(ctx, limit, cached, false), write: authHook(ctx, limit, cached, true) };
      scoped.addHook('onRoute', (route: RouteOptions) => {
        const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
        route.onRequest = [route.config?.write ? auth.write : auth.read, ...existing] as never;
      });
      registerIdempotency(scoped, ctx);
      await scoped.register(planRoutes, ctx);
      await scoped.register(customerRoutes, ctx);
      await scoped.register(subscriptionRoutes, ctx);
      await scoped.register(usageRoutes, ctx);
      await scoped.register(importRoutes, ctx);
      await scoped.register(eventRoutes, ctx);
      await scoped.register(purchaseRoutes, ctx);
      await scoped.register(billingRoutes, ctx);
      await scoped.register(documentRoutes, ctx);
      await scoped.register(adjustmentRoutes, ctx);
      await scoped.register(listRoutes, ctx);
      await scoped.register(recordRoutes, ctx);
      await scoped.register(linkRoutes, ctx);
    },
    { prefix: '/v1/partners/:partner' },
  );
  return app;
}
