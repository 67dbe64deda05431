// Issued documents in a real browser (Chromium, §9.7): the void and partially
// credited invoice and the credit note, in en-US and zh-CN, fit A4 and Letter
// widths on screen and in print, the status stamp is visible inside the page
// and does not cover the document number, nothing is fetched, and A4 and
// Letter PDFs print. Screenshots: `node --import tsx scripts/screenshots-documents.ts`
// writes them to docs/screenshots/ (this test writes to a temporary folder).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, issuedPages, screenshots } from '../../scripts/screenshots-documents.js';
import { ROOT } from './helpers.js';

t.setTimeout(15 * 60 * 1000); // a first run may have to install Chromium
const WIDTHS = [794, 816]; // A4 and Letter at 96 CSS px per inch
let browser: Browser;

t.before(async () => {
  if (!existsSync(CHROMIUM)) {
    const r = spawnSync('bash', [ROOT + 'scripts/ensure-chromium.sh'], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0 || !existsSync(CHROMIUM)) throw new Error(`Chromium is required at ${CHROMIUM} (scripts/ensure-chromium.sh exited ${r.status}): ${r.stderr?.trim() ?? ''}`);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});
t.teardown(async () => {
  await browser?.close();
});

type Rect = { x: number; y: number; width: number; height: number };
const overlap = (a: Rect, b: Rect): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

for (const p of issuedPages()) {
  t.test(p.name, async (t) => {
    const page = await browser.newPage({ viewport: { width: WIDTHS[0]!, height: 1100 } });
    const requests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('data:') && r.url() !== 'about:blank') requests.push(r.url());
    });
    await page.setContent(p.html, { waitUntil: 'load' });
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 1100 });
      for (const media of ['screen', 'print'] as const) {
        await page.emulateMedia({ media });
        const o = await page.evaluate(() => {
          const g = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
          return { scrollWidth: g.document.documentElement.scrollWidth, innerWidth: g.innerWidth };
        });
        t.ok(o.scrollWidth <= o.innerWidth, `${width}px ${media}: no horizontal overflow (${o.scrollWidth} ≤ ${o.innerWidth})`);
        const number = await page.locator('#document-number').boundingBox();
        t.ok(number && number.x >= 0 && number.x + number.width <= width, `${width}px ${media}: the number is on the page`);
        if (p.stamp) {
          const stamp = page.locator('#stamp');
          t.ok(await stamp.isVisible(), 'stamp visible');
          const box = await stamp.boundingBox();
          t.ok(box && box.x >= 0 && box.x + box.width <= width && box.height > 20, `${width}px ${media}: stamp inside the page (${JSON.stringify(box)})`);
          t.notOk(box && number && overlap(box, number), 'the stamp leaves the number readable');
        } else t.equal(await page.locator('#stamp').count(), 0, 'no stamp');
      }
    }
    for (const format of ['A4', 'Letter'] as const) {
      const pdf = await page.pdf({ format, printBackground: true });
      t.equal(pdf.subarray(0, 4).toString(), '%PDF', `${format} PDF prints`);
    }
    t.same(requests, [], 'no external requests');
    await page.close();
  });
}

t.test('the screenshot script writes one PNG per page', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tierbook-issued-shots-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const files = await screenshots(browser, dir);
  t.equal(files.length, 6);
  t.ok(files.every((f) => existsSync(f)));
});
