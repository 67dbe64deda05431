// Screenshots of the web console for docs/screenshots/, on demand:
//   npm run screenshots:console [-- out-dir] [page ...]
// Every page in en-US and zh-CN, signed in as contoso's admin on the seeded
// server of the console tests (test/console/harness.ts: the shipped plans/,
// the demo of `tierbook start`), in Chromium (/usr/bin/chromium).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startConsole, type ConsoleHarness } from '../test/console/harness.js';

export interface ConsoleShot {
  /** The page id (#/<id>). */
  readonly id: string;
  /** Route parameters (#/<id>?<params>). */
  readonly params?: Record<string, string>;
  /** A selector that shows the page has its data (waited for before the shot). */
  readonly ready?: string;
}

/** The pages shot, in navigation order. */
export const SHOTS: readonly ConsoleShot[] = [
  { id: 'plan', ready: '.prices .markdown' },
  { id: 'quote', params: { offering: 'standard' }, ready: '#quote-total' },
  { id: 'customers', params: { id: 'tailspin' }, ready: 'table.requests' },
  { id: 'month-end', ready: 'table.drafts' },
  { id: 'triage', ready: '#decision' },
  { id: 'margin', ready: 'svg.margin-chart' },
];
export const SHOT_LOCALES = ['en-US', 'zh-CN'] as const;

/** Writes console-<page>-<locale>.png into `dir`; returns the files. */
export async function consoleScreenshots(h: ConsoleHarness, dir: string, only: readonly string[] = []): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const locale of SHOT_LOCALES) {
    await h.signIn(h.adminToken, locale);
    for (const shot of SHOTS) {
      if (only.length && !only.includes(shot.id)) continue;
      await h.goto(shot.id, shot.params);
      if (shot.ready) await h.page.locator(shot.ready).first().waitFor();
      await h.page.waitForTimeout(100);
      const file = join(dir, `console-${shot.id}-${locale}.png`);
      await h.page.screenshot({ path: file, fullPage: true });
      files.push(file);
    }
  }
  return files;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [first, ...rest] = process.argv.slice(2);
  const custom = first !== undefined && (first.includes('/') || first.startsWith('.'));
  const dir = custom ? first! : fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
  const only = custom ? rest : process.argv.slice(2);
  const h = await startConsole({ viewport: { width: 1280, height: 800 } });
  try {
    for (const f of await consoleScreenshots(h, dir, only)) process.stdout.write(`${f}\n`);
    if (h.errors.length) process.stderr.write(`page errors:\n${h.errors.join('\n')}\n`);
  } finally {
    await h.close();
  }
}
