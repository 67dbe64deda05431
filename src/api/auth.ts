// Bearer-token authentication and partner isolation (SPEC §6): no or a wrong
// token 401; another partner's token 404 (its resources are not revealed to
// exist); a viewer's write 403.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblem } from './problem.js';
import type { ApiContext } from './context.js';

const BEARER = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]{1,200})[ \t]*$/i;

export function authHook(ctx: ApiContext) {
  return async function authenticate(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = req.headers.authorization;
    const m = typeof header === 'string' ? BEARER.exec(header) : null;
    if (!m) {
      reply.header('www-authenticate', 'Bearer realm="tierbook"');
      throw new HttpProblem(401, 'a bearer token is required: Authorization: Bearer <token>');
    }
    const token = await ctx.repo.findToken(m[1]!);
    if (!token) {
      reply.header('www-authenticate', 'Bearer realm="tierbook", error="invalid_token"');
      throw new HttpProblem(401, 'the bearer token is not valid');
    }
    const partner = (req.params as { partner?: string }).partner ?? '';
    if (token.partner !== partner) throw new HttpProblem(404, `partner "${partner}" not found`);
    if (req.routeOptions.config.write && token.role !== 'admin') {
      throw new HttpProblem(403, `this token has role "${token.role}"; writing needs role "admin"`);
    }
    const plan = ctx.plans.get(partner);
    if (!plan) throw new HttpProblem(404, `no plan is loaded for partner "${partner}"`);
    req.auth = token;
    req.plan = plan;
  };
}
