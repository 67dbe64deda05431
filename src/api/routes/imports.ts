// POST /v1/partners/:partner/imports/partner-center (SPEC §12.2): a Partner
// Center file as the body (text/csv, up to 64 MiB), read as a stream by the
// same import as the CLI's, answered with the summary.
//
// Not a `write` route in the idempotency sense: the body is a stream that is
// never held whole, so it is not hashed for Idempotency-Key; an import is
// idempotent by itself (each key's figures are replaced, never added). The
// admin role is checked here instead of by the route flag for that reason.
import { Readable, Transform } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { ERR } from '../../errors.js';
import { scope, type ApiContext } from '../context.js';
import { PartnerParams } from '../../wire/params.js';
import { importPartnerCenter } from '../../partner-center/import.js';

/** The largest file the API takes; larger ones go through `tierbook import partner-center`. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

/** Passes bytes through until more than `max` went by, then fails with BODY_TOO_LARGE (a chunked body has no Content-Length). */
export function byteLimit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > max) cb(ERR.BODY_TOO_LARGE());
      else cb(null, chunk);
    },
  });
}

export const importRoutes: FastifyPluginAsync<ApiContext> = async (app, ctx) => {
  // The body stays a stream (this plugin's routes only): the import reads it as it arrives.
  app.addContentTypeParser('text/csv', (_req, payload, done) => done(null, payload));

  app.post(
    '/imports/partner-center',
    {
      schema: {
        tags: ['usage'],
        summary: 'Import a Partner Center invoice reconciliation or daily rated usage file',
        description:
          'Body: the CSV file as downloaded (Content-Type text/csv, at most 64 MiB). Answers the summary: lines imported as spend records per (customer, month, service, file kind, invoice), and the lines reported by group (unknown tenants, no matching service, another currency). `strict=true` refuses the whole file when any line was reported; `dryRun=true` writes nothing. See docs/partner-center.md.',
        params: PartnerParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { strict: { type: 'string', enum: ['true', 'false'] }, dryRun: { type: 'string', enum: ['true', 'false'] } },
        },
      },
    },
    async (req) => {
      const { plan } = scope(req);
      if (req.auth?.role !== 'admin') throw ERR.FORBIDDEN({ detail: `this token has role "${req.auth?.role ?? 'none'}"; importing needs role "admin"` });
      const length = Number(req.headers['content-length'] ?? 0);
      if (length > MAX_IMPORT_BYTES) throw ERR.BODY_TOO_LARGE();
      const body = req.body;
      if (!(body instanceof Readable)) {
        throw ERR.UNSUPPORTED_MEDIA_TYPE({ detail: 'send the Partner Center file as the body with Content-Type text/csv' });
      }
      const limited = byteLimit(MAX_IMPORT_BYTES);
      // A client that goes away mid-body fails the import instead of leaving it
      // waiting. When the import stops first (a bad line), the rest of the body
      // is drained, not destroyed: destroying the request would close the
      // socket before the 400 is sent.
      body.pipe(limited);
      body.on('error', (e: Error) => limited.destroy(e));
      body.on('close', () => {
        if (!body.readableEnded) limited.destroy(ERR.BAD_REQUEST({ detail: 'the client closed the request before the body ended' }));
      });
      limited.on('close', () => {
        body.unpipe(limited);
        body.resume();
      });
      const { strict, dryRun } = req.query as { strict?: 'true' | 'false'; dryRun?: 'true' | 'false' };
      return importPartnerCenter(ctx.repo, plan, limited, { file: 'body', strict: strict === 'true', dryRun: dryRun === 'true' });
    },
  );
};
