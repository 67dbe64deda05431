// Documents of record (§9.7): what an issued invoice is (kind, number, issue
// and due dates, tax ids, the invoice it replaces), void, credit notes, and
// each document's status. The API routes (api/routes/documents.ts) and the
// CLI (credit-note, void, documents) call these; the store numbers and keeps
// the documents, atomically with the checks made here (guards and `make`
// run inside its write transaction).
import type { Statement } from '../billing/types.js';
import type { Plan } from '../plans/types.js';
import type { BillingInput } from '../billing/types.js';
import type { CreditNoteRecord, DocumentFilter, DocumentRecord, IdempotencyClaim, IssuedStatementRecord, IssueMade, Repository, VoidedInvoiceRecord, WriteResult } from '../store/repository.js';
import { creditNoteSeries } from '../store/queries.js';
import { ERR } from '../errors.js';
import { formatDay, parseInstant, zoneOffsets } from '../time/instant.js';
import { add, cmp, div, mul, neg, ONE, parseDecimal, parsePercent, rat, roundToUnits, sum, toFixed, ZERO, type Rat } from '../rational.js';
import { currencyDigits as exponentOfCode } from '../currency.js';
import type { Rounding } from '../decimal.js';
import type { CreditNoteBody } from '../wire/documents.js';
import { decodeCursor, encodeCursor, pageLimit, type PageAnswer } from './lists.js';

export const DEFAULT_PAYMENT_TERMS = 30;

export type DocumentStatus = 'issued' | 'partially-credited' | 'credited' | 'void';

/** The due date of an invoice issued at `issuedAt`: its local date in the partner's timezone plus the payment terms (days). */
export function dueDate(plan: Plan, issuedAt: string): string {
  const days = plan.partner.billing?.paymentTerms ?? DEFAULT_PAYMENT_TERMS;
  return formatDay(zoneOffsets(plan.partner.timezone).localDay(parseInstant(issuedAt)) + days);
}

/** The issued invoice: the statement led by what makes it a document of record; stored and served byte for byte. */
export function invoiceBody(plan: Plan, statement: Statement, customerTaxId: string | null | undefined, number: string, issuedAt: string, replaces: string | null): string {
  const partnerTaxId = plan.partner.billing?.taxId;
  const doc = {
    kind: 'invoice',
    number,
    issuedAt,
    dueDate: dueDate(plan, issuedAt),
    ...(replaces ? { replaces } : {}),
    ...(partnerTaxId ? { partnerTaxId } : {}),
    ...(customerTaxId ? { customerTaxId } : {}),
    ...statement,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/**
 * What finalize hands the store's issue(): the invoice's body for the number,
 * instant and predecessor the store gives, the inputs' digest, and the input
 * changes seen before the inputs were read (StatementRead.inputsRev; null: not known).
 */
export function invoiceMaker(
  plan: Plan,
  input: BillingInput,
  statement: Statement,
  digest: string,
  inputsRev: string | null,
): (number: string, issuedAt: string, replaces: string | null) => IssueMade {
  const taxId = input.customer.taxId;
  return (number, issuedAt, replaces) => ({ body: invoiceBody(plan, statement, taxId, number, issuedAt, replaces), planHash: statement.planHash, inputsDigest: digest, inputsRev });
}

// ---- reading issued bodies

interface IssuedLine {
  readonly offering?: string;
  readonly component?: string;
  readonly description?: string;
  readonly amount: string;
  readonly taxable?: boolean;
}
interface IssuedInvoice {
  readonly partner: string;
  readonly customer: string;
  readonly period: string;
  readonly currency: string;
  readonly lines: readonly IssuedLine[];
  readonly total: string;
  readonly taxRate?: string;
  readonly taxInclusive?: boolean;
  readonly partnerTaxId?: string;
  readonly customerTaxId?: string;
}
interface CreditNoteLine {
  readonly line: number;
  readonly amount: string;
}

const dec = (s: string): Rat => parseDecimal(s) ?? ZERO;
const fixed = (x: Rat, exponent: number, mode: Rounding = 'half-up'): string => toFixed(x, exponent, mode);
const sign = (x: Rat): number => cmp(x, ZERO);
const abs = (x: Rat): Rat => (sign(x) < 0 ? neg(x) : x);

/** What is left to credit of each invoice line after the credit notes `notes` (a line's sign kept: 0 when fully credited). */
function leftPerLine(invoice: IssuedInvoice, notes: readonly CreditNoteRecord[]): Rat[] {
  const left = invoice.lines.map((l) => dec(l.amount));
  for (const n of notes) {
    for (const l of (JSON.parse(n.body) as { lines: CreditNoteLine[] }).lines) {
      if (l.line >= 0 && l.line < left.length) left[l.line] = add(left[l.line]!, dec(l.amount));
    }
  }
  return left;
}

/** Sum of the credit notes' totals, as a positive decimal (what `credited` answers). */
function creditedText(notes: readonly CreditNoteRecord[], exponent: number): string {
  return fixed(neg(sum(notes.map((n) => dec(n.total)))), exponent);
}

/**
 * The credit note's body (§9.7), or a refusal. `want` null credits every
 * line of the invoice that has something left; otherwise the lines named,
 * each by the amount given (a positive magnitude: a negative line such as a
 * discount is credited by a positive amount) or all that is left of it.
 * Amounts are the invoice's negated; tax is −round(credited taxable subtotal ×
 * the invoice's rate) (the contained part, rate / (1 + rate), when the invoice's
 * prices include tax).
 */
export function creditNoteBody(
  invoiceRec: IssuedStatementRecord,
  earlier: readonly CreditNoteRecord[],
  want: CreditNoteBody,
  number: string,
  issuedAt: string,
  rounding: Rounding,
): { body: string; total: string } {
  const invoice = JSON.parse(invoiceRec.body) as IssuedInvoice;
  const exponent = exponentOfCode(invoice.currency);
  const left = leftPerLine(invoice, earlier);
  const picked: { line: number; credit: Rat }[] = [];
  if (!want.lines) {
    left.forEach((l, i) => {
      if (sign(l) !== 0) picked.push({ line: i, credit: l });
    });
    if (picked.length === 0) throw ERR.OVER_CREDIT({ line: 'any', number: invoiceRec.number, left: fixed(ZERO, exponent), amount: 'a credit note' });
  } else {
    const seen = new Set<number>();
    want.lines.forEach((w, i) => {
      const pointer = `/lines/${i}`;
      if (w.line >= left.length) throw ERR.CREDIT_LINE_INVALID({ detail: `invoice "${invoiceRec.number}" has ${left.length} line(s) (0 to ${left.length - 1}); there is no line ${w.line}` }, { errors: [{ in: 'body', pointer: pointer + '/line', detail: `no line ${w.line}` }] });
      if (seen.has(w.line)) throw ERR.CREDIT_LINE_INVALID({ detail: `line ${w.line} is named twice` }, { errors: [{ in: 'body', pointer: pointer + '/line', detail: 'named twice' }] });
      seen.add(w.line);
      const rest = left[w.line]!;
      let credit = rest;
      if (w.amount !== undefined) {
        const frac = /\.(\d+)$/.exec(w.amount)?.[1] ?? '';
        if (frac.replace(/0+$/, '').length > exponent) throw ERR.CREDIT_LINE_INVALID({ detail: `amount "${w.amount}" has more decimals than ${invoice.currency} allows` }, { errors: [{ in: 'body', pointer: pointer + '/amount', detail: 'too many decimals' }] });
        const amount = dec(w.amount);
        if (sign(amount) <= 0) throw ERR.CREDIT_LINE_INVALID({ detail: `the amount to credit of line ${w.line} must be more than 0` }, { errors: [{ in: 'body', pointer: pointer + '/amount', detail: 'must be more than 0' }] });
        const lineSign = sign(dec(invoice.lines[w.line]!.amount));
        if (cmp(amount, abs(rest)) > 0 || lineSign === 0) throw ERR.OVER_CREDIT({ line: w.line, number: invoiceRec.number, left: fixed(abs(rest), exponent), amount: w.amount });
        credit = lineSign < 0 ? neg(amount) : amount;
      } else if (sign(rest) === 0) {
        throw ERR.OVER_CREDIT({ line: w.line, number: invoiceRec.number, left: fixed(ZERO, exponent), amount: 'the rest of the line' });
      }
      picked.push({ line: w.line, credit });
    });
  }
  const lines = picked.map(({ line, credit }) => {
    const l = invoice.lines[line]!;
    return {
      line,
      ...(l.offering !== undefined ? { offering: l.offering } : {}),
      ...(l.component !== undefined ? { component: l.component } : {}),
      ...(l.description !== undefined ? { description: l.description } : {}),
      amount: fixed(neg(credit), exponent),
    };
  });
  const credited = sum(picked.map((p) => p.credit));
  const taxableCredited = sum(picked.filter((p) => invoice.lines[p.line]!.taxable !== false).map((p) => p.credit));
  const rate = invoice.taxRate ? (parsePercent(invoice.taxRate) ?? ZERO) : ZERO;
  const factor = invoice.taxInclusive ? div(rate, add(ONE, rate)) : rate;
  // −round(x × rate): roundToUnits rounds a tie away from zero on both sides, so a credit mirrors the invoice's tax
  const tax = neg(rat(roundToUnits(mul(taxableCredited, factor), exponent, rounding), 10n ** BigInt(exponent)));
  const subtotal = neg(credited);
  const total = invoice.taxInclusive ? subtotal : add(subtotal, tax);
  const doc = {
    kind: 'credit-note',
    number,
    credits: invoiceRec.number,
    issuedAt,
    partner: invoice.partner,
    customer: invoice.customer,
    period: invoice.period,
    currency: invoice.currency,
    reason: want.reason,
    lines,
    subtotal: fixed(subtotal, exponent),
    tax: fixed(tax, exponent),
    ...(invoice.taxRate ? { taxRate: invoice.taxRate } : {}),
    ...(invoice.taxInclusive ? { taxInclusive: true } : {}),
    total: fixed(total, exponent),
    ...(invoice.partnerTaxId ? { partnerTaxId: invoice.partnerTaxId } : {}),
    ...(invoice.customerTaxId ? { customerTaxId: invoice.customerTaxId } : {}),
  };
  return { body: JSON.stringify(doc, null, 2) + '\n', total: doc.total };
}

// ---- use cases

/** The month of issue (partner's timezone) of an instant: YYYY-MM. */
const monthOf = (plan: Plan, issuedAt: string): string => formatDay(zoneOffsets(plan.partner.timezone).localDay(parseInstant(issuedAt))).slice(0, 7);

async function invoiceOr404(repo: Repository, partner: string, number: string, action: string): Promise<DocumentRecord & { kind: 'invoice' }> {
  const doc = await repo.documentByNumber(partner, number);
  if (!doc) throw ERR.DOCUMENT_NOT_FOUND({ number });
  if (doc.kind !== 'invoice') throw ERR.NOT_AN_INVOICE({ number, kind: 'credit note', action });
  return doc;
}

/** Does an issued invoice's body carry a correction line for `number`? */
const corrects = (body: string, number: string): boolean =>
  ((JSON.parse(body) as { lines?: { component?: string; corrects?: unknown }[] }).lines ?? []).some((l) => l.component === 'correction' && String(l.corrects) === number);

/**
 * Voids an invoice (§9.7). 409 HAS_CREDIT_NOTES when it has credit notes,
 * HAS_CORRECTIONS when a later issued invoice of the customer corrects it;
 * voiding a void invoice again answers it (created false).
 */
export async function voidInvoice(repo: Repository, partner: string, number: string, reason: string, claim?: IdempotencyClaim<WriteResult<VoidedInvoiceRecord> | null>): Promise<WriteResult<VoidedInvoiceRecord>> {
  const res = await repo.voidInvoice(
    partner,
    number,
    reason,
    (invoice, notes, later) => {
      if (notes.length > 0) throw ERR.HAS_CREDIT_NOTES({ number, notes: notes.map((n) => n.number).join(', ') });
      const by = later.filter((l) => corrects(l.body, invoice.number)).map((l) => l.number);
      if (by.length > 0) throw ERR.HAS_CORRECTIONS({ number, by: by.join(', ') });
    },
    claim,
  );
  if (res) return res;
  await invoiceOr404(repo, partner, number, 'voided'); // a credit note, or nothing
  throw ERR.DOCUMENT_NOT_FOUND({ number });
}

/** Issues a credit note against a current invoice (§9.7). */
export async function issueCreditNote(repo: Repository, plan: Plan, number: string, want: CreditNoteBody, claim?: IdempotencyClaim<WriteResult<CreditNoteRecord> | null>): Promise<WriteResult<CreditNoteRecord>> {
  const partner = plan.partner.id;
  const res = await repo.issueCreditNote(
    partner,
    number,
    (issuedAt) => creditNoteSeries(partner, monthOf(plan, issuedAt)),
    (invoice, earlier, cn, issuedAt) => creditNoteBody(invoice, earlier, want, cn, issuedAt, plan.partner.rounding),
    claim,
  );
  if (res) return res;
  const doc = await invoiceOr404(repo, partner, number, 'credited');
  if (doc.voided) throw ERR.INVOICE_VOID({ number, action: 'credited' });
  throw ERR.DOCUMENT_NOT_FOUND({ number });
}

/**
 * The credit note `want` would issue against invoice `number` now, issuing
 * nothing and taking no number (`number: null`): the same checks and amounts
 * as issueCreditNote, against the credit notes issued so far
 * (`POST /documents/:number/credit-notes?preview=true`, the console's dialog).
 */
export async function previewCreditNote(repo: Repository, plan: Plan, number: string, want: CreditNoteBody, issuedAt: string): Promise<Record<string, unknown>> {
  const partner = plan.partner.id;
  const invoice = await invoiceOr404(repo, partner, number, 'credited');
  if (invoice.voided) throw ERR.INVOICE_VOID({ number, action: 'credited' });
  const related = await repo.documents(partner, { customer: invoice.customer, period: invoice.period });
  const earlier = related.filter((d): d is DocumentRecord & { kind: 'credit-note' } => d.kind === 'credit-note' && d.invoice === number);
  const { body } = creditNoteBody(invoice, earlier, want, '', issuedAt, plan.partner.rounding);
  return { ...(JSON.parse(body) as Record<string, unknown>), number: null };
}

/** A document's status line (GET /documents/:number/status, the documents listing). */
export interface DocumentSummary {
  readonly number: string;
  readonly kind: 'invoice' | 'credit-note';
  readonly customer: string;
  readonly period: string;
  readonly issuedAt: string;
  readonly total: string;
  readonly status: DocumentStatus;
  /** Invoices: the total of their credit notes, tax included, positive. Credit notes: their own total, positive. */
  readonly credited: string;
  readonly credits?: string;
  readonly replaces?: string;
  readonly replacedBy?: string;
}

/** Status of each document among `docs`, which must hold every credit note and invoice of the invoices' customers and periods. */
function summarize(docs: readonly DocumentRecord[], only: (d: DocumentRecord) => boolean): DocumentSummary[] {
  const notesOf = new Map<string, CreditNoteRecord[]>();
  for (const d of docs) if (d.kind === 'credit-note') (notesOf.get(d.invoice) ?? notesOf.set(d.invoice, []).get(d.invoice)!).push(d);
  const seqOf = (n: string): number => Number(n.slice(n.lastIndexOf('-') + 1));
  return docs.filter(only).map((d) => {
    const body = JSON.parse(d.body) as IssuedInvoice & { replaces?: string };
    const exponent = exponentOfCode(body.currency);
    if (d.kind === 'credit-note') {
      return { number: d.number, kind: d.kind, customer: d.customer, period: d.period, issuedAt: d.issuedAt, total: d.total, status: 'issued', credited: fixed(neg(dec(d.total)), exponent), credits: d.invoice };
    }
    const notes = notesOf.get(d.number) ?? [];
    let status: DocumentStatus = 'issued';
    if (d.voided) status = 'void';
    else if (notes.length > 0) status = leftPerLine(body, notes).every((l) => sign(l) === 0) ? 'credited' : 'partially-credited';
    // the invoice that replaced a void one: the next invoice issued for its customer and period
    const next = d.voided
      ? docs
          .filter((o) => o.kind === 'invoice' && o.customer === d.customer && o.period === d.period && seqOf(o.number) > seqOf(d.number))
          .sort((a, b) => seqOf(a.number) - seqOf(b.number))[0]
      : undefined;
    return {
      number: d.number,
      kind: d.kind,
      customer: d.customer,
      period: d.period,
      issuedAt: d.issuedAt,
      total: body.total,
      status,
      credited: creditedText(notes, exponent),
      ...(body.replaces ? { replaces: body.replaces } : {}),
      ...(next ? { replacedBy: next.number } : {}),
    };
  });
}

/** The documents matching `filter` with their status, by number. */
export async function listDocuments(repo: Repository, partner: string, filter: DocumentFilter): Promise<DocumentSummary[]> {
  // status needs the credit notes and later invoices of each invoice listed: read the customer's or period's documents of every kind
  const docs = await repo.documents(partner, { ...(filter.customer !== undefined ? { customer: filter.customer } : {}), ...(filter.period !== undefined ? { period: filter.period } : {}) });
  return summarize(docs, (d) => filter.kind === undefined || d.kind === filter.kind);
}

/** GET /documents: the list by number, a page at a time (`?limit=&cursor=`, as every admin list). */
export async function documentsPage(repo: Repository, partner: string, query: DocumentFilter & { limit?: string; cursor?: string }): Promise<PageAnswer<DocumentSummary>> {
  const limit = pageLimit(query.limit);
  const after = decodeCursor('documents', query.cursor);
  const all = (await listDocuments(repo, partner, query)).sort((a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0));
  const rest = after ? all.filter((d) => d.number > after[1]) : all;
  const items = rest.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rest.length > limit && last ? encodeCursor('documents', [last.number, last.number]) : null };
}

/** One document and its status. */
export async function documentWithStatus(repo: Repository, partner: string, number: string): Promise<{ doc: DocumentRecord; summary: DocumentSummary }> {
  const doc = await repo.documentByNumber(partner, number);
  if (!doc) throw ERR.DOCUMENT_NOT_FOUND({ number });
  const related = await repo.documents(partner, { customer: doc.customer, period: doc.period });
  const summary = summarize(related, (d) => d.number === number)[0]!;
  return { doc, summary };
}

/** GET /documents/:number/status: `{ number, kind, status, credited, replacedBy? }`. */
export function statusAnswer(s: DocumentSummary): { number: string; kind: string; status: DocumentStatus; credited: string; replacedBy?: string } {
  return { number: s.number, kind: s.kind, status: s.status, credited: s.credited, ...(s.replacedBy ? { replacedBy: s.replacedBy } : {}) };
}
