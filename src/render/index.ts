// Public API of the customer documents (SPEC §5): support terms and statements.
// Pure functions of their arguments: no clock, no machine time zone, no I/O
// beyond reading the templates once.
import { DateTime } from 'luxon';
import type { Balance, BilledStatement, Statement, StatementRequest } from '../billing/types.js';
import { describeStatement, isBilled, statementLocale } from './lines.js';
import type { Plan } from '../plans/types.js';
import { statementCsv } from './csv.js';
import { RenderError } from './errors.js';
import { renderTemplate } from './engine.js';
import { isLocalDate } from '../time/instant.js';
import { Formatter } from './format.js';
import { resolveLocale, type SupportedLocale } from './i18n.js';
import { balanceAmount, balanceLabel, requestClocksText, statementView, type QuoteInfo } from './statement.js';
import { termsView, type CustomerPrices } from './terms.js';
import type { CustomerRef } from './view.js';

export { resolveLocale, SUPPORTED_LOCALES, type SupportedLocale } from './i18n.js';
export { CSV_COLUMNS } from './csv.js';
export { describeLine, describeStatement, statementLocale } from './lines.js';
export type { CustomerRef } from './view.js';
export { subscriptionOn, type CustomerPrices } from './terms.js';
export type { QuoteInfo, RenderableStatement, WorkEntry } from './statement.js';
export { QUOTE_VALID_DAYS } from './statement.js';

export type StatementFormat = 'json' | 'html' | 'md' | 'csv';
export type TermsFormat = 'html' | 'md';

export interface RenderedDocument {
  readonly contentType: string;
  readonly body: string;
}

export { RenderError, type RenderErrorCode } from './errors.js';

export const CONTENT_TYPES: Readonly<Record<StatementFormat, string>> = {
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

function localeFor(plan: Plan, locale?: string, customer?: CustomerRef): SupportedLocale {
  return resolveLocale(locale, customer?.locale, plan.partner.locale);
}

/**
 * A billed statement (lines as facts) is described in the document's locale;
 * a statement document (lines with descriptions, e.g. a draft or an issued
 * one) keeps its words, and HTML and Markdown show them only when the
 * document is in the statement's own locale.
 */
export function renderStatement(
  statement: BilledStatement | Statement,
  opts: {
    plan: Plan;
    locale?: string;
    format: StatementFormat;
    customer?: CustomerRef;
    /** A quote (§4.7): titled "Quote", dated, valid for the partner's `billing.quoteValidDays` (default 30) from `date` (a local date). */
    quote?: QuoteInfo;
  },
): RenderedDocument {
  const locale = localeFor(opts.plan, opts.locale, opts.customer);
  const doc = describeStatement(statement, opts.plan, { locale });
  const billed = isBilled(statement);
  // the customer's words (HTML, Markdown, the CSV's description column): components and metrics by name, never ids;
  // a statement document (draft or issued) keeps its stored words
  const shown = (): Statement => (billed ? describeStatement(statement, opts.plan, { locale, display: true }) : doc);
  switch (opts.format) {
    case 'json':
      return { contentType: CONTENT_TYPES.json, body: JSON.stringify(doc, null, 2) + '\n' };
    case 'csv': {
      const fmt = new Formatter(locale);
      const balance = (b: Balance): string => {
        const x = (n: number): string => balanceAmount(fmt, b.unit, n);
        return fmt.t('statement.balance.row', { subscription: b.subscription, block: balanceLabel(fmt, opts.plan, doc, b), opening: x(b.opening), granted: x(b.granted), used: x(b.used), expired: x(b.expired), closing: x(b.closing) });
      };
      const clocks = (r: StatementRequest): string => requestClocksText(fmt, opts.plan, doc.period, r);
      // ids in their own columns (offering, component, unit), the description in words
      return { contentType: CONTENT_TYPES.csv, body: statementCsv(shown(), doc.taxInclusive ? fmt.t('statement.taxInclusiveNote', { tax: `${doc.currency} ${doc.tax}` }) : undefined, balance, clocks) };
    }
    case 'html':
    case 'md': {
      const fmt = new Formatter(locale);
      const notes = billed || locale === statementLocale(opts.plan, opts.customer?.locale);
      if (opts.quote && !isLocalDate(opts.quote.date)) throw new RenderError('INVALID_DATE', { value: opts.quote.date });
      const view = statementView(opts.plan, shown(), fmt, opts.customer, notes, opts.quote);
      return { contentType: CONTENT_TYPES[opts.format], body: renderTemplate('statement', opts.format, view, fmt) };
    }
    default:
      throw new RenderError('UNSUPPORTED_FORMAT', { detail: `unsupported statement format ${JSON.stringify(opts.format)} (json, html, md, csv)` });
  }
}

export function renderTerms(
  plan: Plan,
  offeringId: string,
  opts: { locale?: string; at?: string; format: TermsFormat; customer?: CustomerRef; /** the customer's own prices (its subscription's) */ prices?: CustomerPrices | null },
): RenderedDocument {
  const offering = plan.offerings.get(offeringId);
  if (!offering) {
    const declared = [...plan.offerings.keys()];
    throw new RenderError('UNKNOWN_OFFERING', { offering: offeringId, declared: declared.join(', ') }, declared);
  }
  if (opts.format !== 'html' && opts.format !== 'md') {
    throw new RenderError('UNSUPPORTED_FORMAT', { detail: `unsupported terms format ${JSON.stringify(opts.format)} (html, md)` });
  }
  // Callers pass today (in the partner's zone); the fallback reads the clock in that zone, never the machine's.
  const at = opts.at ?? DateTime.now().setZone(plan.partner.timezone).toISODate()!;
  if (!isLocalDate(at)) {
    throw new RenderError('INVALID_DATE', { value: at });
  }
  const fmt = new Formatter(localeFor(plan, opts.locale, opts.customer));
  const view = termsView(plan, offering, fmt, at, opts.customer, opts.prices ?? undefined);
  return { contentType: CONTENT_TYPES[opts.format], body: renderTemplate('terms', opts.format, view, fmt) };
}
export { negotiateFormat } from './negotiate.js';
export { renderIssued, type IssuedFormat, type IssuedStatus } from './issued.js';
