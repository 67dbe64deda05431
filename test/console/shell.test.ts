// The console's shell in Chromium: the CSP it is served with, sign-in with a
// token (the partner and role shown, a bad token's code), the language switch,
// a viewer's pages without write controls, labelled controls, and every page
// rendering without an error.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import t from 'tap';
import { ROOT, startConsole, type ConsoleHarness } from './harness.js';

t.setTimeout(120_000);
let h: ConsoleHarness;
t.before(async () => {
  h = await startConsole();
});
t.teardown(() => h?.close());

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

t.test('the console is served with its CSP', async (t) => {
  const res = await h.page.goto(`${h.baseUrl}/console`);
  t.equal(res?.status(), 200);
  t.equal(res?.headers()['content-security-policy'], CSP);
  t.equal(res?.headers()['referrer-policy'], 'no-referrer');
});

t.test('sign in with an admin token: partner and role shown', async (t) => {
  await h.signIn(h.adminToken);
  t.equal(await h.page.textContent('#partner'), 'Contoso Cloud Services (contoso)');
  t.equal(await h.page.textContent('#role'), 'admin');
  t.equal(await h.page.getAttribute('html', 'lang'), 'en-US');
});

t.test('a bad token: the API’s code and message on the sign-in form', async (t) => {
  await h.signIn('not-a-token');
  t.equal(await h.page.textContent('.signin .error .code'), 'UNAUTHORIZED');
  t.equal(await h.page.textContent('.signin .error .message'), 'the bearer token is not valid');
  t.equal(await h.page.evaluate('sessionStorage.length'), 0, 'nothing kept');
  await h.signIn(h.operatorToken);
  t.equal(await h.page.textContent('.signin .error .code'), 'OPERATOR_TOKEN');
  t.equal(await h.page.textContent('.signin .error .message'), 'An operator token belongs to no partner; sign in with a partner’s admin or viewer token.');
});

t.test('#token= in the address: kept in sessionStorage, gone from the address', async (t) => {
  await h.signOut();
  await h.page.goto(`${h.baseUrl}/console/#token=${h.adminToken}`);
  await h.page.locator('#role').waitFor();
  t.equal(await h.page.textContent('#role'), 'admin');
  t.notMatch(h.page.url(), h.adminToken);
  t.equal(await h.page.evaluate('sessionStorage.getItem("tierbook.console.token")'), h.adminToken);
  t.equal(await h.page.evaluate('localStorage.length'), 0);
  t.equal(await h.page.evaluate('document.cookie'), '');
  // signing out forgets it
  await h.page.getByRole('button', { name: 'Sign out' }).click();
  await h.page.locator('input[name="token"]').waitFor();
  t.equal(await h.page.evaluate('sessionStorage.getItem("tierbook.console.token")'), null);
});

const PAGES = ['plan', 'quote', 'customers', 'month-end', 'triage', 'margin'];

t.test('every page renders, in both locales, without an error', async (t) => {
  for (const locale of ['en-US', 'zh-CN'] as const) {
    await h.signIn(h.adminToken, locale);
    h.errors.length = 0;
    const titles: string[] = [];
    for (const id of PAGES) {
      await h.goto(id);
      titles.push((await h.page.locator(`.page-${id} h1`).first().textContent()) ?? '');
      t.equal(await h.page.locator(`.page-${id} [role="alert"]`).count(), 0, `${locale} ${id}: no error shown`);
      t.equal(await h.page.getAttribute('html', 'lang'), locale);
    }
    t.same(h.errors, [], `${locale}: no page error, no console error`);
    t.same(await h.page.locator('nav a').allTextContents(), titles, `${locale}: the navigation names each page as its heading does`);
  }
  t.not(await h.page.textContent('nav a'), 'Plan', 'zh-CN texts differ');
});

t.test('every control has a label (keyboard and screen-reader use)', async (t) => {
  await h.signIn(h.adminToken);
  for (const id of PAGES) {
    await h.goto(id);
    const unlabelled = await h.page.evaluate(`[...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
      .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby') && !(e.tagName === 'BUTTON' && e.textContent.trim()))
      .map((e) => e.outerHTML.slice(0, 80))`);
    t.same(unlabelled, [], `${id}: every control is labelled`);
    t.equal(await h.page.locator('input:not([aria-label]):not([id]), select:not([aria-label]):not([id]), textarea:not([aria-label]):not([id])').count(), 0, `${id}: every control has an id its label names`);
  }
  // the sign-in form by keyboard alone: the token field has the focus, Enter signs in
  await h.signOut();
  await h.page.goto(`${h.baseUrl}/console`);
  await h.page.locator('input[name="token"]').waitFor();
  t.equal(await h.page.evaluate('document.activeElement.name'), 'token');
  await h.page.keyboard.type(h.adminToken);
  await h.page.keyboard.press('Enter');
  await h.page.locator('#role').waitFor();
  // Tab reaches the navigation, Enter follows a link
  let reached = '';
  for (let i = 0; i < 12 && !reached.startsWith('#/quote'); i++) {
    await h.page.keyboard.press('Tab');
    reached = String(await h.page.evaluate('document.activeElement.getAttribute("href") || ""'));
  }
  t.equal(reached, '#/quote');
  await h.page.keyboard.press('Enter');
  await h.page.locator('.page-quote h1').waitFor();
  t.match(h.page.url(), /#\/quote$/);
});

t.test('a viewer: role shown, the calculators work, no control that writes', async (t) => {
  await h.signIn(h.viewerToken);
  t.equal(await h.page.textContent('#role'), 'viewer (read only)');
  for (const id of ['plan', 'quote', 'triage']) {
    await h.goto(id);
    // these pages only read (POST /quotes and /evaluate store nothing): their buttons are the same for both roles
    const buttons = await h.page.locator('main button').allTextContents();
    t.same(buttons, id === 'triage' ? ['Evaluate'] : [], `${id}: no write control`);
  }
  // write controls carry the class "write" (month end: finalize, credit, void): none on any page for a viewer
  for (const id of PAGES) {
    await h.goto(id);
    t.equal(await h.page.locator('main .write').count(), 0, `${id}: no write control for a viewer`);
  }
  await h.goto('quote');
  await h.page.locator('#quote-total').waitFor();
  t.match(await h.page.textContent('#quote-total'), /^\$\d/, 'a viewer can quote');
  // and the API refuses a viewer's write whatever a page shows
  const write = await h.api('POST', './customers', { id: 'x', name: 'X' }, h.viewerToken);
  t.equal(write.status, 403);
  t.equal(write.json.code, 'FORBIDDEN');
});

t.test('console/src imports only console/src (no server module, no package) and parses no HTML', async (t) => {
  const dir = join(ROOT, 'console/src');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  t.ok(files.length >= 10);
  const outside: string[] = [];
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    for (const m of text.matchAll(/\bfrom\s+'([^']+)'|\bimport\s*\(\s*'([^']+)'/g)) {
      const spec = m[1] ?? m[2]!;
      const target = resolve(dir, f, '..', spec);
      if (!spec.startsWith('.') || !target.startsWith(dir + '/')) outside.push(`${f}: ${spec}`);
    }
  }
  t.same(outside, []);
  // data is written as text: no HTML parsing anywhere in the console
  const html = files.filter((f) => /\.(?:inner|outer)HTML\s*=|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser/.test(readFileSync(join(dir, f), 'utf8')));
  t.same(html, [], 'no innerHTML, outerHTML, insertAdjacentHTML, document.write or HTML parsing');
});
