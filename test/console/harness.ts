// The console in a real browser: a seeded API server (SQLite in a temp
// folder, the shipped plans/, the demo of `tierbook start`, admin, viewer and
// operator tokens of contoso), the console built into a temp folder (never a
// stale dist/), and one Chromium page. One harness (one browser) per test file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { SqliteRepository } from '../../src/store/sqlite.js';
import { loadPlansDir } from '../../src/cli/plan-files.js';
import { seedDemo, type SeededDemo } from '../../src/cli/demo.js';
import type { Plan } from '../../src/plans/types.js';
import { buildConsole } from '../../scripts/build-console.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from '../../scripts/screenshots-documents.js';
import { startServer } from '../api/helpers.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PARTNER = 'contoso';

export interface Answer {
  readonly status: number;
  readonly json: any;
  readonly text: string;
}

export interface ConsoleHarness {
  readonly page: Page;
  readonly browser: Browser;
  /** http://127.0.0.1:<port> (the console is at /console). */
  readonly baseUrl: string;
  readonly adminToken: string;
  readonly viewerToken: string;
  readonly operatorToken: string;
  readonly partner: string;
  readonly plan: Plan;
  readonly demo: SeededDemo;
  readonly repo: SqliteRepository;
  readonly app: FastifyInstance;
  /** Uncaught page errors and console errors since the start (tests may empty it). */
  readonly errors: string[];
  /** Opens the console, picks the locale on the sign-in form when given, signs in with the token. Resolves once the shell or an error shows. */
  signIn(token: string, locale?: 'en-US' | 'zh-CN'): Promise<void>;
  /** Forgets the tab's session (token, language) without running the console; the next page opened shows the sign-in form. */
  signOut(): Promise<void>;
  /** Goes to a page of the signed-in console (#/<id>?<params>) and waits for its heading. */
  goto(pageId: string, params?: Record<string, string>): Promise<void>;
  /** The API itself (the admin token unless given): what the console should agree with. */
  api(method: string, path: string, body?: unknown, token?: string): Promise<Answer>;
  close(): Promise<void>;
}

/** Makes sure Chromium is there (scripts/ensure-chromium.sh), never a download. */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const r = spawnSync('bash', [ROOT + 'scripts/ensure-chromium.sh'], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(CHROMIUM)) throw new Error(`Chromium is required at ${CHROMIUM} (scripts/ensure-chromium.sh exited ${r.status}): ${r.stderr?.trim() ?? ''}`);
}

export async function startConsole(opts: { viewport?: { width: number; height: number } } = {}): Promise<ConsoleHarness> {
  ensureChromium();
  const dir = mkdtempSync(join(tmpdir(), 'tierbook-console-'));
  const consoleDir = await buildConsole(join(dir, 'console'));
  const { plans } = await loadPlansDir(join(ROOT, 'plans'));
  // the API tests' server (its admin and viewer tokens are contoso's) on the shipped plans, serving this console
  const server = await startServer([...plans.values()], { consoleDir });
  const { app, repo, origin: baseUrl, admin: adminToken, viewer: viewerToken } = server;
  const seeded = await seedDemo(repo, [...plans.values()]);
  const demo = seeded.find((d) => d.partner === PARTNER)!;
  const operatorToken = await repo.createToken(PARTNER, 'operator');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'Asia/Kolkata' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });

  const api = (method: string, path: string, body?: unknown, token = adminToken): Promise<Answer> =>
    server.call(method, path.startsWith('/') ? path : `/${path.replace(/^\.\//, '')}`, { token, ...(body !== undefined ? { body } : {}) });

  const signOut = async (): Promise<void> => {
    // a fresh tab's session, emptied on a page of the same origin that runs no console code
    // (on the console itself a sign-in still under way could store its token again)
    await page.goto(`${baseUrl}/health`);
    await page.evaluate('sessionStorage.clear()');
  };

  return {
    page,
    browser,
    baseUrl,
    adminToken,
    viewerToken,
    operatorToken,
    partner: PARTNER,
    plan: plans.get(PARTNER)!,
    demo,
    repo,
    app,
    errors,
    api,
    async signIn(token, locale) {
      await signOut();
      await page.goto(`${baseUrl}/console`);
      await page.locator('input[name="token"]').waitFor();
      if (locale) {
        await page.selectOption('select[name="locale"]', locale);
        await page.locator(`html[lang="${locale}"]`).waitFor();
      }
      await page.fill('input[name="token"]', token);
      await page.press('input[name="token"]', 'Enter');
      await page.locator('#role, .signin .error').first().waitFor();
    },
    signOut,
    async goto(pageId, params) {
      const q = params ? `?${new URLSearchParams(params).toString()}` : '';
      // a new hash re-renders through hashchange; the same one again is a reload (the tab keeps its session)
      const target = `${baseUrl}/console#/${pageId}${q}`;
      if (page.url() === target) await page.reload();
      else await page.goto(target);
      await page.locator(`.page-${pageId} h1`).first().waitFor();
      // polled from here: a string predicate would be eval'd in the page, which the console's CSP refuses
      const loading = page.locator(`.page-${pageId} .loading`);
      for (let i = 0; (await loading.count()) > 0; i++) {
        if (i >= 300) throw new Error(`page ${pageId} still loading after 30 s`);
        await page.waitForTimeout(100);
      }
    },
    async close() {
      await browser.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
