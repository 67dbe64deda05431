// Issued documents (§9.7) as people read them: an invoice is its statement
// led by the document's number, issue and due dates, tax ids, the invoice it
// replaces and a status stamp (VOID, CREDITED); a credit note lists the
// invoice lines it credits and names the invoice. HTML (print-ready) and
// Markdown in en-US and zh-CN; CSV of the lines. JSON is not rendered here:
// it is served byte for byte as issued.
import type { Plan } from '../plans/types.js';
import type { Statement } from '../billing/types.js';
import { Formatter } from './format.js';
import { resolveLocale } from './i18n.js';
import { renderTemplate } from './engine.js';
import { statementView } from './statement.js';
import { headerView, type CustomerRef, type Table } from './view.js';
import { statementCsv, csvCell } from './csv.js';
import { RenderError } from './errors.js';
import { zoneOffsets, parseInstant, formatDay } from '../time/instant.js';
import type { MessageKey } from './locales/en-US.js';

export type IssuedStatus = 'issued' | 'partially-credited' | 'credited' | 'void';
export type IssuedFormat = 'html' | 'md' | 'csv';

/** The document fields an invoice carries before its statement (app/documents.ts invoiceBody). */
interface InvoiceFields {
  readonly kind?: 'invoice';
  readonly number: string;
  readonly issuedAt: string;
  readonly dueDate?: string;
  readonly replaces?: string;
  readonly partnerTaxId?: string;
  readonly customerTaxId?: string;
}

interface CreditNote {
  readonly kind: 'credit-note';
  readonly number: string;
  readonly credits: string;
  readonly issuedAt: string;
  readonly partner: string;
  readonly customer: string;
  readonly period: string;
  readonly currency: string;
  readonly reason: string;
  readonly lines: readonly { line: number; offering?: string; component?: string; description?: string; amount: string }[];
  readonly subtotal: string;
  readonly tax: string;
  readonly taxRate?: string;
  readonly taxInclusive?: boolean;
  readonly total: string;
  readonly partnerTaxId?: string;
  readonly customerTaxId?: string;
}

export interface DocumentView {
  readonly kind: 'invoice' | 'credit-note';
  readonly number: string;
  readonly issued: string;
  readonly due: string | null;
  readonly status: IssuedStatus;
  /** The stamp's words (VOID, CREDITED, PARTIALLY CREDITED); null for a plain issued document. */
  readonly stamp: string | null;
  readonly partnerTaxId: string | null;
  readonly customerTaxId: string | null;
  readonly replaces: string | null;
  readonly credits: string | null;
  readonly reason: string | null;
}

const CONTENT: Readonly<Record<IssuedFormat, string>> = {
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** The issue date in the partner's timezone (the date the document is of). */
const issueDate = (plan: Plan, issuedAt: string): string => formatDay(zoneOffsets(plan.partner.timezone).localDay(parseInstant(issuedAt)));

function stampOf(fmt: Formatter, status: IssuedStatus): string | null {
  return status === 'issued' ? null : fmt.t(`doc.stamp.${status}` as MessageKey);
}

/**
 * Renders an issued document's stored JSON (`body`) in a format for people;
 * `status` is the document's status now (the stored body never changes).
 */
/**
 * An issued document from its stored JSON. `customer` names the customer in the
 * text (the stored body carries only its id, which customers are not shown);
 * without it the id stands in.
 */
export function renderIssued(
  body: string,
  opts: { plan: Plan; format: IssuedFormat; status: IssuedStatus; locale?: string; customerLocale?: string; customer?: CustomerRef },
): { contentType: string; body: string } {
  if (!(opts.format in CONTENT)) throw new RenderError('UNSUPPORTED_FORMAT', { detail: `unsupported document format ${JSON.stringify(opts.format)} (json, html, md, csv)` });
  const doc = JSON.parse(body) as (InvoiceFields & Statement) | CreditNote;
  const fmt = new Formatter(resolveLocale(opts.locale, opts.customerLocale, opts.plan.partner.locale));
    const who = (id: string): CustomerRef => (opts.customer?.id === id ? opts.customer : { id });
  return {
    contentType: CONTENT[opts.format],
    body: doc.kind === 'credit-note' ? creditNote(opts.plan, doc, fmt, opts.format, opts.status, who(doc.customer)) : invoice(opts.plan, doc, fmt, opts.format, opts.status, who(doc.customer)),
  };
}

function invoice(plan: Plan, doc: InvoiceFields & Statement, fmt: Formatter, format: IssuedFormat, status: IssuedStatus, customer: CustomerRef): string {
  // an issued document shows no draft warnings (§9.4)
  const { kind: _k, number, issuedAt, dueDate, replaces, partnerTaxId, customerTaxId, warnings: _w, ...statement } = doc as InvoiceFields & Statement & { number: string };
  if (format === 'csv') return statementCsv(statement as Statement);
  const view = statementView(plan, statement as Statement, fmt, customer, false);
  const document: DocumentView = {
    kind: 'invoice',
    number,
    issued: fmt.date(issueDate(plan, issuedAt)),
    due: dueDate ? fmt.date(dueDate) : null,
    status,
    stamp: stampOf(fmt, status),
    partnerTaxId: partnerTaxId ?? null,
    customerTaxId: customerTaxId ?? null,
    replaces: replaces ? fmt.t('doc.replaces', { number: replaces }) : null,
    credits: null,
    reason: null,
  };
  const header = headerView(plan, fmt, fmt.t('doc.invoice.title', { number }), customer);
  return renderTemplate('statement', format, { ...view, header, document }, fmt);
}

function creditNote(plan: Plan, doc: CreditNote, fmt: Formatter, format: IssuedFormat, status: IssuedStatus, customer: CustomerRef): string {
  const money = (a: string): string => fmt.money(a, doc.currency, 'symbol');
  if (format === 'csv') {
    const rows = [['line', 'offering', 'component', 'description', 'amount'], ...doc.lines.map((l) => [String(l.line), l.offering ?? '', l.component ?? '', l.description ?? '', l.amount])];
    rows.push(['', '', '', 'subtotal', doc.subtotal], ['', '', '', 'tax', doc.tax], ['', '', '', 'total', doc.total]);
    return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  }
  const lines: Table = {
    columns: [{ text: fmt.t('creditNote.line'), numeric: true }, { text: fmt.t('creditNote.item') }, { text: fmt.t('statement.amount'), numeric: true }],
    rows: doc.lines.map((l) => ({
      cells: [{ text: fmt.number(l.line), numeric: true }, { text: l.description ?? [l.offering, l.component].filter(Boolean).join(': ') }, { text: money(l.amount), numeric: true }],
    })),
    foot: [
      { cells: [{ text: fmt.t('statement.subtotal') }, { text: '' }, { text: money(doc.subtotal), numeric: true }] },
      {
        cells: [
          { text: doc.taxInclusive ? fmt.t('statement.taxIncluded', { rate: doc.taxRate ?? '0%' }) : doc.taxRate ? fmt.t('statement.taxRate', { rate: doc.taxRate }) : fmt.t('statement.tax') },
          { text: '' },
          { text: money(doc.tax), numeric: true },
        ],
      },
      { strong: true, cells: [{ text: fmt.t('statement.total') }, { text: '' }, { text: money(doc.total), numeric: true }] },
    ],
  };
  const document: DocumentView = {
    kind: 'credit-note',
    number: doc.number,
    issued: fmt.date(issueDate(plan, doc.issuedAt)),
    due: null,
    status,
    stamp: null,
    partnerTaxId: doc.partnerTaxId ?? null,
    customerTaxId: doc.customerTaxId ?? null,
    replaces: null,
    credits: fmt.t('doc.credits', { number: doc.credits, period: fmt.month(doc.period) }),
    reason: doc.reason,
  };
  const view = {
    header: headerView(plan, fmt, fmt.t('doc.creditNote.title', { number: doc.number }), customer),
    document,
    period: fmt.month(doc.period),
    currency: doc.currency,
    lines,
    taxNote: null,
  };
  return renderTemplate('credit-note', format, view, fmt);
}
