// Public API of the customer documents (SPEC §5): support terms and statements.
// Pure functions of their arguments: no clock, no machine time zone, no I/O
// beyond reading the templates once.
import { DateTime } from 'luxon';
import type { Statement } from '../billing/types.js';
import type { Plan } from '../plans/types.js';
import { statementCsv } from './csv.js';
import { RenderError } from './errors.js';
import { renderTemplate } from './engine.js';
import { Formatter } from './format.js';
import { resolveLocale, type SupportedLocale } from './i18n.js';
import { statementView } from './statement.js';
import { termsView } from './terms.js';
import type { CustomerRef } from './view.js';

export { resolveLocale, SUPPORTED_LOCALES, type SupportedLocale } from './i18n.js';
export { CSV_COLUMNS } from './csv.js';
export type { CustomerRef } from './view.js';
export type { RenderableStatement, WorkEntry } from './statement.js';

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

export function renderStatement(
  statement: Statement,
  opts: { plan: Plan; locale?: string; format: StatementFormat; customer?: CustomerRef },
): RenderedDocument {
  switch (opts.format) {
    case 'json':
      return { contentType: CONTENT_TYPES.json, body: JSON.stringify(statement, null, 2) + '\n' };
    case 'csv':
      return { contentType: CONTENT_TYPES.csv, body: statementCsv(statement) };
    case 'html':
    case 'md': {
      const fmt = new Formatter(localeFor(opts.plan, opts.locale, opts.customer));
      const view = statementView(opts.plan, statement, fmt, opts.customer);
      return { contentType: CONTENT_TYPES[opts.format], body: renderTemplate('statement', opts.format, view, fmt) };
    }
    default:
      throw new RenderError('UNSUPPORTED_FORMAT', { detail: `unsupported statement format ${JSON.stringify(opts.format)} (json, html, md, csv)` });
  }
}

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function renderTerms(
  plan: Plan,
  offeringId: string,
  opts: { locale?: string; at?: string; format: TermsFormat; customer?: CustomerRef },
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
  if (!LOCAL_DATE.test(at) || !DateTime.fromISO(at, { zone: 'UTC' }).isValid) {
    throw new RenderError('INVALID_DATE', { value: at });
  }
  const fmt = new Formatter(localeFor(plan, opts.locale, opts.customer));
  const view = termsView(plan, offering, fmt, at, opts.customer);
  return { contentType: CONTENT_TYPES[opts.format], body: renderTemplate('terms', opts.format, view, fmt) };
}
export { negotiateFormat } from './negotiate.js';
