// Documents of record (§9.7): list, one document in json/html/md/csv, its
// status, void and credit notes. The work is app/documents.ts (the CLI's
// credit-note, void and documents commands call the same functions).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { PartnerParams, IdempotencyHeaders } from '../../wire/params.js';
import { CreditNoteBody, DocumentParams, DocumentQuery, DocumentsQuery, DocumentStatusSchema, VoidBody } from '../../wire/documents.js';
import { scope, type ApiContext } from '../context.js';
import { answerOnce, JSON_TYPE, jsonAnswer } from '../idempotency.js';
import { ERR } from '../../errors.js';
import { documentsPage, documentWithStatus, issueCreditNote, previewCreditNote, statusAnswer, voidInvoice } from '../../app/documents.js';
import { negotiateFormat } from '../../render/negotiate.js';
import { STATEMENT_FORMATS } from '../../wire/params.js';
import { renderer } from '../renderer.js';
import type { CreditNoteRecord, VoidedInvoiceRecord, WriteResult } from '../../store/repository.js';

const write = { write: true } as const;

/** `?preview=true`: the credit note that would be issued, nothing issued (the console shows it before issuing). */
const CreditNoteQuery = Type.Object(
  { preview: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'true: answer the credit note that would be issued now (number null); nothing is issued' })) },
  { additionalProperties: false },
);

const Summary = Type.Object({
  number: Type.String(),
  kind: Type.String(),
  customer: Type.String(),
  period: Type.String(),
  issuedAt: Type.String(),
  total: Type.String(),
  status: Type.String(),
  credited: Type.String(),
  credits: Type.Optional(Type.String()),
  replaces: Type.Optional(Type.String()),
  replacedBy: Type.Optional(Type.String()),
});

export const documentRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, ctx) => {
  app.get(
    '/documents',
    {
      schema: {
        tags: ['documents'],
        summary: 'Issued invoices and credit notes with their status, by number',
        params: PartnerParams,
        querystring: DocumentsQuery,
        response: { 200: Type.Object({ items: Type.Array(Summary), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (req) => documentsPage(ctx.repo, scope(req).partner, req.query),
  );

  app.get(
    '/documents/:number',
    { schema: { tags: ['documents'], summary: 'One issued document: JSON byte for byte as issued, or HTML, Markdown, CSV', params: DocumentParams, querystring: DocumentQuery } },
    async (req, reply) => {
      const { plan, partner } = scope(req);
      const format = negotiateFormat({ query: req.query.format ?? null, accept: req.headers.accept ?? null }, STATEMENT_FORMATS, 'json');
      if (!format) throw ERR.NOT_ACCEPTABLE({ detail: 'documents are served as application/json, text/html, text/markdown or text/csv' });
      const { doc, summary } = await documentWithStatus(ctx.repo, partner, req.params.number);
      reply.header('x-document-status', summary.status);
      if (format === 'json') return reply.type(JSON_TYPE).send(doc.body);
      // the customer's locale, else the partner's, unless ?locale= says
      const customer = await ctx.repo.getCustomer(partner, doc.customer);
      const customerLocale = customer?.locale;
      const named = customer ? { customer: { id: customer.id, ...(customer.name ? { name: customer.name } : {}) } } : {};
      const out = (await renderer()).renderIssued(doc.body, { plan, format, status: summary.status, ...(req.query.locale ? { locale: req.query.locale } : {}), ...(customerLocale ? { customerLocale } : {}), ...named });
      return reply.type(out.contentType).send(out.body);
    },
  );

  app.get(
    '/documents/:number/status',
    { schema: { tags: ['documents'], summary: 'A document\'s status: issued, partially-credited, credited or void', params: DocumentParams, response: { 200: DocumentStatusSchema } } },
    async (req) => statusAnswer((await documentWithStatus(ctx.repo, scope(req).partner, req.params.number)).summary),
  );

  app.post(
    '/documents/:number/void',
    {
      config: write,
      schema: { tags: ['documents'], summary: 'Void an invoice (200); its customer and period can then be issued again', params: DocumentParams, headers: IdempotencyHeaders, body: VoidBody },
    },
    async (req, reply) => {
      const { partner } = scope(req);
      const { number } = req.params;
      return answerOnce(
        req,
        reply,
        (claim) => voidInvoice(ctx.repo, partner, number, req.body.reason, claim),
        // inside the store's transaction the result may be null (no such invoice): not stored, the use case says why
        (res: WriteResult<VoidedInvoiceRecord> | null) =>
          res ? jsonAnswer(200, { number: res.record.number, kind: 'invoice', status: 'void', reason: res.record.reason, voidedAt: res.record.voidedAt }) : ERR.DOCUMENT_NOT_FOUND({ number }),
      );
    },
  );

  app.post(
    '/documents/:number/credit-notes',
    {
      config: write,
      schema: {
        tags: ['documents'],
        summary: 'Issue a credit note against an invoice, whole or by lines (201); with preview=true answer it (200, number null) and issue nothing',
        params: DocumentParams,
        querystring: CreditNoteQuery,
        headers: IdempotencyHeaders,
        body: CreditNoteBody,
      },
    },
    async (req, reply) => {
      const { plan } = scope(req);
      const { number } = req.params;
      // what would be issued now, checked and priced the same way; nothing stored, no number taken
      if (req.query.preview === 'true') return reply.code(200).send(await previewCreditNote(ctx.repo, plan, number, req.body, new Date((ctx.now ?? Date.now)()).toISOString()));
      return answerOnce(
        req,
        reply,
        (claim) => issueCreditNote(ctx.repo, plan, number, req.body, claim),
        (res: WriteResult<CreditNoteRecord> | null) => (res ? { status: 201, contentType: JSON_TYPE, response: res.record.body } : ERR.DOCUMENT_NOT_FOUND({ number })),
      );
    },
  );
};
