// Request evaluation and usage: requests (stored with their decision),
// responses, worklogs, cloud spend, and batch ingest.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RequestBody, ResponseBody, SpendBody, StoredRequestBody, WorklogBody } from '../../wire/records.js';
import { BatchAnswer, BatchParams, DecisionSchema, IdempotencyHeaders, PartnerParams, WithId } from '../../wire/params.js';
import { scope, type ApiContext } from '../context.js';
import { CachedRepository } from '../cache.js';
import { decideFor, holdings, RecordError, requestOf, responseProblem } from '../../app/ingest.js';
import { ERR } from '../../errors.js';
import { requestSla } from '../../app/events.js';
import { answerOnce, jsonAnswer } from '../idempotency.js';
import { writeAndAnswer, writeOne } from '../write.js';
import type { Decision } from '../../rules/types.js';

const write = { write: true } as const;
export const MAX_BATCH = 10_000;
/** The largest batch record as compact JSON (a request with every field at its longest is about 600 bytes). */
export const MAX_RECORD_BYTES = 1024;
/** A batch's body limit: MAX_BATCH records of MAX_RECORD_BYTES fit (10 MiB; other bodies keep 1 MiB). */
export const BATCH_BODY_LIMIT = MAX_BATCH * MAX_RECORD_BYTES;

/** NDJSON text or a JSON array into records; a line that is not JSON is a 400 naming it. */
function batchRecords(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (typeof body !== 'string') throw ERR.INVALID_BODY({ detail: 'a batch is a JSON array or NDJSON (one JSON object per line)' });
  const out: unknown[] = [];
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      throw ERR.INVALID_JSON({ detail: `line ${i + 1} is not JSON` }, { errors: [{ in: 'body', pointer: `/${out.length}`, detail: `line ${i + 1} is not JSON` }], index: out.length, extra: { line: i + 1 } });
    }
  }
  return out;
}

/**
 * What happened to one batch record: stored now or replayed, and for a
 * request its decision in short (accepted, or the reason codes), so a
 * rejected request is seen without fetching each.
 */
export function batchResult(r: { created: boolean; record: { id: string; decision?: Decision } }): BatchResult {
  const d = r.record.decision;
  return { id: r.record.id, created: r.created, ...(d ? { accepted: d.accepted, reasons: d.reasons.map((x) => x.code) } : {}) };
}
export interface BatchResult {
  readonly id: string;
  readonly created: boolean;
  readonly accepted?: boolean;
  readonly reasons?: readonly string[];
}

export const usageRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, ctx) => {
  const cache = ctx.repo instanceof CachedRepository ? ctx.repo : null;
  app.post(
    '/evaluate',
    { schema: { tags: ['requests'], summary: 'Evaluate a request; nothing is stored', params: PartnerParams, body: RequestBody, response: { 200: DecisionSchema } } },
    // Not async: when the cache knows the customer (the common case) the
    // decision is answered without a promise; otherwise the store is asked.
    // The body was validated by the route's schema (requestOf checks only
    // what a schema cannot: the partner, a real receivedAt).
    (req): Decision | Promise<Decision> => {
      const { plan, partner } = scope(req);
      let r;
      try {
        r = requestOf(plan, req.body);
      } catch (err) {
        if (err instanceof RecordError) throw ERR.INVALID_BODY({ detail: err.message }, { errors: err.errors });
        throw err;
      }
      const { request, at } = r;
      const customer = request.customer;
      const held = customer === undefined ? null : cache ? cache.cachedHoldings(partner, customer) : undefined;
      if (held !== undefined) return decideFor(plan, request, at, held ?? undefined);
      return holdings(ctx.repo, partner, customer).then((h) => decideFor(plan, request, at, h));
    },
  );

  app.post(
    '/requests',
    { config: write, schema: { tags: ['requests'], summary: 'Store a request with its decision', params: PartnerParams, headers: IdempotencyHeaders, body: StoredRequestBody } },
    async (req, reply) => writeOne(ctx, req, reply, 'requests', req.body, (r) => ({ id: r.id, decision: r.decision })),
  );

  app.get('/requests/:id', { schema: { tags: ['requests'], summary: 'One stored request', params: WithId } }, async (req) => {
    const { id } = req.params;
    const { partner, plan } = scope(req);
    const r = await ctx.repo.getRequest(partner, id);
    if (!r) throw ERR.NOT_FOUND({ what: `request "${id}"` });
    // the SLA clocks over the request's life (§11.3), judged now
    return { ...r, sla: requestSla(plan, r, await ctx.repo.listEvents(partner, id), (ctx.now ?? Date.now)()) };
  });

  app.post(
    '/requests/:id/response',
    { config: write, schema: { tags: ['requests'], summary: 'Record the first response to a request', params: WithId, headers: IdempotencyHeaders, body: ResponseBody } },
    async (req, reply) => {
      const { id } = req.params;
      // a real instant: the schema's 'instant' format (src/time) checks it
      const { respondedAt } = req.body;
      // before the request arrived it would count as met
      const known = await ctx.repo.getRequest(scope(req).partner, id);
      const wrong = known ? responseProblem(respondedAt, known.receivedAt, (ctx.now ?? Date.now)()) : null;
      if (wrong) throw ERR[wrong.code]({ detail: wrong.detail }, { errors: [{ in: 'body', pointer: '/respondedAt', detail: wrong.detail }] });
      return answerOnce(
        req,
        reply,
        (claim) => ctx.repo.setResponse(scope(req).partner, id, respondedAt, claim),
        (r) => (r ? jsonAnswer(200, r) : ERR.NOT_FOUND({ what: `request "${id}"` })),
      );
    },
  );

  app.post(
    '/worklogs',
    { config: write, schema: { tags: ['usage'], summary: 'Log work on a request', params: PartnerParams, headers: IdempotencyHeaders, body: WorklogBody } },
    async (req, reply) => writeOne(ctx, req, reply, 'worklogs', req.body),
  );

  app.post(
    '/spend',
    { config: write, schema: { tags: ['usage'], summary: "Record a month's cloud spend of a service", params: PartnerParams, headers: IdempotencyHeaders, body: SpendBody } },
    async (req, reply) => writeOne(ctx, req, reply, 'spend', req.body),
  );

  app.post(
    '/batch/:kind',
    {
      config: write,
      bodyLimit: BATCH_BODY_LIMIT,
      schema: {
        tags: ['usage'],
        summary: 'Ingest requests, worklogs or spend in one transaction (all or nothing)',
        description: 'Body: a JSON array, or NDJSON (Content-Type application/x-ndjson). A bad record fails the whole batch with a 400 naming its index.',
        params: BatchParams,
        headers: IdempotencyHeaders,
        // no maxItems here: more than MAX_BATCH records is the handler's 413 BATCH_TOO_LARGE, not a 400
        body: { anyOf: [{ type: 'array' }, { type: 'string' }] },
        response: { 200: BatchAnswer },
      },
    },
    async (req, reply) => {
      const { kind } = req.params;
      const records = batchRecords(req.body);
      if (records.length > MAX_BATCH) throw ERR.BATCH_TOO_LARGE({ max: MAX_BATCH });
      return writeAndAnswer(ctx, req, reply, kind, records, {
        status: 200,
        batch: true,
        shape: (results) => {
          const created = results.filter((r) => r.created).length;
          return { kind, records: results.length, created, replayed: results.length - created, ids: results.map((r) => r.record.id), results: results.map(batchResult) };
        },
      });
    },
  );
};
