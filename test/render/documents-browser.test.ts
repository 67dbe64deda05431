// The customer documents in a real browser (Debian's Chromium, playwright-core):
// a statement, support terms and a quote in en-US and zh-CN (the pages of
// scripts/screenshots-documents.ts), on screen at A4 (794 px) and phone
// (390 px) widths, in print media at the printable widths of A4 and
// Letter, and as A4 and Letter PDFs. Asserted: the `lang` attribute; nothing
// wider than the page; no text in a table, a label or the header laid out one
// character per line, and identifiers, CJK labels, states, e-mail addresses,
// URLs and the phone number never split; the title on one line (desktop and
// print); on printed pages, no table row, totals, service-level card, price,
// chart or header split across two pages, and the page count of that layout
// equal to the real PDF's; the running header's text; no internal id in the
// text (outside the reference line); the chart drawn; nothing fetched. One Chromium for the file. Screenshots: the script above writes them
// to docs/screenshots/ on demand.
// When /usr/bin/chromium is missing, scripts/ensure-chromium.sh installs it (as
// root, with apt); if that fails the test fails, it does not skip.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import t from 'tap';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, customerPages } from '../../scripts/screenshots-documents.js';
import { renderTerms } from '../../src/render/index.js';
import { contoso, huayun } from './fixtures.js';
import { ROOT } from './helpers.js';

t.setTimeout(15 * 60 * 1000); // a first run may have to install Chromium

const MM = 96 / 25.4; // CSS px per millimetre
// The printed area of a page: the paper less the @page margins of templates/partials/styles.hbs
// (16mm top, 15mm bottom, 15mm left and right). The PDF page count check below catches a drift.
const PAPER = {
  A4: { width: (210 - 30) * MM, height: (297 - 31) * MM },
  Letter: { width: (215.9 - 30) * MM, height: (279.4 - 31) * MM },
} as const;
const SCREENS = [794, 390]; // A4 at 96 CSS px per inch (Letter's 816 px is as wide as A4's, in print below), a phone

let browser: Browser;
t.before(async () => {
  if (!existsSync(CHROMIUM)) {
    const r = spawnSync('bash', [ROOT + 'scripts/ensure-chromium.sh'], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0 || !existsSync(CHROMIUM)) throw new Error(`Chromium is required at ${CHROMIUM} for the real-browser check and could not be installed (scripts/ensure-chromium.sh exited ${r.status}): ${r.stderr?.trim() ?? ''}`);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});
t.teardown(async () => {
  await browser?.close();
});

/** What the page measures of itself (see `measure`). */
interface Measured {
  scrollWidth: number;
  innerWidth: number;
  /** Text nodes that have a line holding a single character of a longer word. */
  lonely: string[];
  /** Words (space-free runs) of identifiers, labels, states, addresses that are split across lines. */
  split: string[];
  /** Elements that must be one line and are not (the title, the phone number). */
  wrapped: string[];
}

/**
 * The measure of wrapping, in the page: every character of a text node is a
 * Range whose client rect gives its line (a new line starts where a
 * character's top is below the previous one's by more than half its height;
 * within a line tops differ by less). This is what the reader sees, unlike
 * comparing an element's width with its text's (which says nothing about where
 * a line broke); a one-character run of lines is exactly the "请/求" the issue
 * shows, and a word whose characters lie on two lines is "r-/2" or "电子邮/件".
 */
async function measure(page: Page, oneLine: boolean): Promise<Measured> {
  return page.evaluate((oneLine) => {
    // Runs in the page; typed by hand because the project's lib has no DOM types.
    type Rect = { top: number; left: number; height: number; width: number };
    type Node = { nodeType: number; nodeValue: string | null; childNodes: ArrayLike<Node>; parentElement: El | null };
    type El = Node & { tagName: string; id: string; textContent: string; closest(s: string): El | null; getClientRects(): ArrayLike<Rect> };
    const g = globalThis as unknown as {
      document: { documentElement: { scrollWidth: number }; createRange(): { setStart(n: Node, o: number): void; setEnd(n: Node, o: number): void; getClientRects(): ArrayLike<Rect> }; querySelectorAll(s: string): ArrayLike<El> };
      innerWidth: number;
    };
    const textNodes = (el: Node): Node[] => {
      const out: Node[] = [];
      for (const c of Array.from(el.childNodes)) {
        if (c.nodeType === 3) out.push(c);
        else if (c.nodeType === 1) out.push(...textNodes(c));
      }
      return out;
    };
    /** Each non-space character of the node with its line number; null when the node is not laid out. */
    const lines = (node: Node): { ch: string; line: number; word: number }[] | null => {
      const text = node.nodeValue ?? '';
      const range = g.document.createRange();
      const out: { ch: string; line: number; word: number }[] = [];
      let line = 0;
      let word = 0;
      let top: number | null = null;
      let space = true;
      for (let i = 0; i < text.length; i++) {
        const ch = text[i]!;
        if (/\s/.test(ch)) {
          space = true;
          continue;
        }
        if (space) word++;
        space = false;
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const r = Array.from(range.getClientRects()).find((x) => x.width > 0 || x.height > 0);
        if (!r) return null;
        if (top !== null && r.top > top + r.height / 2) line++;
        if (top === null || r.top > top + r.height / 2) top = r.top;
        out.push({ ch, line, word });
      }
      return out;
    };
    const label = (el: El, text: string) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${text.trim().slice(0, 40)}"`;
    const lonely: string[] = [];
    const split: string[] = [];
    const wrapped: string[] = [];
    // every table cell and header, the header's labels and contact line, the service-level cards, the terms' lists
    for (const el of Array.from(g.document.querySelectorAll('th, td, dt, dd, #partner-contact, .summary div, #offering-meta, #statement-meta, li'))) {
      for (const node of textNodes(el)) {
        const chars = lines(node);
        if (!chars || chars.length < 2) continue;
        const perLine = new Map<number, { ch: string; line: number; word: number }[]>();
        for (const c of chars) perLine.set(c.line, [...(perLine.get(c.line) ?? []), c]);
        const wordLength = (w: number) => chars.filter((c) => c.word === w).length;
        // a line holding one character of a longer word ("请" of 请求, "2" of r-2); a one-character word alone on a line ("·", "×") is a wrap between words
        if ([...perLine.values()].some((l) => l.length === 1 && wordLength(l[0]!.word) > 1)) lonely.push(label(el, node.nodeValue ?? ''));
      }
    }
    // identifiers, labels and states: no word of theirs on two lines (they may wrap between words)
    const whole = 'th, dt, .id:not(footer .id), .address, [data-contact], #requests-table td:nth-child(1), #requests-table td:nth-child(4), #requests-table td:nth-child(7), tr[data-severity] td:nth-child(1), tr[data-severity] td:nth-child(2), tr[data-channel] td:nth-child(1)';
    for (const el of Array.from(g.document.querySelectorAll(whole))) {
      for (const node of textNodes(el)) {
        const chars = lines(node);
        if (!chars) continue;
        const lineOf = new Map<number, number>();
        for (const c of chars) {
          const l = lineOf.get(c.word);
          if (l === undefined) lineOf.set(c.word, c.line);
          else if (l !== c.line) {
            split.push(label(el, node.nodeValue ?? ''));
            break;
          }
        }
      }
    }
    // the title (on paper and a desktop screen) and the phone number: one line
    for (const el of Array.from(g.document.querySelectorAll(oneLine ? '#title, [data-contact="phone"]' : '[data-contact="phone"]'))) {
      for (const node of textNodes(el)) {
        const chars = lines(node);
        if (chars && new Set(chars.map((c) => c.line)).size > 1) wrapped.push(label(el, node.nodeValue ?? ''));
      }
    }
    return { scrollWidth: g.document.documentElement.scrollWidth, innerWidth: g.innerWidth, lonely, split, wrapped };
  }, oneLine);
}

/** What must stay on one printed page: a row, the totals, a service-level card, a price, the chart, the header. */
const UNITS = 'tbody tr, tfoot, .summary > div, .price, .chart, header.doc, #document';

/**
 * Printed pages without a PDF reader: in print media, the page's content is
 * laid out in CSS columns exactly one printed page wide and high (the same
 * fragmentation engine Chromium prints with, honouring `break-inside` and
 * repeating table headers); column n is page n. A box split across pages has
 * fragments in two columns. Returns the boxes that are, and the page count.
 */
async function paginate(page: Page, paper: { width: number; height: number }): Promise<{ pages: number; splitUnits: string[]; control: number }> {
  await page.setViewportSize({ width: Math.floor(paper.width), height: Math.floor(paper.height) });
  await page.emulateMedia({ media: 'print' });
  return page.evaluate(
    ({ width, height, units }) => {
      type Rect = { top: number; left: number; right: number; bottom: number; width: number; height: number };
      type El = { tagName: string; id: string; className: string; textContent: string; getClientRects(): ArrayLike<Rect>; remove(): void; setAttribute(k: string, v: string): void; appendChild(e: El): void };
      const g = globalThis as unknown as { document: { body: El; head: El; createElement(t: string): El & { textContent: string }; querySelectorAll(s: string): ArrayLike<El> } };
      const style = g.document.createElement('style');
      style.textContent = `html, body { width: ${width}px; } body { height: ${height}px; column-width: ${width}px; column-gap: 0; column-fill: auto; }`;
      g.document.head.appendChild(style);
      // a control: a box one and a half pages high that may break must be seen split (the measure works)
      const control = g.document.createElement('div');
      control.setAttribute('style', `height: ${Math.round(height * 1.5)}px; border-top: 1px solid`);
      g.document.body.appendChild(control);
      const columnOf = (x: number) => Math.floor((x + 0.5) / width);
      const columns = (el: El) => new Set(Array.from(el.getClientRects()).filter((r) => r.height > 0).map((r) => columnOf(r.left)));
      const controlColumns = columns(control).size;
      control.remove();
      let last = 0;
      const splitUnits: string[] = [];
      for (const el of Array.from(g.document.querySelectorAll('main *'))) for (const c of columns(el)) last = Math.max(last, c);
      for (const el of Array.from(g.document.querySelectorAll(units))) {
        const cs = columns(el);
        if (cs.size > 1) splitUnits.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className} "${el.textContent.trim().replace(/\s+/g, ' ').slice(0, 50)}" on pages ${[...cs].map((c) => c + 1).join(', ')}`);
      }
      style.remove();
      return { pages: last + 1, splitUnits, control: controlColumns };
    },
    { width: paper.width, height: paper.height, units: UNITS },
  );
}

/** The internal ids of the documents' plans and customer: offerings, price components, metrics. */
const INTERNAL_IDS = (() => {
  const ids = new Set<string>(['northwind']);
  for (const plan of [contoso(), huayun()])
    for (const [id, o] of plan.offerings) {
      ids.add(id);
      for (const c of o.pricing) {
        ids.add(c.id);
        if ('metric' in c && typeof c.metric === 'string') ids.add(c.metric);
      }
    }
  return [...ids];
})();

/** The number of pages of a PDF Chromium wrote: the root page tree's `/Count` (the pages themselves sit in compressed object streams). */
const pdfPages = (pdf: Buffer): number => Math.max(0, ...[...pdf.toString('latin1').matchAll(/\/Count (\d+)/g)].map((m) => Number(m[1])));

for (const p of customerPages()) {
  t.test(p.name, async (t) => {
    const page = await browser.newPage({ viewport: { width: SCREENS[0]!, height: 1100 } });
    const requests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('data:') && r.url() !== 'about:blank') requests.push(r.url());
    });
    await page.setContent(p.html, { waitUntil: 'load' });
    // tsx names the functions declared inside page.evaluate callbacks with a helper the page lacks
    await page.evaluate('globalThis.__name = (f) => f');
    t.equal(await page.getAttribute('html', 'lang'), p.locale, 'lang attribute');
    const running = await page.evaluate(() => (globalThis as unknown as { getComputedStyle(e: unknown): { getPropertyValue(p: string): string }; document: { documentElement: unknown } }).getComputedStyle((globalThis as unknown as { document: { documentElement: unknown } }).document.documentElement).getPropertyValue('--running-header'));
    const title = (await page.locator('#title').textContent())!.trim();
    t.match(running, title, `the running header names the document (${running})`);
    t.match(running, p.locale === 'en-US' ? 'Northwind Traders' : '北风贸易', 'and the customer');
    // no internal id in the text: the ids are in the reference line (and the JSON) only
    const text = await page.evaluate(() => {
      type El = { textContent: string; cloneNode(deep: boolean): El; querySelector(s: string): El | null; remove(): void };
      const main = (globalThis as unknown as { document: { querySelector(s: string): El } }).document.querySelector('main').cloneNode(true);
      main.querySelector('#reference')?.remove();
      return main.textContent;
    });
    const word = (id: string) => new RegExp(`(?<![A-Za-z0-9-])${id}(?![A-Za-z0-9-])`);
    t.same(INTERNAL_IDS.filter((id) => text.includes(`(${id})`) || text.includes(`（${id}）`)), [], 'no "(id)" beside a name');
    t.notMatch(text, 'sha256', 'no plan hash in the text');
    // zh-CN words of a document rendered from the plan (a stored statement keeps its stored words): no ASCII id ("每个seats单位")
    if (p.locale === 'zh-CN' && p.kind !== 'statement') t.same(INTERNAL_IDS.filter((id) => word(id).test(text)), [], 'no id among the Chinese words');

    for (const width of SCREENS) {
      await page.setViewportSize({ width, height: 1100 });
      await page.emulateMedia({ media: 'screen' });
      const m = await measure(page, width !== 390);
      t.ok(m.scrollWidth <= m.innerWidth, `screen ${width}px: no horizontal overflow (${m.scrollWidth} ≤ ${m.innerWidth})`);
      t.same(m.lonely, [], `screen ${width}px: no text laid out one character per line`);
      t.same(m.split, [], `screen ${width}px: identifiers, labels, states and addresses whole`);
      t.same(m.wrapped, [], `screen ${width}px: ${width === 390 ? 'the phone number' : 'title and phone number'} on one line`);
    }
    for (const [name, paper] of Object.entries(PAPER)) {
      await page.setViewportSize({ width: Math.floor(paper.width), height: 1100 });
      await page.emulateMedia({ media: 'print' });
      const m = await measure(page, true);
      t.ok(m.scrollWidth <= m.innerWidth, `print ${name}: no horizontal overflow (${m.scrollWidth} ≤ ${m.innerWidth})`);
      t.same([m.lonely, m.split, m.wrapped], [[], [], []], `print ${name}: no one-character lines, no split words, title and phone on one line`);
      const pages = await paginate(page, paper);
      t.ok(pages.control >= 2, `print ${name}: the page measure sees a box 1.5 pages high that may break on ${pages.control} pages`);
      t.same(pages.splitUnits, [], `print ${name}: no row, totals, card, price, chart or header split across pages (${pages.pages} pages)`);
      // page.pdf prints in the emulated media: print, as a real print does ('screen' would print the screen styles)
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: name as 'A4' | 'Letter', printBackground: true });
      t.equal(pdf.subarray(0, 4).toString(), '%PDF', `${name} PDF prints`);
      t.equal(pdfPages(pdf), pages.pages, `${name} PDF: as many pages as the measured layout (${pdfPages(pdf)} and ${pages.pages})`);
    }
    await page.setViewportSize({ width: SCREENS[0]!, height: 1100 });
    await page.emulateMedia({ media: 'screen' });
    if (p.kind !== 'terms') {
      const svg = page.locator('#chart svg');
      t.ok(await svg.isVisible(), 'chart visible');
      const box = await svg.boundingBox();
      t.ok(box && box.width > 200 && box.height > 80 && box.x >= 0 && box.x + box.width <= SCREENS[0]!, `chart inside the page (${JSON.stringify(box)})`);
      t.ok((await page.locator('#chart rect.bar').count()) > 0, 'bars drawn');
    }
    t.same(requests, [], 'no external requests');
    await page.close();
  });
}

t.test('the running header prints any customer name as text', async (t) => {
  // the name reaches CSS only as an attribute value read by attr(): quotes, backslashes, `;` and `</style>` stay text
  const name = 'Smith & "Sons"; } body { display: none } \\ </style><b>x</b>';
  const page = await browser.newPage({ viewport: { width: 794, height: 1100 } });
  await page.setContent(renderTerms(contoso(), 'standard', { format: 'html', locale: 'en-US', at: '2026-11-20', customer: { id: 'c', name } }).body);
  await page.emulateMedia({ media: 'print' });
  const got = await page.evaluate(() => {
    const g = globalThis as unknown as { getComputedStyle(e: unknown): { getPropertyValue(p: string): string; display: string }; document: { documentElement: unknown; body: unknown } };
    return { running: g.getComputedStyle(g.document.documentElement).getPropertyValue('--running-header'), display: g.getComputedStyle(g.document.body).display };
  });
  t.equal(got.running, JSON.stringify(`Contoso Cloud Services · ${name} · Support terms: Standard`), 'the whole name, as one CSS string');
  t.equal(got.display, 'block', 'the page is shown');
  t.equal(await page.locator('#customer-name').textContent(), name);
  await page.close();
});

t.test('the screenshot script shows statement, terms and quote in both locales', async (t) => {
  // documentScreenshots writes these pages with the function the issued documents' screenshots use (checked in issued-browser.test.ts)
  t.same(
    customerPages().map((p) => p.name),
    ['statement-en-US', 'terms-en-US', 'quote-en-US', 'statement-zh-CN', 'terms-zh-CN', 'terms-contoso-zh-CN', 'quote-zh-CN'],
  );
});
