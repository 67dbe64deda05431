// Statements (draft, finalize, issued), quotes and the margin report.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { BillingError } from '../../billing/statement.js';
import { parseQuote, quoteStatement } from '../../billing/quote.js';
import { describeStatement } from '../../render/lines.js';
import { marginReport } from '../../billing/margin.js';
import type { StatementFormat } from '../../render/index.js';
import { renderer } from '../renderer.js';
import type { BillingInput } from '../../billing/types.js';
import { FinalizeQuery, MarginQuery, PartnerParams, StatementParams, StatementQuery, type StatementParams as StatementKey } from '../../wire/params.js';
import { QuoteDocument } from '../../wire/quote.js';
import { ERR } from '../../errors.js';
import { scope, type ApiContext } from '../context.js';
import { answerOnce, JSON_TYPE } from '../idempotency.js';
import { invalid } from '../problem.js';
import { billingInput, draftOf, draftStatement, finalizeGuard, inputsDigest, issuable, keepPlanVersion } from '../../app/statements.js';
import { statementRead, type StatementRead } from '../../app/corrections.js';
import { invoiceMaker } from '../../app/documents.js';

const ACCEPT: ReadonlyArray<[RegExp, StatementFormat]> = [
  [/text\/html/, 'html'],
  [/text\/csv/, 'csv'],
  [/text\/markdown/, 'md'],
];

/** `?format=` wins, else the Accept header. */
function formatOf(query: StatementFormat | undefined, accept = ''): StatementFormat {
  if (query) return query;
  for (const [re, f] of ACCEPT) if (re.test(accept)) return f;
  return 'json';
}

const pointerOf = (field: string): string => (field === '' || field.startsWith('/') ? field : '/' + field.replace(/\./g, '/'));

/** Billing errors are about the data the caller gave or stored: 422, never 500 (render errors answer with their own code). */
function billingProblem(err: unknown): never {
  if (err instanceof BillingError) {
    throw ERR.BILLING_REFUSED({ detail: err.message }, err.field ? { errors: [invalid(pointerOf(err.field), err.message)] } : {});
  }
  throw err;
}

export const billingRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, ctx) => {
  // a draft or finalize prices the period with its corrections of earlier periods (§9.6), at the server's clock (§9.4)
  // a finalize also takes the store's input revision before the read (kept with the invoice: app/corrections.ts); a draft does not
  const read = async (req: FastifyRequest, { customer, period }: StatementKey, finalize: boolean): Promise<StatementRead> => {
    const { plan } = scope(req);
    const got = await statementRead(ctx.repo, plan, customer, period, (ctx.now ?? Date.now)(), finalize);
    if (!got) throw ERR.NOT_FOUND({ what: `customer "${customer}"` });
    return got;
  };
  const load = async (req: FastifyRequest, key: StatementKey): Promise<BillingInput> => (await read(req, key, false)).input;

  app.get(
    '/statements/:customer/:period',
    { schema: { tags: ['statements'], summary: 'The draft statement of a customer and period', params: StatementParams, querystring: StatementQuery } },
    async (req, reply) => {
      const { plan } = scope(req);
      const input = await load(req, req.params);
      try {
        const statement = draftStatement(input);
        const { locale, format } = req.query;
        const doc = (await renderer()).renderStatement(statement, { plan, format: formatOf(format, req.headers.accept), ...(locale ? { locale } : {}), customer: { id: input.customer.id, ...(input.customer.name ? { name: input.customer.name } : {}), ...(input.customer.locale ? { locale: input.customer.locale } : {}) } });
        return reply.type(doc.contentType).send(doc.body);
      } catch (err) {
        billingProblem(err);
      }
    },
  );

  app.post(
    '/statements/:customer/:period/finalize',
    {
      config: { write: true },
      schema: {
        tags: ['statements'],
        summary: 'Issue the statement (201; 200 when already issued); 409 PERIOD_NOT_ENDED, or SPEND_MISSING unless force=true',
        params: StatementParams,
        querystring: FinalizeQuery,
      },
    },
    async (req, reply) => {
      const { partner, plan } = scope(req);
      const { customer, period } = req.params;
      const existing = await ctx.repo.getIssued(partner, customer, period);
      if (existing) return reply.code(200).type('application/json; charset=utf-8').send(existing.body);
      const { input, inputsRev } = await read(req, req.params, true);
      let statement;
      try {
        const draft = draftOf(input);
        // the guards (§9.4) refuse before anything is numbered or stored
        finalizeGuard(plan, draft.billed, req.query.force === 'true');
        statement = issuable(draft.statement);
      } catch (err) {
        billingProblem(err);
      }
      await keepPlanVersion(ctx.repo, plan);
      // the invoice of record (§9.7): kind, dates, tax ids, the void invoice it replaces (app/documents.ts)
      const make = invoiceMaker(scope(req).plan, input, statement, inputsDigest(input), inputsRev);
      return answerOnce(
        req,
        reply,
        (claim) => ctx.repo.issue(partner, customer, period, make, claim),
        (res) => ({ status: res.created ? 201 : 200, contentType: JSON_TYPE, response: res.record.body }),
      );
    },
  );

  app.get(
    '/statements/:customer/:period/issued',
    { schema: { tags: ['statements'], summary: 'The issued statement, unchanged since issue', params: StatementParams } },
    async (req, reply) => {
      const { customer, period } = req.params;
      const issued = await ctx.repo.getIssued(scope(req).partner, customer, period);
      if (!issued) throw ERR.STATEMENT_NOT_ISSUED({ customer, period });
      return reply.type('application/json; charset=utf-8').header('x-statement-number', issued.number).send(issued.body);
    },
  );

  app.post(
    '/quotes',
    { schema: { tags: ['statements'], summary: 'Price a quote document (customers, subscriptions and usage as given); nothing is stored', params: PartnerParams, body: QuoteDocument } },
    async (req) => {
      const { plan, partner } = scope(req);
      const body = req.body;
      if (body.partner !== partner) throw ERR.INVALID_QUOTE({ detail: `the quote is for partner "${body.partner}"` }, { errors: [invalid('/partner', `must be "${partner}"`)] });
      // the schema checked the shape; parseQuote what relates fields (ends before starts, request references, …)
      const parsed = parseQuote(body, { shapeChecked: true });
      if (!parsed.ok) throw ERR.INVALID_QUOTE({ detail: parsed.errors.map((e) => e.message).join('; ') }, { errors: parsed.errors.map((e) => invalid(pointerOf(e.field), e.message)) });
      try {
        // the quote's lines in the quote customer's locale, else the partner's
        return describeStatement(quoteStatement(parsed.value, plan), plan, { customerLocale: parsed.value.customer.locale });
      } catch (err) {
        billingProblem(err);
      }
    },
  );

  app.get(
    '/reports/margin',
    { schema: { tags: ['reports'], summary: 'Revenue, cost and margin per customer, offering and provider', params: PartnerParams, querystring: MarginQuery } },
    async (req) => {
      const { plan, partner } = scope(req);
      const { period } = req.query;
      const inputs: BillingInput[] = [];
      for (const c of await ctx.repo.listCustomers(partner)) {
        const input = await billingInput(ctx.repo, plan, c.id, period);
        if (input && input.subscriptions.length > 0) inputs.push(input);
      }
      try {
        return marginReport(inputs);
      } catch (err) {
        billingProblem(err);
      }
    },
  );
};
