// Bearer-token authentication and partner isolation (SPEC §6): no or a wrong
// token 401; another partner's token 404 (its resources are not revealed to
// exist); a viewer's write 403. Failed authentications are counted per client
// address (auth-limit.ts): past the limit, 429 before any store lookup.
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { TokenInfo } from '../store/repository.js';
import type { AuthFailureLimiter } from './auth-limit.js';
import { ERR, type TierbookError } from '../errors.js';
import type { ApiContext } from './context.js';

export const BEARER = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]{1,200})[ \t]*$/i;

/** Where a token's identity may be known without the store (the app's lookup cache). */
export interface TokenCache {
  cachedToken(token: string): TokenInfo | undefined;
}

/**
 * The onRequest hook of a route: `write` routes need role admin. (The flag is
 * fixed per route when the route is added, not read per request from
 * req.routeOptions, a getter that builds an object on every call.)
 */
export function authHook(ctx: ApiContext, limiter: AuthFailureLimiter | null, cache: TokenCache | null, write: boolean) {
  const refuse = refuser(limiter);

  /** The checks after the token is known: partner, role, plan. Returns the error, if any. */
  const admit = (req: FastifyRequest, reply: FastifyReply, token: TokenInfo | null): TierbookError | undefined => {
    if (!token) return refuse(req, reply, 'the bearer token is not valid', 'invalid_token');
    const partner = (req.params as { partner?: string }).partner ?? '';
    // an operator token belongs to no partner (it may only reload plans)
    if (token.partner !== partner || token.role === 'operator') return ERR.NOT_FOUND({ what: `partner "${partner}"` });
    if (write && token.role !== 'admin') {
      return ERR.FORBIDDEN({ detail: `this token has role "${token.role}"; writing needs role "admin"` });
    }
    const plan = ctx.plans.get(partner);
    if (!plan) return ERR.PLAN_NOT_LOADED({ partner });
    req.auth = token;
    req.plan = plan;
    return undefined;
  };

  return bearerHook(ctx, limiter, cache, refuse, admit);
}

/** Who may POST /v1/admin/reload: an operator token, or any partner's admin when `partnerAdmins`. */
export function operatorHook(ctx: ApiContext, limiter: AuthFailureLimiter | null, partnerAdmins: boolean) {
  const refuse = refuser(limiter);
  const admit = (req: FastifyRequest, reply: FastifyReply, token: TokenInfo | null): TierbookError | undefined => {
    if (!token) return refuse(req, reply, 'the bearer token is not valid', 'invalid_token');
    if (token.role === 'operator' || (partnerAdmins && token.role === 'admin')) {
      req.auth = token;
      return undefined;
    }
    const detail = partnerAdmins
      ? `reloading plans needs an operator token or a partner admin's; this token has role "${token.role}"`
      : 'reloading plans needs an operator token (tierbook token create --operator); this server does not let partner admins reload';
    return ERR.FORBIDDEN({ detail });
  };
  // no lookup cache: reloads are rare, and the operator's token is never cached
  return bearerHook(ctx, limiter, null, refuse, admit);
}

type Refuse = (req: FastifyRequest, reply: FastifyReply, detail: string, error?: string) => TierbookError;

/** 401, counted as a failure of the client's address. */
const refuser =
  (limiter: AuthFailureLimiter | null): Refuse =>
  (req, reply, detail, error) => {
    limiter?.fail(req.ip);
    reply.header('www-authenticate', error ? `Bearer realm="tierbook", error="${error}"` : 'Bearer realm="tierbook"');
    return ERR.UNAUTHORIZED({ detail });
  };
type Admit = (req: FastifyRequest, reply: FastifyReply, token: TokenInfo | null) => TierbookError | undefined;

/** The limiter, the bearer header, the token lookup; `admit` decides. */
function bearerHook(ctx: ApiContext, limiter: AuthFailureLimiter | null, cache: TokenCache | null, refuse: Refuse, admit: Admit) {
  // Callback style rather than async: a cached token is admitted without a promise per request.
  return function authenticate(req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    if (limiter !== null) {
      const wait = limiter.blockedFor(req.ip);
      if (wait > 0) {
        reply.header('retry-after', String(Math.ceil(wait / 1000)));
        return done(ERR.TOO_MANY_ATTEMPTS());
      }
    }
    const header = req.headers.authorization;
    const m = typeof header === 'string' ? BEARER.exec(header) : null;
    if (!m) return done(refuse(req, reply, 'a bearer token is required: Authorization: Bearer <token>'));
    const text = m[1]!;
    const hit = cache?.cachedToken(text);
    if (hit !== undefined) return done(admit(req, reply, hit));
    ctx.repo.findToken(text).then(
      (token) => done(admit(req, reply, token)),
      (err: Error) => done(err),
    );
  };
}
