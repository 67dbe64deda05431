// Golden files of the Markdown and CSV documents, both locales (issue 23):
// a statement, a quote (with usage, and a prospect's without any), and the
// terms of each offering, rendered from test/render/golden-input.ts and
// compared byte for byte with test/render/golden/*. A wording change shows up
// here as a diff to read; `UPDATE_GOLDEN=1 npx tap test/render/golden.test.ts`
// rewrites the files after a deliberate change.
import t from 'tap';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { renderStatement, renderTerms } from '../../src/render/index.js';
import { CUSTOMER, PROSPECT, QUOTE_DATE, TERMS_AT, goldenPlan, goldenStatement } from './golden-input.js';
import { LOCALES, ROOT } from './helpers.js';

const DIR = ROOT + 'test/render/golden/';
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const plan = goldenPlan();
const month = goldenStatement(plan);
const prospect = goldenStatement(plan, PROSPECT);

/** Every golden document: file name → its text now. */
function documents(): Map<string, string> {
  const out = new Map<string, string>();
  for (const locale of LOCALES) {
    for (const format of ['md', 'csv'] as const) {
      out.set(`statement.${locale}.${format}`, renderStatement(month, { plan, format, locale, customer: CUSTOMER }).body);
    }
    out.set(`quote.${locale}.md`, renderStatement(month, { plan, format: 'md', locale, customer: CUSTOMER, quote: { date: QUOTE_DATE } }).body);
    out.set(`quote-prospect.${locale}.md`, renderStatement(prospect, { plan, format: 'md', locale, customer: PROSPECT.customer, quote: { date: QUOTE_DATE } }).body);
    out.set(`quote-prospect.${locale}.csv`, renderStatement(prospect, { plan, format: 'csv', locale, customer: PROSPECT.customer, quote: { date: QUOTE_DATE } }).body);
    for (const offering of plan.offerings.keys()) {
      out.set(`terms-${offering}.${locale}.md`, renderTerms(plan, offering, { format: 'md', locale, at: TERMS_AT, customer: CUSTOMER }).body);
    }
  }
  return out;
}

t.test('Markdown and CSV documents match their golden files byte for byte', async (t) => {
  const docs = documents();
  if (UPDATE) {
    mkdirSync(DIR, { recursive: true });
    for (const [name, text] of docs) writeFileSync(DIR + name, text);
  }
  for (const [name, text] of docs) {
    t.ok(existsSync(DIR + name), `${name} exists (UPDATE_GOLDEN=1 writes it)`);
    if (!existsSync(DIR + name)) continue;
    const golden = readFileSync(DIR + name, 'utf8');
    // t.equal shows a line diff on failure; the byte comparison is the string's (UTF-8, CRLF in CSV kept)
    t.equal(text, golden, name);
  }
  // no stale files: every golden file is a document of this test
  t.same(readdirSync(DIR).filter((f) => !docs.has(f)), [], 'no golden file without a document');
  t.equal(docs.size, 2 * (2 + 1 + 2 + plan.offerings.size), 'statement md+csv, quote md, prospect md+csv and every offering’s terms, per locale');
});

t.test('the golden documents are the documents a customer reads', async (t) => {
  const docs = documents();
  // CSV is data: RFC 4180 line ends, ids in their columns
  const csv = docs.get('statement.en-US.csv')!;
  t.ok(csv.endsWith('\r\n') && !/[^\r]\n/.test(csv), 'CSV lines end in CRLF');
  t.match(csv.split('\r\n')[1], /^essential,base,flat,/);
  // Markdown: names, not ids; the ids only on the last line
  for (const [name, text] of docs) {
    if (!name.endsWith('.md')) continue;
    const body = text.slice(0, text.lastIndexOf('\n---\n'));
    t.notMatch(body, /\b(northwind|fabrikam-retail|labour)\b|\((base|seats|azure|incidents|standard|essential)\)|sha256/, `${name}: no ids above the reference line`);
    t.match(text.slice(text.lastIndexOf('\n---\n')), name.includes('zh-CN') ? /参考编号：/ : /Reference: /, `${name}: the reference line closes it`);
  }
});
