// Document links (issue 23): a URL that opens one statement or issued
// document in a plain browser, without an Authorization header, until it
// expires. POST /v1/partners/:partner/links makes one (any token of the
// partner: a link reads, it never writes); GET /v1/links/:id serves the
// document rendered afresh. The link's id is 192 random bits shown once; the
// store keeps its SHA-256, the partner and the path. Expiry is judged here,
// by the caller's clock.
import type { Plan } from '../plans/types.js';
import type { Repository } from '../store/repository.js';
import { ERR } from '../errors.js';
import { LOCALES, PERIOD_PATTERN, SLUG_PATTERN } from '../wire/patterns.js';
import { DOCUMENT_NUMBER_PATTERN } from '../wire/documents.js';
import { STATEMENT_FORMATS } from '../wire/params.js';
import { BillingError } from '../billing/statement.js';
import { statementInput } from './corrections.js';
import { draftStatement } from './statements.js';
import { documentWithStatus } from './documents.js';

/** A link's lifetime in seconds: default 7 days, from 1 minute to 90 days. */
export const LINK_TTL = { default: 7 * 86_400, min: 60, max: 90 * 86_400 } as const;

/** A link's formats: those of the statement and document routes. */
export const LINK_FORMATS = STATEMENT_FORMATS;
export type LinkFormat = (typeof LINK_FORMATS)[number];

/** What a link opens: a customer's draft statement of a period, or an issued document; format default html. */
export type LinkTarget =
  | { readonly kind: 'statement'; readonly customer: string; readonly period: string; readonly format: LinkFormat; readonly locale?: string }
  | { readonly kind: 'document'; readonly number: string; readonly format: LinkFormat; readonly locale?: string };

const strip = (pattern: string): string => pattern.replace(/^\^/, '').replace(/\$$/, '');
const STATEMENT_PATH = new RegExp(`^statements/(${strip(SLUG_PATTERN)})/(${strip(PERIOD_PATTERN)})$`);
const DOCUMENT_PATH = new RegExp(`^documents/(${strip(DOCUMENT_NUMBER_PATTERN)})$`);
const PATH_HINT = 'a link opens "statements/<customer>/<period>" or "documents/<number>", optionally with ?format=html|md|csv|json and &locale=en-US|zh-CN';

/** The document a link path names; LINK_PATH_INVALID for anything else (other routes, other query parameters). */
export function linkTarget(path: string): LinkTarget {
  const bad = (why: string): never => {
    throw ERR.LINK_PATH_INVALID({ detail: `${why}: ${PATH_HINT}` });
  };
  const q = path.indexOf('?');
  const route = q < 0 ? path : path.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : path.slice(q + 1));
  let format: LinkFormat = 'html';
  let locale: string | undefined;
  for (const [key, value] of params) {
    if (key === 'format' && (LINK_FORMATS as readonly string[]).includes(value)) format = value as LinkFormat;
    else if (key === 'locale' && (LOCALES as readonly string[]).includes(value)) locale = value;
    else bad(`query parameter "${key}=${value}" is not allowed`);
  }
  const extra = locale ? { locale } : {};
  const s = STATEMENT_PATH.exec(route);
  if (s) return { kind: 'statement', customer: s[1]!, period: s[2]!, format, ...extra };
  const d = DOCUMENT_PATH.exec(route);
  if (d) return { kind: 'document', number: d[1]!, format, ...extra };
  return bad(`"${route}" is not a document path`);
}

/** The path as stored: the route, then format and locale in that order. */
export function targetPath(t: LinkTarget): string {
  const route = t.kind === 'statement' ? `statements/${t.customer}/${t.period}` : `documents/${t.number}`;
  return `${route}?format=${t.format}${t.locale ? `&locale=${t.locale}` : ''}`;
}

export interface MadeLink {
  /** Relative to the server: `/v1/links/<id>`. */
  readonly url: string;
  readonly path: string;
  readonly expiresAt: string;
}

/** Makes a link to a document of the partner that exists now (NOT_FOUND, DOCUMENT_NOT_FOUND otherwise). */
export async function makeLink(repo: Repository, partner: string, tokenId: string, path: string, ttlSeconds: number, nowMs: number): Promise<MadeLink> {
  const target = linkTarget(path);
  if (target.kind === 'statement') {
    if (!(await repo.getCustomer(partner, target.customer))) throw ERR.NOT_FOUND({ what: `customer "${target.customer}"` });
  } else if (!(await repo.documentByNumber(partner, target.number))) throw ERR.DOCUMENT_NOT_FOUND({ number: target.number });
  const expiresMs = nowMs + ttlSeconds * 1000;
  const stored = targetPath(target);
  const id = await repo.createLink(partner, { path: stored, createdBy: tokenId, expiresMs, nowMs });
  return { url: `/v1/links/${id}`, path: stored, expiresAt: new Date(expiresMs).toISOString() };
}

/** The partner and document of a link: LINK_NOT_FOUND, or LINK_EXPIRED from its expiry on. */
export async function openLink(repo: Repository, id: string, nowMs: number): Promise<{ partner: string; target: LinkTarget; expiresAt: string }> {
  const link = await repo.findLink(id);
  if (!link) throw ERR.LINK_NOT_FOUND();
  const expiresAt = new Date(link.expiresMs).toISOString();
  if (nowMs >= link.expiresMs) throw ERR.LINK_EXPIRED({ expiresAt });
  return { partner: link.partner, target: linkTarget(link.path), expiresAt };
}

/**
 * The document rendered now, as the token routes render it: a draft as GET
 * /statements/:customer/:period, an issued document as GET /documents/:number
 * (its JSON byte for byte). The customer's locale, else the partner's, unless
 * the link says.
 */
export async function linkedDocument(repo: Repository, plan: Plan, target: LinkTarget, nowMs: number): Promise<{ contentType: string; body: string }> {
  const render = await import('../render/index.js');
  const partner = plan.partner.id;
  const locale = target.locale ? { locale: target.locale } : {};
  if (target.kind === 'document') {
    const { doc, summary } = await documentWithStatus(repo, partner, target.number);
    if (target.format === 'json') return { contentType: render.CONTENT_TYPES.json, body: doc.body };
    const customer = await repo.getCustomer(partner, doc.customer);
    const customerLocale = customer?.locale;
    return render.renderIssued(doc.body, { plan, format: target.format, status: summary.status, ...locale, ...(customerLocale ? { customerLocale } : {}), ...(customer ? { customer: { id: customer.id, ...(customer.name ? { name: customer.name } : {}) } } : {}) });
  }
  const input = await statementInput(repo, plan, target.customer, target.period, nowMs);
  if (!input) throw ERR.NOT_FOUND({ what: `customer "${target.customer}"` });
  const c = input.customer;
  try {
    return render.renderStatement(draftStatement(input), { plan, format: target.format, ...locale, customer: { id: c.id, ...(c.name ? { name: c.name } : {}), ...(c.locale ? { locale: c.locale } : {}) } });
  } catch (err) {
    if (err instanceof BillingError) throw ERR.BILLING_REFUSED({ detail: err.message });
    throw err;
  }
}
