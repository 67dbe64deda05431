// Screenshots of issued documents (§9.7) for docs/screenshots/, on demand:
//   node --import tsx scripts/screenshots-documents.ts [out-dir]
// A VOID invoice, a partially credited invoice and a credit note in en-US and
// zh-CN, rendered from the same fixtures test/render/issued-browser.test.ts
// checks in Chromium (/usr/bin/chromium, scripts/ensure-chromium.sh).
import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { renderIssued, type IssuedStatus } from '../src/render/issued.js';
import { creditNoteBody, invoiceBody } from '../src/app/documents.js';
import type { Plan } from '../src/plans/types.js';
import { contoso, sampleStatement } from '../test/render/fixtures.js';

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
    const page = (name: string, body: string, status: IssuedStatus, stamp: boolean): IssuedPage => ({ name: `${name}-${locale}`, html: renderIssued(body, { plan, format: 'html', status, locale }).body, stamp });
    out.push(page('invoice-void', invoice, 'void', true), page('invoice-partially-credited', invoice, 'partially-credited', true), page('credit-note', note, 'issued', false));
  }
  return out;
}

/** Writes a full-page PNG of every page to `dir`. */
export async function screenshots(browser: Browser, dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const p of issuedPages()) {
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
    for (const f of await screenshots(browser, process.argv[2] ?? 'docs/screenshots')) console.log(f);
  } finally {
    await browser.close();
  }
}
