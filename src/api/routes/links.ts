// Document links (issue 23; app/links.ts): POST /v1/partners/:partner/links
// makes one (any token of the partner, admin or viewer: a link only reads);
// GET /v1/links/:id, outside the partner scope and without a token, serves
// the document it names, rendered afresh, until it expires.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { PartnerParams } from '../../wire/params.js';
import { scope, type ApiContext } from '../context.js';
import { ERR } from '../../errors.js';
import { LINK_TTL, linkedDocument, makeLink, openLink } from '../../app/links.js';
import type { AuthFailureLimiter } from '../auth-limit.js';

const LinkBody = Type.Object(
  {
    path: Type.String({ minLength: 1, maxLength: 300, description: '"statements/<customer>/<period>" or "documents/<number>", optionally with ?format=html|md|csv|json (default html) and &locale=en-US|zh-CN' }),
    ttlSeconds: Type.Optional(Type.Integer({ minimum: LINK_TTL.min, maximum: LINK_TTL.max, description: `seconds the link works; default ${LINK_TTL.default} (7 days), at most ${LINK_TTL.max} (90 days)` })),
  },
  { additionalProperties: false },
);

const MadeLink = Type.Object({
  url: Type.String({ description: 'The link, relative to the server: /v1/links/<id>. Shown once; anyone holding it can read the document until it expires.' }),
  path: Type.String({ description: 'The document it opens, with its format (and locale)' }),
  expiresAt: Type.String({ description: 'When it stops working (UTC)' }),
});

/** Headers of a linked document: no referrer leaves the page (the URL is the secret), nothing kept by caches, not indexed. */
export const LINK_HEADERS = {
  'referrer-policy': 'no-referrer',
  'cache-control': 'private, no-store',
  'x-robots-tag': 'noindex, nofollow',
} as const;

export const linkRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, ctx) => {
  app.post(
    '/links',
    {
      schema: {
        tags: ['documents'],
        summary: 'A link that opens a statement or issued document in a browser without a token, until it expires (201)',
        params: PartnerParams,
        body: LinkBody,
        response: { 201: MadeLink },
      },
    },
    async (req, reply) => {
      const { partner } = scope(req);
      const now = (ctx.now ?? Date.now)();
      const made = await makeLink(ctx.repo, partner, req.auth!.id, req.body.path, req.body.ttlSeconds ?? LINK_TTL.default, now);
      return reply.code(201).header('cache-control', 'no-store').send(made);
    },
  );
};

/** GET /v1/links/:id; an unknown id counts as a failed authentication of the client's address (the limiter, when on). */
export function openLinkRoutes(limiter: AuthFailureLimiter | null): FastifyPluginAsyncTypebox<ApiContext> {
  return async (app, ctx) => {
    app.get(
      '/v1/links/:id',
      {
        schema: {
          tags: ['documents'],
          summary: 'The document a link opens, rendered now; no token (404 LINK_NOT_FOUND, 410 LINK_EXPIRED)',
          security: [],
          params: Type.Object({ id: Type.String({ maxLength: 200 }) }),
        },
      },
      async (req, reply) => {
        reply.headers(LINK_HEADERS);
        if (limiter !== null) {
          const wait = limiter.blockedFor(req.ip);
          if (wait > 0) {
            reply.header('retry-after', String(Math.ceil(wait / 1000)));
            throw ERR.TOO_MANY_ATTEMPTS();
          }
        }
        const now = (ctx.now ?? Date.now)();
        let link;
        try {
          link = await openLink(ctx.repo, req.params.id, now);
        } catch (err) {
          if ((err as { code?: string }).code === 'LINK_NOT_FOUND') limiter?.fail(req.ip);
          throw err;
        }
        const plan = ctx.plans.get(link.partner);
        if (!plan) throw ERR.PLAN_NOT_LOADED({ partner: link.partner });
        const doc = await linkedDocument(ctx.repo, plan, link.target, now);
        return reply.type(doc.contentType).send(doc.body);
      },
    );
  };
}
