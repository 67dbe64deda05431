// Statements (draft, finalize, issued), quotes and the margin report.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { BillingError } from '../../billing/statement.js';
import { parseQuote, quoteStatement } from '../../billing/quote.js';
import { describeStatement } from '../../render/lines.js';
import { marginReport } from '../../billing/margin.js';
import { RenderError } from '../../render/errors.js';
import type { StatementFormat } from '../../render/index.js';
import { renderer } from '../renderer.js';
import type { BillingInput } from '../../billing/types.js';
import { marginQuery, partnerParams, quoteBody, statementParams, statementQuery } from '../schemas.js';
import { scope, type ApiContext } from '../context.js';
import { HttpProblem, invalid, notFound } from '../problem.js';
import { billingInput, draftStatement, inputsDigest, issuedBody } from '../../app/statements.js';

const ACCEPT: ReadonlyArray<[RegExp, StatementFormat]> = [
  [/text\/html/, 'html'],
  [/text\/csv/, 'csv'],
  [/text\/markdown/, 'md'],
];

function formatOf(req: FastifyRequest): StatementFormat {
  const q = (req.query as { format?: StatementFormat }).format;
  if (q) return q;
  const accept = req.headers.accept ?? '';
  for (const [re, f] of ACCEPT) if (re.test(accept)) return f;
  return 'json';
}

const pointerOf = (field: string): string => (field === '' || field.startsWith('/') ? field : '/' + field.replace(/\./g, '/'));

/** Billing errors are about the data the caller gave or stored: 422, never 500. */
function billingProblem(err: unknown): never {
  if (err instanceof BillingError) {
    throw new HttpProblem(422, err.message, err.field ? [invalid(pointerOf(err.field), err.message)] : undefined);
  }
  if (err instanceof RenderError) throw new HttpProblem(400, err.message);
  throw err;
}

export const billingRoutes: FastifyPluginAsync<ApiContext> = async (app, ctx) => {
  const load = async (req: FastifyRequest): Promise<BillingInput> => {
    const { plan } = scope(req);
    const { customer, period } = req.params as { customer: string; period: string };
    const input = await billingInput(ctx.repo, plan, customer, period);
    if (!input) throw notFound(`customer "${customer}" not found`);
    return input;
  };

  app.get(
    '/statements/:customer/:period',
    { schema: { tags: ['statements'], summary: 'The draft statement of a customer and period', params: statementParams, querystring: statementQuery } },
    async (req, reply: FastifyReply) => {
      const { plan } = scope(req);
      const input = await load(req);
      try {
        const statement = draftStatement(input);
        const locale = (req.query as { locale?: string }).locale;
        const doc = (await renderer()).renderStatement(statement, { plan, format: formatOf(req), ...(locale ? { locale } : {}), customer: { id: input.customer.id, ...(input.customer.name ? { name: input.customer.name } : {}), ...(input.customer.locale ? { locale: input.customer.locale } : {}) } });
        return reply.type(doc.contentType).send(doc.body);
      } catch (err) {
        billingProblem(err);
      }
    },
  );

  app.post(
    '/statements/:customer/:period/finalize',
    { config: { write: true }, schema: { tags: ['statements'], summary: 'Issue the statement (201; 200 when already issued)', params: statementParams } },
    async (req, reply) => {
      const { partner } = scope(req);
      const { customer, period } = req.params as { customer: string; period: string };
      const existing = await ctx.repo.getIssued(partner, customer, period);
      if (existing) return reply.code(200).type('application/json; charset=utf-8').send(existing.body);
      const input = await load(req);
      let statement;
      try {
        statement = draftStatement(input);
      } catch (err) {
        billingProblem(err);
      }
      const issuedAt = new Date().toISOString();
      const res = await ctx.repo.issue(partner, customer, period, (number) => ({
        body: issuedBody(statement, number, issuedAt),
        planHash: statement.planHash,
        inputsDigest: inputsDigest(input),
      }));
      return reply.code(res.created ? 201 : 200).type('application/json; charset=utf-8').send(res.record.body);
    },
  );

  app.get(
    '/statements/:customer/:period/issued',
    { schema: { tags: ['statements'], summary: 'The issued statement, unchanged since issue', params: statementParams } },
    async (req, reply) => {
      const { customer, period } = req.params as { customer: string; period: string };
      const issued = await ctx.repo.getIssued(scope(req).partner, customer, period);
      if (!issued) throw notFound(`no statement issued for customer "${customer}" and period ${period}`);
      return reply.type('application/json; charset=utf-8').header('x-statement-number', issued.number).send(issued.body);
    },
  );

  app.post(
    '/quotes',
    { schema: { tags: ['statements'], summary: 'Price a quote document (§4.7); nothing is stored', params: partnerParams, body: quoteBody } },
    async (req) => {
      const { plan, partner } = scope(req);
      const body = req.body as { partner: string };
      if (body.partner !== partner) throw new HttpProblem(400, `the quote is for partner "${body.partner}"`, [invalid('/partner', `must be "${partner}"`)]);
      const parsed = parseQuote(body);
      if (!parsed.ok) throw new HttpProblem(400, parsed.errors.map((e) => e.message).join('; '), parsed.errors.map((e) => invalid(pointerOf(e.field), e.message)));
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
    { schema: { tags: ['reports'], summary: 'Revenue, cost and margin per customer, offering and provider', params: partnerParams, querystring: marginQuery } },
    async (req) => {
      const { plan, partner } = scope(req);
      const { period } = req.query as { period: string };
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
