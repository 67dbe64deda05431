// Screenshots of the customer documents for docs/screenshots/, on demand:
//   node --import tsx scripts/screenshots-documents.ts [out-dir]
// The support statement, the support terms and a quote (statement-, terms-,
// quote-{en-US,zh-CN}.png, at A4 width), and the issued documents (§9.7): a
// VOID invoice, a partially credited invoice and a credit note in en-US and
// zh-CN. Rendered from the same fixtures test/render/documents-browser.test.ts
// and test/render/issued-browser.test.ts check in Chromium
// (/usr/bin/chromium, scripts/ensure-chromium.sh).
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { renderStatement, renderTerms } from '../src/render/index.js';
import { renderIssued, type IssuedStatus } from '../src/render/issued.js';
import { creditNoteBody, invoiceBody } from '../src/app/documents.js';
import { parseQuote, quoteStatement } from '../src/billing/quote.js';
import type { Plan } from '../src/plans/types.js';
import { contoso, huayun, sampleStatement } from '../test/render/fixtures.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface IssuedPage {
  readonly name: string;
  readonly html: string;
  /** The status stamp is expected on the page. */
  readonly stamp: boolean;
}

/** The pages: invoice void and partially credited, credit note; each in en-US and zh-CN. */
export function issuedPages(): IssuedPage[] {
  const p = contoso();
  const plan: Plan = { ...p, partner: { ...p.partner, billing: { paymentTerms: 14, taxId: 'US-98-7654321' } } };
  const statement = { ...sampleStatement(), taxRate: '8.25%' };
  const invoice = invoiceBody(plan, statement, 'DE123456789', 'CONTOSO-202610-0007', '2026-11-02T15:00:00.000Z', 'CONTOSO-202610-0005');
  const rec = { customer: statement.customer, period: statement.period, number: 'CONTOSO-202610-0007', planHash: statement.planHash, inputsDigest: 'sha256:x', body: invoice, issuedAt: '2026-11-02T15:00:00.000Z' };
  const note = creditNoteBody(rec, [], { reason: 'Goodwill credit for the outage of 14 October', lines: [{ line: 0, amount: '50.00' }, { line: 1 }] }, 'CONTOSO-CN-202611-0001', '2026-11-20T15:00:00.000Z', 'half-up').body;
  const out: IssuedPage[] = [];
  for (const locale of ['en-US', 'zh-CN'] as const) {
    const page = (name: string, body: string, status: IssuedStatus, stamp: boolean): IssuedPage => ({ name: `${name}-${locale}`, html: renderIssued(body, { plan, format: 'html', status, locale, customer: { id: statement.customer, name: locale === 'zh-CN' ? '北风贸易' : 'Northwind Traders' } }).body, stamp });
    out.push(page('invoice-void', invoice, 'void', true), page('invoice-partially-credited', invoice, 'partially-credited', true), page('credit-note', note, 'issued', false));
  }
  return out;
}

export type DocumentKind = 'statement' | 'terms' | 'quote';
export interface CustomerPage {
  readonly name: string;
  readonly kind: DocumentKind;
  readonly locale: 'en-US' | 'zh-CN';
  readonly html: string;
}

/**
 * The customer documents, each in en-US and zh-CN: contoso's statement of
 * October 2026 (sampleStatement), the terms of an offering prepared for a
 * customer (contoso's Standard in en-US, huayun's Gold in zh-CN, and contoso's
 * Standard in zh-CN, whose channel and severity labels are the issue's
 * 电子邮件, 门户网站, 级别), and the quote of docs/examples/quote-standard.json.
 */
export function customerPages(): CustomerPage[] {
  const q = parseQuote(JSON.parse(readFileSync(new URL('../docs/examples/quote-standard.json', import.meta.url), 'utf8')));
  if (!q.ok) throw new Error(`docs/examples/quote-standard.json: ${q.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
  const quoted = quoteStatement(q.value, contoso());
  const out: CustomerPage[] = [];
  for (const locale of ['en-US', 'zh-CN'] as const) {
    const customer = { id: 'northwind', name: locale === 'en-US' ? 'Northwind Traders' : '北风贸易', locale };
    const terms = (plan: Plan, offering: string) => renderTerms(plan, offering, { format: 'html', locale, at: '2026-11-20', customer }).body;
    out.push(
      // the statement's stored words are en-US (the customer's locale is not set): a zh-CN document shows no English notes under the items
      { name: `statement-${locale}`, kind: 'statement', locale, html: renderStatement(sampleStatement(), { plan: contoso(), format: 'html', locale, customer: { id: customer.id, name: customer.name } }).body },
      { name: `terms-${locale}`, kind: 'terms', locale, html: locale === 'en-US' ? terms(contoso(), 'standard') : terms(huayun(), 'gold') },
      ...(locale === 'zh-CN' ? [{ name: `terms-contoso-${locale}`, kind: 'terms' as const, locale, html: terms(contoso(), 'standard') }] : []),
      { name: `quote-${locale}`, kind: 'quote', locale, html: renderStatement(quoted, { plan: contoso(), format: 'html', locale, customer, quote: { date: '2026-09-28' } }).body },
    );
  }
  return out;
}

/** Writes a full-page PNG of each customer document (not the extra terms-contoso-zh-CN) to `dir`, at A4 width. */
export async function documentScreenshots(browser: Browser, dir: string): Promise<string[]> {
  return shoot(browser, dir, customerPages().filter((p) => !p.name.startsWith('terms-contoso')));
}

/** Writes a full-page PNG of every issued page to `dir`. */
export async function screenshots(browser: Browser, dir: string): Promise<string[]> {
  return shoot(browser, dir, issuedPages());
}

async function shoot(browser: Browser, dir: string, pages: readonly { name: string; html: string }[]): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const p of pages) {
    const page = await browser.newPage({ viewport: { width: 794, height: 1100 } });
    await page.setContent(p.html, { waitUntil: 'load' });
    const file = `${dir.replace(/\/?$/, '/')}${p.name}.png`;
    await page.screenshot({ path: file, fullPage: true });
    written.push(file);
    await page.close();
  }
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const dir = process.argv[2] ?? 'docs/screenshots';
    for (const f of [...(await documentScreenshots(browser, dir)), ...(await screenshots(browser, dir))]) console.log(f);
  } finally {
    await browser.close();
  }
}
