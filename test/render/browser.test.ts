// Real-browser check: Debian's Chromium renders a terms page and a statement
// in both locales; nothing overflows the page width, the chart is visible,
// and A4 and Letter PDFs print. Screenshots go to a temporary folder, or to
// docs/screenshots/ with UPDATE_SCREENSHOTS=1 (so a test run leaves the tree clean).
// When /usr/bin/chromium is missing, scripts/ensure-chromium.sh installs it
// (as root, with apt); if that fails the test fails, it does not skip.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { chromium, type Browser } from 'playwright-core';
import { renderStatement, renderTerms } from '../../src/render/index.js';
import { contoso, huayun, sampleStatement } from './fixtures.js';
import { ROOT } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const KEEP_SHOTS = process.env.UPDATE_SCREENSHOTS === '1';
const SHOTS = KEEP_SHOTS ? ROOT + 'docs/screenshots/' : mkdtempSync(join(tmpdir(), 'tierbook-shots-')) + '/';
if (!KEEP_SHOTS) t.teardown(() => rmSync(SHOTS, { recursive: true, force: true }));
const A4_WIDTH = 794; // 210mm at 96 CSS px per inch
const LETTER_WIDTH = 816; // 8.5in

t.setTimeout(15 * 60 * 1000); // a first run may have to install Chromium

let browser: Browser;

t.before(async () => {
  if (!existsSync(CHROMIUM)) {
    const r = spawnSync('bash', [ROOT + 'scripts/ensure-chromium.sh'], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0 || !existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is required at ${CHROMIUM} for the real-browser check and could not be installed ` +
          `(scripts/ensure-chromium.sh exited ${r.status}): ${r.stderr?.trim() ?? ''}`,
      );
    }
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  mkdirSync(SHOTS, { recursive: true });
});

t.teardown(async () => {
  await browser?.close();
});

const docs = [
  ...(['en-US', 'zh-CN'] as const).map((locale) => ({
    name: `terms-${locale}`,
    chart: false,
    html: () =>
      renderTerms(locale === 'en-US' ? contoso() : huayun(), locale === 'en-US' ? 'standard' : 'gold', {
        format: 'html',
        locale,
        at: '2026-11-20',
        customer: { id: 'northwind', name: locale === 'en-US' ? 'Northwind Traders' : '北风贸易' },
      }).body,
  })),
  ...(['en-US', 'zh-CN'] as const).map((locale) => ({
    name: `statement-${locale}`,
    chart: true,
    html: () =>
      renderStatement(sampleStatement(), {
        plan: contoso(),
        format: 'html',
        locale,
        customer: { id: 'northwind', name: locale === 'en-US' ? 'Northwind Traders' : '北风贸易' },
      }).body,
  })),
];

async function overflow(page: import('playwright-core').Page) {
  return page.evaluate(() => {
    // Runs in the page; typed by hand because the project's lib has no DOM types.
    type Box = { tagName: string; id: string; getBoundingClientRect(): { right: number } };
    const { document, innerWidth } = globalThis as unknown as {
      document: { documentElement: { scrollWidth: number }; querySelectorAll(s: string): Iterable<Box> };
      innerWidth: number;
    };
    let widest = '';
    let max = 0;
    for (const el of document.querySelectorAll('body *')) {
      const right = el.getBoundingClientRect().right;
      if (right > max) (max = right), (widest = `${el.tagName.toLowerCase()}#${el.id} ${Math.round(right)}px`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth, widest };
  });
}

for (const d of docs) {
  t.test(d.name, async (t) => {
    const page = await browser.newPage({ viewport: { width: A4_WIDTH, height: 1100 } });
    // No network: the document must be self-contained.
    const requests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('data:') && r.url() !== 'about:blank') requests.push(r.url());
    });
    await page.setContent(d.html(), { waitUntil: 'load' });
    for (const width of [A4_WIDTH, LETTER_WIDTH]) {
      await page.setViewportSize({ width, height: 1100 });
      for (const media of ['screen', 'print'] as const) {
        await page.emulateMedia({ media });
        const o = await overflow(page);
        t.ok(o.scrollWidth <= o.innerWidth, `${width}px ${media}: no horizontal overflow (scrollWidth ${o.scrollWidth} ≤ ${o.innerWidth}; widest ${o.widest})`);
      }
    }
    await page.setViewportSize({ width: A4_WIDTH, height: 1100 });
    await page.emulateMedia({ media: 'screen' });
    if (d.chart) {
      const svg = page.locator('#chart svg');
      t.ok(await svg.isVisible(), 'chart visible');
      const box = await svg.boundingBox();
      t.ok(box && box.width > 200 && box.height > 80 && box.x >= 0 && box.x + box.width <= A4_WIDTH, `chart inside the page (${JSON.stringify(box)})`);
      const bars = page.locator('#chart rect.bar');
      t.ok((await bars.count()) > 0, 'bars drawn');
      const barBox = await bars.first().boundingBox();
      t.ok(barBox && barBox.height > 0 && barBox.width > 0, 'a bar has area');
    }
    await page.screenshot({ path: `${SHOTS}${d.name}.png`, fullPage: true });
    t.ok(existsSync(`${SHOTS}${d.name}.png`), 'screenshot saved');
    for (const format of ['A4', 'Letter'] as const) {
      const pdf = await page.pdf({ format, printBackground: true });
      t.equal(pdf.subarray(0, 4).toString(), '%PDF', `${format} PDF prints`);
    }
    t.same(requests, [], 'no external requests');
    await page.close();
  });
}
