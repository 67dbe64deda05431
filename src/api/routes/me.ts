// GET /v1/me: who a token is. The console signs in with it: the partner and
// role shown, and the partner's locale, zone and currency its texts, dates and
// money are formatted in. An operator token belongs to no partner (partner
// null). No or an unknown token: 401, counted like every failed sign-in.
import type { FastifyPluginAsync } from 'fastify';
import { ERR } from '../../errors.js';
import type { AuthFailureLimiter } from '../auth-limit.js';
import type { ApiContext } from '../context.js';
import { BEARER } from '../auth.js';

export interface Me {
  readonly partner: string | null;
  readonly role: 'admin' | 'viewer' | 'operator';
  readonly locale: string | null;
  readonly timezone: string | null;
  readonly currency: string | null;
  readonly tokenId: string;
  /** The partner's name by locale, as in its plan. */
  readonly partnerName: Readonly<Record<string, string>> | null;
}

const nullable = (type: string) => ({ type: [type, 'null'] });
export const MeSchema = {
  type: 'object',
  required: ['partner', 'role', 'locale', 'timezone', 'currency', 'tokenId', 'partnerName'],
  properties: {
    partner: nullable('string'),
    role: { type: 'string', enum: ['admin', 'viewer', 'operator'] },
    locale: nullable('string'),
    timezone: nullable('string'),
    currency: nullable('string'),
    tokenId: { type: 'string' },
    partnerName: { type: ['object', 'null'], additionalProperties: { type: 'string' } },
  },
} as const;

export interface MeOptions {
  readonly ctx: ApiContext;
  readonly limiter: AuthFailureLimiter | null;
}

export const meRoutes: FastifyPluginAsync<MeOptions> = async (app, { ctx, limiter }) => {
  app.get(
    '/v1/me',
    { schema: { tags: ['service'], summary: 'The token: its partner, role, and the partner’s locale, time zone and currency (operator tokens: partner null)', response: { 200: MeSchema } } },
    async (req, reply): Promise<Me> => {
      if (limiter) {
        const wait = limiter.blockedFor(req.ip);
        if (wait > 0) {
          reply.header('retry-after', String(Math.ceil(wait / 1000)));
          throw ERR.TOO_MANY_ATTEMPTS();
        }
      }
      const header = req.headers.authorization;
      const m = typeof header === 'string' ? BEARER.exec(header) : null;
      const token = m ? await ctx.repo.findToken(m[1]!) : null;
      if (!token) {
        limiter?.fail(req.ip);
        reply.header('www-authenticate', m ? 'Bearer realm="tierbook", error="invalid_token"' : 'Bearer realm="tierbook"');
        throw ERR.UNAUTHORIZED({ detail: m ? 'the bearer token is not valid' : 'a bearer token is required: Authorization: Bearer <token>' });
      }
      if (token.role === 'operator') return { partner: null, role: 'operator', locale: null, timezone: null, currency: null, tokenId: token.id, partnerName: null };
      const plan = ctx.plans.get(token.partner);
      if (!plan) throw ERR.PLAN_NOT_LOADED({ partner: token.partner });
      const p = plan.partner;
      return { partner: p.id, role: token.role, locale: p.locale, timezone: p.timezone, currency: p.currency, tokenId: token.id, partnerName: { ...p.name } };
    },
  );
};
